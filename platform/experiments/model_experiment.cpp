#include "platform/experiments/model_experiment.h"

#include "models/sim/checked.h"
#include "models/sim/errors.h"
#include "platform/experiments/layer_experiment.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include <fmt/format.h>

namespace aimcsim::platform {
namespace {

using json = nlohmann::ordered_json;

workloads::PlatformShape shape_of(Platform& platform) {
  workloads::PlatformShape s;
  s.layer = layer_target(platform);
  s.clusters = platform.cluster_count();
  s.tiers.tiers = platform.aimc().tiers();
  s.tiers.fixed_tiles = platform.aimc().fixed_tiles();
  s.elementwise_on_tile = platform.aimc().elementwise_on_tile();
  s.memory.l2_bytes = platform.l2().size();
  if (auto* m = platform.sram()) {
    s.memory.has_sram = true;
    s.memory.sram_bytes = m->size();
    s.memory.sram = workloads::Endpoint{static_cast<std::uint16_t>(platform.endpoint("sram"))};
  }
  if (auto* m = platform.dram()) {
    s.memory.has_dram = true;
    s.memory.dram_bytes = m->size();
    s.memory.dram = workloads::Endpoint{static_cast<std::uint16_t>(platform.endpoint("dram"))};
  }
  if (platform.place_earliest()) {
    for (unsigned k = 0; k < platform.cluster_count(); ++k)
      s.cluster_group.push_back(platform.cluster_group(k));
    s.estimate = [&platform](const workloads::Task& t) -> std::uint64_t {
      auto& c = platform.cluster(t.cluster);
      std::uint64_t cycles = 0;
      if (t.kind == workloads::TaskKind::gemm_redmule)
        cycles = c.gemm_cycles(t.m(), t.n(), t.k(), t.precision, t.gemm_op());
      else if (t.kind == workloads::TaskKind::core_kernel && t.kernel == cluster::Kernel::gemm)
        cycles = c.cores().gemm_cost(t.m(), t.n(), t.k(), t.precision).total();
      else if (t.kind == workloads::TaskKind::core_kernel)
        cycles = c.cores().kernel_cost(t.kernel, t.elements(), t.rows(), t.precision).total();
      return sim::mul(cycles, c.period().ps, "an estimate of a cluster's work");
    };
  }
  return s;
}

// The request's mapping policy with the platform's packing and tier policy unless overridden.
workloads::MappingPolicy applied_policy(Platform& platform, const ModelRequest& request) {
  workloads::MappingPolicy p = request.policy;
  p.tokens = request.schedule.tokens();
  p.packing = workloads::parse_packing(request.packing.empty() ? platform.aimc().packing()
                                                               : request.packing);
  p.tier_policy = workloads::parse_tier_policy(
      request.tier_policy.empty() ? platform.aimc().tier_policy() : request.tier_policy);
  return p;
}

// Isolated layer runs, shared by identical layers.
class LayerRuns {
 public:
  LayerRuns(Platform& platform, const ModelRequest& request)
      : platform_(platform), request_(request) {}

  // The tasks the chunk searches and isolated runs of these linears will simulate, at most:
  // per distinct layer, its search over chunk candidates and two runs at the chunk it picks.
  std::uint64_t estimate(const std::vector<workloads::LinearPlacement>& linears) const {
    const char* what = "the task count of the isolated layer runs";
    const auto strategy = workloads::PipelineStrategy::make(request_.strategy);
    const std::uint64_t tokens = request_.schedule.tokens();
    std::set<std::tuple<std::uint64_t, std::uint64_t, bool, std::vector<unsigned>>> seen;
    std::uint64_t total = 0;
    for (const auto& p : linears) {
      if (!seen.insert({p.d_in, p.d_out, p.lora, kinds(p)}).second) continue;
      workloads::LayerTarget target = layer_target(platform_);
      target.clusters = p.clusters;
      const workloads::LayerCompiler c(p.spec(request_.lora, tokens), target, *strategy);
      const std::uint64_t asked = asked_chunk(p);
      std::uint64_t smallest_chunk = std::min(asked, tokens);
      if (!asked) {  // the search: 1, 2, 4, ... and the largest that fits
        const std::uint64_t largest = c.largest_fitting_chunk(p.lora);
        for (std::uint64_t k = 1; k < largest; k *= 2)
          total = sim::add(total, c.task_count(k, p.lora), what);
        total = sim::add(total, c.task_count(std::max<std::uint64_t>(largest, 1), p.lora), what);
        smallest_chunk = 1;
      }
      // Two runs of both graphs at the chunk picked (with resident weights and without).
      const std::uint64_t both =
          sim::add(c.task_count(smallest_chunk, p.lora), c.task_count(smallest_chunk, false), what);
      total = sim::add(total, sim::mul(2, both, what), what);
    }
    return total;
  }

