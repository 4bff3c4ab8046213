#include "models/cluster/number_format.h"

#include <cmath>

namespace aimcsim::cluster {

const char* to_string(ValueFormat f) {
  switch (f) {
    case ValueFormat::fp32:
      return "fp32";
    case ValueFormat::fp16:
      return "fp16";
    case ValueFormat::fp8:
      return "fp8";
  }
  return "?";
}

ValueFormat value_format(Precision p, bool ideal) {
  if (ideal) return ValueFormat::fp32;
  return p == Precision::fp8 ? ValueFormat::fp8 : ValueFormat::fp16;
}

float round_binary(float x, int mantissa_bits, int min_exponent, float max_value) {
  if (x == 0.0f || std::isnan(x)) return x;
  const float a = std::fabs(x);
  if (a >= max_value) return std::copysign(max_value, x);
  int e = 0;
  std::frexp(a, &e);  // a = m 2^e, m in [0.5, 1): a = 1.f x 2^(e-1)
  const int exponent = std::max(e - 1, min_exponent);
  const float quantum = std::ldexp(1.0f, exponent - mantissa_bits);
  const float r = std::min(std::nearbyint(a / quantum) * quantum, max_value);  // ties to even
  return std::copysign(r, x);
}

float round_fp8_e4m3(float x) {
  return round_binary(x, 3, -6, 448.0f);  // OCP FP8 E4M3: bias 7, no infinity
}

void round_all(ValueFormat f, Eigen::Ref<Eigen::MatrixXf> m) {
  if (f == ValueFormat::fp32) return;
  for (Eigen::Index j = 0; j < m.cols(); ++j)
    for (Eigen::Index i = 0; i < m.rows(); ++i) m(i, j) = round_to(f, m(i, j));
}

}  // namespace aimcsim::cluster
