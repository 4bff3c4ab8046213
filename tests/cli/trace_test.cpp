// --trace on layer and run: the Chrome/Perfetto trace-event file parses, every complete event
// has the fields the viewers need, events nest properly on every track (the viewers drop or
// misdraw partial overlaps), both runs are there with a track per unit, and the hybrid run's
// last event ends when the result says the run ends.
#include "cli_helpers.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace aimcsim::cli_test {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

// The trace's microseconds as whole picoseconds (the trace keeps picosecond resolution), so
// that nesting is checked without rounding.
std::int64_t to_ps(double us) {
  return std::llround(us * 1e6);
}

struct Slice {
  std::int64_t start_ps, end_ps;
  std::string name;
};

struct TraceSummary {
  std::map<std::string, std::int64_t> end_ps;              // per process: latest event end
  std::map<std::string, std::vector<std::string>> tracks;  // per process: its track names
  // Per process: the "power (W)" counter integrated from its first sample to end_ps, in nJ.
  std::map<std::string, double> counter_energy_nj;
};

// Checks the structure of the trace in path (with gtest expectations) and summarises it.
TraceSummary check_trace(const fs::path& path) {
  TraceSummary summary;
  const json trace = json::parse(read_file_text(path));  // throws when it is not JSON
  EXPECT_TRUE(trace.contains("traceEvents"));
  std::map<int, std::string> processes;
  std::map<std::pair<int, int>, std::string> threads;
  std::map<std::pair<int, int>, std::vector<Slice>> tracks;
  std::map<int, std::vector<std::pair<double, double>>> power;  // per pid: (ts us, total W)
  for (const json& e : trace.at("traceEvents")) {
    const std::string ph = e.at("ph");
    if (ph == "C") {
      EXPECT_EQ(e.at("name"), "power (W)") << e.dump();
      double watts = 0;
      for (const auto& [unit, w] : e.at("args").items()) {
        EXPECT_GE(w.get<double>(), 0.0) << e.dump();
        watts += w.get<double>();
      }
      power[e.at("pid")].push_back({e.at("ts").get<double>(), watts});
      continue;
    }
    if (ph == "M") {
      if (e.at("name") == "process_name") processes[e.at("pid")] = e.at("args").at("name");
      if (e.at("name") == "thread_name")
        threads[{e.at("pid"), e.at("tid")}] = e.at("args").at("name");
      continue;
    }
    EXPECT_EQ(ph, "X") << e.dump();
    bool complete = true;
    for (const char* key : {"name", "ph", "pid", "tid", "ts", "dur"})
      if (!e.contains(key)) {
        ADD_FAILURE() << "no " << key << " in " << e.dump();
        complete = false;
      }
    if (!complete) continue;
    EXPECT_TRUE(e.at("name").is_string() && !e.at("name").get<std::string>().empty()) << e.dump();
    const double ts = e.at("ts"), dur = e.at("dur");
    EXPECT_GE(ts, 0.0) << e.dump();
    EXPECT_GE(dur, 0.0) << e.dump();
    const std::int64_t start = to_ps(ts);
    tracks[{e.at("pid"), e.at("tid")}].push_back(Slice{start, start + to_ps(dur), e.at("name")});
  }
  for (auto& [track, slices] : tracks) {
    EXPECT_TRUE(threads.count(track))
        << "track " << track.first << "/" << track.second << " has no thread_name";
    EXPECT_TRUE(processes.count(track.first)) << "pid " << track.first << " has no process_name";
    // By start, the longer first: an enclosing event comes before those it encloses.
    std::sort(slices.begin(), slices.end(), [](const Slice& a, const Slice& b) {
      return a.start_ps != b.start_ps ? a.start_ps < b.start_ps : a.end_ps > b.end_ps;
    });
    std::vector<const Slice*> open;
    for (const Slice& s : slices) {
      while (!open.empty() && s.start_ps >= open.back()->end_ps) open.pop_back();
      if (!open.empty()) {
        EXPECT_LE(s.end_ps, open.back()->end_ps)
            << "'" << s.name << "' partially overlaps '" << open.back()->name << "' on track '"
            << threads[track] << "'";
      }
      open.push_back(&s);
    }
    std::int64_t& end = summary.end_ps[processes[track.first]];
    for (const Slice& s : slices) end = std::max(end, s.end_ps);
  }
  for (const auto& [track, name] : threads) summary.tracks[processes[track.first]].push_back(name);
  for (const auto& [pid, samples] : power) {
    const double end_us = static_cast<double>(summary.end_ps[processes[pid]]) / 1e6;
    double nj = 0;
    for (std::size_t k = 0; k < samples.size(); ++k) {
      const double until = k + 1 < samples.size() ? samples[k + 1].first : end_us;
      nj += samples[k].second * (until - samples[k].first) * 1e3;  // W x us = 1e3 nJ
    }
    summary.counter_energy_nj[processes[pid]] = nj;
  }
  return summary;
}

