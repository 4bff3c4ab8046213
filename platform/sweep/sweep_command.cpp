// `aimcsim sweep SPEC --out DIR [-j N]`: reads and checks the spec, checks every platform
// value by building the platforms in a worker, then runs the points not yet in DIR on N
// worker processes, journaling each row as it arrives.
#include "models/sim/errors.h"
#include "platform/commands.h"
#include "platform/platform.h"
#include "platform/sweep/point.h"
#include "platform/sweep/progress.h"
#include "platform/sweep/results.h"
#include "platform/sweep/spec.h"
#include "platform/sweep/workers.h"

#include <unistd.h>

#include <csignal>
#include <iostream>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace aimcsim::platform {
namespace {

using json = nlohmann::ordered_json;
using sweep::Spec;

volatile std::sig_atomic_t g_interrupted = 0;
extern "C" void on_interrupt(int) {
  g_interrupted = 1;
}

std::string platform_error(const Spec& spec, std::size_t part, const std::string& where, int line,
                           const std::string& what) {
  std::string message = what;
  if (what.find("unknown key") != std::string::npos)
    message = fmt::format("not a parameter of {} runs ({}) nor a platform key: {}",
                          sweep::to_string(spec.parts[part].run),
                          spec.parts[part].run == sweep::RunKind::layer
                              ? "layer.shape, layer.d_in, layer.d_out, layer.tokens, lora.rank, "
                                "lora.precision, strategy, chunk"
                              : "model, lora.rank, lora.targets, lora.precision, seq, batch, "
                                "phase, strategy, schedule, chunk, pack_tiles, lora_clusters",
                          what);
  return fmt::format("{}:{}: parts[{}].{}: {}", spec.origin, line, part, where, message);
}

// Builds, in a worker, the platform of every part's base and of every platform value of every
// axis on top of it; returns the platform file's effective configuration, or throws the first
// error naming the spec line.
std::string check_platform_values(const Spec& spec) {
  const auto outcome = sweep::run_in_child([&spec]() -> std::string {
    unsigned n = 0;
    const auto build = [&](const std::vector<std::string>& sets) {
      load_platform(spec.platform_file(), sets, fmt::format("probe{}", n++));
    };
    std::string effective;
    try {
      effective = load_platform(spec.platform_file(), {}, "probe").config.effective_yaml();
    } catch (const sim::UserError& e) {
      return json{{"error", fmt::format("{}: platform: {}", spec.origin, e.what())}}.dump();
    }
    for (std::size_t pi = 0; pi < spec.parts.size(); ++pi) {
      const auto& part = spec.parts[pi];
      std::vector<std::string> base;
      int line = 0;
      for (const auto& s : part.base)
        if (!sweep::is_run_parameter(part.run, s.path)) {
          base.push_back(s.path + "=" + s.value);
          line = line ? line : s.line;
        }
      try {
        build(base);
      } catch (const sim::UserError& e) {
        return json{{"error", platform_error(spec, pi, "base", line, e.what())}}.dump();
      }
      for (const auto& axis : part.axes) {
        if (sweep::is_run_parameter(part.run, axis.path) || axis.path == "layer.shape") continue;
        for (const auto& v : axis.values) {
          auto sets = base;
          sets.push_back(axis.path + "=" + v);
          try {
            build(sets);
          } catch (const sim::UserError& e) {
            return json{
                {"error", platform_error(spec, pi, "sweep." + axis.path, axis.line, e.what())}}
                .dump();
          }
        }
      }
    }
    return json{{"platform_yaml", effective}}.dump();
  });
  if (!outcome.ok)  // a crash while building platforms is a bug: main says internal error
    throw std::runtime_error("checking the platform values: " + outcome.text);
  const json j = json::parse(outcome.text);
  if (j.contains("error")) throw sim::UserError(j["error"].get<std::string>());
  return j["platform_yaml"].get<std::string>();
}

std::string describe(const Spec& spec, const sweep::Point& p) {
  std::vector<std::string> values;
  for (const auto& [path, value] : p.swept) values.push_back(path + "=" + value);
  return fmt::format("point {} ({}: {})", p.index, spec.parts[p.part].name,
                     fmt::join(values, ", "));
}

// The points to run this time: those of the --only parts (all without it).
std::vector<const sweep::Point*> selected_points(const Spec& spec,
                                                 const std::vector<sweep::Point>& points,
                                                 const std::vector<std::string>& only) {
  std::vector<bool> selected(spec.parts.size(), only.empty());
  for (const auto& name : only) {
    const auto it = std::find_if(spec.parts.begin(), spec.parts.end(),
                                 [&](const sweep::Part& p) { return p.name == name; });
    if (it == spec.parts.end()) {
      std::vector<std::string> names;
      for (const auto& p : spec.parts) names.push_back(p.name);
      throw sim::UserError(fmt::format("--only {}: {} has no such part; its parts are {}", name,
                                       spec.origin, fmt::join(names, ", ")));
    }
    selected[static_cast<std::size_t>(it - spec.parts.begin())] = true;
  }
  std::vector<const sweep::Point*> out;
  for (const auto& p : points)
    if (selected[p.part]) out.push_back(&p);
  return out;
}

bool is_ok(const json& row) {
  return row.value("status", std::string()) == "ok";
}

struct Tally {
  std::size_t done = 0, failed = 0;
  void add(const json& row) {
    ++done;
    failed += !is_ok(row);
  }
};

// Runs every selected point not yet in results on the workers, journaling each row as it
// arrives, until all are done or SIGINT/SIGTERM arrives; returns false when interrupted.
bool run_points(const Spec& spec, const std::vector<const sweep::Point*>& todo,
                sweep::ResultsDir& results, unsigned jobs, Tally& tally,
                sweep::Progress& progress) {
  g_interrupted = 0;
  std::signal(SIGINT, on_interrupt);
  std::signal(SIGTERM, on_interrupt);
  sweep::Workers workers(jobs);
  std::size_t next = 0;
  auto last_csv = std::chrono::steady_clock::now();
  while (!g_interrupted) {
    while (workers.has_room() && next < todo.size()) {
      const sweep::Point& p = *todo[next++];
      if (results.finished(p.index)) continue;
      workers.start(p.index, [&spec, &p] { return sweep::run_point(spec, p).dump(); });
    }
    if (workers.running() == 0) break;
    for (const auto& f : workers.wait(200)) {
      if (g_interrupted && f.signalled) continue;  // stopped with the sweep: not a result
      json outcome = f.ok ? json::parse(f.text, nullptr, false) : json();
      if (!outcome.is_object())  // a crash, an internal error or an unreadable reply
        outcome = json{
            {"status", "failed"},
            {"error", "internal: " + (f.ok ? std::string("unreadable worker reply") : f.text)}};
      const auto it = std::find_if(todo.begin(), todo.end(),
                                   [&](const sweep::Point* p) { return p->index == f.id; });
      const json row = results.make_row(**it, outcome);
      results.append(row);
      tally.add(row);
      progress.update(tally.done, tally.failed);
    }
    if (std::chrono::steady_clock::now() - last_csv > std::chrono::seconds(1)) {
      results.write_csv();  // a readable snapshot while the sweep runs
      last_csv = std::chrono::steady_clock::now();
    }
  }
  workers.stop_all();
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  return !g_interrupted;
}

void print_failures(const Spec& spec, const std::vector<const sweep::Point*>& todo,
                    const sweep::ResultsDir& results, std::size_t failed) {
  std::size_t shown = 0;
  for (const sweep::Point* p : todo) {
    const json& row = results.rows().at(p->index);
    if (is_ok(row)) continue;
    if (shown++ == 3) {
      std::cout << fmt::format("  ... {} more: see the error column of results.csv\n", failed - 3);
      return;
    }
    std::cout << fmt::format("  failed {}: {}\n", describe(spec, *p), row.value("error", ""));
  }
}

}  // namespace

