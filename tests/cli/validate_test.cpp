// `aimcsim validate`: the checked-in tables of published points pass, an impossible tolerance
// fails the run (exit 1), and a malformed table is refused (exit 2, one line, nothing written).
#include "cli_helpers.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

namespace {

namespace fs = std::filesystem;
using aimcsim::cli_test::CommandResult;
using aimcsim::cli_test::has;
using aimcsim::cli_test::read_file_text;
using aimcsim::cli_test::run_aimcsim;
using aimcsim::cli_test::scratch_dir;
using json = nlohmann::json;

TEST(Validate, CheckedInTablesAreWithinTheirTolerances) {
  const fs::path dir = scratch_dir("validate_ok");
  const CommandResult r = run_aimcsim("validate --json " + (dir / "v.json").string());
  ASSERT_EQ(r.code, 0) << r.output;
  const json j = json::parse(read_file_text(dir / "v.json"));
  ASSERT_GE(j.size(), 6u);
  for (const auto& p : j) {
    EXPECT_TRUE(p["within"].get<bool>()) << p.dump();
    EXPECT_FALSE(p["source"].get<std::string>().empty()) << p.dump();
    EXPECT_NEAR(p["error"].get<double>(),
                p["simulated"].get<double>() / p["published"].get<double>() - 1, 1e-12);
  }
  EXPECT_TRUE(has(r.output, std::to_string(j.size()) + " of " + std::to_string(j.size()) +
                                " points within their tolerance"))
      << r.output;
}

// A one-point table: a 12 x 16 x 16 FP16 GEMM on RedMulE takes 178 cycles (the RedMulE model
// test computes it by hand).
std::string one_point(const std::string& published, const std::string& tolerance) {
  return "points:\n"
         "  - name: one tile\n"
         "    quantity: cycles\n"
         "    job: {engine: redmule, m: 12, n: 16, k: 16}\n"
         "    published: " +
         published + "\n    tolerance: " + tolerance + "\n    source: by hand\n";
}

TEST(Validate, APointOutsideItsToleranceFailsTheRun) {
  const fs::path dir = scratch_dir("validate_fail");
  std::ofstream(dir / "exact.yaml") << one_point("178", "0");
  const CommandResult ok = run_aimcsim("validate " + (dir / "exact.yaml").string());
  EXPECT_EQ(ok.code, 0) << ok.output;
  std::ofstream(dir / "impossible.yaml") << one_point("179", "0");
  const CommandResult r = run_aimcsim("validate " + (dir / "impossible.yaml").string());
  EXPECT_EQ(r.code, 1) << r.output;
  EXPECT_TRUE(has(r.output, "OUTSIDE")) << r.output;
  EXPECT_TRUE(has(r.output, "0 of 1 points within their tolerance")) << r.output;
  EXPECT_TRUE(has(r.output, "impossible.yaml:2")) << r.output;
}

TEST(Validate, MalformedTablesAreRefusedWithTheirLine) {
  const fs::path dir = scratch_dir("validate_bad");
  const fs::path table = dir / "t.yaml";
  const fs::path out = dir / "out.json";
  const auto refused = [&](const std::string& text, const std::string& message) {
    std::ofstream(table) << text;
    const CommandResult r = run_aimcsim("validate " + table.string() + " --json " + out.string());
    EXPECT_EQ(r.code, 2) << text << "\n" << r.output;
    EXPECT_TRUE(has(r.output, message)) << text << "\n" << r.output;
    EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << r.output;
    EXPECT_FALSE(fs::exists(out));
  };
  refused("points: []\n", "expected a mapping with a non-empty list 'points'");
  refused(one_point("-1", "0.1"), "t.yaml:5: points[0].published: expected a positive number");
  refused(one_point("178", "-0.1"), "points[0].tolerance: expected a relative error >= 0");
  refused(one_point("178", "lots"), "points[0].tolerance: expected a relative error");
  std::string text = one_point("178", "0.1");
  refused(text + "    color: red\n", "unknown key 'color'");
  refused(text + text.substr(text.find('\n') + 1), "points[1].name: 'one tile' is given twice");
  std::string wrong = text;
  wrong.replace(wrong.find("cycles"), 6, "mvm_ns");
  refused(wrong, "points[0].quantity: an redmule job has no mvm_ns");
  wrong = text;
  wrong.replace(wrong.find("m: 12"), 5, "m: 0");
  refused(wrong, "points[0].job.m: expected a positive integer");
  refused(text + "    set: [cluster.tcdm.size=1KiB]\n", "more than the TCDM's 1024");
  wrong = text;
  wrong.replace(wrong.find("redmule"), 7, "tpu");
  refused(wrong, "points[0].job.engine: 'tpu': expected redmule, cores or aimc");
  refused(text + "    set: [cluster.redmule.height=0]\n", "cluster.redmule.height");
  refused(text + "    set: [aimc.t_int]\n", "points[0].set: expected path=value");
  refused(text + "    platform: /nonexistent.yaml\n", "/nonexistent.yaml");
  wrong = text;
  const std::string gemm_job = "engine: redmule, m: 12, n: 16, k: 16";
  wrong.replace(wrong.find(gemm_job), gemm_job.size(), "engine: aimc");
  refused(wrong, "points[0].quantity: an aimc job has no cycles (use mvm_ns or mvm_readout_ns)");
  wrong = text;
  wrong.replace(wrong.find("k: 16}"), 6, "k: 16, clock_mhz: 1e308}");
  refused(wrong, "points[0].job.clock_mhz: expected a clock in MHz, above 0 and at most 100000");
  wrong = text;
  wrong.replace(wrong.find("k: 16}"), 6, "k: 16, clock_mhz: 600}");
  refused(wrong, "points[0].job.clock_mhz: only a gflops point uses a published clock");
}

TEST(Validate, APointNameIsUniqueAcrossTables) {
  const fs::path dir = scratch_dir("validate_two");
  std::ofstream(dir / "a.yaml") << one_point("178", "0.1");
  std::ofstream(dir / "b.yaml") << one_point("178", "0.1");
  const CommandResult r =
      run_aimcsim("validate " + (dir / "a.yaml").string() + " " + (dir / "b.yaml").string());
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_TRUE(has(r.output, "b.yaml:2: point 'one tile' is also in")) << r.output;
}

}  // namespace

