#include "platform/experiments/validate.h"

#include "models/sim/checked.h"
#include "models/sim/errors.h"
#include "models/sim/input.h"
#include "platform/drivers/output.h"
#include "platform/assembly/platform.h"
#include "platform/assembly/runtime.h"
#include "platform/experiments/workers.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

namespace aimcsim::platform {
namespace {

using json = nlohmann::ordered_json;

constexpr const char* kQuantities[] = {"cycles", "utilisation", "fpu_utilisation",
                                       "gflops", "mvm_ns",      "mvm_readout_ns"};

std::string at(const std::string& file, const YAML::Node& node) {
  const auto mark = node.Mark();
  return mark.line < 0 ? file : fmt::format("{}:{}", file, mark.line + 1);
}

// Reads points[i].<section><key> as T from a scalar of the mapping `parent`, or throws naming
// the file, line and key (section: "" for the point's own keys, "job." for its job's).
template <class T>
T scalar(const std::string& file, const YAML::Node& parent, std::size_t i, const char* key,
         const char* expected, bool required = true, T fallback = T{}, const char* section = "") {
  const YAML::Node node = parent[key];
  if (!node) {
    if (!required) return fallback;
    throw sim::UserError(fmt::format("{}: points[{}]{}: missing key '{}' ({})", at(file, parent), i,
                                     *section ? ".job" : "", key, expected));
  }
  try {
    if (!node.IsScalar()) throw YAML::Exception(node.Mark(), "not a scalar");
    return node.as<T>();
  } catch (const YAML::Exception&) {
    throw sim::UserError(
        fmt::format("{}: points[{}].{}{}: expected {}", at(file, node), i, section, key, expected));
  }
}

// Throws for the first key of the mapping node (at `where`) that is not one of known.
void check_keys(const std::string& file, const YAML::Node& node, const std::string& where,
                const std::vector<std::string>& known) {
  for (auto it = node.begin(); it != node.end(); ++it) {
    const std::string key = it->first.as<std::string>();
    if (std::find(known.begin(), known.end(), key) == known.end())
      throw sim::UserError(fmt::format("{}: {}: unknown key '{}'; expected {}", at(file, it->first),
                                       where, key, fmt::join(known, ", ")));
  }
}

ValidationJob read_job(const std::string& file, const YAML::Node& node, std::size_t i) {
  if (!node || !node.IsMap())
    throw sim::UserError(fmt::format(
        "{}: points[{}].job: expected a mapping such as {{engine: redmule, m: 96, n: 96, k: 96}}",
        at(file, node ? node : YAML::Node()), i));
  ValidationJob j;
  check_keys(file, node, fmt::format("points[{}].job", i),
             {"engine", "m", "n", "k", "precision", "op", "rows", "cols", "clock_mhz"});
  const auto text = [&](const char* key, const char* expected, const std::string& fallback,
                        std::initializer_list<const char*> allowed) {
    const std::string v =
        scalar<std::string>(file, node, i, key, expected, fallback.empty(), fallback, "job.");
    for (const char* a : allowed)
      if (v == a) return v;
    throw sim::UserError(fmt::format("{}: points[{}].job.{}: '{}': expected {}",
                                     at(file, node[key]), i, key, v, expected));
  };
  const auto count = [&](const char* key, bool required) {
    const std::string expected = "a positive integer";
    const auto v = scalar<std::uint64_t>(file, node, i, key, expected.c_str(), required, 0, "job.");
    if (required && v == 0)
      throw sim::UserError(
          fmt::format("{}: points[{}].job.{}: expected {}", at(file, node[key]), i, key, expected));
    return v;
  };
  j.engine = text("engine", "redmule, cores or aimc", "", {"redmule", "cores", "aimc"});
  const bool gemm = j.engine != "aimc";
  if (gemm) {
    j.m = count("m", true);
    j.n = count("n", true);
    j.k = count("k", true);
    j.precision = text("precision", "fp16 or fp8", "fp16", {"fp16", "fp8"});
    j.op = text("op", "gemm or matmul", "gemm", {"gemm", "matmul"});
    j.clock_mhz = scalar<double>(file, node, i, "clock_mhz", "a clock in MHz", false, 0.0, "job.");
    // A published clock (used only to turn cycles into GFLOPS): (0, 100 GHz].
    if (!(j.clock_mhz >= 0) || !std::isfinite(j.clock_mhz) || j.clock_mhz > 100000)
      throw sim::UserError(fmt::format(
          "{}: points[{}].job.clock_mhz: expected a clock in MHz, above 0 and at most 100000",
          at(file, node["clock_mhz"]), i));
    if (j.engine == "cores" && j.op != "gemm")
      throw sim::UserError(fmt::format("{}: points[{}].job.op: matmul is a RedMulE operation",
                                       at(file, node["op"]), i));
  } else {
    j.rows = count("rows", false);
    j.cols = count("cols", false);
  }
  for (const char* key : {"m", "n", "k", "precision", "op", "clock_mhz", "rows", "cols"}) {
    const bool belongs = gemm ? std::string(key) != "rows" && std::string(key) != "cols"
                              : std::string(key) == "rows" || std::string(key) == "cols";
    if (node[key] && !belongs)
      throw sim::UserError(fmt::format("{}: points[{}].job.{}: not a parameter of an {} job",
                                       at(file, node[key]), i, key, j.engine));
  }
  return j;
}

// Which quantities a job's engine has.
bool measures(const std::string& engine, Quantity q) {
  switch (q) {
    case Quantity::cycles:  // of the cluster's clock: a tile's MVM is timed in ns
      return engine != "aimc";
    case Quantity::utilisation:
      return engine == "redmule";
    case Quantity::fpu_utilisation:
      return engine == "cores";
    case Quantity::gflops:
      return engine != "aimc";
    case Quantity::mvm_ns:
    case Quantity::mvm_readout_ns:
      return engine == "aimc";
  }
  return false;
}

}  // namespace

const char* to_string(Quantity q) {
  return kQuantities[static_cast<int>(q)];
}

std::vector<ValidationPoint> read_validation_table(const std::string& file) {
  const YAML::Node doc = sim::load_yaml(sim::read_input_file(file, "validation table"), file);
  if (!doc.IsMap() || !doc["points"] || !doc["points"].IsSequence() || doc["points"].size() == 0)
    throw sim::UserError(
        fmt::format("{}: expected a mapping with a non-empty list 'points'", at(file, doc)));
  for (auto it = doc.begin(); it != doc.end(); ++it)
    if (it->first.as<std::string>() != "points")
      throw sim::UserError(fmt::format("{}: unknown key '{}'; expected points", at(file, it->first),
                                       it->first.as<std::string>()));
  std::vector<ValidationPoint> points;
  std::set<std::string> names;
  std::size_t i = 0;
  for (const YAML::Node& node : doc["points"]) {
    if (!node.IsMap())
      throw sim::UserError(fmt::format("{}: points[{}]: expected a mapping", at(file, node), i));
    check_keys(
        file, node, fmt::format("points[{}]", i),
        {"name", "quantity", "job", "platform", "set", "published", "tolerance", "source", "note"});
    ValidationPoint p;
    p.origin = at(file, node);
    p.name = scalar<std::string>(file, node, i, "name", "a name");
    if (!names.insert(p.name).second)
      throw sim::UserError(fmt::format("{}: points[{}].name: '{}' is given twice",
                                       at(file, node["name"]), i, p.name));
    const std::string quantity = scalar<std::string>(
        file, node, i, "quantity",
        "cycles, utilisation, fpu_utilisation, gflops, mvm_ns or mvm_readout_ns");
    const auto q = std::find(std::begin(kQuantities), std::end(kQuantities), quantity);
    if (q == std::end(kQuantities))
      throw sim::UserError(fmt::format(
          "{}: points[{}].quantity: '{}': expected cycles, utilisation, fpu_utilisation, gflops, "
          "mvm_ns or mvm_readout_ns",
          at(file, node["quantity"]), i, quantity));
    p.quantity = static_cast<Quantity>(q - std::begin(kQuantities));
    p.job = read_job(file, node["job"], i);
    if (!measures(p.job.engine, p.quantity))
      throw sim::UserError(fmt::format(
          "{}: points[{}].quantity: an {} job has no {}{}", at(file, node["quantity"]), i,
          p.job.engine, quantity, p.job.engine == "aimc" ? " (use mvm_ns or mvm_readout_ns)" : ""));
    if (p.job.clock_mhz > 0 && p.quantity != Quantity::gflops)
      throw sim::UserError(fmt::format(
          "{}: points[{}].job.clock_mhz: only a gflops point uses a published clock; {} does "
          "not depend on it",
          at(file, node["job"]), i, quantity));
    p.platform = scalar<std::string>(file, node, i, "platform", "a platform file", false,
                                     "configs/platforms/reference.yaml");
    if (const YAML::Node sets = node["set"]) {
      if (!sets.IsSequence())
        throw sim::UserError(fmt::format(
            "{}: points[{}].set: expected a list of path=value overrides", at(file, sets), i));
      for (const YAML::Node& s : sets) {
        if (!s.IsScalar() || s.Scalar().find('=') == std::string::npos)
          throw sim::UserError(fmt::format("{}: points[{}].set: expected path=value, got '{}'",
                                           at(file, s), i, s.IsScalar() ? s.Scalar() : "?"));
        p.sets.push_back(s.Scalar());
      }
    }
    p.published = scalar<double>(file, node, i, "published", "a positive number");
    if (!(p.published > 0) || !std::isfinite(p.published))
      throw sim::UserError(fmt::format("{}: points[{}].published: expected a positive number",
                                       at(file, node["published"]), i));
    p.tolerance = scalar<double>(file, node, i, "tolerance", "a relative error, e.g. 0.05");
    if (!(p.tolerance >= 0) || !std::isfinite(p.tolerance))
      throw sim::UserError(
          fmt::format("{}: points[{}].tolerance: expected a relative error >= 0, e.g. 0.05",
                      at(file, node["tolerance"]), i));
    p.source = scalar<std::string>(file, node, i, "source", "the publication and where in it");
    p.note = scalar<std::string>(file, node, i, "note", "a note", false, "");
    points.push_back(std::move(p));
    ++i;
  }
  return points;
}

double simulate_point(const ValidationPoint& point) {
  LoadedPlatform p = load_platform(point.platform, point.sets, "validate");
  Platform& platform = *p.platform;
  const ValidationJob& j = point.job;
  workloads::TaskGraph graph;
  if (j.engine == "aimc") {
    aimc::AimcTileArray& tiles = platform.aimc();
    const std::uint64_t rows = j.rows ? j.rows : tiles.rows();
    const std::uint64_t cols = j.cols ? j.cols : tiles.cols();
    if (rows > tiles.rows() || cols > tiles.cols())
      throw sim::UserError(fmt::format("the MVM uses {}x{} of a {}x{} tile (aimc.rows, aimc.cols)",
                                       rows, cols, tiles.rows(), tiles.cols()));
    tiles.require_tiles(1, "the MVM");
    graph.add(workloads::Task::mvm(0, rows, cols, 1));
    platform.reset_stats();
    std::uint64_t ps = run_graph(platform, graph).makespan_ps();
    if (point.quantity == Quantity::mvm_readout_ns) {
      const auto phases = tiles.phases(rows, cols);
      ps -= phases.output.ps - phases.conversion.ps;  // the local digital unit's part
    }
    return static_cast<double>(ps) / 1000.0;
  }
  cluster::Precision precision = cluster::Precision::fp16;
  cluster::parse_precision(j.precision, precision);
  cluster::SnitchCluster& cl = platform.cluster(0);
  // As `aimcsim kernel`: the job runs on operands already in the TCDM.
  const char* what = "the job's operand bytes";
  const std::uint64_t bytes =
      sim::mul(sim::add(sim::add(sim::mul(j.m, j.n, what), sim::mul(j.n, j.k, what), what),
                        sim::mul(j.m, j.k, what), what),
               cluster::element_bytes(precision), what);
  if (bytes > cl.tcdm().size())
    throw sim::UserError(fmt::format(
        "the GEMM's operands take {} bytes, more than the TCDM's {} (cluster.tcdm.size)", bytes,
        cl.tcdm().size()));
  const cluster::GemmOp op = j.op == "matmul" ? cluster::GemmOp::matmul : cluster::GemmOp::gemm;
  graph.add(j.engine == "redmule" ? workloads::Task::gemm(0, j.m, j.n, j.k, precision, op)
                                  : workloads::Task::core_gemm(0, j.m, j.n, j.k, precision));
  platform.reset_stats();
  const std::uint64_t ps = run_graph(platform, graph).makespan_ps();
  const double cycles = static_cast<double>(ps / cl.period().ps);
  const double fmas =
      static_cast<double>(j.m) * static_cast<double>(j.n) * static_cast<double>(j.k);
  switch (point.quantity) {
    case Quantity::cycles:
      return cycles;
    case Quantity::utilisation: {
      const auto per_cycle = precision == cluster::Precision::fp8
                                 ? cl.redmule().fp8_fmas_per_cycle()
                                 : cl.redmule().fmas_per_cycle();
      return fmas / (static_cast<double>(per_cycle) * cycles);
    }
    case Quantity::fpu_utilisation:
      return static_cast<double>(cl.cores().gemm_cost(j.m, j.n, j.k, precision).fp_instructions) /
             (static_cast<double>(cl.cores().cores()) * cycles);
    case Quantity::gflops: {
      // At the published clock when one is given (cycles do not depend on it).
      const double hz =
          j.clock_mhz > 0 ? j.clock_mhz * 1e6 : 1e12 / static_cast<double>(cl.period().ps);
      return 2.0 * fmas / cycles * hz / 1e9;
    }
    case Quantity::mvm_ns:
    case Quantity::mvm_readout_ns:
      break;
  }
  throw std::logic_error("simulate_point: no such quantity for the job");
}

namespace {

std::vector<std::string> default_tables() {
  const std::filesystem::path dir = resolve_input_path("configs/validation");
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec))
    if (e.path().extension() == ".yaml") files.push_back(e.path().string());
  if (files.empty())
    throw sim::UserError(fmt::format("no validation tables (*.yaml) in {}", dir.string()));
  std::sort(files.begin(), files.end());
  return files;
}