int sweep_command(const SweepOptions& o) {
  // Everything is checked before the first point runs.
  const Spec spec = Spec::load(o.spec);
  const std::vector<sweep::Point> points = sweep::expand(spec);
  sweep::check_points(spec, points);
  const std::vector<const sweep::Point*> todo = selected_points(spec, points, o.only);
  const std::string platform_yaml = check_platform_values(spec);
  sweep::ResultsDir results(o.out, spec, points, platform_yaml);
  const unsigned jobs = o.jobs ? o.jobs : std::max(1u, std::thread::hardware_concurrency());

  Tally tally;
  for (const sweep::Point* p : todo)
    if (results.finished(p->index)) tally.add(results.rows().at(p->index));
  const std::size_t resumed = tally.done;
  std::cout << fmt::format(
                   "sweep {}: {} of {} points{}, {} already in {}, {} worker(s)\n", o.spec,
                   todo.size(), points.size(),
                   o.only.empty() ? "" : fmt::format(" (--only {})", fmt::join(o.only, ",")),
                   resumed, o.out, jobs)
            << std::flush;

  sweep::Progress progress(todo.size(), resumed, isatty(STDERR_FILENO) != 0, std::cerr);
  const bool complete = run_points(spec, todo, results, jobs, tally, progress);
  progress.update(tally.done, tally.failed);
  progress.finish();
  results.write_csv();
  if (!complete) {
    std::cerr << fmt::format(
        "aimcsim: sweep interrupted with {} of {} points done; rerun the same command to "
        "resume\n",
        tally.done, todo.size());
    return 130;
  }
  if (results.rows().size() == points.size()) results.write_jsonl();  // in point order
  std::cout << fmt::format("{} points: {} ok, {} failed ({} run now in {:.1f} s)\n", todo.size(),
                           todo.size() - tally.failed, tally.failed, todo.size() - resumed,
                           progress.elapsed_s());
  print_failures(spec, todo, results, tally.failed);
  std::cout << fmt::format("wrote {0}/results.csv, {0}/results.jsonl, {0}/spec.yaml\n", o.out);
  return 0;
}

}  // namespace aimcsim::platform