namespace {

// Periphery presets: the reference selects the NMPU preset; another preset replaces all of it;
// a preset that sets anything but the tile's periphery is refused before anything is written.
TEST(Periphery, PresetsSwapTheTilesOutputPhase) {
  const fs::path dir = scratch_dir("periphery");
  const CommandResult nmpu = run_aimcsim("layer --json " + (dir / "n.json").string());
  ASSERT_EQ(nmpu.code, 0) << nmpu.output;
  const std::string config = read_file_text(dir / "n.config.yaml");
  EXPECT_TRUE(has(config, "columns_per_unit: 4")) << config;
  EXPECT_TRUE(has(config, "t_conv: 2ns")) << config;
  const CommandResult harp = run_aimcsim(
      "layer --set periphery=configs/periphery/harp.yaml --json " + (dir / "h.json").string());
  ASSERT_EQ(harp.code, 0) << harp.output;
  const std::string harp_config = read_file_text(dir / "h.config.yaml");
  EXPECT_TRUE(has(harp_config, "columns_per_unit: 64")) << harp_config;
  EXPECT_TRUE(has(harp_config, "clock: 500MHz")) << harp_config;
  // HARP's 134-ns post-processing per MVM makes the fully-analog layer slower than the NMPU's
  // 7 ns (the exact tile times are the model tests').
  const json n = json::parse(read_file_text(dir / "n.json"));
  const json h = json::parse(read_file_text(dir / "h.json"));
  EXPECT_GT(h["t_analog_ns"].get<double>(), n["t_analog_ns"].get<double>() + 1000);
}

TEST(Periphery, APresetSettingMoreThanThePeripheryIsRefused) {
  const fs::path dir = scratch_dir("periphery_bad");
  const fs::path preset = scratch_dir("periphery_bad_preset") / "p.yaml";
  const auto refused = [&](const std::string& text, const std::string& message) {
    std::ofstream(preset) << text;
    const CommandResult r = run_aimcsim("layer --set periphery=" + preset.string() + " --json " +
                                        (dir / "l.json").string());
    EXPECT_EQ(r.code, 2) << r.output;
    EXPECT_TRUE(has(r.output, message)) << r.output;
    EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << r.output;
    EXPECT_TRUE(fs::is_empty(dir));
  };
  refused("aimc:\n  t_int: 10ns\n",
          "p.yaml:2: aimc.t_int: a periphery preset sets the AIMC tile's periphery only");
  refused("cluster:\n  clock: 1GHz\n", "p.yaml:2: cluster.clock: a periphery preset");
  refused("aimc:\n  ldu:\n    colums_per_unit: 4\n", "unknown key 'aimc.ldu.colums_per_unit'");
  refused("technology: x.yaml\n", "a preset cannot name another preset");
  refused("aimc:\n  e_ldu_column: 1pJ\n", "p.yaml:2: aimc.e_ldu_column: a periphery preset");
  refused("aimc:\n  adc:\n    fom: 1fJ\n", "aimc.adc.fom: a periphery preset");
  refused("aimc:\n  ldu:\n    columns_per_unit: 0\n", "aimc.ldu.columns_per_unit");
}

}  // namespace
