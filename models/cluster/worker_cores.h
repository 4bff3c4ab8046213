// The cluster's worker cores (Snitch: RV32 + FPU with SSR stream registers and FREP loops)
// running software kernels. A kernel is a few SSR-fed FREP loops ("passes") over vectors of
// lanes = fpu_width / element bytes elements (64-bit FPU: 4 FP16 or 8 FP8), issuing one
// instruction per cycle: a pass costs `slots` cycles per vector, slots = its FP instructions
// + one explicit load or store per operand stream beyond the `ssrs` stream registers, and
// fpu_latency at its end to drain the pipeline. With V = vectors per core or per row:
//   elementwise (N elements split over cores, V = ceil(ceil(N/cores)/lanes)):
//     setup + V x slots + fpu_latency + barrier
//   row-wise (R rows of H = N/R, whole rows split over cores, V = ceil(H/lanes)):
//     setup + ceil(R/cores) x (sum over passes of (V x slots + fpu_latency)
//       + reductions x (log2(lanes) + fpu_latency) + divides x div_latency) + barrier
//   gemm Z(MxK)=X(MxN).W(NxK): setup + ceil(M/cores) x ceil(K/lanes) x
//                              (N + fpu_latency + loop_overhead) + barrier
// A reduction folds a row's lane-wise partial results into a scalar by log2(lanes) dependent
// steps; a divide is one scalar divide or square root in the iterative divsqrt unit. Snitch
// has no exp/tanh hardware: exp (exp_ops) and a reciprocal (recip_ops) are software
// polynomial / Newton-Raphson sequences of packed-SIMD instructions. `setup` is configuring
// the SSR streams and FREP of the kernel; `barrier` the cluster barrier at its end. TCDM
// traffic (each pass reads or writes every one of its streams once per element) is booked at
// the kernel's average rate, at most cores x core_port_width; a stalled kernel ends later.
// Energy: e_core_cycle per core per cycle of a kernel (setup to barrier: fetch, decode,
// integer pipeline, SSRs) plus e_fp_instruction per packed-SIMD FP instruction issued (vectors
// x FP instructions per pass, reduction steps and divides); TCDM traffic is charged by the
// TCDM. Leakage and area per core.
// Simplifications: all cores start and finish together (even split, shared barrier); row-wise
// kernels give each core whole rows, so fewer rows than cores leaves cores idle; scalar
// multiplies by constants (1/H, epsilon) hide in the reductions; FP8 computes in 8 lanes; cycles
// a kernel stalls on the TCDM cost no core energy.
#pragma once

#include "models/cluster/precision.h"
#include "models/cluster/tcdm.h"
#include "models/sim/component.h"
#include "models/sim/energy.h"

#include <initializer_list>
#include <string>
#include <vector>

namespace aimcsim::cluster {

// The worker-core kernels (the table below), and gemm.
enum class Kernel : std::uint8_t {
  add,
  relu,
  mul,
  nonorm,
  silu,
  gelu,
  rope,
  softmax,
  layernorm,
  rmsnorm,
  partial_softmax,
  partial_scale,
  final_scale,
  gemm
};
const char* to_string(Kernel kernel);
// Parses a kernel name; false for anything else.
bool parse_kernel(const std::string& text, Kernel& out);
// Whether the kernel reduces over each row (its rows must divide its elements).
bool is_row_wise(Kernel kernel);

class WorkerCores : public sim::Component {
 public:
  WorkerCores(const sc_core::sc_module_name& name, sim::ConfigNode config);