bool has_track(const std::vector<std::string>& tracks, const std::string& part) {
  return std::any_of(tracks.begin(), tracks.end(),
                     [&](const std::string& t) { return t.find(part) != std::string::npos; });
}

// Both runs are traced; the hybrid one has a track for every kind of unit and its last event
// ends at t_hybrid_ns.
void expect_both_runs(const TraceSummary& s, double t_hybrid_ns) {
  ASSERT_TRUE(s.tracks.count("fully-analog"));
  ASSERT_TRUE(s.tracks.count("hybrid"));
  const auto& hybrid = s.tracks.at("hybrid");
  for (const char* unit : {"aimc", "interconnect", "dma", "redmule", "cores"})
    EXPECT_TRUE(has_track(hybrid, unit)) << unit;
  EXPECT_TRUE(has_track(s.tracks.at("fully-analog"), "aimc"));
  EXPECT_NEAR(static_cast<double>(s.end_ps.at("hybrid")) / 1e6, t_hybrid_ns / 1000.0, 1e-6);
}

TEST(CliTrace, LayerTraceNestsPerTrackAndEndsWithTheHybridRun) {
  const fs::path dir = scratch_dir("trace_layer");
  const fs::path trace = dir / "t.json", result = dir / "l.json";
  const auto r =
      run_aimcsim("layer --d-in 512 --d-out 128 --strategy pipelined --chunk 16 --json " +
                  result.string() + " --trace " + trace.string());
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_NE(r.output.find("wrote " + trace.string()), std::string::npos) << r.output;
  const json j = json::parse(read_file_text(result));
  const TraceSummary s = check_trace(trace);
  expect_both_runs(s, j.at("t_hybrid_ns").get<double>());
  // The power counters integrate to each run's energy.
  EXPECT_NEAR(s.counter_energy_nj.at("hybrid"), j.at("e_hybrid_nj").get<double>(),
              1e-6 * j.at("e_hybrid_nj").get<double>());
  EXPECT_NEAR(s.counter_energy_nj.at("fully-analog"), j.at("e_analog_nj").get<double>(),
              1e-6 * j.at("e_analog_nj").get<double>());
}

TEST(CliTrace, RunTraceNestsPerTrackAndEndsWithTheHybridRun) {
  const fs::path dir = scratch_dir("trace_run");
  const fs::path trace = dir / "t.json";
  const auto r = run_aimcsim("run --model mobilebert --seq 32 --out " + (dir / "out").string() +
                             " --trace " + trace.string());
  ASSERT_EQ(r.code, 0) << r.output;
  const json report = json::parse(read_file_text(dir / "out" / "report.json"));
  const TraceSummary s = check_trace(trace);
  expect_both_runs(s, report.at("totals").at("t_hybrid_ns").get<double>());
  const double e = report.at("totals").at("e_hybrid_nj").get<double>();
  EXPECT_NEAR(s.counter_energy_nj.at("hybrid"), e, 1e-6 * e);
}

TEST(CliTrace, SameInputsGiveByteIdenticalTraces) {
  const fs::path dir = scratch_dir("trace_determinism");
  const std::string args = "layer --d-in 128 --d-out 512 --tokens 64 --trace ";
  ASSERT_EQ(run_aimcsim(args + (dir / "a.json").string()).code, 0);
  ASSERT_EQ(run_aimcsim(args + (dir / "b.json").string()).code, 0);
  const std::string a = read_file_text(dir / "a.json");
  EXPECT_FALSE(a.empty());
  EXPECT_EQ(a, read_file_text(dir / "b.json"));
}

}  // namespace
}  // namespace aimcsim::cli_test
