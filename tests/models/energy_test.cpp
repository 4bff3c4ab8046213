// Energy, static power and area: every dynamic energy equals the closed form of its parameters
// exactly (integer attojoules), leakage is power x simulated time, totals are the sums of their
// parts, and area is the sum over the instances the platform has.
#include "fixture.h"

#include "platform/experiments/layer_experiment.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>

namespace aimcsim::test {
namespace {

using sim::Attojoules;

// Round parameters so that the closed forms below are easy to follow.
const std::string kEnergy = R"(
aimc:
  e_row: 1pJ
  e_cell: 10fJ
  e_ldu_column: 2pJ
  p_static: 3mW
  area_cell: 1um2
  area_row: 10um2
  area_fixed: 0.1mm2
  adc: {fom: 1fJ, bits: 8, count: 512, p_static: 5uW, area: 100um2}
cluster:
  redmule: {e_fma_fp16: 2pJ, e_fma_fp8: 1pJ, p_static: 1mW, area: 0.1mm2}
  cores: {e_core_cycle: 4pJ, e_fp_instruction: 6pJ, p_static: 500uW, area: 0.03mm2}
  tcdm: {e_byte: 1pJ, p_static_per_mib: 8mW, area_per_mib: 2mm2}
  dma: {e_transfer: 20pJ, e_byte: 100fJ, p_static: 100uW, area: 0.005mm2}
interconnect:
  port: {e_byte: 150fJ, p_static: 100uW, area: 0.01mm2}
  crossbar: {e_byte: 150fJ, p_static: 500uW, area: 0.05mm2}
l2: {size: 1MiB, e_byte: 10pJ, p_static_per_mib: 4mW, area_per_mib: 1.5mm2}
)";

constexpr Attojoules kPj = 1000000, kFj = 1000;

Attojoules dynamic(const platform::RunCost& c, const std::string& unit) {
  for (const auto& u : c.units)
    if (unit == u.unit) return u.dynamic_aj;
  ADD_FAILURE() << "no unit " << unit;
  return 0;
}

TEST(Energy, OneMvmCostsItsClosedForm) {
  TestPlatform p(kEnergy, "mvm");
  workloads::TaskGraph g;
  g.add(mvm_task(300, 200, 3));  // 3 MVMs of 300 rows x 200 columns, PWM (one plane)
  p.run_ns(g);
  // Per MVM: 300 rows x 1 pJ + 300 x 200 cells x 10 fJ + 200 conversions x 1 fJ x 2^8
  // + 200 columns x 2 pJ.
  const Attojoules per_mvm = 300 * kPj + 300 * 200 * 10 * kFj + 200 * 256 * kFj + 200 * 2 * kPj;
  EXPECT_EQ(dynamic(p.platform->cost(), "aimc"), 3 * per_mvm);
  EXPECT_EQ(p.platform->aimc().macs(), 3u * 300 * 200);
}

TEST(Energy, BitSerialInputsCostEveryBitPlane) {
  sim::Config c = sim::Config::from_string(kEnergy, "test.yaml");
  c.set("aimc.input_mode=bit_serial");
  c.set("aimc.dac_bits=4");
  platform::Platform serial("serial", c);
  serial.aimc().require_tiles(1, "test");
  workloads::TaskGraph g;
  g.add(mvm_task(100, 50, 1));
  serial.reset_stats();
  platform::run_graph(serial, g);
  // 4 planes of rows, cells and conversions; the LDU scales each column once.
  const Attojoules e = 4 * (100 * kPj + 100 * 50 * 10 * kFj + 50 * 256 * kFj) + 50 * 2 * kPj;
  EXPECT_EQ(dynamic(serial.cost(), "aimc"), e);
}

TEST(Energy, OneRedMulEJobCostsItsFmaSlots) {
  TestPlatform p(kEnergy, "redmule");
  workloads::TaskGraph g;
  g.add(redmule_task(64, 512, 8));
  p.run_ns(g);
  // 6 Z tiles (12-row blocks of 64; K = 8 in one 16-column block) x N 512 x (P+1) 4 steps x 48
  // CEs: padded slots of the thin operand included.
  EXPECT_EQ(p.platform->cluster(0).redmule().cost(64, 512, 8, cluster::Precision::fp16).fma_slots,
            6u * 512 * 4 * 48);
  EXPECT_EQ(dynamic(p.platform->cost(), "redmule"), 6 * 512 * 4 * 48 * 2 * kPj);
  EXPECT_EQ(p.platform->cluster(0).redmule().fmas(), 64u * 512 * 8);
  // Its TCDM traffic is the TCDM's: X, W and Z of every tile at 1 pJ a byte.
  const auto bytes = p.platform->cluster(0).redmule().cost(64, 512, 8, cluster::Precision::fp16);
  EXPECT_EQ(dynamic(p.platform->cost(), "tcdm"), bytes.tcdm_bytes * kPj);
}

TEST(Energy, OneDmaTransferCostsSetupAndBytes) {
  TestPlatform p(kEnergy, "dma");
  workloads::TaskGraph g;
  g.add(transfer_task(workloads::TaskKind::dma, "l2", "cluster0", 4096));
  p.run_ns(g);
  const platform::RunCost c = p.platform->cost();
  EXPECT_EQ(dynamic(c, "dma"), 20 * kPj + 4096 * 100 * kFj);
  // Read from L2 once, written into the TCDM once, over two links and the crossbar.
  EXPECT_EQ(dynamic(c, "l2"), 4096 * 10 * kPj);
  EXPECT_EQ(dynamic(c, "tcdm"), 4096 * kPj);
  EXPECT_EQ(dynamic(c, "interconnect"), 3 * 4096 * 150 * kFj);
}

TEST(Energy, OneCoreKernelCostsItsCyclesAndInstructions) {
  TestPlatform p(kEnergy, "cores");
  workloads::TaskGraph g;
  g.add(workloads::Task::kernel_task(0, cluster::Kernel::add, 1024, 1, cluster::Precision::fp16));
  p.run_ns(g);
  const auto cost = p.platform->cluster(0).cores().kernel_cost(cluster::Kernel::add, 1024, 1,
                                                               cluster::Precision::fp16);
  // 1024 / 4 lanes = 256 packed adds; every one of 8 cores for the kernel's cycles.
  EXPECT_EQ(cost.fp_instructions, 256u);
  EXPECT_EQ(dynamic(p.platform->cost(), "cores"), 8 * cost.total() * 4 * kPj + 256 * 6 * kPj);
}

TEST(Energy, AnIdlePlatformCostsItsLeakageTimesTheTime) {
  TestPlatform p(kEnergy, "idle");
  p.platform->aimc().require_tiles(2, "test");
  p.platform->reset_stats();
  const std::uint64_t t_ps = 5000000;  // 5 us of nothing
  p.platform->close_run(t_ps);
  const platform::RunCost c = p.platform->cost();
  // Two tiles (3 mW + 512 ADCs x 5 uW each), RedMulE, 8 cores, 128 KiB TCDM (1 mW), DMA,
  // 6 links, the crossbar and 1 MiB of L2: in uW.
  const std::uint64_t uw =
      2 * (3000 + 512 * 5) + 1000 + 8 * 500 + 1000 + 100 + 6 * 100 + 500 + 4000;
  EXPECT_EQ(static_cast<std::uint64_t>(c.static_power_uw()), uw);
  EXPECT_EQ(c.total_aj(), static_cast<Attojoules>(uw) * t_ps);  // uW x ps = aJ
  for (const auto& u : c.units) EXPECT_EQ(u.dynamic_aj, 0u) << u.unit;
}

TEST(Energy, PowerGatingLeavesUnusedTilesDark) {
  for (const bool gating : {true, false}) {
    sim::Config c = sim::Config::from_string(kEnergy, "test.yaml");
    c.set("aimc.tiles=10");
    c.set(std::string("aimc.power_gating=") + (gating ? "true" : "false"));
    platform::Platform pf(gating ? "gated" : "ungated", c);
    pf.aimc().require_tiles(3, "test");  // the workload's weights are on 3 of 10 tiles
    pf.reset_stats();
    pf.close_run(1000000);
    const platform::RunCost cost = pf.cost();
    const auto& aimc = cost.units.front();
    const std::uint64_t per_tile = 3000 + 512 * 5;
    EXPECT_EQ(static_cast<std::uint64_t>(aimc.static_power_uw), (gating ? 3 : 10) * per_tile);
    EXPECT_EQ(
        static_cast<std::uint64_t>(aimc.area_nm2),
        10 * (512ULL * 512 * 1000000 + 512ULL * 10000000 + 100000000000ULL + 512ULL * 100000000));
  }
}

TEST(Energy, AreaIsTheSumOverInstancesAndEachClusterAddsOneClusterAndItsPort) {
  const auto area = [](unsigned clusters) {
    sim::Config c = sim::Config::from_string(kEnergy, "test.yaml");
    c.set("clusters=" + std::to_string(clusters));
    platform::Platform pf(("area" + std::to_string(clusters)).c_str(), c);
    pf.reset_stats();
    pf.close_run(0);
    return pf.cost().area_nm2();
  };
  // A cluster: RedMulE 0.1 + 8 cores x 0.03 + 128 KiB of TCDM at 2 mm2/MiB (0.25) + DMA 0.005
  // mm2, and its interconnect port: two links of 0.01 mm2.
  const unsigned __int128 cluster_nm2 =
      100000000000ULL + 8 * 30000000000ULL + 250000000000ULL + 5000000000ULL + 2 * 10000000000ULL;
  EXPECT_EQ(area(2) - area(1), cluster_nm2);
  EXPECT_EQ(area(4) - area(2), 2 * cluster_nm2);
}

platform::LayerOutcome layer(TestPlatform& p, std::uint64_t tokens) {
  platform::LayerRequest r;
  r.spec.d_in = 512;
  r.spec.d_out = 128;
  r.spec.rank = 8;
  r.spec.tokens = tokens;
  r.chunk = 16;
  r.keep_stats = true;
  return platform::run_layer(*p.platform, r);
}

TEST(Energy, TheLoraBranchAddsEnergyAndTotalsAreTheSumOfTheirParts) {
  TestPlatform p(kEnergy, "layer");
  const platform::LayerOutcome o = layer(p, 64);
  EXPECT_LT(o.cost_analog.total_aj(), o.cost_hybrid.total_aj());
  EXPECT_GT(dynamic(o.cost_hybrid, "redmule"), 0u);
  EXPECT_EQ(dynamic(o.cost_analog, "redmule"), 0u);
  // Conservation: the unit types add up to the total, and so do the per-component statistics
  // of the hybrid run ("energy" in every group of the hierarchy).
  for (const auto* c : {&o.cost_analog, &o.cost_hybrid}) {
    Attojoules sum = 0;
    for (const auto& u : c->units) sum += u.dynamic_aj + u.static_aj;
    EXPECT_EQ(sum, c->total_aj());
    EXPECT_EQ(c->analog_aj() + c->digital_aj(), c->total_aj());
  }
  double stats_pj = 0;
  const std::function<void(const nlohmann::ordered_json&)> walk = [&](const auto& j) {
    for (const auto& [name, v] : j.items()) {
      if (name == "energy")
        stats_pj += v["value"].template get<double>();
      else if (v.is_object() && !v.contains("value"))
        walk(v);
    }
  };
  walk(o.stats_hybrid);
  EXPECT_NEAR(stats_pj, sim::to_pj(o.cost_hybrid.total_aj()), 1e-9 * stats_pj);
}

TEST(Energy, ALayerRunAloneCostsTheSameAfterABiggerWorkloadOnTheSameElaboration) {
  TestPlatform fresh(kEnergy, "fresh"), reused(kEnergy, "reused");  // elaborate both first
  const platform::LayerOutcome alone = layer(fresh, 64);
  reused.platform->aimc().require_tiles(50, "a model before it");  // as a sweep worker may
  const platform::LayerOutcome after = layer(reused, 64);
  EXPECT_EQ(after.cost_analog.total_aj(), alone.cost_analog.total_aj());
  EXPECT_EQ(after.cost_hybrid.total_aj(), alone.cost_hybrid.total_aj());
  EXPECT_EQ(after.cost_hybrid.area_nm2(), alone.cost_hybrid.area_nm2());
}

TEST(Energy, DynamicEnergyGrowsLinearlyWithTokens) {
  TestPlatform p(kEnergy, "linear");
  const platform::LayerOutcome one = layer(p, 64), two = layer(p, 128);
  for (const char* unit : {"aimc", "redmule", "cores", "tcdm", "dma", "interconnect", "l2"}) {
    EXPECT_EQ(dynamic(two.cost_analog, unit), 2 * dynamic(one.cost_analog, unit)) << unit;
    EXPECT_EQ(dynamic(two.cost_hybrid, unit), 2 * dynamic(one.cost_hybrid, unit)) << unit;
  }
}

}  // namespace
}  // namespace aimcsim::test
