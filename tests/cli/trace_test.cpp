// --trace on layer and run: the Chrome/Perfetto trace-event file parses, every complete event
// has the fields the viewers need, events nest properly on every track (the viewers drop or
// misdraw partial overlaps), both runs are there with a track per unit, and the hybrid run's
// last event ends when the result says the run ends.
#include "cli_helpers.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
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
  // Per process: its flow arrows (--trace-pipeline), as name and the arrival's ts in us.
  std::map<std::string, std::vector<std::pair<std::string, double>>> flows;
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
  std::map<std::uint64_t, std::vector<json>> flow_events;       // per flow id: its s and f
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
    if (ph == "s" || ph == "f") {
      flow_events[e.at("id").get<std::uint64_t>()].push_back(e);
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
  // Each flow: one start and one finish, in that order, each inside a slice of its track (the
  // start within its producer, the finish at its consumer's start).
  const auto inside = [&](const json& e, bool at_start) {
    const auto it = tracks.find({e.at("pid"), e.at("tid")});
    if (it == tracks.end()) return false;
    const std::int64_t ts = to_ps(e.at("ts"));
    return std::any_of(it->second.begin(), it->second.end(), [&](const Slice& sl) {
      return at_start ? sl.start_ps == ts : sl.start_ps <= ts && ts <= sl.end_ps;
    });
  };
  for (const auto& [id, events] : flow_events) {
    if (events.size() != 2) {
      ADD_FAILURE() << "flow " << id << " has " << events.size() << " events";
      continue;
    }
    const json& s = events[0];
    const json& f = events[1];
    EXPECT_EQ(s.at("ph"), "s");
    EXPECT_EQ(f.at("ph"), "f");
    EXPECT_EQ(f.at("bp"), "e");
    EXPECT_EQ(s.at("name"), f.at("name"));
    EXPECT_LE(s.at("ts").get<double>(), f.at("ts").get<double>());
    EXPECT_TRUE(inside(s, false)) << s.dump();
    EXPECT_TRUE(inside(f, true)) << f.dump();
    summary.flows[processes[f.at("pid")]].push_back({f.at("name"), f.at("ts").get<double>()});
  }
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

TEST(CliTrace, PipelineTraceGivesEveryTileATrackAndArrowsBetweenOperators) {
  const fs::path dir = scratch_dir("trace_pipeline");
  const fs::path model = dir / "toy.yaml";
  std::ofstream(model) << "name: toy\nmodel_type: toy\nblocks: 2\ninput_dim: 128\n"
                          "attention: {heads: 1, kv_heads: 1, head_dim: 128, causal: false}\n"
                          "block:\n  - {op: linear, name: dense, in: [x], out: y, d_in: 128, "
                          "d_out: 128}\n";
  const fs::path trace = dir / "t.json";
  const auto r =
      run_aimcsim("run --model " + model.string() + " --seq 64 --chunk 32 --out " +
                  (dir / "out").string() + " --trace " + trace.string() + " --trace-pipeline");
  ASSERT_EQ(r.code, 0) << r.output;
  const TraceSummary s = check_trace(trace);
  for (const char* tile : {"aimc tile 0", "aimc tile 1"})
    EXPECT_TRUE(has_track(s.tracks.at("fully-analog"), tile)) << tile;
  // Fully-analog: block 1 takes each chunk of 32 tokens from block 0 as it is stored, at 4714
  // and 9147 ns (PipelineModes.EndToEndLatencyOfEachModeByHand's xb-pipe times).
  const auto& flows = s.flows.at("fully-analog");
  ASSERT_EQ(flows.size(), 2u);
  EXPECT_EQ(flows[0].first, "block0.dense -> block1.dense");
  EXPECT_EQ(to_ps(flows[0].second), 4714000);
  EXPECT_EQ(to_ps(flows[1].second), 9147000);
  EXPECT_FALSE(s.flows.at("hybrid").empty());
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
