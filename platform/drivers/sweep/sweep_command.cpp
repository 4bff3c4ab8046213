// `aimcsim sweep SPEC --out DIR [-j N]`: reads and checks the spec, checks every platform
// value by building the platforms in a worker, then runs the points not yet in DIR on N
// worker processes, journaling each row as it arrives.
#include "models/sim/errors.h"
#include "platform/drivers/cli/commands.h"
#include "platform/assembly/platform.h"
#include "platform/drivers/sweep/point.h"
#include "platform/drivers/sweep/progress.h"
#include "platform/drivers/sweep/results.h"
#include "platform/drivers/sweep/spec.h"
#include "platform/experiments/workers.h"

#include <unistd.h>

#include <csignal>
#include <deque>
#include <iostream>
#include <map>
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
                                "phase, strategy, pipeline, chunk, pack_tiles, lora_clusters",
                          what);
  return fmt::format("{}:{}: parts[{}].{}: {}", spec.origin, line, part, where, message);
}

// Builds, in a worker, the platform of every part's base and of every platform value of every
// axis on top of it; returns the platform file's effective configuration, or throws the first
// error naming the spec line.
std::string check_platform_values(const Spec& spec) {
  std::string reply;
  try {
    reply = run_in_child([&spec]() -> std::string {
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
  } catch (const std::runtime_error& e) {  // a crash while building platforms is a bug
    throw std::runtime_error(std::string("checking the platform values: ") + e.what());
  }
  const json j = json::parse(reply);
  if (j.contains("error")) throw sim::UserError(j["error"].get<std::string>());
  return j["platform_yaml"].get<std::string>();
}

std::string describe(const Spec& spec, const sweep::Point& p) {
  std::vector<std::string> values;
  for (const auto& [path, value] : p.swept) values.push_back(path + "=" + value);
  return fmt::format("point {} ({}: {})", p.index, spec.parts[p.part].name,
                     fmt::join(values, ", "));
}

// The points to run this time: those of the --only parts (all without it), by index.
std::vector<std::size_t> selected_points(const Spec& spec, const std::vector<std::string>& only) {
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
  std::vector<std::size_t> out;
  std::size_t first = 0;
  for (std::size_t part = 0; part < spec.parts.size(); ++part) {
    const std::size_t n = spec.parts[part].points();
    if (selected[part])
      for (std::size_t i = 0; i < n; ++i) out.push_back(first + i);
    first += n;
  }
  return out;
}

bool is_ok(const json& row) {
  return row.value("status", std::string()) == "ok";
}

struct Tally {
  std::size_t done = 0, failed = 0;
  void add(bool ok) {
    ++done;
    failed += !ok;
  }
};

// Points per worker process: points that share their platform settings run on one platform
// (one elaboration), a few at a time so that the workers stay balanced and progress moves.
constexpr std::size_t kPointsPerWorker = 8;

// Runs every selected point not yet in results on the workers, journaling each row as it
// arrives, until all are done or SIGINT/SIGTERM arrives; returns false when interrupted.
bool run_points(const Spec& spec, const std::vector<std::size_t>& selected,
                sweep::ResultsDir& results, unsigned jobs, const Limits& limits, Tally& tally,
                sweep::Progress& progress) {
  g_interrupted = 0;
  std::signal(SIGINT, on_interrupt);
  std::signal(SIGTERM, on_interrupt);
  std::deque<std::size_t> todo;
  for (const std::size_t i : selected)
    if (!results.finished(i)) todo.push_back(i);
  Workers workers(jobs);
  std::map<std::size_t, std::vector<std::size_t>> batches;  // running job -> points not reported
  std::size_t next_job = 0;
  auto last_csv = std::chrono::steady_clock::now();
  std::chrono::steady_clock::duration csv_interval = std::chrono::seconds(1);
  const auto record = [&](std::size_t index, const json& outcome) {
    const json row = results.make_row(sweep::point_at(spec, index), outcome);
    results.append(row);
    tally.add(is_ok(row));
    progress.update(tally.done, tally.failed);
  };
  while (!g_interrupted) {
    while (workers.has_room() && !todo.empty()) {
      // The next points in order that share the first one's platform settings.
      std::vector<sweep::Point> batch{sweep::point_at(spec, todo.front())};
      todo.pop_front();
      while (!todo.empty() && batch.size() < kPointsPerWorker) {
        sweep::Point p = sweep::point_at(spec, todo.front());
        if (p.platform_sets != batch.front().platform_sets) break;
        batch.push_back(std::move(p));
        todo.pop_front();
      }
      std::vector<std::size_t>& pending = batches[next_job];
      for (const auto& p : batch) pending.push_back(p.index);
      workers.start(next_job++, [&spec, &limits, batch](const Emit& emit) {
        sweep::run_points_on_one_platform(
            spec, batch, limits,
            [&emit](std::size_t index, const json& outcome) { emit(index, outcome.dump()); });
      });
    }
    if (workers.running() == 0) break;
    std::vector<WorkerResult> arrived;
    std::vector<Ended> ended;
    workers.wait(200, arrived, ended);
    for (const auto& r : arrived) {
      auto& pending = batches.at(r.job);
      const auto it = std::find(pending.begin(), pending.end(), r.item);
      if (it == pending.end()) continue;  // not one of its points: ignore
      pending.erase(it);
      json outcome = json::parse(r.text, nullptr, false);
      if (!outcome.is_object())
        outcome = json{{"status", "failed"}, {"error", "internal: unreadable worker reply"}};
      record(r.item, outcome);
    }
    for (const auto& e : ended) {
      std::vector<std::size_t> pending = std::move(batches.at(e.job));
      batches.erase(e.job);
      if (pending.empty() || (g_interrupted && e.signalled)) continue;  // stopped with the sweep
      // A worker that stopped early (its platform's time ran out) leaves its points to a new
      // one; after a crash or an internal error the point it was running failed with it.
      std::size_t requeue_from = 0;
      if (!e.clean) {
        record(pending.front(), json{{"status", "failed"}, {"error", "internal: " + e.why}});
        requeue_from = 1;
      }
      for (std::size_t k = pending.size(); k-- > requeue_from;) todo.push_front(pending[k]);
    }
    // A readable snapshot while the sweep runs: every second, or less often when rewriting
    // it takes long (a large sweep), so that it never takes more than a twentieth of the time.
    if (std::chrono::steady_clock::now() - last_csv > csv_interval) {
      const auto t0 = std::chrono::steady_clock::now();
      results.write_csv();
      last_csv = std::chrono::steady_clock::now();
      csv_interval = std::max<std::chrono::steady_clock::duration>(std::chrono::seconds(1),
                                                                   20 * (last_csv - t0));
    }
  }
  workers.stop_all();
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  return !g_interrupted;
}

void print_failures(const Spec& spec, const std::vector<std::size_t>& selected,
                    const sweep::ResultsDir& results, std::size_t failed) {
  std::size_t shown = 0;
  for (const std::size_t index : selected) {
    if (results.ok(index)) continue;
    if (shown++ == 3) {
      std::cout << fmt::format("  ... {} more: see the error column of results.csv\n", failed - 3);
      return;
    }
    std::cout << fmt::format("  failed {}: {}\n", describe(spec, sweep::point_at(spec, index)),
                             results.error(index));
  }
}

}  // namespace

int sweep_command(const SweepOptions& o) {
  // Everything is checked before the first point runs, the cheap checks first: the number of
  // points before any point is built, the platform values before the points' run parameters.
  const Spec spec = Spec::load(o.spec);
  sweep::check_point_count(spec, o.max_points);
  const std::vector<std::size_t> todo = selected_points(spec, o.only);
  const std::string platform_yaml = check_platform_values(spec);
  sweep::check_points(spec);
  sweep::ResultsDir results(o.out, spec, platform_yaml);
  const unsigned jobs = o.jobs ? o.jobs : std::max(1u, std::thread::hardware_concurrency());
  const std::size_t total = spec.points();

  Tally tally;
  for (const std::size_t i : todo)
    if (results.finished(i)) tally.add(results.ok(i));
  const std::size_t resumed = tally.done;
  std::cout << fmt::format(
                   "sweep {}: {} of {} points{}, {} already in {}, {} worker(s)\n", o.spec,
                   todo.size(), total,
                   o.only.empty() ? "" : fmt::format(" (--only {})", fmt::join(o.only, ",")),
                   resumed, o.out, jobs)
            << std::flush;

  sweep::Progress progress(todo.size(), resumed, isatty(STDERR_FILENO) != 0, std::cerr);
  const bool complete = run_points(spec, todo, results, jobs, o.limits, tally, progress);
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
  if (results.rows() == total) results.write_jsonl();  // in point order
  std::cout << fmt::format("{} points: {} ok, {} failed ({} run now in {:.1f} s)\n", todo.size(),
                           todo.size() - tally.failed, tally.failed, todo.size() - resumed,
                           progress.elapsed_s());
  print_failures(spec, todo, results, tally.failed);
  std::cout << fmt::format("wrote {0}/results.csv, {0}/results.jsonl, {0}/spec.yaml\n", o.out);
  return 0;
}

}  // namespace aimcsim::platform
