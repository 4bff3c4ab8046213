// The digital formats values take (FP16, FP8 E4M3) and the deterministic random numbers.
#include "models/cluster/number_format.h"
#include "models/sim/random.h"

#include <gtest/gtest.h>

#include <cmath>

namespace aimcsim::cluster {
namespace {

TEST(NumberFormat, GenericRoundingEqualsEigenHalfOverTheFiniteRange) {
  sim::Rng rng(42);
  for (int i = 0; i < 200000; ++i) {
    // Magnitudes from FP16's subnormals (2^-24) to near its largest finite value.
    const double e = -26.0 + 41.8 * rng.uniform();
    const float x = static_cast<float>((rng.uniform() < 0.5 ? -1 : 1) * std::exp2(e));
    ASSERT_EQ(round_binary(x, 10, -14, 65504.0f), round_to(ValueFormat::fp16, x)) << x;
  }
}

TEST(NumberFormat, Fp16OverflowsToInfinityAsIeeeDoes) {
  EXPECT_EQ(round_to(ValueFormat::fp16, 65504.0f), 65504.0f);
  EXPECT_TRUE(std::isinf(round_to(ValueFormat::fp16, 70000.0f)));
  EXPECT_EQ(round_to(ValueFormat::fp16, 1.0f + 1.0f / 4096), 1.0f);  // below half an ulp
  EXPECT_EQ(round_to(ValueFormat::fp32, 1.0f + 1.0f / 4096), 1.0f + 1.0f / 4096);
}

TEST(NumberFormat, Fp8E4M3RoundsToNearestEvenAndSaturates) {
  EXPECT_EQ(round_to(ValueFormat::fp8, 0.3f), 0.3125f);    // 1.2 x 2^-2 -> 1.25 x 2^-2
  EXPECT_EQ(round_to(ValueFormat::fp8, 1.0625f), 1.0f);    // a tie: to the even 1.000
  EXPECT_EQ(round_to(ValueFormat::fp8, 1.1875f), 1.25f);   // a tie: to the even 1.010
  EXPECT_EQ(round_to(ValueFormat::fp8, 448.0f), 448.0f);   // the largest, 1.75 x 2^8
  EXPECT_EQ(round_to(ValueFormat::fp8, 1000.0f), 448.0f);  // no infinity: saturates
  EXPECT_EQ(round_to(ValueFormat::fp8, -1000.0f), -448.0f);
  EXPECT_EQ(round_to(ValueFormat::fp8, 0.001f), 0.001953125f);  // the smallest subnormal 2^-9
  EXPECT_EQ(round_to(ValueFormat::fp8, 0.0009f), 0.0f);
  EXPECT_EQ(round_to(ValueFormat::fp8, -0.0f), -0.0f);
}

TEST(NumberFormat, IdealMakesEveryPrecisionFp32) {
  EXPECT_EQ(value_format(Precision::fp16), ValueFormat::fp16);
  EXPECT_EQ(value_format(Precision::fp8), ValueFormat::fp8);
  EXPECT_EQ(value_format(Precision::fp8, true), ValueFormat::fp32);
}

TEST(Random, SameSeedSameNumbersAndStreamsAreIndependentOfOrder) {
  sim::Rng a(7), b(7), c(8);
  bool differs = false;
  for (int i = 0; i < 100; ++i) {
    const double x = a.normal();
    ASSERT_EQ(x, b.normal());
    differs = differs || x != c.normal();
  }
  EXPECT_TRUE(differs);
  EXPECT_EQ(sim::stream_seed(1, "prog+"), sim::stream_seed(1, "prog+"));
  EXPECT_NE(sim::stream_seed(1, "prog+"), sim::stream_seed(1, "prog-"));
  EXPECT_NE(sim::stream_seed(1, std::uint64_t{3}), sim::stream_seed(1, std::uint64_t{4}));
}

TEST(Random, NormalDeviatesHaveUnitVariance) {
  sim::Rng rng(3);
  double sum = 0, sum2 = 0;
  const int n = 400000;
  for (int i = 0; i < n; ++i) {
    const double x = rng.normal();
    sum += x;
    sum2 += x * x;
  }
  EXPECT_NEAR(sum / n, 0.0, 0.006);  // 4 standard errors
  EXPECT_NEAR(sum2 / n, 1.0, 0.009);
}

}  // namespace
}  // namespace aimcsim::cluster
