// The number formats values take in the digital datapath, for the functional co-simulation:
// FP32 (the reference, and everything under --ideal), FP16 (IEEE binary16: activations in L2,
// the tile outputs after the local digital unit, RedMulE's operands and accumulators, the
// worker-core kernels) and FP8 (OCP E4M3: RedMulE's FP8 operands; its accumulators stay FP16,
// as the RTL casts FP8 to FP16 in the streamer). Rounding is to nearest, ties to even; FP16
// overflows to infinity as IEEE does, E4M3 (no infinity) saturates at +-448.
#pragma once

#include "models/cluster/precision.h"

#include <Eigen/Core>

namespace aimcsim::cluster {

enum class ValueFormat { fp32, fp16, fp8 };

const char* to_string(ValueFormat f);
// The format of a datapath precision; fp32 when ideal (every value exact to FP32).
ValueFormat value_format(Precision p, bool ideal = false);

float round_fp8_e4m3(float x);

// x rounded to the format (returned as a float, which holds every FP16 and FP8 value).
inline float round_to(ValueFormat f, float x) {
  switch (f) {
    case ValueFormat::fp32:
      return x;
    case ValueFormat::fp16:
      return static_cast<float>(Eigen::half(x));
    case ValueFormat::fp8:
      break;
  }
  return round_fp8_e4m3(x);
}

// A binary floating-point format with `mantissa_bits` fraction bits, smallest normal exponent
// min_exponent and largest finite value max_value, saturating: the generic rounding the
// FP8 format uses, and that tests compare with Eigen::half for FP16.
float round_binary(float x, int mantissa_bits, int min_exponent, float max_value);

// Every element of m rounded in place.
void round_all(ValueFormat f, Eigen::Ref<Eigen::MatrixXf> m);

}  // namespace aimcsim::cluster
