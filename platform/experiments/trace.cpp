#include "platform/experiments/trace.h"

#include <cmath>

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <numeric>
#include <tuple>

namespace aimcsim::platform {
namespace {

using json = nlohmann::ordered_json;
using workloads::TaskKind;

// A unit in display order: the tile array, the interconnect's tile streams, then cluster by
// cluster (numerically) its DMA, RedMulE and worker cores.
struct Unit {
  int group = 0;              // 0 tile array, 1 interconnect, 2 cluster
  std::uint64_t cluster = 0;  // the cluster; the first tile of per-tile tracks
  int engine = 0;             // in a cluster: 0 DMA, 1 RedMulE, 2 worker cores
  bool per_tile = false;

  bool operator<(const Unit& o) const {
    return std::tie(group, cluster, engine) < std::tie(o.group, o.cluster, o.engine);
  }
  std::string name() const {
    if (group == 0) return per_tile ? fmt::format("aimc tile {}", cluster) : "aimc tiles";
    if (group == 1) return "interconnect (tile streams)";
    static constexpr const char* engines[] = {"dma", "redmule", "cores"};
    return fmt::format("cluster{} {}", cluster, engines[engine]);
  }
};

Unit unit_of(const workloads::Task& t, bool per_tile) {
  switch (t.kind) {
    case TaskKind::mvm:
      return per_tile ? Unit{0, t.first_tile(), 0, true} : Unit{0, 0, 0};
    case TaskKind::stream:
      return Unit{1, 0, 0};
    case TaskKind::dma:
      return Unit{2, t.cluster, 0};
    case TaskKind::gemm_redmule:
      return Unit{2, t.cluster, 1};
    case TaskKind::core_kernel:
      return Unit{2, t.cluster, 2};
    case TaskKind::join:
      break;
  }
  return Unit{};
}

// What the task does, and how long it waited for its unit after its inputs were ready.
json args_of(const workloads::Task& t, const TaskTiming& timing, const workloads::OpSpan* op) {
  json a = json::object();
  if (op) {
    a["operator"] = op->label;
    a["op"] = workloads::to_string(op->kind);
  }
  switch (t.kind) {
    case TaskKind::mvm:
      a["first_tile"] = t.first_tile();
      a["d_in"] = t.d_in();
      a["d_out"] = t.d_out();
      a["tokens"] = t.tokens();
      break;
    case TaskKind::stream:
    case TaskKind::dma:
      a["src"] = workloads::to_string(t.src);
      a["dst"] = workloads::to_string(t.dst);
      a["bytes"] = t.bytes();
      break;
    case TaskKind::gemm_redmule:
      a["m"] = t.m();
      a["n"] = t.n();
      a["k"] = t.k();
      a["precision"] = cluster::to_string(t.precision);
      break;
    case TaskKind::core_kernel:
      a["kernel"] = cluster::to_string(t.kernel);
      if (t.kernel == cluster::Kernel::gemm) {
        a["m"] = t.m();
        a["n"] = t.n();
        a["k"] = t.k();
      } else {
        a["elements"] = t.elements();
        if (t.rows() > 1) a["rows"] = t.rows();
      }
      a["precision"] = cluster::to_string(t.precision);
      break;
    case TaskKind::join:
      break;
  }
  a["queued_ns"] = static_cast<double>(timing.start_ps - timing.ready_ps) / 1000.0;
  return a;
}

double us(std::uint64_t ps) {
  return static_cast<double>(ps) / 1e6;
}

// The "power (W)" counter events of a run that recorded its energy: one event wherever a
// task's power starts or stops, with every unit type's power then.
void add_power_counters(const TracedRun& r, std::size_t pid, json& out) {
  const RunResult& run = *r.run;
  const std::size_t units = run.energy_units.size();
  if (units == 0 || run.task_energy_pj.size() != run.tasks.size() * units) return;
  struct Step {
    std::uint64_t ps;
    std::size_t task;
    bool starts;
  };
  std::vector<Step> steps;
  for (std::size_t i = 0; i < run.tasks.size(); ++i) {
    const auto& t = run.tasks[i];
    if (t.end_ps <= t.start_ps) continue;  // no time to spread energy over (joins)
    steps.push_back({t.start_ps, i, true});
    steps.push_back({t.end_ps, i, false});
  }
  std::stable_sort(steps.begin(), steps.end(),
                   [](const Step& a, const Step& b) { return a.ps < b.ps; });
  std::vector<double> watts(run.static_power_w.begin(), run.static_power_w.end());
  watts.resize(units, 0.0);
  const auto emit = [&](std::uint64_t ps) {
    json args = json::object();
    for (std::size_t u = 0; u < units; ++u)
      args[run.energy_units[u]] = std::abs(watts[u]) < 1e-12 ? 0.0 : watts[u];
    out.push_back(json{{"name", "power (W)"},
                       {"ph", "C"},
                       {"pid", pid},
                       {"ts", us(ps - run.start_ps)},
                       {"args", std::move(args)}});
  };
  emit(run.start_ps);
  for (std::size_t k = 0; k < steps.size(); ++k) {
    const Step& s = steps[k];
    const auto& t = run.tasks[s.task];
    const double seconds = static_cast<double>(t.end_ps - t.start_ps) * 1e-12;
    for (std::size_t u = 0; u < units; ++u) {
      const double w = run.task_energy_pj[s.task * units + u] * 1e-12 / seconds;
      watts[u] += s.starts ? w : -w;
    }
    if (k + 1 == steps.size() || steps[k + 1].ps != s.ps) emit(s.ps);
  }
}

// The working tasks a task waits for, through joins.
void producers_of(const workloads::TaskGraph& g, std::size_t task, std::vector<std::size_t>& out) {
  for (const workloads::TaskId d : g.deps(task)) {
    if (g.task(d).kind == TaskKind::join)
      producers_of(g, d, out);
    else
      out.push_back(d);
  }
}

}  // namespace

nlohmann::ordered_json trace_events(const std::vector<TracedRun>& runs,
                                    const TraceOptions& options) {
  std::uint64_t flow_id = 0;
  json meta = json::array();
  json slices = json::array();
  for (std::size_t pid = 0; pid < runs.size(); ++pid) {
    const TracedRun& r = runs[pid];
    const auto& tasks = r.graph->tasks();
    meta.push_back(
        json{{"name", "process_name"}, {"ph", "M"}, {"pid", pid}, {"args", {{"name", r.name}}}});
    meta.push_back(json{{"name", "process_sort_index"},
                        {"ph", "M"},
                        {"pid", pid},
                        {"args", {{"sort_index", pid}}}});

    // The operator of each task, when the run has them.
    std::vector<const workloads::OpSpan*> op_of(tasks.size(), nullptr);
    if (r.ops)
      for (const auto& op : *r.ops)
        for (std::size_t k = op.first_task; k < op.end_task && k < tasks.size(); ++k)
          op_of[k] = &op;

    // Lanes, greedily: each unit's tasks by start (the longer first on a tie, then in graph
    // order), each on the unit's first lane that is free by its start. Events on one lane are
    // disjoint, so every track nests trivially.
    // Joins do no work and are not shown.
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < tasks.size(); ++i)
      if (tasks[i].kind != TaskKind::join) order.push_back(i);
    const auto& timing = r.run->tasks;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      const auto& ta = timing[a];
      const auto& tb = timing[b];
      if (ta.start_ps != tb.start_ps) return ta.start_ps < tb.start_ps;
      return ta.end_ps - ta.start_ps > tb.end_ps - tb.start_ps;
    });
    std::map<Unit, std::vector<std::uint64_t>> lane_ends;  // per unit, each lane's last end
    std::vector<std::size_t> lane_of(tasks.size(), 0);
    for (std::size_t i : order) {
      auto& ends = lane_ends[unit_of(tasks[i], options.pipeline)];
      std::size_t lane = 0;
      while (lane < ends.size() && ends[lane] > timing[i].start_ps) ++lane;
      if (lane == ends.size()) ends.push_back(0);
      ends[lane] = timing[i].end_ps;
      lane_of[i] = lane;
    }

    // One track per lane, numbered in unit order, then lane order.
    std::map<Unit, std::size_t> first_tid;
    std::size_t tid = 0;
    for (const auto& [unit, ends] : lane_ends) {
      first_tid[unit] = tid;
      for (std::size_t lane = 0; lane < ends.size(); ++lane, ++tid) {
        const std::string name =
            lane == 0 ? unit.name() : fmt::format("{} #{}", unit.name(), lane + 1);
        meta.push_back(json{{"name", "thread_name"},
                            {"ph", "M"},
                            {"pid", pid},
                            {"tid", tid},
                            {"args", {{"name", name}}}});
        meta.push_back(json{{"name", "thread_sort_index"},
                            {"ph", "M"},
                            {"pid", pid},
                            {"tid", tid},
                            {"args", {{"sort_index", tid}}}});
      }
    }

    for (std::size_t i = 0; i < tasks.size(); ++i) {
      const workloads::Task& t = tasks[i];
      if (t.kind == TaskKind::join) continue;
      slices.push_back(json{{"name", r.graph->name(i)},
                            {"cat", workloads::to_string(t.kind)},
                            {"ph", "X"},
                            {"pid", pid},
                            {"tid", first_tid.at(unit_of(t, options.pipeline)) + lane_of[i]},
                            {"ts", us(timing[i].start_ps - r.run->start_ps)},
                            {"dur", us(timing[i].end_ps - timing[i].start_ps)},
                            {"args", args_of(t, timing[i], op_of[i])}});
    }
    if (options.pipeline && r.ops) {
      // Into each task released by another operator: an arrow from its producer that ended
      // last (the one it waited for).
      const auto track = [&](std::size_t k) {
        return first_tid.at(unit_of(tasks[k], true)) + lane_of[k];
      };
      std::vector<std::size_t> from;
      for (std::size_t i = 0; i < tasks.size(); ++i) {
        if (tasks[i].kind == TaskKind::join || op_of[i] == nullptr) continue;
        from.clear();
        producers_of(*r.graph, i, from);
        std::size_t last = tasks.size();
        for (const std::size_t p : from)
          if (op_of[p] != nullptr && op_of[p] != op_of[i] &&
              (last == tasks.size() || timing[p].end_ps > timing[last].end_ps))
            last = p;
        if (last == tasks.size()) continue;
        const std::string name = op_of[last]->label + " -> " + op_of[i]->label;
        slices.push_back(json{{"name", name},
                              {"cat", "flow"},
                              {"ph", "s"},
                              {"id", flow_id},
                              {"pid", pid},
                              {"tid", track(last)},
                              {"ts", us(timing[last].start_ps - r.run->start_ps)}});
        slices.push_back(json{{"name", name},
                              {"cat", "flow"},
                              {"ph", "f"},
                              {"bp", "e"},
                              {"id", flow_id++},
                              {"pid", pid},
                              {"tid", track(i)},
                              {"ts", us(timing[i].start_ps - r.run->start_ps)}});
      }
    }
    add_power_counters(r, pid, slices);
  }
  json events = std::move(meta);
  for (auto& e : slices) events.push_back(std::move(e));
  return json{{"displayTimeUnit", "ns"}, {"traceEvents", std::move(events)}};
}

}  // namespace aimcsim::platform
