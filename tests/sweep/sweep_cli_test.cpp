// `aimcsim sweep` as a user runs it: bad specs stop before any point, a failing point does not
// stop the others, and an interrupted sweep resumes without missing or duplicated rows.
#include "tests/cli/cli_helpers.h"

#include <gtest/gtest.h>

#include <signal.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

using aimcsim::cli_test::read_file_text;
using aimcsim::cli_test::run_aimcsim;

fs::path fresh_dir(const std::string& name) {
  return aimcsim::cli_test::scratch_dir("sweep_" + name);
}

fs::path write(const fs::path& file, const std::string& text) {
  std::ofstream(file) << text;
  return file;
}

std::string read(const fs::path& file) {
  return read_file_text(file);
}

std::vector<json> rows(const fs::path& jsonl) {
  std::vector<json> out;
  std::istringstream in(read(jsonl));
  for (std::string line; std::getline(in, line);) out.push_back(json::parse(line));
  return out;
}

std::size_t lines(const fs::path& file) {
  std::istringstream in(read(file));
  std::size_t n = 0;
  for (std::string line; std::getline(in, line);) ++n;
  return n;
}

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

const std::string kLayerHead = "parts:\n  - name: l\n    run: layer\n    sweep:\n";

TEST(SweepCli, BadSpecsExitTwoBeforeAnyPoint) {
  const fs::path dir = fresh_dir("bad");
  const std::map<std::string, std::string> cases{
      {"unknown path", kLayerHead + "      aimc.t_intt: [128ns]\n"},
      {"wrong unit", kLayerHead + "      aimc.t_int: [128ns, 5 parsecs]\n"},
      {"wrong type", kLayerHead + "      lora.rank: [eight]\n"},
      {"empty list", kLayerHead + "      strategy: []\n"},
  };
  const std::map<std::string, std::string> expected{
      {"unknown path", "spec.yaml:5: parts[0].sweep.aimc.t_intt: not a parameter of layer runs"},
      {"wrong unit", "spec.yaml:5: parts[0].sweep.aimc.t_int: --set aimc.t_int=5 parsecs"},
      {"wrong type", "spec.yaml:5: parts[0].sweep.lora.rank: 'eight' is not valid"},
      {"empty list", "spec.yaml:5: parts[0].sweep.strategy: the list of values is empty"},
  };
  for (const auto& [name, yaml] : cases) {
    const fs::path spec = write(dir / "spec.yaml", yaml);
    const auto r = run_aimcsim("sweep " + spec.string() + " --out " + (dir / "out").string());
    EXPECT_EQ(r.code, 2) << name << ": " << r.output;
    EXPECT_TRUE(has(r.output, expected.at(name))) << name << ": " << r.output;
    EXPECT_FALSE(fs::exists(dir / "out")) << name << ": the sweep must not start";
  }
}

TEST(SweepCli, OutDirectoryOfAnotherSpecIsRefused) {
  const fs::path dir = fresh_dir("other");
  const fs::path a = write(dir / "a.yaml", kLayerHead + "      strategy: [serial]\n");
  const fs::path b = write(dir / "b.yaml", kLayerHead + "      strategy: [parallel]\n");
  ASSERT_EQ(run_aimcsim("sweep " + a.string() + " --out " + (dir / "out").string()).code, 0);
  const std::string before = read(dir / "out/results.jsonl");
  const auto r = run_aimcsim("sweep " + b.string() + " --out " + (dir / "out").string());
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_TRUE(has(r.output, "holds results of a different spec")) << r.output;
  EXPECT_TRUE(has(r.output, "'      strategy: [serial]' there, '      strategy: [parallel]' now"))
      << r.output;
  EXPECT_EQ(read(dir / "out/results.jsonl"), before);
}

