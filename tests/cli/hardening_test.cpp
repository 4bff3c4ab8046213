// Hostile input, as a new user tried it (issue "The engine, hardened"): every command below
// once exited 0 with a wrong number, wrote partial outputs, accepted input silently, hung,
// or exhausted memory. Each now exits 2 with one line naming the cause and writes nothing
// (or, where the input is legitimate, runs and says what it did).
#include "cli_helpers.h"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace fs = std::filesystem;
using aimcsim::cli_test::CommandResult;
using aimcsim::cli_test::has;
using aimcsim::cli_test::read_file_text;
using aimcsim::cli_test::run_aimcsim;
using aimcsim::cli_test::scratch_dir;

std::size_t lines(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

// The command exits 2 with one line holding message.
void expect_refused(const std::string& args, const std::string& message) {
  const CommandResult r = run_aimcsim(args);
  EXPECT_EQ(r.code, 2) << args << "\n" << r.output;
  EXPECT_TRUE(has(r.output, message)) << args << "\n" << r.output;
  EXPECT_EQ(lines(r.output), 1u) << args << "\n" << r.output;
}

std::size_t files_in(const fs::path& dir) {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& e : fs::recursive_directory_iterator(dir)) ++n;
  return n;
}

void write(const fs::path& file, const std::string& text) {
  std::ofstream(file) << text;
}

// /proc/PID/stat ("pid (comm) state ppid ..."), or "" when the process is gone. Read with
// read(2): a process that exits between open and read makes the read fail with ESRCH, which
// libstdc++'s filebuf turns into an exception.
std::string proc_stat(const std::string& pid) {
  const int fd = ::open(("/proc/" + pid + "/stat").c_str(), O_RDONLY);
  if (fd < 0) return "";
  std::string text;
  char buf[512];
  ssize_t n = 0;
  while ((n = ::read(fd, buf, sizeof buf)) > 0) text.append(buf, static_cast<std::size_t>(n));
  ::close(fd);
  return n < 0 ? "" : text;
}

// The processes whose parent is pid.
std::vector<int> children_of(int pid) {
  std::vector<int> out;
  for (const auto& e : fs::directory_iterator("/proc")) {
    const std::string name = e.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    const std::string text = proc_stat(name);
    const auto close = text.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(text.substr(close + 2));
    std::string state;
    int ppid = 0;
    rest >> state >> ppid;
    if (ppid == pid && state != "Z") out.push_back(std::stoi(name));
  }
  return out;
}

// --- 1. Wrong or missing answers ------------------------------------------------------------

TEST(Hardening, SimulatedTimePast2To64PsIsAnErrorNotAWrappedLatency) {
  // 10 000 MVMs of 1000 s: about 10^19 ps per run, so the chunk search passes 2^64 ps (it
  // once printed 200 us and +952 %).
  expect_refused("layer --set aimc.t_int=1000s --tokens 10000",
                 "exceeds the simulator's 64-bit range");
  expect_refused("layer --set aimc.t_int=18000000000ms",
                 "the end of an MVM batch on the AIMC tiles");
  // Once SystemC's "completion in the past" (exit 1).
  expect_refused("layer --set interconnect.port.latency=18000000000000000000cycles",
                 "a transfer's time through a link or memory port");
}

TEST(Hardening, AMissingTraceDirectoryIsRefusedBeforeAnythingIsWritten) {
  const fs::path dir = scratch_dir("hard_partial");
  expect_refused(
      "run --model mobilebert --out " + (dir / "run").string() + " --trace /missing/t.json",
      "--trace /missing/t.json: the directory /missing does not exist");
  expect_refused("layer --json " + (dir / "l.json").string() + " --trace /missing/t.json",
                 "--trace /missing/t.json: the directory /missing does not exist");
  expect_refused("layer --json /missing/l.json", "--json /missing/l.json: the directory");
  expect_refused("layer --json " + dir.string(), "is a directory; expected a file name");
  expect_refused(
      "layer --json " + (dir / "same.json").string() + " --trace " + (dir / "same.json").string(),
      "the same file as --json");
  EXPECT_EQ(files_in(dir), 0u);  // no run/, no l.json, no l.config.yaml, no temporary files
}

TEST(Hardening, APlatformThatIsADirectoryOrHasADuplicateKeyIsRefused) {
  const fs::path dir = scratch_dir("hard_platform");
  expect_refused("layer --platform " + dir.string(), "is a directory; expected a platform");
  write(dir / "dup.yaml", "aimc:\n  t_int: 256ns\n  t_int: 512ns\n");
  expect_refused("layer --platform " + (dir / "dup.yaml").string(),
                 "dup.yaml:3: key 't_int' is given twice in one mapping (first on line 2)");
  expect_refused("layer --platform /dev/zero",
                 "/dev/zero: the platform configuration file is larger than the limit of 16 MiB");
}