// Runs a point in a worker process; returns its value or throws the point's UserError.
double simulate_in_worker(const ValidationPoint& point) {
  const std::string reply = run_in_child([&point]() -> std::string {
    try {
      return json{{"value", simulate_point(point)}}.dump();
    } catch (const sim::UserError& e) {
      return json{{"error", fmt::format("{}: {}", point.origin, e.what())}}.dump();
    }
  });
  const json j = json::parse(reply);
  if (j.contains("error")) throw sim::UserError(j["error"].get<std::string>());
  return j["value"].get<double>();
}

std::string shown(double v) {
  return fmt::format("{:.4g}", v);
}

}  // namespace

int validate_command(const ValidateOptions& o) {
  OutputSet outputs;
  if (!o.json.empty()) outputs.file("--json", o.json);
  std::vector<std::vector<ValidationPoint>> tables;
  const std::vector<std::string> files = o.tables.empty() ? default_tables() : o.tables;
  std::map<std::string, std::string> seen;  // point name -> its table, across tables
  for (const auto& f : files) {
    tables.push_back(read_validation_table(resolve_input_path(f)));
    for (const auto& p : tables.back()) {
      const auto [it, fresh] = seen.emplace(p.name, f);
      if (!fresh)
        throw sim::UserError(fmt::format("{}: point '{}' is also in {}; names must be unique",
                                         p.origin, p.name, it->second));
    }
  }

  std::vector<ValidationResult> results;
  for (const auto& table : tables)
    for (const auto& point : table) {
      ValidationResult r;
      r.point = &point;
      r.simulated = simulate_in_worker(point);
      if (!std::isfinite(r.simulated))
        throw sim::UserError(fmt::format("{}: point '{}': the simulated {} is not a finite number",
                                         point.origin, point.name, to_string(point.quantity)));
      r.error = (r.simulated - point.published) / point.published;
      r.within = std::fabs(r.error) <= point.tolerance;
      results.push_back(r);
    }

  std::size_t width = 4;
  for (const auto& r : results) width = std::max(width, r.point->name.size());
  std::cout << fmt::format("{:<{}}  {:<15}  {:>10}  {:>10}  {:>8}  {:>6}  {}\n", "point", width,
                           "quantity", "simulated", "published", "error", "tol", "");
  std::size_t outside = 0;
  json all = json::array();
  for (const auto& r : results) {
    const ValidationPoint& p = *r.point;
    outside += !r.within;
    std::cout << fmt::format("{:<{}}  {:<15}  {:>10}  {:>10}  {:>+7.1f}%  {:>5.1f}%  {}\n", p.name,
                             width, to_string(p.quantity), shown(r.simulated), shown(p.published),
                             r.error * 100, p.tolerance * 100, r.within ? "ok" : "OUTSIDE");
    all.push_back({{"name", p.name},
                   {"quantity", to_string(p.quantity)},
                   {"simulated", r.simulated},
                   {"published", p.published},
                   {"error", r.error},
                   {"tolerance", p.tolerance},
                   {"within", r.within},
                   {"source", p.source},
                   {"note", p.note},
                   {"defined_at", p.origin}});
  }
  std::cout << fmt::format("\n{} of {} points within their tolerance\n", results.size() - outside,
                           results.size());
  for (const auto& r : results)
    if (!r.within)
      std::cout << fmt::format("  outside: {} ({}): {}\n", r.point->name, r.point->origin,
                               r.point->source);
  if (!o.json.empty()) {
    outputs.set(o.json, all.dump(2) + "\n");
    outputs.commit();
    std::cout << fmt::format("wrote {}\n", o.json);
  }
  return outside == 0 ? 0 : 1;
}

}  // namespace aimcsim::platform