TEST(SweepCli, AFailingPointIsRecordedAndTheOthersComplete) {
  const fs::path dir = fresh_dir("failure");
  // Chunk 128 of a pipelined 512->128 layer needs more than the 128 KiB TCDM.
  const fs::path spec = write(dir / "spec.yaml", kLayerHead +
                                                     "      layer.shape: [512->128]\n"
                                                     "      layer.tokens: [128]\n"
                                                     "      strategy: [pipelined]\n"
                                                     "      chunk: [16, 128, 32]\n");
  const auto r =
      run_aimcsim("sweep " + spec.string() + " --out " + (dir / "out").string() + " -j 2");
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_TRUE(has(r.output, "3 points: 2 ok, 1 failed")) << r.output;
  const auto rs = rows(dir / "out/results.jsonl");
  ASSERT_EQ(rs.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(rs[i]["point"], i);
  EXPECT_EQ(rs[0]["status"], "ok");
  EXPECT_EQ(rs[2]["status"], "ok");
  EXPECT_GT(rs[2]["metrics"]["t_hybrid_ns"].get<double>(), 0.0);
  EXPECT_EQ(rs[1]["status"], "failed");
  EXPECT_TRUE(has(rs[1]["error"].get<std::string>(), "more than the TCDM's 131072 bytes"));
  // The footprint the chunk would need is still reported.
  EXPECT_GT(rs[1]["metrics"]["tcdm_peak_bytes"].get<std::uint64_t>(), 131072u);
  const std::string csv = read(dir / "out/results.csv");
  EXPECT_TRUE(has(csv, "point,part,layer.shape,layer.tokens,strategy,chunk,status,chunk_used"));
  EXPECT_EQ(lines(dir / "out/results.csv"), 4u);
  EXPECT_TRUE(has(csv, "1,l,512->128,128,pipelined,128,failed,128,"));
}

// Starts a sweep in the background and returns its pid.
pid_t start_sweep(const std::string& args, const fs::path& log) {
  const fs::path pid_file = log.string() + ".pid";
  const std::string cmd = std::string("cd ") + AIMCSIM_SOURCE_DIR + " && (" + AIMCSIM_BINARY + " " +
                          args + " >" + log.string() + " 2>&1 & echo $! >" + pid_file.string() +
                          ")";
  if (std::system(cmd.c_str()) != 0) return -1;
  return static_cast<pid_t>(std::stol(read(pid_file)));
}

// Waits until the journal holds at least n rows (or 60 s pass).
void wait_for_rows(const fs::path& jsonl, std::size_t n) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < until) {
    if (fs::exists(jsonl) && lines(jsonl) >= n) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

// Running and not a zombie (the sweep's parent shell is gone, so nobody may reap it soon).
bool alive(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return false;
  const auto close = line.rfind(')');
  return close != std::string::npos && close + 2 < line.size() && line[close + 2] != 'Z';
}

void wait_for_exit(pid_t pid) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (alive(pid) && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
}

TEST(SweepCli, InterruptedSweepsResumeWithoutMissingOrDuplicatedRows) {
  const fs::path dir = fresh_dir("resume");
  // Whole-model points take a few hundred ms each: long enough to be interrupted.
  const fs::path spec =
      write(dir / "spec.yaml",
            "parts:\n"
            "  - name: m\n    run: model\n    base: {model: mobilebert, seq: 32}\n"
            "    sweep:\n      aimc.t_int: [128ns, 512ns]\n"
            "      chunk: [auto, 16, 64]\n"
            "  - name: l\n    run: layer\n"
            "    sweep:\n      strategy: [serial, parallel, pipelined]\n");
  const std::string out = (dir / "out").string();
  const fs::path journal = dir / "out/results.jsonl";
  const std::string args = "sweep " + spec.string() + " --out " + out + " -j 1";

  // Ctrl-C: the sweep stops its workers, keeps whole rows and says how to resume.
  pid_t pid = start_sweep(args, dir / "first.log");
  ASSERT_GT(pid, 0);
  wait_for_rows(journal, 2);
  kill(pid, SIGINT);
  wait_for_exit(pid);
  EXPECT_TRUE(has(read(dir / "first.log"), "rerun the same command to resume"))
      << read(dir / "first.log");
  const std::size_t after_first = lines(journal);
  EXPECT_GE(after_first, 2u);
  EXPECT_LT(after_first, 9u);

  // kill -9 of the sweep, then a row torn in the middle as a crash could leave it.
  pid = start_sweep(args, dir / "second.log");
  wait_for_rows(journal, after_first + 1);
  kill(pid, SIGKILL);
  wait_for_exit(pid);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // orphaned workers end
  const std::size_t after_second = lines(journal);
  EXPECT_GT(after_second, after_first);
  std::ofstream(journal, std::ios::app) << R"({"point":8,"part":"l","val)";

  const auto r = run_aimcsim(args);
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_TRUE(has(r.output, std::to_string(after_second) + " already in")) << r.output;
  const auto rs = rows(journal);
  ASSERT_EQ(rs.size(), 9u);
  for (std::size_t i = 0; i < rs.size(); ++i) {
    EXPECT_EQ(rs[i]["point"], i) << "rows in point order, none missing or duplicated";
    EXPECT_EQ(rs[i]["status"], "ok") << rs[i].dump();
  }
  EXPECT_EQ(lines(dir / "out/results.csv"), 10u);

  // The same sweep uninterrupted gives byte-identical results.
  const auto fresh =
      run_aimcsim("sweep " + spec.string() + " --out " + (dir / "fresh").string() + " -j 2");
  ASSERT_EQ(fresh.code, 0) << fresh.output;
  EXPECT_EQ(read(dir / "fresh/results.jsonl"), read(journal));
  EXPECT_EQ(read(dir / "fresh/results.csv"), read(dir / "out/results.csv"));
}

}  // namespace
