// The tile's arithmetic against closed forms: ADC quantisation noise, the drift power law, the
// ideal tile, the channel-wise mapping and the local digital unit's multiplier format.
#include "models/aimc/tile_arithmetic.h"

#include <gtest/gtest.h>

#include <cmath>

namespace aimcsim::aimc {
namespace {

// A tile whose only non-ideality is the quantisation of its converters.
TileArithmetic quantising_tile(std::uint64_t adc_bits, std::uint64_t dac_bits) {
  TileArithmetic a;
  a.rows = a.cols = 64;
  a.pcm.programming_noise = a.pcm.drift = a.pcm.read_noise = false;
  a.adc.bits = adc_bits;
  a.dac_bits = dac_bits;
  a.ldu_scale_bits = 0;
  a.fp16_output = false;
  return a;
}

Eigen::MatrixXf gaussian(Eigen::Index rows, Eigen::Index cols, std::uint64_t seed) {
  sim::Rng rng(seed);
  Eigen::MatrixXf m(rows, cols);
  for (Eigen::Index i = 0; i < rows; ++i)
    for (Eigen::Index j = 0; j < cols; ++j) m(i, j) = static_cast<float>(rng.normal());
  return m;
}

TEST(TileArithmetic, AdcQuantisationErrorHasVarianceLsbSquaredOverTwelve) {
  // Uniform quantisation of a signal spread over many LSBs: the error is uniform in
  // [-LSB/2, LSB/2], variance LSB^2 / 12. One MVM output y_j = code x LSB x s_j x x_max, so the
  // error of y_j / (s_j x_max) against the exact x^.g is the ADC's alone (a 16-bit DAC: its
  // inputs x^ are computed here as the tile does).
  const TileArithmetic a = quantising_tile(8, 16);
  const TileValues tile(a);
  const double lsb = a.adc.lsb();  // 12 / 127
  ASSERT_DOUBLE_EQ(lsb, 12.0 / 127.0);
  const double levels = 32767.0;
  double sum = 0, sum2 = 0;
  std::uint64_t n = 0;
  for (std::uint64_t seed = 1; seed <= 8; ++seed) {
    const Eigen::MatrixXf w = gaussian(64, 64, 1000 + seed);
    const ProgrammedBlock b = tile.program(w, 0, 0, DeviceDraws{}, 0, 0, 0);
    const Eigen::MatrixXf x = gaussian(256, 64, seed);
    const Eigen::MatrixXf y = tile.mvm(b, x, seed, 0);
    for (Eigen::Index t = 0; t < x.rows(); ++t) {
      const double x_max = x.row(t).cwiseAbs().maxCoeff();
      for (Eigen::Index j = 0; j < w.cols(); ++j) {
        double u = 0;
        for (Eigen::Index i = 0; i < w.rows(); ++i) {
          const float xn = static_cast<float>(std::nearbyint(x(t, i) / x_max * levels) / levels);
          u += static_cast<double>(xn * b.g(i, j));
        }
        ASSERT_LT(std::fabs(u), a.adc.range) << "the test signal must not clip";
        const double e = y(t, j) / (b.multiplier(j) * x_max) - u;
        sum += e;
        sum2 += e * e;
        ++n;
      }
    }
  }
  const double mean = sum / static_cast<double>(n);
  const double var = sum2 / static_cast<double>(n) - mean * mean;
  // n = 131072 samples: the standard error of the variance is 0.3 % of it.
  EXPECT_NEAR(var / (lsb * lsb / 12.0), 1.0, 0.02);
  EXPECT_NEAR(mean / lsb, 0.0, 0.01);
}

TEST(TileArithmetic, AdcClipsAtItsRangeAndRoundsToTheNearestLevel) {
  const TileArithmetic a = quantising_tile(4, 8);  // 7 levels a side, LSB = 12/7
  const TileValues tile(a);
  const ProgrammedBlock b = tile.program(Eigen::MatrixXf::Ones(1, 1), 0, 0, {}, 0, 0, 0);
  const double lsb = 12.0 / 7.0;
  EXPECT_DOUBLE_EQ(tile.convert(b, 0, 0.49 * lsb), 0.0);
  EXPECT_DOUBLE_EQ(tile.convert(b, 0, 0.51 * lsb), lsb);
  EXPECT_DOUBLE_EQ(tile.convert(b, 0, -2.6 * lsb), -3 * lsb);
  EXPECT_DOUBLE_EQ(tile.convert(b, 0, 100.0), 7 * lsb);
  EXPECT_DOUBLE_EQ(tile.convert(b, 0, -100.0), -7 * lsb);
}

TEST(TileArithmetic, MeanDriftFollowsThePowerLaw) {
  // Weights at half the column's largest: every device at g_rel = 0.5, where the model's drift
  // exponent is nu ~ N(mu, sigma) with mu = clamp(-0.0155 ln 0.5 + 0.0244, 0.049, 0.1) = 0.049
  // and sigma = clamp(-0.0125 ln 0.5 - 0.0059, 0.008, 0.045) = 0.008, so the mean of
  // g(t)/g(0) = E[T^-nu] = T^-mu exp(sigma^2 ln^2 T / 2), T = (t + t0) / t0.
  Eigen::MatrixXf w = Eigen::MatrixXf::Constant(257, 256, 0.5f);
  w.row(256).setOnes();  // the column maxima, at g_rel = 1 (left out of the mean)
  const DeviceDraws draws = DeviceDraws::draw(257, 256, 7, false, true);
  for (const double t : {1.0, 60.0, 3600.0, 86400.0, 3.15e7}) {
    TileArithmetic a = quantising_tile(8, 8);
    a.rows = 257;
    a.cols = 256;
    a.pcm.drift = true;
    a.pcm.drift_compensation = false;
    a.pcm.t_since_programming_s = t;
    const ProgrammedBlock b = TileValues(a).program(w, 0, 0, draws, 0, 0, 0);
    const double mean = b.g.topRows(256).cast<double>().mean() / 0.5;
    const double lnT = std::log((t + 20.0) / 20.0);
    const double expected = std::exp(-0.049 * lnT + 0.008 * 0.008 * lnT * lnT / 2.0);
    // 65536 devices, each factor's spread sigma lnT T^-mu: the mean to 0.05 % (one standard
    // error) at a year.
    EXPECT_NEAR(mean / expected, 1.0, 2e-3) << "t = " << t << " s";
  }
}

TEST(TileArithmetic, DriftCompensationRestoresTheTilesMeanGain) {
  Eigen::MatrixXf w = Eigen::MatrixXf::Constant(257, 64, 0.5f);
  w.row(256).setOnes();
  TileArithmetic a = quantising_tile(8, 8);
  a.rows = 257;
  a.pcm.drift = true;
  a.pcm.t_since_programming_s = 86400.0;
  const DeviceDraws draws = DeviceDraws::draw(257, 64, 3, false, true);
  const ProgrammedBlock b = TileValues(a).program(w, 0, 0, draws, 0, 0, 0);
  // sum_j |sum_i g0_ij| / sum_j |sum_i g_ij(t)|: the multiplier (scale 1) undoes the decay.
  const double decayed = b.g.cast<double>().sum();
  const double programmed = 256 * 0.5 * 64 + 64;
  EXPECT_NEAR(b.multiplier(0), programmed / decayed, 1e-6);
  EXPECT_NEAR(b.g.cast<double>().sum() * b.multiplier(0) / programmed, 1.0, 1e-6);
}

TEST(TileArithmetic, IdealTileComputesTheProductExactly) {
  TileArithmetic a;
  a.rows = a.cols = 64;
  const TileValues tile(a.idealised());
  const Eigen::MatrixXf w = gaussian(64, 48, 5);
  const Eigen::MatrixXf x = gaussian(16, 64, 6);
  const ProgrammedBlock b = tile.program(w, 0, 16, DeviceDraws{}, 0, 0, 0);
  const Eigen::MatrixXf y = tile.mvm(b, x, 1, 0);
  const Eigen::MatrixXf exact = (x.cast<double>() * w.cast<double>()).cast<float>();
  EXPECT_LT((y - exact).norm() / exact.norm(), 1e-6);
}

TEST(TileArithmetic, ChannelWiseMappingPutsEachColumnsLargestWeightAtGmax) {
  TileArithmetic a = quantising_tile(8, 8);
  Eigen::MatrixXf w(2, 2);
  w << 0.5f, -4.0f, -0.25f, 1.0f;
  const ProgrammedBlock b = TileValues(a).program(w, 0, 0, {}, 0, 0, 0);
  EXPECT_FLOAT_EQ(b.g(0, 0), 1.0f);
  EXPECT_FLOAT_EQ(b.g(1, 0), -0.5f);
  EXPECT_FLOAT_EQ(b.g(0, 1), -1.0f);
  EXPECT_FLOAT_EQ(b.g(1, 1), 0.25f);
  EXPECT_FLOAT_EQ(b.multiplier(0), 0.5f);
  EXPECT_FLOAT_EQ(b.multiplier(1), 4.0f);
}

TEST(TileArithmetic, LocalDigitalUnitHoldsMultipliersInBlockFloatingPoint) {
  // scale_bits 8 (the NMPU's (1,7)): one exponent per tile, the largest multiplier's (4 = 2^2),
  // so a step of 2^(2 - 7) = 1/32; 0.3 -> 10/32 = 0.3125.
  TileArithmetic a = quantising_tile(8, 8);
  a.ldu_scale_bits = 8;
  Eigen::MatrixXf w(1, 2);
  w << 0.3f, 4.0f;
  const ProgrammedBlock b = TileValues(a).program(w, 0, 0, {}, 0, 0, 0);
  EXPECT_FLOAT_EQ(b.multiplier(0), 0.3125f);
  EXPECT_FLOAT_EQ(b.multiplier(1), 4.0f);
}

TEST(TileArithmetic, ReadNoiseVarianceIsTheSumOfTheDrivenDevices) {
  // One column of 8 weights at its largest (g = 1, multiplier 0.5), every input 1: u ~ N(8,
  // sum v), v the pair's read variance; y = 0.5 u. Over many tokens the mean of y is 4 and its
  // variance 0.25 (sum v + LSB^2/12), the ADC at 16 bits.
  TileArithmetic a = quantising_tile(16, 8);
  a.pcm.read_noise = true;
  const TileValues tile(a);
  const ProgrammedBlock b =
      tile.program(Eigen::MatrixXf::Constant(8, 1, 0.5f), 0, 0, DeviceDraws{}, 0, 0, 0);
  ASSERT_FLOAT_EQ(b.multiplier(0), 0.5f);
  const double device_var = b.var.cast<double>().sum();
  ASSERT_GT(device_var, 0.0);
  const Eigen::MatrixXf y = tile.mvm(b, Eigen::MatrixXf::Ones(20000, 8), 11, 0);
  const double mean = y.cast<double>().mean();
  const double var = (y.cast<double>().array() - mean).square().mean();
  EXPECT_NEAR(mean, 4.0, 0.01);
  const double quantisation = a.adc.lsb() * a.adc.lsb() / 12.0;
  // 20000 draws: the variance to 1 % (one standard error).
  EXPECT_NEAR(var / (0.25 * (device_var + quantisation)), 1.0, 0.05);
}

}  // namespace
}  // namespace aimcsim::aimc