  struct Cost {
    Kernel kernel = Kernel::add;
    std::uint64_t setup_cycles = 0;
    std::uint64_t compute_cycles = 0;  // loop nest + barrier
    std::uint64_t tcdm_bytes = 0;
    std::uint64_t flops = 0;
    std::uint64_t fp_instructions = 0;  // packed-SIMD FP instructions, all cores
    std::uint64_t total() const { return setup_cycles + compute_cycles; }
  };
  // The transformer's digital operators by name, over `elements` elements in `rows` rows
  // (row-wise kernels reduce over each row of elements/rows; elementwise ones ignore rows).
  // Passes as "FP instructions per vector / operand streams", E = exp_ops, Q = recip_ops:
  //   add        Z = X + Y                                    1 / 3
  //   relu       Z = max(X, 0)                                1 / 2
  //   mul        Z = X * Y (e.g. SiLU(gate) * up)             1 / 3
  //   nonorm     Z = X * gamma + beta (MobileBERT NoNorm)     1 FMA / 4
  //   silu       Z = X / (1 + exp(-X))                        E + Q + 2 / 2
  //   gelu       Z = 0.5 X (1 + tanh u) = X / (1 + exp(-2u)), u = sqrt(2/pi)(X + 0.044715 X^3):
  //              X^2, FMA, mul, exp, add, reciprocal, mul     E + Q + 5 / 2
  //   rope       Z = X * cos + rotate(X) * sin                mul + FMA / 5
  //              (rotate_half layout: rotate(X) streams X's other half, its sign in the sin table)
  //   softmax    max | exp(x - max) and sum | x * (1/sum)     1 / 1 | E + 2 / 2 | 1 / 2;
  //              per row 2 reductions (max, sum) and 1 divide
  //   layernorm  sum | (x - mean)^2 | x * rstd - mean * rstd, then * gamma + beta
  //                                                           1 / 1 | 2 / 1 | 2 FMAs / 4;
  //              per row 2 reductions (sum, variance), a sqrt and a divide
  //   rmsnorm    sum of x^2 | x * rstd * gamma                1 FMA / 1 | 2 / 3;
  //              per row 1 reduction, a sqrt and a divide
  // The online softmax of tiled (flash) attention over one block of keys (Dao et al.,
  // FlashAttention, NeurIPS 2022, Algorithm 1; FlashAttention-2's deferred normalisation):
  //   partial_softmax  over a block of scores S: m = max(m, rowmax S) | P = exp(S - m) and
  //              l_block = rowsum P                           1 / 1 | E + 2 / 2;
  //              per row 2 reductions, one scalar exp (alpha = exp(m_old - m)) and the
  //              running sum l = alpha l + l_block (in the exp's shadow)
  //   partial_scale    the running output O = alpha O, before the block's P.V accumulates
  //              into it                                      1 / 2
  //   final_scale      O = O * (1/l) once after the last block 1 / 2; per row 1 divide
  // Throws std::logic_error for an unknown kernel, and for a row-wise kernel whose rows are 0
  // or do not divide elements.
  Cost kernel_cost(Kernel kernel, std::uint64_t elements, std::uint64_t rows,
                   Precision precision) const;
  Cost kernel_cost(const std::string& kernel, std::uint64_t elements, std::uint64_t rows,
                   Precision precision) const;
  // The bytes of TCDM a kernel's operands occupy (inputs, outputs, parameter vectors).
  static std::uint64_t operand_bytes(Kernel kernel, std::uint64_t elements, std::uint64_t rows,
                                     Precision precision);
  static const std::vector<std::string>& kernel_names();

  // Z = X + Y over elements (also the partial-sum and LoRA adds).
  Cost add_cost(std::uint64_t elements, Precision precision) const;
  Cost relu_cost(std::uint64_t elements, Precision precision) const;
  Cost gemm_cost(std::uint64_t m, std::uint64_t n, std::uint64_t k, Precision precision) const;

  // Runs one kernel from earliest_ps (after the previous one); returns when it started (setup
  // included) and ended.
  sim::Interval run(const Cost& cost, std::uint64_t earliest_ps, Tcdm& tcdm);

  std::uint64_t cores() const { return cores_; }
  sim::EnergyBook& energy() { return energy_; }
  std::uint64_t flops() const { return flop_count_; }
  void reset_stats() override;

 private:
  // One FREP loop: FP instructions per vector, operand streams (each read or written once per
  // element), FP operations per element (an explicit FMA counts 2, exp and reciprocal count
  // their instructions).
  struct Pass {
    std::uint64_t ops, streams, flops;
  };
  Cost elementwise(Kernel kernel, Pass pass, std::uint64_t elements, Precision precision) const;
  // exps: scalar exps per row (beside its reductions and divides).
  Cost row_wise(Kernel kernel, std::initializer_list<Pass> passes, std::uint64_t reductions,
                std::uint64_t divides, std::uint64_t elements, std::uint64_t rows,
                Precision precision, std::uint64_t exps = 0) const;
  std::uint64_t slots(const Pass& pass) const {
    return pass.ops + (pass.streams > ssrs_ ? pass.streams - ssrs_ : 0);
  }
  std::uint64_t lanes(Precision precision) const { return fpu_bytes_ / element_bytes(precision); }

  const std::uint64_t cores_;
  const std::uint64_t fpu_bytes_;
  const sim::Cycles fpu_latency_, setup_, barrier_, loop_overhead_;
  const sim::BytesPerCycle core_port_width_;
  const std::uint64_t ssrs_;
  const std::uint64_t exp_ops_, recip_ops_;
  const sim::Cycles div_latency_;
  sim::OccupancyResource engine_;
  sim::EnergyBook energy_;
  sim::EnergyBook::EventId core_cycles_, fp_instructions_;
  std::uint64_t flop_count_ = 0;
  double& kernels_;
  double& flops_;
  double& busy_ns_;
};

}  // namespace aimcsim::cluster