  // The chunk a linear uses: the request's (at most the largest that fits), or the fastest
  // in an isolated run with resident weights.
  std::uint64_t chunk(const workloads::LinearPlacement& p) {
    const std::uint64_t tokens = request_.schedule.tokens();
    const std::uint64_t asked = asked_chunk(p);
    if (asked) {  // capped per layer to what fits its TCDM
      const auto strategy = workloads::PipelineStrategy::make(request_.strategy);
      workloads::LayerTarget target = layer_target(platform_);
      target.clusters = p.clusters;
      const workloads::LayerCompiler c(p.spec(request_.lora, tokens), target, *strategy);
      const std::uint64_t fits = c.largest_fitting_chunk(p.lora);
      if (fits == 0) c.compile(1, p.lora);  // throws the TCDM message
      return std::min({asked, tokens, fits});
    }
    const Key key{p.d_in, p.d_out, p.lora, kinds(p), true, 0};
    auto it = chunks_.find(key);
    if (it == chunks_.end()) {
      const LayerOutcome o = run(p, 0, true);
      it = chunks_.emplace(key, o.chunk).first;
      rows_.emplace(Key{p.d_in, p.d_out, p.lora, kinds(p), true, o.chunk}, row_of(o));
    }
    return it->second;
  }

  LayerRow row(const workloads::LinearPlacement& p) {
    const Key key{p.d_in, p.d_out, p.lora, kinds(p), p.lora_resident, p.chunk};
    auto it = rows_.find(key);
    if (it == rows_.end()) it = rows_.emplace(key, row_of(run(p, p.chunk, p.lora_resident))).first;
    return it->second;
  }

  std::uint64_t simulated() const { return runs_; }

 private:
  // The chunk the request asks of a linear (0: the fastest alone).
  std::uint64_t asked_chunk(const workloads::LinearPlacement& p) const {
    const auto shape = request_.chunk_by_shape.find({p.d_in, p.d_out});
    return shape != request_.chunk_by_shape.end() ? shape->second : request_.chunk;
  }

  using Key =
      std::tuple<std::uint64_t, std::uint64_t, bool, std::vector<unsigned>, bool, std::uint64_t>;

  // The groups of the clusters a layer runs on, in order: layers alike in these and in shape
  // share their isolated runs.
  std::vector<unsigned> kinds(const workloads::LinearPlacement& p) const {
    std::vector<unsigned> k;
    for (auto c : p.clusters) k.push_back(platform_.cluster_group(c));
    return k;
  }

  LayerOutcome run(const workloads::LinearPlacement& p, std::uint64_t chunk, bool resident) {
    ++runs_;
    LayerRequest r;
    r.spec = p.spec(request_.lora, request_.schedule.tokens());
    r.strategy = request_.strategy;
    r.chunk = chunk;
    r.clusters.clear();  // identical clusters: the first n stand for the layer's n
    for (unsigned i = 0; i < p.clusters.size(); ++i) r.clusters.push_back(i);
    if (platform_.cluster_groups().size() > 1) r.clusters = p.clusters;
    r.lora_resident = resident;
    return run_layer(platform_, r);
  }
  static LayerRow row_of(const LayerOutcome& o) {
    return LayerRow{o.t_analog_ns(), o.t_hybrid_ns(), o.tcdm_peak_bytes,
                    sim::to_nj(o.cost_analog.total_aj()), sim::to_nj(o.cost_hybrid.total_aj())};
  }

