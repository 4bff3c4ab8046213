// Energy, power and area on the command line: the names scripts rely on, technology presets,
// bad energy/power/area input (exit 2, one line, nothing written), the Pareto column of a
// sweep, and byte-identical reports.
#include "cli_helpers.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using aimcsim::cli_test::CommandResult;
using aimcsim::cli_test::has;
using aimcsim::cli_test::read_file_text;
using aimcsim::cli_test::run_aimcsim;
using aimcsim::cli_test::scratch_dir;
using json = nlohmann::json;

void expect_refused(const std::string& args, const std::string& message, const fs::path& dir) {
  const CommandResult r = run_aimcsim(args);
  EXPECT_EQ(r.code, 2) << args << "\n" << r.output;
  EXPECT_TRUE(has(r.output, message)) << args << "\n" << r.output;
  EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << args << "\n" << r.output;
  EXPECT_TRUE(fs::is_empty(dir)) << args;
}

TEST(EnergyCli, LayerJsonHasTheEnergyAreaAndOverheadNames) {
  const fs::path dir = scratch_dir("energy_layer");
  const CommandResult r = run_aimcsim("layer --json " + (dir / "l.json").string());
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_TRUE(has(r.output, "energy overhead"));
  const json j = json::parse(read_file_text(dir / "l.json"));
  for (const char* k : {"e_analog_nj", "e_hybrid_nj", "energy_overhead", "area_mm2"})
    EXPECT_TRUE(j.contains(k)) << k;
  double sum = 0;
  for (const auto& [unit, nj] : j["energy_nj"]["hybrid"].items()) sum += nj.get<double>();
  EXPECT_NEAR(sum, j["e_hybrid_nj"].get<double>(), 1e-9 * sum);
  EXPECT_NEAR(j["energy_overhead"].get<double>(),
              j["e_hybrid_nj"].get<double>() / j["e_analog_nj"].get<double>() - 1, 1e-12);
  EXPECT_GT(j["energy_overhead"].get<double>(), 0);
}

TEST(EnergyCli, RunReportTotalsAndRowsCarryTheCostAndTwoRunsAreByteIdentical) {
  const fs::path a = scratch_dir("energy_run_a"), b = scratch_dir("energy_run_b");
  for (const auto& dir : {a, b}) {
    const CommandResult r = run_aimcsim("run --model mobilebert --out " + dir.string());
    ASSERT_EQ(r.code, 0) << r.output;
    EXPECT_TRUE(has(r.output, "TOPS/W")) << r.output;
  }
  const std::string report = read_file_text(a / "report.json");
  EXPECT_EQ(report, read_file_text(b / "report.json"));
  const json j = json::parse(report);
  const json& t = j["totals"];
  for (const char* k : {"e_analog_nj", "e_hybrid_nj", "energy_overhead", "area_mm2", "avg_power_w",
                        "inferences_per_s", "tokens_per_s", "tops_per_w", "edp"})
    EXPECT_TRUE(t.contains(k)) << k;
  for (const char* unit : {"aimc", "redmule", "cores", "tcdm", "dma", "interconnect", "l2"})
    EXPECT_TRUE(t["energy_nj"]["hybrid"].contains(unit)) << unit;
  const double seconds = t["t_hybrid_ns"].get<double>() * 1e-9;
  EXPECT_NEAR(t["avg_power_w"].get<double>(), t["e_hybrid_nj"].get<double>() * 1e-9 / seconds,
              1e-9);
  for (const char* k : {"e_analog_nj", "e_hybrid_nj", "energy_overhead"})
    EXPECT_TRUE(j["layers"][0].contains(k)) << k;
}

TEST(EnergyCli, ATechnologyPresetSetsTheCostsAndAnyFieldCanBeOverridden) {
  const fs::path dir = scratch_dir("energy_tech");
  const std::string tech = " --set technology=configs/technology/harp-28nm.yaml";
  ASSERT_EQ(run_aimcsim("layer --json " + (dir / "l.json").string() + tech).code, 0);
  const std::string config = read_file_text(dir / "l.config.yaml");
  EXPECT_TRUE(has(config, "e_cell: 93.5fJ")) << config;
  ASSERT_EQ(
      run_aimcsim("layer --json " + (dir / "m.json").string() + tech + " --set aimc.e_cell=1fJ")
          .code,
      0);
  EXPECT_TRUE(has(read_file_text(dir / "m.config.yaml"), "e_cell: 1fJ"));
}

TEST(EnergyCli, BadEnergyPowerAreaAndPresetsAreRefusedBeforeAnythingIsWritten) {
  const fs::path dir = scratch_dir("energy_bad");
  const std::string out = " --json " + (dir / "l.json").string();
  expect_refused("layer --set aimc.e_cell=-1pJ" + out, "aimc.e_cell: '-1pJ' is negative", dir);
  expect_refused("layer --set aimc.e_cell=5" + out, "'5' has no known unit", dir);
  expect_refused("layer --set aimc.e_row=5pj" + out, "'5pj' has no known unit", dir);
  expect_refused("layer --set aimc.area_fixed=1mm" + out, "'1mm' has no known unit", dir);
  expect_refused("layer --set aimc.p_static=1nW" + out, "'1nW' has no known unit", dir);
  expect_refused("layer --set technology=configs/technology/nope.yaml" + out,
                 "configs/technology/nope.yaml", dir);
  const fs::path bad = scratch_dir("energy_bad_preset") / "t.yaml";
  std::ofstream(bad) << "aimc:\n  e_cel: 1pJ\n";
  expect_refused("layer --set technology=" + bad.string() + out,
                 bad.string() + ":2: unknown key 'aimc.e_cel'", dir);
  std::ofstream(bad) << "aimc:\n  t_int: 1ns\n";  // timing is not a technology's to set
  expect_refused("layer --set technology=" + bad.string() + out,
                 bad.string() +
                     ":2: aimc.t_int: a technology preset sets energy, power and area "
                     "parameters only",
                 dir);
  std::ofstream(bad) << "technology: other.yaml\n";
  expect_refused("layer --set technology=" + bad.string() + out,
                 "a preset cannot name another preset", dir);
}

TEST(EnergyCli, SweepRowsCarryEnergyAndTheCsvMarksTheParetoFront) {
  const fs::path dir = scratch_dir("energy_sweep");
  std::ofstream(dir / "spec.yaml") << "parts:\n"
                                      "  - name: c\n"
                                      "    run: layer\n"
                                      "    base: {layer.shape: 512->128, layer.tokens: 64, "
                                      "lora.rank: 8, chunk: 16}\n"
                                      "    sweep:\n"
                                      "      clusters: [1, 2]\n"
                                      "      aimc.t_int: [128ns, 512ns]\n";
  const CommandResult r =
      run_aimcsim("sweep " + (dir / "spec.yaml").string() + " --out " + (dir / "out").string());
  ASSERT_EQ(r.code, 0) << r.output;
  std::istringstream csv(read_file_text(dir / "out" / "results.csv"));
  std::string header, line;
  std::getline(csv, header);
  EXPECT_TRUE(has(header, ",e_hybrid_nj,")) << header;
  EXPECT_TRUE(has(header, ",pareto,error")) << header;
  int on_front = 0, rows = 0;
  while (std::getline(csv, line)) {
    ++rows;
    on_front += has(line, ",1,") && line.rfind(",1,") == line.size() - 3;
  }
  EXPECT_EQ(rows, 4);
  // 128 ns on one cluster is fastest, cheapest and smallest of these four: the whole front.
  EXPECT_EQ(on_front, 1) << read_file_text(dir / "out" / "results.csv");
}

}  // namespace
