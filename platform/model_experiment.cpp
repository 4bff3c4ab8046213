#include "platform/model_experiment.h"

#include "models/sim/errors.h"
#include "platform/layer_experiment.h"

#include <algorithm>
#include <map>
#include <tuple>

#include <fmt/format.h>

namespace aimcsim::platform {
namespace {

using json = nlohmann::ordered_json;

workloads::PlatformShape shape_of(Platform& platform) {
  workloads::PlatformShape s;
  s.layer = layer_target(platform);
  s.clusters = platform.cluster_count();
  return s;
}

// Isolated layer runs, shared by identical layers.
class LayerRuns {
 public:
  LayerRuns(Platform& platform, const ModelRequest& request)
      : platform_(platform), request_(request) {}

  // The chunk a linear uses: the request's (at most the largest that fits), or the fastest
  // in an isolated run with resident weights.
  std::uint64_t chunk(const workloads::LinearPlacement& p) {
    const std::uint64_t tokens = request_.schedule.tokens();
    if (request_.chunk) {  // capped per layer to what fits its TCDM
      const auto strategy = workloads::PipelineStrategy::make(request_.strategy);
      workloads::LayerTarget target = layer_target(platform_);
      target.clusters = p.clusters;
      const workloads::LayerCompiler c(p.spec(request_.lora, tokens), target, *strategy);
      const std::uint64_t fits = c.largest_fitting_chunk(p.lora);
      if (fits == 0) c.compile(1, p.lora);  // throws the TCDM message
      return std::min({request_.chunk, tokens, fits});
    }
    const auto key = std::make_tuple(p.d_in, p.d_out, p.lora, p.clusters.size(), true, 0);
    auto it = chunks_.find(key);
    if (it == chunks_.end()) {
      const LayerOutcome o = run(p, 0, true);
      it = chunks_.emplace(key, o.chunk).first;
      rows_.emplace(std::make_tuple(p.d_in, p.d_out, p.lora, p.clusters.size(), true, o.chunk),
                    row_of(o));
    }
    return it->second;
  }

  LayerRow row(const workloads::LinearPlacement& p) {
    const auto key =
        std::make_tuple(p.d_in, p.d_out, p.lora, p.clusters.size(), p.lora_resident, p.chunk);
    auto it = rows_.find(key);
    if (it == rows_.end()) it = rows_.emplace(key, row_of(run(p, p.chunk, p.lora_resident))).first;
    return it->second;
  }

  std::uint64_t simulated() const { return runs_; }

 private:
  using Key = std::tuple<std::uint64_t, std::uint64_t, bool, std::size_t, bool, std::uint64_t>;

  LayerOutcome run(const workloads::LinearPlacement& p, std::uint64_t chunk, bool resident) {
    ++runs_;
    LayerRequest r;
    r.spec = p.spec(request_.lora, request_.schedule.tokens());
    r.strategy = request_.strategy;
    r.chunk = chunk;
    r.clusters.clear();  // identical clusters: the first n stand for the layer's n
    for (unsigned i = 0; i < p.clusters.size(); ++i) r.clusters.push_back(i);
    r.lora_resident = resident;
    return run_layer(platform_, r);
  }
  static LayerRow row_of(const LayerOutcome& o) {
    return LayerRow{o.t_analog_ns(), o.t_hybrid_ns(), o.tcdm_peak_bytes};
  }

