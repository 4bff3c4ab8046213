#include "models/cluster/kernel_values.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace aimcsim::cluster {

Matrix gemm_values(const Eigen::Ref<const Matrix>& x, const Eigen::Ref<const Matrix>& w,
                   const Matrix* y, ValueFormat operands, ValueFormat accumulator) {
  if (x.cols() != w.rows()) throw std::logic_error("GEMM operands do not match");
  Matrix xr = x, wr = w;
  round_all(operands, xr);
  round_all(operands, wr);
  if (accumulator == ValueFormat::fp32) {
    Matrix z = xr * wr;
    if (y != nullptr) z += *y;
    return z;
  }
  const Eigen::Index m = x.rows(), n = x.cols(), k = w.cols();
  // Row-major copies for the inner loop over k.
  const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> wrow = wr;
  Matrix z(m, k);
  std::vector<float> acc(static_cast<std::size_t>(k));
  for (Eigen::Index i = 0; i < m; ++i) {
    for (Eigen::Index j = 0; j < k; ++j)
      acc[static_cast<std::size_t>(j)] = y != nullptr ? round_to(accumulator, (*y)(i, j)) : 0.0f;
    for (Eigen::Index r = 0; r < n; ++r) {
      const float a = xr(i, r);
      if (a == 0.0f) continue;
      const float* wp = wrow.data() + r * k;
      for (Eigen::Index j = 0; j < k; ++j) {
        float& c = acc[static_cast<std::size_t>(j)];
        c = round_to(accumulator, c + a * wp[j]);
      }
    }
    for (Eigen::Index j = 0; j < k; ++j) z(i, j) = acc[static_cast<std::size_t>(j)];
  }
  return z;
}

namespace {

float gelu(float v) {
  return 0.5f * v * (1.0f + std::erf(v / std::sqrt(2.0f)));
}
float silu(float v) {
  return v / (1.0f + std::exp(-v));
}

}  // namespace

Matrix elementwise_values(const std::string& kernel, const Eigen::Ref<const Matrix>& a,
                          const Matrix* b, ValueFormat out) {
  Matrix r(a.rows(), a.cols());
  const auto need_b = [&] {
    if (b == nullptr || b->rows() != a.rows() || b->cols() != a.cols())
      throw std::logic_error(kernel + ": operands do not match");
  };
  if (kernel == "add") {
    need_b();
    r = a + *b;
  } else if (kernel == "mul") {
    need_b();
    r = a.cwiseProduct(*b);
  } else if (kernel == "relu") {
    r = a.cwiseMax(0.0f);
  } else if (kernel == "gelu") {
    r = a.unaryExpr(&gelu);
  } else if (kernel == "silu") {
    r = a.unaryExpr(&silu);
  } else {
    throw std::logic_error("no values for kernel " + kernel);
  }
  round_all(out, r);
  return r;
}

Matrix norm_values(const std::string& kind, const Eigen::Ref<const Matrix>& x, const NormParams& p,
                   std::uint64_t lo, ValueFormat out) {
  const auto cols = x.cols();
  const auto at = static_cast<Eigen::Index>(lo);
  const Eigen::VectorXf gamma = p.gamma.segment(at, cols);
  Matrix r(x.rows(), cols);
  if (kind == "nonorm") {
    r = x.array().rowwise() * gamma.transpose().array();
  } else if (kind == "layernorm" || kind == "rmsnorm") {
    for (Eigen::Index t = 0; t < x.rows(); ++t) {
      const Eigen::ArrayXf row = x.row(t).transpose().array();
      float mean = kind == "layernorm" ? row.mean() : 0.0f;
      const Eigen::ArrayXf centred = row - mean;
      const float var = (centred * centred).mean();
      r.row(t) = (centred / std::sqrt(var + p.eps) * gamma.array()).transpose();
    }
  } else {
    throw std::logic_error("no values for norm " + kind);
  }
  if (p.beta.size() > 0) r.rowwise() += p.beta.segment(at, cols).transpose();
  round_all(out, r);
  return r;
}

Matrix rope_values(const Eigen::Ref<const Matrix>& x, const Eigen::VectorXi& positions,
                   std::uint64_t head_dim, ValueFormat out) {
  const auto hd = static_cast<Eigen::Index>(head_dim), half = hd / 2;
  Matrix r = x;
  for (Eigen::Index t = 0; t < x.rows(); ++t) {
    for (Eigen::Index h0 = 0; h0 + hd <= x.cols(); h0 += hd) {
      for (Eigen::Index i = 0; i < half; ++i) {
        const double freq =
            std::pow(10000.0, -2.0 * static_cast<double>(i) / static_cast<double>(hd));
        const double angle = positions(t) * freq;
        const float c = static_cast<float>(std::cos(angle)),
                    s = static_cast<float>(std::sin(angle));
        const float a = x(t, h0 + i), b = x(t, h0 + i + half);
        r(t, h0 + i) = a * c - b * s;
        r(t, h0 + i + half) = b * c + a * s;
      }
    }
  }
  round_all(out, r);
  return r;
}

namespace {

// Scaled scores with the keys after limit[row] at -infinity (a negative limit masks all).
Matrix scaled(const Eigen::Ref<const Matrix>& s, float scale, const Eigen::VectorXi& limit) {
  Matrix z = s * scale;
  for (Eigen::Index t = 0; t < z.rows(); ++t)
    for (Eigen::Index k = std::max<Eigen::Index>(limit(t) + 1, 0); k < z.cols(); ++k)
      z(t, k) = -std::numeric_limits<float>::infinity();
  return z;
}

}  // namespace

Matrix softmax_values(const Eigen::Ref<const Matrix>& s, float scale, const Eigen::VectorXi& limit,
                      ValueFormat out) {
  Matrix z = scaled(s, scale, limit);
  for (Eigen::Index t = 0; t < z.rows(); ++t) {
    const float m = z.row(t).maxCoeff();
    z.row(t) = (z.row(t).array() - m).exp().matrix();
    z.row(t) /= z.row(t).sum();
  }
  round_all(out, z);
  return z;
}

void OnlineSoftmax::block(const Eigen::Ref<const Matrix>& s, float scale,
                          const Eigen::VectorXi& limit, ValueFormat out) {
  Matrix z = scaled(s, scale, limit);
  const Eigen::Index rows = z.rows();
  if (!started) {
    m = Eigen::VectorXf::Constant(rows, -std::numeric_limits<float>::infinity());
    l = Eigen::VectorXf::Zero(rows);
    started = true;
  }
  alpha.resize(rows);
  p.resize(rows, z.cols());
  for (Eigen::Index t = 0; t < rows; ++t) {
    const float m_new = std::max(m(t), z.row(t).maxCoeff());
    if (m_new == -std::numeric_limits<float>::infinity()) {  // every key so far masked
      alpha(t) = 1.0f;
      p.row(t).setZero();
      continue;
    }
    alpha(t) = m(t) == -std::numeric_limits<float>::infinity() ? 0.0f : std::exp(m(t) - m_new);
    p.row(t) = (z.row(t).array() - m_new).exp().matrix();
    l(t) = l(t) * alpha(t) + p.row(t).sum();
    m(t) = m_new;
  }
  round_all(out, p);
}

}  // namespace aimcsim::cluster
