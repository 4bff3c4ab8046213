#include "platform/experiments/chunk_search.h"

#include "models/sim/errors.h"
#include "models/sim/units.h"
#include "platform/experiments/workers.h"

#include <sstream>

#include <fmt/format.h>

namespace aimcsim::platform {
namespace {

// A candidate's result as one line: "t_analog t_hybrid e_analog e_hybrid d_in:d_out:chunk,...".
std::string encode(const ModelOutcome& o) {
  ShapeChunks used;
  for (const auto& p : o.mapping.linears) used.emplace(std::make_pair(p.d_in, p.d_out), p.chunk);
  std::string shapes;
  for (const auto& [shape, chunk] : used)
    shapes +=
        fmt::format("{}{}:{}:{}", shapes.empty() ? "" : ",", shape.first, shape.second, chunk);
  return fmt::format("{} {} {} {} {}", o.t_analog_ns(), o.t_hybrid_ns(),
                     sim::to_nj(o.cost_analog.total_aj()), sim::to_nj(o.cost_hybrid.total_aj()),
                     shapes.empty() ? "-" : shapes);
}

void decode(const std::string& line, ChunkCandidate& c) {
  std::istringstream in(line);
  std::string shapes;
  in >> c.t_analog_ns >> c.t_hybrid_ns >> c.e_analog_nj >> c.e_hybrid_nj >> shapes;
  c.ok = static_cast<bool>(in);
  if (!c.ok) {
    c.why = "an unreadable worker reply";
    return;
  }
  std::istringstream list(shapes == "-" ? "" : shapes);
  for (std::string item; std::getline(list, item, ',');) {
    std::uint64_t d_in = 0, d_out = 0, chunk = 0;
    char colon1 = 0, colon2 = 0;
    std::istringstream one(item);
    one >> d_in >> colon1 >> d_out >> colon2 >> chunk;
    c.used[{d_in, d_out}] = chunk;
  }
}

// Simulates candidates [from, end) of cs, up to `jobs` at a time, each in its own process.
void evaluate(std::vector<ChunkCandidate>& cs, std::size_t from,
              const std::function<LoadedPlatform()>& load, const ModelRequest& base,
              unsigned jobs) {
  Workers workers(jobs);
  std::size_t next = from;
  while (next < cs.size() || workers.running() > 0) {
    while (next < cs.size() && workers.has_room()) {
      ModelRequest r = base;
      r.chunk = cs[next].chunk;
      r.chunk_by_shape = cs[next].by_shape;
      r.keep_graphs = false;
      workers.start(next, [&load, r](const Emit& emit) {
        LoadedPlatform p = load();
        emit(0, encode(run_model(*p.platform, r)));
      });
      ++next;
    }
    std::vector<WorkerResult> results;
    std::vector<Ended> ended;
    workers.wait(1000, results, ended);
    for (const auto& r : results) decode(r.text, cs[r.job]);
    for (const auto& e : ended)
      if (!e.clean) {
        cs[e.job].ok = false;
        cs[e.job].why = e.why;
      }
  }
}

std::size_t best_of(const std::vector<ChunkCandidate>& cs, Objective o) {
  std::size_t best = cs.size();
  for (std::size_t i = 0; i < cs.size(); ++i)
    if (cs[i].ok && (best == cs.size() || cs[i].score(o) < cs[best].score(o))) best = i;
  return best;
}

std::string shape_name(const std::pair<std::uint64_t, std::uint64_t>& s) {
  return fmt::format("{}->{}", s.first, s.second);
}

}  // namespace

Objective parse_objective(const std::string& text) {
  if (text == "latency") return Objective::latency;
  if (text == "energy") return Objective::energy;
  if (text == "edp") return Objective::edp;
  throw sim::UserError(fmt::format("--objective '{}': expected latency, energy or edp", text));
}

const char* to_string(Objective o) {
  switch (o) {
    case Objective::latency:
      return "latency";
    case Objective::energy:
      return "energy";
    case Objective::edp:
      return "edp";
  }
  return "?";
}

std::string ChunkCandidate::label() const {
  if (by_shape.empty()) return chunk == 0 ? "auto" : std::to_string(chunk);
  std::string s;
  for (const auto& [shape, c] : by_shape)
    s += fmt::format("{}{} {}", s.empty() ? "" : ", ", shape_name(shape), c);
  return s;
}

double ChunkCandidate::score(Objective o) const {
  switch (o) {
    case Objective::latency:
      return t_hybrid_ns;
    case Objective::energy:
      return e_hybrid_nj;
    case Objective::edp:
      return t_hybrid_ns * e_hybrid_nj;
  }
  return t_hybrid_ns;
}

ChunkSearchOutcome search_chunks(const std::function<LoadedPlatform()>& load,
                                 const ModelRequest& base, Objective objective, unsigned jobs) {
  ChunkSearchOutcome out;
  out.objective = objective;
  auto& cs = out.tried;
  // 1. coarse: auto, then one chunk for every linear.
  cs.push_back({"coarse", 0, {}, false, "", 0, 0, 0, 0, {}});
  const std::uint64_t tokens = base.schedule.tokens();
  for (std::uint64_t c = 1;; c *= 2) {
    cs.push_back({"coarse", std::min(c, tokens), {}, false, "", 0, 0, 0, 0, {}});
    if (c >= tokens) break;
  }
  evaluate(cs, 0, load, base, jobs);
  // auto is what a run without the search does: its error is the input's.
  if (!cs.front().ok) throw sim::UserError(cs.front().why);
  const std::size_t best = best_of(cs, objective);
  // 2. fine: each shape's chunk halved and doubled from the best so far.
  const ShapeChunks start = cs[best].used;
  const std::size_t fine = cs.size();
  for (const auto& [shape, c] : start)
    for (const std::uint64_t n : {c / 2, c * 2})
      if (n >= 1 && n <= tokens && n != c) {
        ChunkCandidate k{"fine", 0, start, false, "", 0, 0, 0, 0, {}};
        k.by_shape[shape] = n;
        cs.push_back(k);
      }
  evaluate(cs, fine, load, base, jobs);
  // Every shape's better neighbour together, when more than one improved on their own.
  ShapeChunks together = start;
  int improved = 0;
  for (const auto& [shape, c] : start) {
    std::size_t pick = cs.size();
    for (std::size_t i = fine; i < cs.size(); ++i)
      if (cs[i].ok && cs[i].by_shape.at(shape) != c &&
          cs[i].score(objective) < cs[best].score(objective) &&
          (pick == cs.size() || cs[i].score(objective) < cs[pick].score(objective)))
        pick = i;
    if (pick != cs.size()) {
      together[shape] = cs[pick].by_shape.at(shape);
      ++improved;
    }
  }
  if (improved > 1) {
    cs.push_back({"fine", 0, together, false, "", 0, 0, 0, 0, {}});
    evaluate(cs, cs.size() - 1, load, base, jobs);
  }
  out.winner = best_of(cs, objective);
  out.auto_index = 0;
  return out;
}

nlohmann::ordered_json chunk_search_report(const ChunkSearchOutcome& o) {
  using json = nlohmann::ordered_json;
  json j;
  j["objective"] = to_string(o.objective);
  json tried = json::array();
  for (const auto& c : o.tried) {
    json t;
    t["stage"] = c.stage;
    t["chunks"] = c.label();
    if (c.ok) {
      t["t_analog_ns"] = c.t_analog_ns;
      t["t_hybrid_ns"] = c.t_hybrid_ns;
      t["overhead"] = c.t_hybrid_ns / c.t_analog_ns - 1.0;
      t["e_analog_nj"] = c.e_analog_nj;
      t["e_hybrid_nj"] = c.e_hybrid_nj;
      json used = json::object();
      for (const auto& [shape, chunk] : c.used) used[shape_name(shape)] = chunk;
      t["used"] = std::move(used);
    } else {
      t["error"] = c.why;
    }
    tried.push_back(std::move(t));
  }
  j["tried"] = std::move(tried);
  j["winner"] = o.tried[o.winner].label();
  j["winner_index"] = o.winner;
  const auto& a = o.tried[o.auto_index];
  const auto& w = o.tried[o.winner];
  if (a.ok) j["gain_over_auto"] = 1.0 - w.score(o.objective) / a.score(o.objective);
  return j;
}

std::string chunk_search_summary(const ChunkSearchOutcome& o) {
  std::string s = fmt::format(
      "chunk search ({}; {} candidates end to end; hybrid latency, energy, LoRA overhead, "
      "chunks):\n",
      to_string(o.objective), o.tried.size());
  for (std::size_t i = 0; i < o.tried.size(); ++i) {
    const auto& c = o.tried[i];
    if (!c.ok) {
      s += fmt::format("  {:<7} failed: {}  ({})\n", c.stage, c.why, c.label());
      continue;
    }
    s += fmt::format("  {:<7} {:>11.1f} us {:>11.1f} uJ {:>+9.1f}%  {}{}\n", c.stage,
                     c.t_hybrid_ns / 1000, c.e_hybrid_nj / 1000,
                     100 * (c.t_hybrid_ns / c.t_analog_ns - 1.0), c.label(),
                     i == o.winner ? "  <- winner" : "");
  }
  return s + "\n";
}

}  // namespace aimcsim::platform