  Platform& platform_;
  const ModelRequest& request_;
  std::map<Key, std::uint64_t> chunks_;
  std::map<Key, LayerRow> rows_;
  std::uint64_t runs_ = 0;
};

RunResult measured(Platform& platform, const workloads::TaskGraph& graph, json& busy) {
  platform.reset_stats();
  RunResult r = run_graph(platform, graph);
  busy = busy_per_unit(platform);
  return r;
}

std::string percent(double fraction) {
  return fmt::format("{:+.1f}%", fraction * 100.0);
}

}  // namespace

ModelOutcome run_model(Platform& platform, const ModelRequest& request) {
  const auto strategy = workloads::PipelineStrategy::make(request.strategy);
  const workloads::PlatformShape shape = shape_of(platform);
  request.lora.check_against(request.model);
  if (request.policy.clusters_per_layer > shape.clusters)
    throw sim::UserError(fmt::format(
        "--lora-clusters {}: the platform has only {} cluster(s) (set clusters: N in the "
        "platform or --set clusters=N)",
        request.policy.clusters_per_layer, shape.clusters));

  ModelOutcome out;
  out.mapping = workloads::map_model(request.model, request.lora, shape, request.policy);
  platform.aimc().require_tiles(out.mapping.tiles, "model " + request.model.name);

  LayerRuns runs(platform, request);
  for (auto& p : out.mapping.linears) p.chunk = runs.chunk(p);
  workloads::assign_residency(out.mapping, request.lora, request.schedule.tokens(), shape,
                              *strategy);
  for (const auto& p : out.mapping.linears) out.layers.push_back(runs.row(p));
  out.layer_runs = runs.simulated();

  out.analog = workloads::compile_model(request.model, request.lora, out.mapping, shape, *strategy,
                                        request.schedule, false);
  out.hybrid = workloads::compile_model(request.model, request.lora, out.mapping, shape, *strategy,
                                        request.schedule, true);
  out.analog_run = measured(platform, out.analog.graph, out.busy_analog);
  out.hybrid_run = measured(platform, out.hybrid.graph, out.busy_hybrid);

  out.tcdm_peak_bytes.assign(shape.clusters, 0);
  for (const auto& op : out.hybrid.ops)
    for (auto k : op.clusters)
      out.tcdm_peak_bytes[k] = std::max(out.tcdm_peak_bytes[k], op.tcdm_bytes);
  for (unsigned k = 0; k < shape.clusters; ++k)
    out.tcdm_peak_bytes[k] += out.mapping.resident_bytes[k];
  return out;
}

namespace {

json utilisation(const json& busy, double makespan_ns, std::uint64_t tiles, unsigned clusters) {
  json u;
  for (const auto& [unit, ns] : busy.items()) {
    const double units = unit == "aimc" ? static_cast<double>(tiles)
                         : unit == "l2" ? 1.0
                                        : static_cast<double>(clusters);
    u[unit] = makespan_ns > 0 ? ns.get<double>() / (makespan_ns * units) : 0.0;
  }
  return u;
}

}  // namespace

json model_report(const ModelRequest& request, const ModelOutcome& o, Platform& platform,
                  const std::string& platform_file) {
  json r;
  r["model"] = request.model.name;
  r["model_type"] = request.model.model_type;
  r["platform"] = platform_file;
  r["lora"] = request.lora.str();
  r["seq"] = request.schedule.seq;
  r["batch"] = request.schedule.batch;
  r["phase"] = request.schedule.decode ? "decode" : "prefill";
  r["tokens"] = request.schedule.tokens();
  r["strategy"] = request.strategy;
  r["schedule"] = request.schedule.streaming ? "streaming" : "layer-by-layer";
  r["packing"] = request.policy.pack_tiles;
  r["lora_clusters"] = request.policy.clusters_per_layer;

  json layers = json::array();
  std::uint64_t lora_layers = 0, resident = 0;
  for (std::size_t i = 0; i < o.mapping.linears.size(); ++i) {
    const auto& p = o.mapping.linears[i];
    const LayerRow& row = o.layers[i];
    json l;
    l["name"] = p.module;
    l["block"] = p.block < 0 ? json(nullptr) : json(p.block);
    l["d_in"] = p.d_in;
    l["d_out"] = p.d_out;
    l["tiles"] = p.tiles;
    l["first_tile"] = p.first_tile;
    l["packed"] = p.packed;
    l["t_analog_ns"] = row.t_analog_ns;
    l["t_hybrid_ns"] = row.t_hybrid_ns;
    l["overhead"] = row.overhead();
    l["chunk"] = p.chunk;
    l["lora"] = p.lora;
    l["lora_resident"] = p.lora ? json(p.lora_resident) : json(nullptr);
    l["clusters"] = p.clusters;
    l["tcdm_bytes"] = row.tcdm_bytes;
    layers.push_back(l);
    lora_layers += p.lora;
    resident += p.lora && p.lora_resident;
  }
  r["layers"] = layers;

  json t;
  t["t_analog_ns"] = o.t_analog_ns();
  t["t_hybrid_ns"] = o.t_hybrid_ns();
  t["overhead"] = o.overhead();
  t["tiles"] = o.mapping.tiles;
  t["tile_rows"] = platform.aimc().rows();
  t["tile_cols"] = platform.aimc().cols();
  t["clusters"] = platform.cluster_count();
  t["static_linears"] = o.mapping.linears.size();
  t["lora_layers"] = lora_layers;
  t["lora_resident_layers"] = resident;
  t["tcdm_capacity_bytes"] = platform.cluster(0).tcdm().size();
  t["tcdm_peak_bytes"] = o.tcdm_peak_bytes;
  t["resident_lora_bytes"] = o.mapping.resident_bytes;
  t["tasks"] = {{"analog", o.analog.graph.tasks().size()},
                {"hybrid", o.hybrid.graph.tasks().size()}};
  t["busy_ns"] = {{"analog", o.busy_analog}, {"hybrid", o.busy_hybrid}};
  t["utilisation"] = {{"analog", utilisation(o.busy_analog, o.t_analog_ns(), o.mapping.tiles,
                                             platform.cluster_count())},
                      {"hybrid", utilisation(o.busy_hybrid, o.t_hybrid_ns(), o.mapping.tiles,
                                             platform.cluster_count())}};
  r["totals"] = t;

  // Where the time goes: each operator's first start and last end in both runs.
  json ops = json::array();
  for (std::size_t i = 0; i < o.hybrid.ops.size(); ++i) {
    const auto span = [](const workloads::OpSpan& op, const RunResult& run) {
      std::uint64_t first = UINT64_MAX, last = 0;
      for (std::size_t k = op.first_task; k < op.end_task; ++k) {
        first = std::min(first, run.tasks[k].start_ps);
        last = std::max(last, run.tasks[k].end_ps);
      }
      return json::array({(first - run.start_ps) / 1000.0, (last - run.start_ps) / 1000.0});
    };
    const auto& op = o.hybrid.ops[i];
    json j;
    j["name"] = op.label;
    j["op"] = workloads::to_string(op.kind);
    j["chunk"] = op.chunk;
    j["tcdm_bytes"] = op.tcdm_bytes;
    j["analog_ns"] = span(o.analog.ops[i], o.analog_run);
    j["hybrid_ns"] = span(op, o.hybrid_run);
    ops.push_back(j);
  }
  r["operators"] = ops;
  return r;
}

std::string model_summary(const ModelRequest& request, const ModelOutcome& o, Platform& platform) {
  std::string s = fmt::format(
      "{} ({}): {} blocks, {} static linears; {} {} tokens (seq {}, batch {}); LoRA {}; "
      "strategy {}; {}\n\n",
      request.model.name, request.model.model_type, request.model.blocks, o.mapping.linears.size(),
      request.schedule.decode ? "decode" : "prefill", request.schedule.tokens(),
      request.schedule.seq, request.schedule.batch, request.lora.str(), request.strategy,
      request.schedule.streaming ? "inter-layer streaming" : "layer by layer");

  // Per layer shape, in order of first appearance.
  struct Shape {
    std::uint64_t d_in, d_out, count = 0, tiles = 0, resident = 0, lora = 0;
    std::uint64_t chunk_min = UINT64_MAX, chunk_max = 0;
    double analog = 0, hybrid = 0, ov_min = 1e300, ov_max = -1e300;
  };
  std::vector<Shape> shapes;
  for (std::size_t i = 0; i < o.mapping.linears.size(); ++i) {
    const auto& p = o.mapping.linears[i];
    auto it = std::find_if(shapes.begin(), shapes.end(),
                           [&](const Shape& x) { return x.d_in == p.d_in && x.d_out == p.d_out; });
    if (it == shapes.end()) it = shapes.insert(shapes.end(), Shape{p.d_in, p.d_out});
    it->count += 1;
    it->tiles += p.tiles;
    it->lora += p.lora;
    it->resident += p.lora && p.lora_resident;
    it->chunk_min = std::min(it->chunk_min, p.chunk);
    it->chunk_max = std::max(it->chunk_max, p.chunk);
    it->analog += o.layers[i].t_analog_ns;
    it->hybrid += o.layers[i].t_hybrid_ns;
    it->ov_min = std::min(it->ov_min, o.layers[i].overhead());
    it->ov_max = std::max(it->ov_max, o.layers[i].overhead());
  }
  s += fmt::format("per layer shape (each layer simulated alone; means over the layers):\n");
  s += fmt::format("{:<14}{:>7}{:>8}{:>8}{:>10}{:>13}{:>13}{:>18}\n", "shape", "layers", "tiles",
                   "chunk", "resident", "analog ns", "hybrid ns", "overhead");
  for (const auto& x : shapes) {
    const std::string chunk = x.chunk_min == x.chunk_max
                                  ? std::to_string(x.chunk_min)
                                  : fmt::format("{}-{}", x.chunk_min, x.chunk_max);
    const std::string ov = x.ov_max - x.ov_min < 5e-4
                               ? percent(x.ov_min)
                               : fmt::format("{}..{}", percent(x.ov_min), percent(x.ov_max));
    s += fmt::format("{:<14}{:>7}{:>8}{:>8}{:>10}{:>13.1f}{:>13.1f}{:>18}\n",
                     fmt::format("{}->{}", x.d_in, x.d_out), x.count, x.tiles, chunk,
                     fmt::format("{}/{}", x.resident, x.lora), x.analog / x.count,
                     x.hybrid / x.count, ov);
  }
  std::uint64_t peak = 0;
  for (auto b : o.tcdm_peak_bytes) peak = std::max(peak, b);
  std::string util;
  const json u =
      utilisation(o.busy_hybrid, o.t_hybrid_ns(), o.mapping.tiles, platform.cluster_count());
  for (const auto& [unit, v] : u.items())
    util += fmt::format("{}{} {:.1f}%", util.empty() ? "" : ", ", unit, v.get<double>() * 100.0);
  s += fmt::format("\nend to end       fully-analog {:.1f} us   hybrid {:.1f} us   overhead {}\n",
                   o.t_analog_ns() / 1000.0, o.t_hybrid_ns() / 1000.0, percent(o.overhead()));
  s += fmt::format("tiles            {} of {}x{}\n", o.mapping.tiles, platform.aimc().rows(),
                   platform.aimc().cols());
  s += fmt::format("clusters         {}; TCDM peak {:.1f} of {:.0f} KiB per cluster\n",
                   platform.cluster_count(), peak / 1024.0,
                   platform.cluster(0).tcdm().size() / 1024.0);
  s += fmt::format("utilisation      {} (hybrid; busy / (latency x units))\n", util);
  s += fmt::format("simulated        {} + {} tasks end to end, {} isolated layer runs\n",
                   o.analog.graph.tasks().size(), o.hybrid.graph.tasks().size(), o.layer_runs);
  return s;
}

}  // namespace aimcsim::platform
