// A whole layer on the reference platform: the fully-analog baseline against a hand
// calculation, and the trend the AHWA-LoRA study rests on.
#include "fixture.h"
#include "platform/experiments/layer_experiment.h"

#include <gtest/gtest.h>

namespace aimcsim::test {
namespace {

platform::LayerRequest request(std::uint64_t d_in, std::uint64_t d_out, std::uint64_t chunk,
                               const std::string& strategy = "parallel") {
  platform::LayerRequest r;
  r.spec.d_in = d_in;
  r.spec.d_out = d_out;
  r.spec.rank = 8;
  r.spec.tokens = 64;
  r.chunk = chunk;
  r.strategy = strategy;
  return r;
}

TEST(Layer, AnalogBaselineEqualsHandCalculation) {
  TestPlatform p;
  const auto out = platform::run_layer(*p.platform, request(128, 128, 64));
  // x in: 64 x 128 x 2 B = 16 KiB from L2 to the tiles: L2 10 + links 2 x 2 + crossbar 1 +
  //       256 cycles of data = 271 ns.
  // MVMs: 128 rows -> 2 input cycles, 128 columns -> 2 ns ADC + 4 LDU cycles = 6 ns;
  //       2 + 64 x 128 + 63 x max(2, 6) + 6 = 8578 ns.
  // tile outputs: 16 KiB tiles -> TCDM: links 2 x 2 + crossbar 1 + 256 = 261 ns.
  // y out: DMA setup 5 + links 2 x 2 + crossbar 1 + L2 10 + 256 = 276 ns.
  EXPECT_EQ(out.t_analog_ns(), 271 + 8578 + 261 + 276);
  EXPECT_GT(out.t_hybrid_ns(), out.t_analog_ns());
}

TEST(Layer, OverheadShrinksAsIntegrationTimeGrows) {
  TestPlatform fast("aimc: {t_int: 128ns}", "fast");
  TestPlatform slow("aimc: {t_int: 512ns}", "slow");
  for (const char* strategy : {"serial", "parallel", "pipelined"}) {
    const auto at128 = platform::run_layer(*fast.platform, request(512, 128, 0, strategy));
    const auto at512 = platform::run_layer(*slow.platform, request(512, 128, 0, strategy));
    EXPECT_LT(at512.overhead(), at128.overhead()) << strategy;
    EXPECT_GT(at512.overhead(), 0.0) << strategy;
  }
}

TEST(Layer, ParallelIsNeverSlowerThanSerial) {
  TestPlatform p;
  const auto serial = platform::run_layer(*p.platform, request(512, 128, 16, "serial"));
  const auto parallel = platform::run_layer(*p.platform, request(512, 128, 16, "parallel"));
  EXPECT_EQ(serial.t_analog_ns(), parallel.t_analog_ns());  // same baseline schedule
  EXPECT_LT(parallel.t_hybrid_ns(), serial.t_hybrid_ns());
}

TEST(Layer, RowSplitLayerAddsPartialSumsInTheBaselineToo) {
  TestPlatform p;
  const auto out = platform::run_layer(*p.platform, request(1024, 128, 16));
  EXPECT_EQ(out.tiles, 2u);
  EXPECT_GT(out.busy_analog["cores"].get<double>(), 0.0);  // partial sums on the cores
}

}  // namespace
}  // namespace aimcsim::test
