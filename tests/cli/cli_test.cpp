// The aimcsim executable as a user runs it: outputs, exit codes and one-line errors.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace {

namespace fs = std::filesystem;

struct Outcome {
  int code;
  std::string output;  // stdout and stderr
};

// Runs aimcsim from the source tree (so the relative default platform path resolves).
Outcome run(const std::string& args) {
  const std::string cmd =
      std::string("cd ") + AIMCSIM_SOURCE_DIR + " && " + AIMCSIM_BINARY + " " + args + " 2>&1";
  FILE* pipe = popen(cmd.c_str(), "r");
  std::string out;
  std::array<char, 4096> buf{};
  while (fgets(buf.data(), buf.size(), pipe)) out += buf.data();
  const int status = pclose(pipe);
  return {WEXITSTATUS(status), out};
}

fs::path temp_dir(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("aimcsim_cli_" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(Cli, LayerWritesJsonAndEffectiveConfig) {
  const fs::path dir = temp_dir("layer");
  const auto r =
      run("layer --d-in 512 --d-out 128 --rank 8 --tokens 64 --strategy pipelined "
          "--chunk 16 --json " +
          (dir / "l.json").string());
  ASSERT_EQ(r.code, 0) << r.output;
  std::ifstream in(dir / "l.json");
  const auto j = nlohmann::json::parse(in);
  for (const char* key : {"t_analog_ns", "t_hybrid_ns", "overhead", "tcdm_peak_bytes", "busy_ns"})
    EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_EQ(j["chunk"], 16);
  EXPECT_NEAR(j["overhead"].get<double>(),
              j["t_hybrid_ns"].get<double>() / j["t_analog_ns"].get<double>() - 1, 1e-12);
  std::ifstream cfg(dir / "l.config.yaml");
  std::string text((std::istreambuf_iterator<char>(cfg)), std::istreambuf_iterator<char>());
  EXPECT_TRUE(has(text, "t_int: 128ns")) << text;
  EXPECT_TRUE(has(text, "size: 128KiB")) << text;
}

TEST(Cli, SameInputsGiveByteIdenticalJson) {
  const fs::path dir = temp_dir("determinism");
  const std::string args = "layer --d-in 128 --d-out 512 --tokens 64 --json ";
  ASSERT_EQ(run(args + (dir / "a.json").string()).code, 0);
  ASSERT_EQ(run(args + (dir / "b.json").string()).code, 0);
  std::ifstream a(dir / "a.json"), b(dir / "b.json");
  const std::string ta((std::istreambuf_iterator<char>(a)), std::istreambuf_iterator<char>());
  const std::string tb((std::istreambuf_iterator<char>(b)), std::istreambuf_iterator<char>());
  EXPECT_FALSE(ta.empty());
  EXPECT_EQ(ta, tb);
}

TEST(Cli, SetOverridesAParameter) {
  const auto base = run("layer --chunk 64");
  const auto slow = run("layer --chunk 64 --set aimc.t_int=512ns");
  ASSERT_EQ(base.code, 0);
  ASSERT_EQ(slow.code, 0);
  EXPECT_NE(base.output, slow.output);
}

TEST(Cli, UnknownYamlKeyNamesFileLineAndKey) {
  const fs::path dir = temp_dir("badkey");
  std::ofstream(dir / "p.yaml") << "aimc:\n  rows: 512\n  tint: 128ns\n";
  const auto r = run("layer --platform " + (dir / "p.yaml").string());
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_TRUE(has(r.output, "p.yaml:3: unknown key 'aimc.tint'")) << r.output;
  EXPECT_TRUE(has(r.output, "t_int")) << r.output;  // lists what is expected there
}

TEST(Cli, BadUnitNamesOriginKeyAndExpectation) {
  const auto r = run("layer --set aimc.t_int=12xs");
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_TRUE(has(r.output,
                  "--set aimc.t_int=12xs: aimc.t_int: '12xs' has no known unit: "
                  "expected a time such as 128ns"))
      << r.output;
}

TEST(Cli, UnknownSetKeyIsRejected) {
  const auto r = run("layer --set cluster.tcdm.sise=64KiB");
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_TRUE(has(r.output, "unknown key 'cluster.tcdm.sise'")) << r.output;
}

TEST(Cli, OutOfRangeValueIsRejected) {
  const auto r = run("layer --set aimc.dac_bits=40");
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_TRUE(has(r.output, "aimc.dac_bits: 40 is out of range")) << r.output;
}

TEST(Cli, ChunkThatOverflowsTheTcdmIsRejectedWithoutPartialOutput) {
  const fs::path dir = temp_dir("tcdm");
  const auto r = run("layer --d-in 512 --d-out 128 --tokens 256 --chunk 256 --json " +
                     (dir / "x.json").string());
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_TRUE(has(r.output, "more than the TCDM's 131072 bytes")) << r.output;
  EXPECT_TRUE(has(r.output, "the largest chunk that fits is")) << r.output;
  EXPECT_FALSE(fs::exists(dir / "x.json"));
  EXPECT_FALSE(fs::exists(dir / "x.config.yaml"));
}

TEST(Cli, BadLayerArgumentsAreOneLineErrors) {
  for (const auto& [args, message] : std::vector<std::pair<std::string, std::string>>{
           {"layer --strategy fastest", "unknown strategy 'fastest'"},
           {"layer --d-in 0", "--d-in: must be a positive integer, got '0'"},
           {"layer --rank 200 --d-out 128", "--rank 200 is larger than min(d_in, d_out) = 128"},
           {"layer --tokens -3", "--tokens: must be a positive integer, got '-3'"},
           {"layer --precision fp32", "--precision 'fp32': expected fp16 or fp8"}}) {
    const auto r = run(args);
    EXPECT_EQ(r.code, 2) << args << "\n" << r.output;
    EXPECT_TRUE(has(r.output, message)) << args << "\n" << r.output;
    EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << args << "\n" << r.output;
  }
}

TEST(Cli, KernelReportsSimulatedCyclesWithSetupSeparate) {
  const fs::path dir = temp_dir("kernel");
  const auto r =
      run("kernel gemm --engine redmule --m 64 --n 512 --k 8 --json " + (dir / "k.json").string());
  ASSERT_EQ(r.code, 0) << r.output;
  std::ifstream in(dir / "k.json");
  const auto j = nlohmann::json::parse(in);
  EXPECT_EQ(j["cycles"], 14 + 7 + 6 * 2048 + 16);  // see the RedMulE model test
  EXPECT_EQ(j["setup_cycles"], 14);
  const auto add = run("kernel add --engine cores --elements 8192");
  EXPECT_EQ(add.code, 0) << add.output;
  EXPECT_TRUE(has(add.output, "287 cycles = 20 setup + 267 compute")) << add.output;
}

TEST(Cli, ListModelsShowsTheRegistry) {
  const auto r = run("--list-models");
  EXPECT_EQ(r.code, 0);
  for (const char* type : {"pcm_tile_array", "redmule", "snitch_cluster", "axi_link", "l2_memory"})
    EXPECT_TRUE(has(r.output, type)) << type;
}

}  // namespace
