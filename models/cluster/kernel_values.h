// The values a cluster's engines compute (functional co-simulation; their timing is redmule.h
// and worker_cores.h, and never depends on values). Tensors are token-major matrices (a row
// per token). Every result is rounded to the format its engine writes (number_format.h):
//   RedMulE   Z = X.W (+ Y): X and W in the operand format (FP16 or FP8), products accumulated
//             one FMA at a time in FP16, in reduction order (the CE's accumulator; one rounding
//             per FMA: the product of two FP16 values is exact in FP32)
//   cores     element-wise and row-wise kernels: inputs as stored (FP16), intermediates in
//             FP32 (the kernels' sums and exponentials are modelled exactly), outputs in FP16
// With FP32 formats (--ideal) every engine computes in FP32.
// The operators: add, mul, relu, gelu (erf form), silu, nonorm (x gamma + beta), layernorm
// (eps 1e-12 as BERT, 1e-5 otherwise: the model type decides), rmsnorm, rope (rotate-half,
// theta 10000), softmax over a row with scale and causal mask, and FlashAttention's online
// softmax pieces.
#pragma once

#include "models/cluster/number_format.h"

#include <Eigen/Core>

#include <cstdint>
#include <string>

namespace aimcsim::cluster {

using Matrix = Eigen::MatrixXf;

// Z = X . W (+ Y when given), X: m x n, W: n x k, operands rounded to `operands`, accumulated
// in `accumulator`.
Matrix gemm_values(const Eigen::Ref<const Matrix>& x, const Eigen::Ref<const Matrix>& w,
                   const Matrix* y, ValueFormat operands, ValueFormat accumulator);

struct NormParams {
  Eigen::VectorXf gamma, beta;  // beta empty: none
  float eps = 1e-5f;
};

// An element-wise operator of one or two inputs, by its kernel name ("add", "relu", ...).
Matrix elementwise_values(const std::string& kernel, const Eigen::Ref<const Matrix>& a,
                          const Matrix* b, ValueFormat out);
// A norm of rows ("nonorm", "layernorm", "rmsnorm"): columns [lo, lo + x.cols()) of params.
Matrix norm_values(const std::string& kind, const Eigen::Ref<const Matrix>& x,
                   const NormParams& params, std::uint64_t lo, ValueFormat out);
// Rotary embedding of rows at positions[row], heads of head_dim columns each.
Matrix rope_values(const Eigen::Ref<const Matrix>& x, const Eigen::VectorXi& positions,
                   std::uint64_t head_dim, ValueFormat out);

// Row-wise softmax of scale x s with the keys after limit[row] masked (kNoMask: none).
inline constexpr int kNoMask = 1 << 30;
Matrix softmax_values(const Eigen::Ref<const Matrix>& s, float scale, const Eigen::VectorXi& limit,
                      ValueFormat out);

// FlashAttention's running state of one query block of one head.
struct OnlineSoftmax {
  Eigen::VectorXf m, l;   // running max (of the scaled scores) and sum
  Eigen::VectorXf alpha;  // exp(m_old - m_new) of the last block
  Matrix p;               // the last block's exp(scale s - m_new)
  bool started = false;
  // One key block's scores s (rows x keys), keys after limit[row] masked.
  void block(const Eigen::Ref<const Matrix>& s, float scale, const Eigen::VectorXi& limit,
             ValueFormat out);
};

}  // namespace aimcsim::cluster
