// Exact MVM timing of the AIMC tile array against hand calculations with the reference
// defaults: 1 GHz, 64 B/cycle input port, 8-bit DAC, t_int 128 ns, 512 ADCs at 2 ns per
// round, local digital unit 32 columns/cycle.
#include "fixture.h"

#include <gtest/gtest.h>

namespace aimcsim::test {
namespace {

workloads::TaskGraph one(workloads::Task t) {
  workloads::TaskGraph g;
  g.add(std::move(t));
  return g;
}

TEST(AimcTile, SingleFullTileMvmMatchesClosedForm) {
  TestPlatform p;
  // input ceil(512 B / 64) = 8 ns; integration 128 ns; output 1 x 2 ns ADC round + the local
  // digital unit's 3 fill cycles + 512 columns / 128 units (4 columns each) = 7 ns.
  EXPECT_EQ(p.run_ns(one(mvm_task(512, 512, 1))), 8 + 128 + 9);
  const auto ph = p.platform->aimc().phases(512, 512);
  EXPECT_EQ(ph.input.ps, 8000u);
  EXPECT_EQ(ph.integration.ps, 128000u);
  EXPECT_EQ(ph.output.ps, 9000u);
}

TEST(AimcTile, TokensStreamWithInputOverlappingConversion) {
  TestPlatform p;
  // overlap: P_in + T*t_int + (T-1)*max(P_in, P_out) + P_out = 8 + 64*128 + 63*9 + 9.
  EXPECT_EQ(p.run_ns(one(mvm_task(512, 512, 64))), 8 + 64 * 128 + 63 * 9 + 9);
}

TEST(AimcTile, TokensSerialiseWithoutOverlap) {
  TestPlatform p("aimc: {overlap_input: false}");
  EXPECT_EQ(p.run_ns(one(mvm_task(512, 512, 64))), 64 * (8 + 128 + 9));
}

TEST(AimcTile, ColumnMultiplexingWhenFewerAdcsThanColumns) {
  TestPlatform p("aimc: {adc: {count: 64, t_conv: 5ns}}");
  // 512 columns on 64 ADCs: 8 rounds of 5 ns, plus the 7-cycle local digital unit.
  EXPECT_EQ(p.run_ns(one(mvm_task(512, 512, 1))), 8 + 128 + 8 * 5 + 7);
}

TEST(AimcTile, BitSerialIntegratesAndConvertsEveryBitPlane) {
  TestPlatform p("aimc: {input_mode: bit_serial, t_int: 16ns}");
  // 8 planes of 16 ns integration and 2 ns conversion, 7 LDU cycles once.
  EXPECT_EQ(p.run_ns(one(mvm_task(512, 512, 1))), 8 + 8 * 16 + 8 * 2 + 7);
}

TEST(AimcTile, PartialTileUsesOnlyItsRowsAndColumns) {
  TestPlatform p("aimc: {t_int: 256ns}");
  // 128 rows: 2 input cycles; 128 columns: 1 ADC round + 3 + 1 LDU cycles (128 units).
  EXPECT_EQ(p.run_ns(one(mvm_task(128, 128, 1))), 2 + 256 + 2 + 4);
  EXPECT_EQ(p.platform->aimc().stats().value("mvms"), 1.0);
  EXPECT_EQ(p.platform->aimc().stats().value("busy_time"), 264.0);
}

TEST(AimcTile, LocalDigitalUnitPipelinesColumnsAtItsOwnClock) {
  // HARP's post-processing: 8 units (64 columns each) at 500 MHz after 3 cycles of fill:
  // (3 + 512/8) x 2 ns.
  TestPlatform p("aimc: {ldu: {columns_per_unit: 64, latency: 3, clock: 500MHz}}");
  const auto ph = p.platform->aimc().phases(512, 512);
  EXPECT_EQ(ph.output.ps, 2000u + (3 + 64) * 2000);
  EXPECT_EQ(p.run_ns(one(mvm_task(512, 512, 1))), 8 + 128 + 2 + 134);
  // 100 columns: ceil(100 / 8) = 13 cycles after the fill.
  EXPECT_EQ(p.platform->aimc().phases(512, 100).output.ps, 2000u + (3 + 13) * 2000);
}

TEST(AimcTile, ResidualAddIsOneMoreLocalDigitalUnitStage) {
  TestPlatform p("aimc: {ldu: {columns_per_unit: 64, latency: 3, add_latency: 2, clock: 500MHz}}");
  // (3 + 2 + 512/8) cycles of 2 ns after the 2 ns ADC conversion.
  EXPECT_EQ(p.platform->aimc().phases(512, 512, true).output.ps, 2000u + (3 + 2 + 64) * 2000);
  // Energy: every column output of every MVM adds once (e_ldu_add 1.13 pJ by default).
  p.platform->aimc().require_tiles(1, "test");
  p.platform->aimc().run_mvms(0, 1, 512, 100, 3, 0, true);
  EXPECT_DOUBLE_EQ(p.platform->aimc().stats().value("energy_ldu_residual_adds"), 300 * 1.13);
}

TEST(AimcTile, FixedTileBudgetRejectsLargerLayers) {
  TestPlatform p("aimc: {tiles: 2}");
  try {
    p.platform->aimc().require_tiles(4, "layer 1024->1024");
    FAIL() << "expected a UserError";
  } catch (const sim::UserError& e) {
    EXPECT_NE(std::string(e.what()).find("needs 4 AIMC tiles"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("has 2"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace aimcsim::test