TEST(Hardening, StudyRefusesASetTIntAndTakesItsOwn) {
  expect_refused("study --set aimc.t_int=1000ns", "the study sweeps aimc.t_int itself");
  const CommandResult r = run_aimcsim("study --t-int 1000ns --tokens 16");
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_TRUE(has(r.output, "128->128      1us  serial")) << r.output;
  EXPECT_FALSE(has(r.output, "128ns")) << r.output;
}

TEST(Hardening, AnL2TooSmallWithNothingBelowIsSaidNotHidden) {
  const auto dir = scratch_dir("hard_l2");
  const CommandResult r =
      run_aimcsim("run --model mobilebert --set l2.size=64KiB --out " + dir.string());
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_TRUE(has(r.output, "L2 over its 0.1 MiB by")) << r.output;
  EXPECT_TRUE(has(r.output, "with no sram or dram to spill to")) << r.output;
}

TEST(Hardening, KernelOperandsMustFitTheTcdm) {
  expect_refused("kernel add --engine cores --elements 4000000000",
                 "kernel add: its operands take 24000000000 bytes");
  expect_refused("kernel gemm --m 100000 --n 100000 --k 100000",
                 "kernel gemm: its operands take 60000000000 bytes");
  expect_refused("kernel gemm --m 4000000000", "more than the TCDM's 131072 bytes");
  // What fits still runs: 64x512 . 512x8 is 64 KiB + 8 KiB + 1 KiB.
  EXPECT_EQ(run_aimcsim("kernel gemm --m 64 --n 512 --k 8").code, 0);
}

TEST(Hardening, AChunkAboveTheTokensAndDecodeOfAnEncoderAreRefused) {
  expect_refused("layer --chunk 100 --tokens 64", "--chunk 100 is more than the 64 tokens");
  const fs::path dir = scratch_dir("hard_decode");
  expect_refused("run --model mobilebert --phase decode --out " + (dir / "o").string(),
                 "--phase decode: mobilebert is an encoder");
  expect_refused("run --model gpt2 --phase decode --seq 1000000 --out " + (dir / "o").string(),
                 "--seq 1000000: gpt2 has 1024 positions (max_positions)");
  EXPECT_EQ(files_in(dir), 0u);
}

TEST(Hardening, TheDefaultPlatformIsFoundFromAnyDirectory) {
  const std::string cmd = std::string("cd / && ") + AIMCSIM_BINARY + " layer --chunk 8 2>&1";
  FILE* pipe = popen(cmd.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  char buf[256];
  std::string out;
  while (fgets(buf, sizeof buf, pipe)) out += buf;
  EXPECT_EQ(WEXITSTATUS(pclose(pipe)), 0) << out;
  EXPECT_TRUE(has(out, "overhead")) << out;
}

TEST(Hardening, KeysThatAreListsAndOutOfRangeNumbersAreUserErrors) {
  const fs::path dir = scratch_dir("hard_fuzz");
  write(dir / "p.yaml", "{[]: 0}\n");
  expect_refused("layer --platform " + (dir / "p.yaml").string(),
                 "p.yaml:1: a mapping key is a list; expected a name");
  std::string model = read_file_text(fs::path(AIMCSIM_SOURCE_DIR) / "workloads/models/gpt2.yaml");
  model.replace(model.find("attention: {heads: 12, kv_heads: 12, head_dim: 64, causal: true}"), 64,
                "attention: {heads: 12, kv_heads: 12, head_dim: 64, causal: true, []}");
  write(dir / "m.yaml", model);
  expect_refused("run --model " + (dir / "m.yaml").string() + " --out " + (dir / "o").string(),
                 "a mapping key is a list; expected a name");
  write(dir / "c.json", R"({"model_type": "bert", "hidden_size": 5e455})");
  expect_refused("import " + (dir / "c.json").string(),
                 "not a valid config.json: [json.exception.out_of_range.406]");
}

TEST(Hardening, FuzzFindingsInSweepSpecsAreUserErrors) {
  const fs::path dir = scratch_dir("hard_fuzz_sweep");
  // A model name longer than a file name may be: once an uncaught filesystem_error.
  expect_refused("run --model " + std::string(300, 'm') + " --out " + (dir / "o").string(),
                 "expected a description (.yaml), a Hugging Face config.json");
  write(dir / "spec.yaml",
        "parts:\n  - name: p\n    run: model\n    base: {model: " + std::string(300, 'm') + "}\n");
  expect_refused("sweep " + (dir / "spec.yaml").string() + " --out " + (dir / "o").string(),
                 "expected a description (.yaml)");
  // A control character in a value: the effective spec could not be written back as read.
  write(dir / "cr.yaml",
        "parts:\n  - name: p\n    run: layer\n    base: {aimc.t_int: \"1\\rns\"}\n");
  expect_refused("sweep " + (dir / "cr.yaml").string() + " --out " + (dir / "o").string(),
                 "the value holds a control character; expected printable text");
  EXPECT_FALSE(fs::exists(dir / "o"));
}

TEST(Hardening, ImportedSizesCannotWrap) {
  const fs::path dir = scratch_dir("hard_import");
  // 4 x n_embd once wrapped to a d_out of 0.
  write(dir / "gpt2.json",
        R"({"model_type": "gpt2", "n_embd": 4611686018427387904, "n_layer": 2, "n_head": 4,
            "activation_function": "gelu_new"})");
  expect_refused("import " + (dir / "gpt2.json").string(),
                 "field 'n_embd': 4611686018427387904 is more than the limit of 1048576");
  write(dir / "llama.json",
        R"({"model_type": "llama", "hidden_size": 4096, "intermediate_size": 14336,
            "num_hidden_layers": 2, "num_attention_heads": 32, "head_dim": 1048576,
            "hidden_act": "silu"})");
  expect_refused("import " + (dir / "llama.json").string(),
                 "'num_attention_heads x head_dim': 32 x 1048576 is more than the limit");
}