  Platform& platform_;
  const ModelRequest& request_;
  std::map<Key, std::uint64_t> chunks_;
  std::map<Key, LayerRow> rows_;
  std::uint64_t runs_ = 0;
};

RunResult measured(Platform& platform, const workloads::TaskGraph& graph, json& busy, RunCost& cost,
                   bool record_energy) {
  platform.reset_stats();
  RunResult r = run_graph(platform, graph, record_energy);
  busy = busy_per_unit(platform);
  cost = platform.cost();
  return r;
}

std::string percent(double fraction) {
  return fmt::format("{:+.1f}%", fraction * 100.0);
}

// Each operator's first start and last end in a run (joins do no work and are skipped).
std::vector<OpTime> op_times(const workloads::CompiledModel& m, const RunResult& run) {
  std::vector<OpTime> out;
  for (const auto& op : m.ops) {
    std::uint64_t first = UINT64_MAX, last = 0;
    for (std::size_t k = op.first_task; k < op.end_task; ++k) {
      if (m.graph.task(k).kind == workloads::TaskKind::join) continue;
      first = std::min(first, run.tasks[k].start_ps);
      last = std::max(last, run.tasks[k].end_ps);
    }
    if (first == UINT64_MAX) first = last = run.start_ps;
    out.push_back(OpTime{(first - run.start_ps) / 1000.0, (last - run.start_ps) / 1000.0});
  }
  return out;
}

std::uint64_t working_tasks(const workloads::TaskGraph& g) {
  return static_cast<std::uint64_t>(
      std::count_if(g.tasks().begin(), g.tasks().end(),
                    [](const workloads::Task& t) { return t.kind != workloads::TaskKind::join; }));
}

}  // namespace

void ModelRequest::validate() const {
  lora.check_against(model);
  values.validate();
  if (values.on && schedule.decode)
    throw sim::UserError(
        "--functional computes a prefill's values: a decode step reads a KV cache whose values "
        "no prefill left (use --phase prefill)");
  workloads::PipelineMode::make(schedule.pipeline);
  if (schedule.pipeline == "serial" && policy.clusters_per_layer > 1)
    throw sim::UserError(
        fmt::format("--pipeline serial runs each operator on one cluster: --lora-clusters {} "
                    "needs another mode (il-par ... xb-pipe)",
                    policy.clusters_per_layer));
  if (schedule.attention != "auto" && schedule.attention != "standard" &&
      schedule.attention != "flash")
    throw sim::UserError(
        fmt::format("--attention '{}': expected standard, flash or auto", schedule.attention));
  if (schedule.kv_block != 0 && schedule.attention == "standard")
    throw sim::UserError(
        "--kv-block sets flash attention's block of keys: give --attention flash (or auto)");
  const std::uint64_t keys = schedule.decode ? schedule.seq + 1 : schedule.seq;
  if (schedule.kv_block > keys)
    throw sim::UserError(
        fmt::format("--kv-block {}: larger than the {} keys {} attends to", schedule.kv_block, keys,
                    schedule.decode ? "a decode step (KV cache and its own token)" : "a sequence"));
  if (schedule.decode && !model.attention.causal)
    throw sim::UserError(fmt::format(
        "--phase decode: {} is an encoder (bidirectional attention) and generates no tokens; "
        "decode needs a causal model such as gpt2 or llama-3.1-8b",
        model.name));
  if (schedule.seq > workloads::kMaxTokens || schedule.batch > workloads::kMaxTokens ||
      schedule.batch * (schedule.decode ? 1 : schedule.seq) > workloads::kMaxTokens)
    throw sim::UserError(
        fmt::format("--seq {} --batch {}: {} tokens, more than the limit of {} tokens per run",
                    schedule.seq, schedule.batch,
                    static_cast<double>(schedule.batch) *
                        static_cast<double>(schedule.decode ? 1 : schedule.seq),
                    workloads::kMaxTokens));
  // Prefill reads seq positions; decode writes position seq + 1 after a KV cache of seq.
  const std::uint64_t positions = schedule.decode ? schedule.seq + 1 : schedule.seq;
  if (model.max_positions != 0 && positions > model.max_positions)
    throw sim::UserError(
        fmt::format("--seq {}: {} has {} positions (max_positions), so {} at most {}", schedule.seq,
                    model.name, model.max_positions,
                    schedule.decode ? "a decode step's KV cache holds" : "a sequence holds",
                    schedule.decode ? model.max_positions - 1 : model.max_positions));
}

std::uint64_t estimate_model_tasks(Platform& platform, const ModelRequest& request) {
  const auto strategy = workloads::PipelineStrategy::make(request.strategy);
  const workloads::PlatformShape shape = shape_of(platform);
  request.validate();
  workloads::ModelMapping mapping =
      workloads::map_model(request.model, request.lora, shape, applied_policy(platform, request));
  const char* what = "the model's task count";
  std::uint64_t total = LayerRuns(platform, request).estimate(mapping.linears);
  for (auto& p : mapping.linears) p.chunk = 1;  // the most tasks any chunk gives
  for (const bool with_lora : {false, true})
    total = sim::add(total,
                     workloads::count_model_tasks(request.model, request.lora, mapping, shape,
                                                  *strategy, request.schedule, with_lora),
                     what);
  return total;
}

ModelOutcome run_model(Platform& platform, const ModelRequest& request) {
  const auto strategy = workloads::PipelineStrategy::make(request.strategy);
  const workloads::PlatformShape shape = shape_of(platform);
  request.validate();
  if (request.policy.clusters_per_layer > shape.clusters)
    throw sim::UserError(fmt::format(
        "--lora-clusters {}: the platform has only {} cluster(s) (set clusters: N in the "
        "platform or --set clusters=N)",
        request.policy.clusters_per_layer, shape.clusters));
  const std::string what = "model " + request.model.name;

  ModelOutcome out;
  out.policy = applied_policy(platform, request);
  out.mapping = workloads::map_model(request.model, request.lora, shape, out.policy);
  platform.aimc().require_tiles(out.mapping.tiles, what);

  // Phase 1: every linear's chunk (a search when not given) and its isolated runs.
  LayerRuns runs(platform, request);
  check_work(platform.limits(), platform.tasks_simulated(), runs.estimate(out.mapping.linears),
             what,
             fmt::format("{} tokens; the chunk searches and isolated runs of its {} static "
                         "linears",
                         request.schedule.tokens(), out.mapping.linears.size()));
  for (auto& p : out.mapping.linears) p.chunk = runs.chunk(p);
  workloads::assign_residency(out.mapping, request.lora, request.schedule.tokens(), shape,
                              *strategy);
  for (const auto& p : out.mapping.linears) out.layers.push_back(runs.row(p));
  const std::uint64_t positions =
      request.schedule.decode ? request.schedule.seq + 1 : request.schedule.seq;
  workloads::plan_model_memory(out.mapping, request.model, request.lora, request.schedule.tokens(),
                               positions, request.schedule.batch, shape);
  out.layer_runs = runs.simulated();

  // Phase 2: the whole model, fully-analog then hybrid, one graph at a time; every tile of the
  // model holds weights.
  platform.aimc().set_workload_tiles(out.mapping.tiles);
  const auto count = [&](bool with_lora) {
    return workloads::count_model_tasks(request.model, request.lora, out.mapping, shape, *strategy,
                                        request.schedule, with_lora);
  };
  const std::uint64_t analog_estimate = count(false), hybrid_estimate = count(true);
  check_work(platform.limits(), platform.tasks_simulated(),
             sim::add(analog_estimate, hybrid_estimate, "the model's task count"), what,
             fmt::format("{} tokens; end to end: fully-analog {} and hybrid {} tasks at most",
                         request.schedule.tokens(), analog_estimate, hybrid_estimate));
  const bool values = request.values.on;
  if (values) {
    ValueSettings vs = value_settings(platform, request.values);
    vs.tokens = request.schedule.tokens();
    vs.seq = request.schedule.seq;
    check_model_values(platform.limits(), request.model, out.mapping, vs, request.lora.rank);
    std::vector<std::pair<int, std::string>> lora_linears;
    for (const auto& l : out.mapping.linears)
      if (l.lora) lora_linears.emplace_back(l.block, l.module);
    workloads::ModelWeights(request.values.seed, request.values.weights, request.values.adapter,
                            request.model.model_type)
        .check(request.model, request.lora.rank, lora_linears);
  }
  workloads::CompiledModel analog_values, hybrid_values;  // the graphs, with values
  const auto run_one = [&](bool with_lora, workloads::CompiledModel& keep, RunResult& run,
                           json& busy, RunCost& cost, std::vector<OpTime>& times,
                           std::uint64_t& tasks) {
    workloads::CompiledModel m = workloads::compile_model(
        request.model, request.lora, out.mapping, shape, *strategy, request.schedule, with_lora,
        request.keep_graphs, with_lora ? hybrid_estimate : analog_estimate, values);
    run = measured(platform, m.graph, busy, cost, request.keep_graphs);
    times = op_times(m, run);
    if (with_lora) out.clusters_hybrid = busy_per_cluster(platform);
    tasks = working_tasks(m.graph);
    if (with_lora) {
      out.tcdm_peak_bytes.assign(shape.clusters, 0);
      for (const auto& op : m.ops)
        for (auto k : op.clusters)
          out.tcdm_peak_bytes[k] = std::max(out.tcdm_peak_bytes[k], op.tcdm_bytes);
      out.ops = m.ops;
    } else {
      out.analog_on_tile.clear();
      for (const auto& op : m.ops) out.analog_on_tile.push_back(op.on_tile);
    }
    if (!request.keep_graphs) run.tasks = {};
    workloads::CompiledModel& held = with_lora ? hybrid_values : analog_values;
    if (request.keep_graphs) {
      if (values) held = m;
      keep = std::move(m);
    } else if (values) {
      held = std::move(m);
    }
  };
  run_one(false, out.analog, out.analog_run, out.busy_analog, out.cost_analog, out.analog_ops,
          out.analog_tasks);
  run_one(true, out.hybrid, out.hybrid_run, out.busy_hybrid, out.cost_hybrid, out.hybrid_ops,
          out.hybrid_tasks);

  for (unsigned k = 0; k < shape.clusters; ++k)
    out.tcdm_peak_bytes[k] += out.mapping.resident_bytes[k];
  if (values)
    out.values = model_values(platform, request.values, request.model, request.lora.rank,
                              request.lora.precision, request.schedule, out.mapping, analog_values,
                              hybrid_values);
  out.events = platform.events().wakeups();
  return out;
}

workloads::Endpoint lora_home(Platform& platform, const ModelOutcome& outcome) {
  return shape_of(platform).memory.endpoint(
      outcome.mapping.memory.level_of(workloads::TensorClass::lora_weights));
}

namespace {

// Busy time over latency x the units of each type (RedMulE: the clusters that have one).
json utilisation(const json& busy, double makespan_ns, std::uint64_t tiles, Platform& platform) {
  unsigned redmules = 0;
  for (unsigned k = 0; k < platform.cluster_count(); ++k)
    redmules += platform.cluster(k).has_redmule();
  json u;
  for (const auto& [unit, ns] : busy.items()) {
    const double units = unit == "aimc" ? static_cast<double>(tiles)
                         : unit == "l2" || unit == "sram" || unit == "dram" ? 1.0
                         : unit == "redmule" ? std::max(1.0, static_cast<double>(redmules))
                                             : static_cast<double>(platform.cluster_count());
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
  r["pipeline"] = request.schedule.pipeline;
  r["packing"] = workloads::to_string(o.policy.packing);
  r["tier_policy"] = workloads::to_string(o.policy.tier_policy);
  r["lora_clusters"] = o.policy.clusters_per_layer;

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
    l["tier"] = p.tier;
    l["packed"] = p.packed;
    l["t_analog_ns"] = row.t_analog_ns;
    l["t_hybrid_ns"] = row.t_hybrid_ns;
    l["overhead"] = row.overhead();
    l["e_analog_nj"] = row.e_analog_nj;
    l["e_hybrid_nj"] = row.e_hybrid_nj;
    l["energy_overhead"] = row.e_analog_nj > 0 ? json(row.energy_overhead()) : json(nullptr);
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
  t["tiles_used"] = o.mapping.tiles;
  t["tiers_used"] = o.mapping.tiers;
  t["tile_tiers_used"] = o.mapping.planes;
  t["tiers_per_tile"] = platform.aimc().tiers();
  t["tile_rows"] = platform.aimc().rows();
  t["tile_cols"] = platform.aimc().cols();
  t["clusters"] = platform.cluster_count();
  t["static_linears"] = o.mapping.linears.size();
  t["lora_layers"] = lora_layers;
  t["lora_resident_layers"] = resident;
  t["tcdm_capacity_bytes"] = platform.cluster(0).tcdm().size();
  t["tcdm_peak_bytes"] = o.tcdm_peak_bytes;
  t["resident_lora_bytes"] = o.mapping.resident_bytes;
  t["tasks"] = {{"analog", o.analog_tasks}, {"hybrid", o.hybrid_tasks}};
  t["elementwise_on_tiles"] = {
      {"policy", platform.aimc().elementwise_on_tile() ? "tile" : "cores"},
      {"analog", std::count(o.analog_on_tile.begin(), o.analog_on_tile.end(), true)},
      {"hybrid", std::count_if(o.ops.begin(), o.ops.end(),
                               [](const workloads::OpSpan& op) { return op.on_tile; })}};
  t["busy_ns"] = {{"analog", o.busy_analog}, {"hybrid", o.busy_hybrid}};
  t["cluster_groups"] = platform.cluster_groups();
  json memory;
  for (const auto& e : o.mapping.memory.entries)
    memory["tensors"][workloads::to_string(e.tensors)] = {{"bytes", e.bytes},
                                                          {"level", workloads::to_string(e.level)}};
  const auto level = [&](const char* name, interconnect::L2Memory* m, int index) {
    if (m == nullptr) return;
    memory["levels"][name] = {{"size_bytes", m->size()},
                              {"placed_bytes", o.mapping.memory.used[index]},
                              {"hybrid_bytes_read", m->stats().value("bytes_read")},
                              {"hybrid_bytes_written", m->stats().value("bytes_written")}};
  };
  level("l2", &platform.l2(), 0);
  level("sram", platform.sram(), 1);
  level("dram", platform.dram(), 2);
  memory["l2_overflow_bytes"] = o.mapping.memory.l2_overflow;
  t["memory"] = memory;
  t["clusters_hybrid"] = o.clusters_hybrid;
  t["utilisation"] = {
      {"analog", utilisation(o.busy_analog, o.t_analog_ns(), o.mapping.tiles, platform)},
      {"hybrid", utilisation(o.busy_hybrid, o.t_hybrid_ns(), o.mapping.tiles, platform)}};
  add_pair_costs(t, o.cost_analog, o.cost_hybrid);
  add_run_rates(t, o.cost_hybrid, o.t_hybrid_ns(), request.schedule.batch,
                request.schedule.tokens());
  r["totals"] = t;

  // Where the time goes: each operator's first start and last end in both runs.
  json ops = json::array();
  for (std::size_t i = 0; i < o.ops.size(); ++i) {
    const auto& op = o.ops[i];
    json j;
    j["name"] = op.label;
    j["op"] = workloads::to_string(op.kind);
    j["chunk"] = op.chunk;
    j["tcdm_bytes"] = op.tcdm_bytes;
    if (op.kind == workloads::OpKind::attention) {
      j["attention"] = op.attention;
      j["kv_block"] = op.kv_block;
    }
    if (op.kind == workloads::OpKind::add || op.kind == workloads::OpKind::activation)
      j["runs_on"] = {{"analog", o.analog_on_tile[i] ? "tiles" : "cluster"},
                      {"hybrid", op.on_tile ? "tiles" : "cluster"}};
    j["analog_ns"] = json::array({o.analog_ops[i].start_ns, o.analog_ops[i].end_ns});
    j["hybrid_ns"] = json::array({o.hybrid_ops[i].start_ns, o.hybrid_ops[i].end_ns});
    ops.push_back(j);
  }
  r["operators"] = ops;
  return r;
}

std::string model_summary(const ModelRequest& request, const ModelOutcome& o, Platform& platform) {
  std::string s = fmt::format(
      "{} ({}): {} blocks, {} static linears; {} {} tokens (seq {}, batch {}); LoRA {}; "
      "strategy {}; pipeline {}\n\n",
      request.model.name, request.model.model_type, request.model.blocks, o.mapping.linears.size(),
      request.schedule.decode ? "decode" : "prefill", request.schedule.tokens(),
      request.schedule.seq, request.schedule.batch, request.lora.str(), request.strategy,
      request.schedule.pipeline);

  // Per layer shape, in order of first appearance.
  struct Shape {
    std::uint64_t d_in, d_out, count = 0, tiles = 0, resident = 0, lora = 0;
    std::uint64_t chunk_min = UINT64_MAX, chunk_max = 0;
    double analog = 0, hybrid = 0, ov_min = 1e300, ov_max = -1e300;
    double e_analog = 0, e_hybrid = 0;
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
    it->e_analog += o.layers[i].e_analog_nj;
    it->e_hybrid += o.layers[i].e_hybrid_nj;
  }
  s += fmt::format("per layer shape (each layer simulated alone; means over the layers):\n");
  s += fmt::format("{:<14}{:>7}{:>8}{:>8}{:>10}{:>13}{:>13}{:>18}{:>12}{:>12}{:>10}\n", "shape",
                   "layers", "tiles", "chunk", "resident", "analog ns", "hybrid ns", "overhead",
                   "analog nJ", "hybrid nJ", "E ovh");
  for (const auto& x : shapes) {
    const std::string chunk = x.chunk_min == x.chunk_max
                                  ? std::to_string(x.chunk_min)
                                  : fmt::format("{}-{}", x.chunk_min, x.chunk_max);
    const std::string ov = x.ov_max - x.ov_min < 5e-4
                               ? percent(x.ov_min)
                               : fmt::format("{}..{}", percent(x.ov_min), percent(x.ov_max));
    s += fmt::format(
        "{:<14}{:>7}{:>8}{:>8}{:>10}{:>13.1f}{:>13.1f}{:>18}{:>12.1f}{:>12.1f}{:>10}\n",
        fmt::format("{}->{}", x.d_in, x.d_out), x.count, x.tiles, chunk,
        fmt::format("{}/{}", x.resident, x.lora), x.analog / x.count, x.hybrid / x.count, ov,
        x.e_analog / x.count, x.e_hybrid / x.count, percent(x.e_hybrid / x.e_analog - 1.0));
  }
  std::uint64_t peak = 0;
  for (auto b : o.tcdm_peak_bytes) peak = std::max(peak, b);
  std::string util;
  const json u = utilisation(o.busy_hybrid, o.t_hybrid_ns(), o.mapping.tiles, platform);
  for (const auto& [unit, v] : u.items())
    util += fmt::format("{}{} {:.1f}%", util.empty() ? "" : ", ", unit, v.get<double>() * 100.0);
  s += fmt::format("\nend to end       fully-analog {:.1f} us   hybrid {:.1f} us   overhead {}\n",
                   o.t_analog_ns() / 1000.0, o.t_hybrid_ns() / 1000.0, percent(o.overhead()));
  if (platform.aimc().tiers() == 1 && o.policy.packing == workloads::Packing::none)
    s += fmt::format("tiles            {} of {}x{}\n", o.mapping.tiles, platform.aimc().rows(),
                     platform.aimc().cols());
  else
    s += fmt::format(
        "tiles            {} of {}x{}, {} of {} tiers used, {} tile-tiers hold weights (packing "
        "{}, tier policy {})\n",
        o.mapping.tiles, platform.aimc().rows(), platform.aimc().cols(), o.mapping.tiers,
        platform.aimc().tiers(), o.mapping.planes, workloads::to_string(o.policy.packing),
        workloads::to_string(o.policy.tier_policy));
  std::string placed;
  for (const auto& e : o.mapping.memory.entries)
    if (e.bytes > 0)
      placed += fmt::format("{}{} {:.1f} MiB in {}", placed.empty() ? "" : ", ",
                            workloads::to_string(e.tensors), e.bytes / 1048576.0,
                            workloads::to_string(e.level));
  s += fmt::format("memory           {}{}\n", placed.empty() ? "nothing placed" : placed,
                   o.mapping.memory.l2_overflow == 0
                       ? std::string()
                       : fmt::format("; L2 over its {:.1f} MiB by {:.1f} MiB with no sram or dram "
                                     "to spill to (the numbers assume it fits)",
                                     platform.l2().size() / 1048576.0,
                                     o.mapping.memory.l2_overflow / 1048576.0));
  if (platform.aimc().elementwise_on_tile())
    s += fmt::format(
        "on the tiles     {} ReLUs and residual adds in the fully-analog run, {} in the hybrid "
        "(the others follow a LoRA branch or a row split, and run on the cluster cores)\n",
        std::count(o.analog_on_tile.begin(), o.analog_on_tile.end(), true),
        std::count_if(o.ops.begin(), o.ops.end(),
                      [](const workloads::OpSpan& op) { return op.on_tile; }));
  std::string groups;
  if (platform.cluster_groups().size() > 1) {
    std::vector<unsigned> count(platform.cluster_groups().size(), 0);
    std::vector<bool> redmule(count.size(), true);
    for (unsigned k = 0; k < platform.cluster_count(); ++k) {
      ++count[platform.cluster_group(k)];
      redmule[platform.cluster_group(k)] = platform.cluster(k).has_redmule();
    }
    for (std::size_t g = 0; g < count.size(); ++g)
      groups += fmt::format("{} {} {}{}", g ? " +" : " =", platform.cluster_groups()[g], count[g],
                            redmule[g] ? "" : " (no RedMulE)");
  }
  s += fmt::format("clusters         {}{}; TCDM peak {:.1f} of {:.0f} KiB per cluster\n",
                   platform.cluster_count(), groups, peak / 1024.0,
                   platform.cluster(0).tcdm().size() / 1024.0);
  s += fmt::format("utilisation      {} (hybrid; busy / (latency x units))\n", util);
  const RunCost& a = o.cost_analog;
  const RunCost& h = o.cost_hybrid;
  const double e_h = sim::to_nj(h.total_aj()), seconds = o.t_hybrid_ns() * 1e-9;
  std::string units;
  for (const auto& u : h.units)
    units +=
        fmt::format("{}{} {:.1f}%", units.empty() ? "" : ", ", u.unit,
                    100.0 * static_cast<double>(u.total_aj()) / static_cast<double>(h.total_aj()));
  s += fmt::format("energy           fully-analog {:.1f} uJ   hybrid {:.1f} uJ   overhead {}\n",
                   sim::to_nj(a.total_aj()) / 1000.0, e_h / 1000.0,
                   a.total_aj() > 0 ? percent(energy_overhead(a, h)) : std::string("n/a"));
  sim::Attojoules leakage = 0;
  for (const auto& u : h.units) leakage += u.static_aj;
  s += fmt::format(
      "                 hybrid: tiles {:.1f} uJ, digital {:.1f} uJ, of all leakage "
      "{:.1f} uJ; {}\n",
      sim::to_nj(h.analog_aj()) / 1000.0, sim::to_nj(h.digital_aj()) / 1000.0,
      sim::to_nj(leakage) / 1000.0, units);
  s += fmt::format(
      "power, rate      {:.3f} W average; {:.1f} tokens/s; {:.2f} TOPS/W; {:.1f} nJ per token\n",
      seconds > 0 ? e_h * 1e-9 / seconds : 0.0,
      seconds > 0 ? static_cast<double>(request.schedule.tokens()) / seconds : 0.0,
      e_h > 0 ? static_cast<double>(h.ops) / (e_h * 1e-9) / 1e12 : 0.0,
      e_h / static_cast<double>(request.schedule.tokens()));
  s += fmt::format("area             {:.2f} mm2 on the platform, {:.2f} mm2 used\n",
                   static_cast<double>(h.area_nm2()) / 1e12,
                   static_cast<double>(h.used_area_nm2()) / 1e12);
  s += fmt::format(
      "simulated        {} + {} tasks end to end, {} isolated layer runs; {} tasks and {} "
      "kernel events in all\n",
      o.analog_tasks, o.hybrid_tasks, o.layer_runs, platform.tasks_simulated(), o.events);
  return s;
}

}  // namespace aimcsim::platform
