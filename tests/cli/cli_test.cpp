// The aimcsim executable as a user runs it: outputs, exit codes and one-line errors.
#include "cli_helpers.h"

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

using aimcsim::cli_test::has;

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
  EXPECT_EQ(j["cycles"], 49 + 32 + 6 * 2048 + 17);  // see the RedMulE model test
  EXPECT_EQ(j["setup_cycles"], 49);
  EXPECT_EQ(j["op"], "gemm");
  EXPECT_EQ(j["cycle_terms"]["tiles"], 6 * 2048);
  EXPECT_EQ(j["cycle_terms"]["drain"], 17);
  const auto matmul = run("kernel gemm --engine redmule --m 12 --n 16 --k 16 --op matmul");
  EXPECT_EQ(matmul.code, 0) << matmul.output;
  EXPECT_TRUE(has(matmul.output, "166 cycles = 49 setup + 117 compute")) << matmul.output;
  EXPECT_EQ(run("kernel add --engine cores --op matmul").code, 2);
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

namespace {

std::string read_text(const fs::path& p) {
  std::ifstream in(p);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(CliRun, MobileBertReportHasLayersAndTotalsAndIsDeterministic) {
  const fs::path a = temp_dir("run_a"), b = temp_dir("run_b");
  const auto r = run("run --model mobilebert --seq 32 --out " + a.string());
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_TRUE(has(r.output, "512->128")) << r.output;
  EXPECT_TRUE(has(r.output, "end to end")) << r.output;
  ASSERT_EQ(
      run("run --model workloads/hf/mobilebert/config.json --seq 32 --out " + b.string()).code, 0);
  const auto j = nlohmann::json::parse(read_text(a / "report.json"));
  ASSERT_EQ(j["layers"].size(), 361u);
  for (const char* key : {"name", "block", "d_in", "d_out", "tiles", "t_analog_ns", "t_hybrid_ns",
                          "overhead", "chunk", "lora_resident"})
    EXPECT_TRUE(j["layers"][1].contains(key)) << key;
  for (const char* key : {"t_analog_ns", "t_hybrid_ns", "overhead", "tiles", "clusters",
                          "tcdm_peak_bytes", "utilisation"})
    EXPECT_TRUE(j["totals"].contains(key)) << key;
  EXPECT_EQ(j["totals"]["tiles"], 361);
  EXPECT_GT(j["totals"]["t_hybrid_ns"].get<double>(), j["totals"]["t_analog_ns"].get<double>());
  EXPECT_TRUE(has(read_text(a / "config.yaml"), "t_int: 128ns"));
  // The YAML description and the config.json it came from give the same report.
  auto ja = j, jb = nlohmann::json::parse(read_text(b / "report.json"));
  EXPECT_EQ(ja.dump(), jb.dump());
  const fs::path c = temp_dir("run_c");
  ASSERT_EQ(run("run --model mobilebert --seq 32 --out " + c.string()).code, 0);
  EXPECT_EQ(read_text(a / "report.json"), read_text(c / "report.json"));
}

TEST(CliRun, LoraTargetsAndPhaseOptions) {
  const fs::path dir = temp_dir("run_lora");
  const auto r =
      run("run --model gpt2 --seq 16 --phase decode --lora rank=16,targets=c_attn,precision=fp8 "
          "--out " +
          dir.string());
  ASSERT_EQ(r.code, 0) << r.output;
  const auto j = nlohmann::json::parse(read_text(dir / "report.json"));
  EXPECT_EQ(j["phase"], "decode");
  EXPECT_EQ(j["tokens"], 1);
  EXPECT_EQ(j["totals"]["lora_layers"], 12);  // attn.c_attn of each block
  for (const auto& l : j["layers"])
    EXPECT_EQ(l["lora"].get<bool>(), l["name"] == "attn.c_attn") << l["name"];
}

TEST(CliRun, BadInputIsAOneLineErrorAndNoReport) {
  const fs::path dir = temp_dir("run_bad");
  const fs::path truncated = dir / "truncated.json", unknown = dir / "t5.json";
  std::ofstream(truncated) << R"({"model_type": "bert", "hidden_size": 7)";
  std::ofstream(unknown) << R"({"model_type": "t5"})";
  const fs::path out = dir / "out";
  for (const auto& [args, message] : std::vector<std::pair<std::string, std::string>>{
           {"--model " + unknown.string(), "field 'model_type': 't5' is not supported"},
           {"--model " + truncated.string(), "not a valid config.json"},
           {"--model nosuchmodel", "--model 'nosuchmodel': expected a description (.yaml)"},
           {"--model mobilebert --lora targets=q_proj", "'q_proj' selects no static linear"},
           {"--model mobilebert --lora rank=0", "rank must be a positive integer, got '0'"},
           {"--model mobilebert --seq 0", "--seq: must be a positive integer, got '0'"},
           {"--model mobilebert --phase train", "--phase 'train': expected prefill or decode"},
           {"--model mobilebert --set aimc.tiles=100",
            "model mobilebert needs 361 AIMC tiles of 512x512 but the platform has 100"},
           {"--model mobilebert --lora-clusters 2", "--lora-clusters 2: the platform has only 1"},
       }) {
    const auto r = run("run " + args + " --out " + out.string());
    EXPECT_EQ(r.code, 2) << args << "\n" << r.output;
    EXPECT_TRUE(has(r.output, message)) << args << "\n" << r.output;
    EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << r.output;
    EXPECT_FALSE(fs::exists(out / "report.json")) << args;
  }
}

TEST(CliRun, ImportPrintsTheCheckedInDescription) {
  const auto r = run("import workloads/hf/llama-3.1-8b/config.json");
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_EQ(r.output,
            read_text(fs::path(AIMCSIM_SOURCE_DIR) / "workloads/models/llama-3.1-8b.yaml"));
}

}  // namespace