TEST(Hardening, UnitsParseExactly) {
  expect_refused("layer --set aimc.t_int=2000000.0004ns", "is not a whole number of ps");
  expect_refused("layer --set aimc.t_int=1000000000000.5ps", "is not a whole number of ps");
  expect_refused("layer --set cluster.dma.setup=18446744073709551616cycles",
                 "is out of range: at most 18446744073709551615cycles");
}

TEST(Hardening, SweepWorkersDieWithTheirParent) {
  const fs::path dir = scratch_dir("hard_orphans");
  // LLaMA end to end: points that run long enough to be caught in flight, on two platforms
  // (two t_int), so two workers (the platform probe before them is one child at a time).
  write(dir / "spec.yaml",
        "parts:\n  - name: slow\n    run: model\n    base: {model: llama-3.1-8b, seq: 128}\n"
        "    sweep: {aimc.t_int: [128ns, 256ns]}\n");
  const std::string cmd = std::string("cd ") + AIMCSIM_SOURCE_DIR + " && exec " + AIMCSIM_BINARY +
                          " sweep " + (dir / "spec.yaml").string() + " --out " +
                          (dir / "out").string() + " -j 2 >/dev/null 2>&1";
  const pid_t parent = fork();
  ASSERT_GE(parent, 0);
  if (parent == 0) {
    execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  // Wait for the workers to start, then kill -9 the sweep.
  std::vector<int> workers;
  for (int i = 0; i < 200 && workers.size() < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    workers = children_of(parent);
  }
  ASSERT_FALSE(workers.empty()) << "no worker started";
  kill(parent, SIGKILL);
  int status = 0;
  waitpid(parent, &status, 0);
  bool gone = false;
  for (int i = 0; i < 100 && !gone; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    gone = true;
    for (const int w : workers) {  // a zombie reparented to init is gone too
      const std::string text = proc_stat(std::to_string(w));
      const auto close = text.rfind(')');
      if (!text.empty() && close != std::string::npos && text.substr(close + 2, 1) != "Z")
        gone = false;
    }
  }
  EXPECT_TRUE(gone) << "sweep workers kept running after their parent was killed";
}

TEST(Hardening, BuildScriptFailsWhenCMakeFails) {
  const fs::path dir = scratch_dir("hard_build");
  const std::string cmd = std::string("AIMCSIM_BUILD_DIR=") + (dir / "b").string() + " " +
                          AIMCSIM_SOURCE_DIR +
                          "/scripts/build.sh -DCMAKE_CXX_COMPILER=/nonexistent/c++ >" +
                          (dir / "log").string() + " 2>&1";
  const int status = std::system(cmd.c_str());
  EXPECT_NE(WEXITSTATUS(status), 0) << read_file_text(dir / "log");
  EXPECT_FALSE(fs::exists(dir / "b" / "CMakeCache.txt"));  // configured again next time
}

// --- 2. Bounded work and memory for any input ---------------------------------------------

TEST(Hardening, TooMuchWorkIsRefusedUpFrontWithTheEstimateAndTheLimit) {
  expect_refused("layer --tokens 1000000000",
                 "layer 512->128: simulating it takes an estimated 27978896104 tasks");
  const fs::path dir = scratch_dir("hard_work");
  const std::string out = " --out " + (dir / "o").string();
  expect_refused("run --model mobilebert --batch 100000" + out,
                 "model mobilebert: simulating it takes an estimated");
  expect_refused("run --model mobilebert --batch 100000" + out, "--max-tasks N raises the limit");
  expect_refused("run --model mobilebert --seq 100000000" + out,
                 "--seq 100000000: mobilebert has 512 positions");
  // The limit is a setting: a low one refuses the default layer (8 chunk candidates and two
  // final runs, 7 x 8 + ... tasks), the default limit runs it.
  expect_refused("layer --max-tasks 10", "more than the limit of 10 tasks per command");
  EXPECT_EQ(run_aimcsim("layer").code, 0);
  EXPECT_EQ(files_in(dir), 0u);
}

TEST(Hardening, OversizedDescriptionsAndPlatformsAreRefused) {
  const fs::path dir = scratch_dir("hard_sizes");
  const std::string out = " --out " + (dir / "o").string();
  std::string model =
      read_file_text(fs::path(AIMCSIM_SOURCE_DIR) / "workloads/models/mobilebert.yaml");
  model.replace(model.find("blocks: 24"), 10, "blocks: 100000000");
  write(dir / "m.yaml", model);
  expect_refused("run --model " + (dir / "m.yaml").string() + out,
                 "blocks: 100000000 is more than the limit of 10000");
  std::string config =
      read_file_text(fs::path(AIMCSIM_SOURCE_DIR) / "workloads/hf/mobilebert/config.json");
  std::string ffn = config;
  ffn.replace(ffn.find("\"num_feedforward_networks\": 4"), 29,
              "\"num_feedforward_networks\": 100000000");
  write(dir / "ffn.json", ffn);
  expect_refused("import " + (dir / "ffn.json").string(),
                 "field 'num_feedforward_networks': 100000000 is more than the limit");
  std::string layers = config;
  layers.replace(layers.find("\"num_hidden_layers\": 24"), 23, "\"num_hidden_layers\": 10000000");
  write(dir / "layers.json", layers);
  expect_refused("import " + (dir / "layers.json").string(),
                 "field 'num_hidden_layers': 10000000 is more than the limit of 10000");
  expect_refused("layer --d-in 999999999999 --d-out 999999999999 --tokens 1 --chunk 1",
                 "--d-in 999999999999 is more than the limit of 1048576");
  expect_refused("layer --set aimc.tiles=1000000000000",
                 "aimc.tiles 1000000000000 is more than the limit of 4194304 tiles");
  expect_refused("run --model mobilebert --set aimc.rows=1 --set aimc.cols=1" + out,
                 "model mobilebert needs 20250624 AIMC tiles of 1x1, more than the limit");
  EXPECT_EQ(files_in(dir), 3u);  // only the inputs written above
}

TEST(Hardening, AHugeSweepIsRefusedBeforeItIsExpanded) {
  const fs::path dir = scratch_dir("hard_sweep");
  // 10 axes of 10 values, unknown keys included: 10^10 points, once 2 GB in 45 s.
  std::string spec = "parts:\n  - name: big\n    run: layer\n    sweep:\n";
  for (int a = 0; a < 10; ++a) {
    spec += "      k" + std::to_string(a) + ": [";
    for (int v = 0; v < 10; ++v) spec += (v ? "," : "") + std::to_string(v);
    spec += "]\n";
  }
  write(dir / "spec.yaml", spec);
  expect_refused("sweep " + (dir / "spec.yaml").string() + " --out " + (dir / "o").string(),
                 "the spec expands to 1e+10 points (big: 10 k0 x 10 k1");
  EXPECT_FALSE(fs::exists(dir / "o"));
}

}  // namespace

TEST(Hardening, PipelineInputsAreRefusedInOneLine) {
  const fs::path dir = scratch_dir("hard_pipeline");
  const std::string run = "run --model mobilebert --out " + (dir / "run").string() + " ";
  expect_refused(run + "--pipeline xx-pipe",
                 "unknown pipeline mode 'xx-pipe': expected one of serial, il-par, il-pipe, "
                 "xl-pipe, il+xl-pipe, xb-pipe");
  expect_refused(run + "--schedule eager",
                 "--schedule 'eager': expected streaming (= --pipeline xb-pipe) or "
                 "layer-by-layer (= --pipeline il-par)");
  expect_refused(run + "--schedule streaming --pipeline il-par",
                 "--schedule streaming means --pipeline xb-pipe, but --pipeline says il-par");
  expect_refused(run + "--pipeline serial --lora-clusters 2",
                 "--pipeline serial runs each operator on one cluster: --lora-clusters 2");
  expect_refused(run + "--generate 4",
                 "--generate 4: mobilebert is an encoder (bidirectional attention) and generates "
                 "no tokens");
  const std::string gpt2 = "run --model gpt2 --out " + (dir / "run").string() + " ";
  expect_refused(gpt2 + "--generate 4 --phase decode",
                 "--generate runs the prefill and then the decode steps: give --phase prefill");
  expect_refused(gpt2 + "--seq 1000 --generate 100",
                 "--generate 100 after --seq 1000: gpt2 has 1024 positions (max_positions), so "
                 "at most 24 tokens can be generated after this prompt");
  expect_refused(gpt2 + "--generate 0", "--generate");
  expect_refused(gpt2 + "--attention lazy", "--attention 'lazy': expected standard, flash or auto");
  expect_refused(gpt2 + "--trace-pipeline",
                 "--trace-pipeline details the trace: give --trace FILE with it");
  expect_refused(gpt2 + "--seq 64 --kv-block 65",
                 "--kv-block 65: larger than the 64 keys a sequence attends to");
  expect_refused(gpt2 + "--attention standard --kv-block 8",
                 "--kv-block sets flash attention's block of keys: give --attention flash");
  expect_refused(gpt2 + "--seq 1024 --attention standard",
                 "block0.attn: --attention standard: the scores of one query row over 1024 keys "
                 "do not fit the 131072 bytes of TCDM left for working sets");
  expect_refused(gpt2 + "--generate 800 --max-tasks 100000",
                 "generation with gpt2: simulating it takes an estimated");
  EXPECT_FALSE(fs::exists(dir / "run"));
}

TEST(Hardening, PlatformOrganisationInputsAreRefusedInOneLine) {
  const fs::path dir = scratch_dir("hard_organisation");
  const std::string run = "run --model mobilebert --out " + (dir / "run").string() + " ";
  expect_refused(run + "--set aimc.tiers=0", "aimc.tiers: 0 is out of range");
  expect_refused(run + "--tier-policy fastest",
                 "--tier-policy 'fastest': expected latency, area or balance");
  expect_refused(run + "--packing tight", "--packing 'tight': expected none, diagonal or dense");
  expect_refused(run + "--set aimc.tiers=2 --set aimc.tiles=100 --tier-policy area",
                 "the model needs 361 tile-tiers (181 tiles x 2 tiers under tier policy area); "
                 "the platform has 100 tiles x 2 tiers = 200");
  expect_refused(run + "--set aimc.tiers=8 --set aimc.tiles=100",
                 "the model needs 361 tiles with one tier each (tier policy latency)");
  expect_refused(run + "--set aimc.ldu.elementwise=everywhere",
                 "aimc.ldu.elementwise: unknown value 'everywhere'");
  expect_refused(run + "--set cluster_groups.a.count=0",
                 "cluster_groups.a.count: 0 is out of range");
  expect_refused(run + "--set cluster_groups.a.count=2 --set cluster_groups.a.cores.count=0",
                 "cluster_groups.a.cores.count: 0 is out of range");
  expect_refused(run + "--set clusters=2 --set cluster_groups.a.count=1",
                 "give either clusters (identical clusters) or cluster_groups, not both");
  expect_refused(run + "--set cluster_groups.a.count=1 --set cluster_groups.b.count=64",
                 "the groups have 65 clusters, more than 64");
  expect_refused(run + "--set sram.size=1MiB --set sram.width=0B/cycle",
                 "sram.width: 0B/cycle is out of range");
  expect_refused(run + "--set dram.size=0B", "dram.size: 0B is out of range");
  expect_refused(run + "--set l2.size=1KiB --set dram.size=2KiB",
                 "fit no memory level: l2 1024 of 1024 bytes free, sram 0 of 0, dram 2048 of 2048");
  expect_refused(run + "--requests a,b", "--requests needs named adapters");
  expect_refused(run + "--lora 'task=a,rank=8;task=b,rank=4' --requests a,c",
                 "--requests 'a,c': request 'c' names no adapter; --lora defines a, b");
  expect_refused(run + "--lora 'task=a,rank=8;task=a,rank=4'", "task 'a' is defined twice");
  EXPECT_EQ(files_in(dir), 0u);
}
