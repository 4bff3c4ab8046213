#include "workloads/model_mapping.h"

#include "models/sim/units.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>

namespace aimcsim::workloads {

std::string LinearPlacement::label() const {
  return block < 0 ? "prologue." + module : fmt::format("block{}.{}", block, module);
}

LayerSpec LinearPlacement::spec(const LoraSpec& lora_spec, std::uint64_t tokens) const {
  LayerSpec s;
  s.name = label();
  s.d_in = d_in;
  s.d_out = d_out;
  s.rank = lora ? lora_spec.rank : 0;
  s.tokens = tokens;
  s.precision = lora_spec.precision;
  return s;
}

LayerTarget LinearPlacement::target(const PlatformShape& shape, std::uint64_t tcdm_capacity) const {
  LayerTarget t = shape.layer;
  t.first_tile = first_tile;
  t.clusters = clusters;
  t.lora_weights_resident = lora_resident;
  t.tcdm_capacity = tcdm_capacity;
  return t;
}

ModelMapping map_model(const ModelDescription& model, const LoraSpec& lora,
                       const PlatformShape& shape, const MappingPolicy& policy) {
  ModelMapping m;
  m.resident_bytes.assign(shape.clusters, 0);
  const unsigned per_layer = std::min(policy.clusters_per_layer, shape.clusters);
  ClusterPlacer placer(shape.clusters, shape.estimate, shape.cluster_group);
  const std::uint64_t share = sim::ceil_div(policy.tokens, per_layer);  // tokens per cluster
  const auto place = [&](const Op& op, int block) {
    LinearPlacement p;
    p.module = op.name;
    p.block = block;
    p.d_in = op.d_in;
    p.d_out = op.d_out;
    p.lora = lora.selects(op.name);
    const std::size_t index = m.linears.size();
    for (unsigned j = 0; j < per_layer; ++j) {
      if (!placer.earliest()) {
        p.clusters.push_back(static_cast<unsigned>((index * per_layer + j) % shape.clusters));
        continue;
      }
      // Its LoRA jobs (x.A, t.B, the add) at its share of the tokens.
      const auto work = [&](unsigned k) {
        if (!p.lora) return std::vector<Task>{};
        return std::vector<Task>{Task::gemm(k, share, op.d_in, lora.rank, lora.precision),
                                 Task::gemm(k, share, lora.rank, op.d_out, lora.precision),
                                 Task::kernel_task(k, cluster::Kernel::add, share * op.d_out, 1,
                                                   cluster::Precision::fp16)};
      };
      p.clusters.push_back(placer.place(j, work, p.clusters));
    }
    m.linears.push_back(p);
  };
  for (const auto& op : model.prologue)
    if (op.kind == OpKind::linear) place(op, -1);
  for (std::uint64_t b = 0; b < model.blocks; ++b)
    for (const auto& op : model.block)
      if (op.kind == OpKind::linear) place(op, static_cast<int>(b));

  std::vector<LinearShape> shapes;
  for (const auto& p : m.linears) shapes.push_back(LinearShape{p.d_in, p.d_out});
  const PackedPlanes planes =
      pack_planes(shapes, shape.layer.tile_rows, shape.layer.tile_cols, policy.packing);
  // Items for the tiers: each plane run in plane order (a shared plane is one item).
  // Planes are numbered in order of creation, so a linear opens a new item exactly when its
  // first plane is above every plane seen before.
  std::vector<std::uint64_t> sizes, item_of_plane(planes.planes, 0);
  std::uint64_t next_plane = 0;
  for (const auto& l : planes.linears) {
    if (l.first_plane < next_plane) continue;  // joins a shared plane
    item_of_plane[l.first_plane] = sizes.size();
    sizes.push_back(l.planes);
    next_plane = l.first_plane + l.planes;
  }
  const TierPlacement tiers = place_on_tiers(sizes, shape.tiers, policy.tier_policy);
  for (std::size_t i = 0; i < m.linears.size(); ++i) {
    const auto& l = planes.linears[i];
    const TierSlot& slot = tiers.slots[item_of_plane[l.first_plane]];
    m.linears[i].first_tile = slot.tile;
    m.linears[i].tier = slot.tier;
    m.linears[i].tiles = l.planes;
    m.linears[i].packed = l.shared;
    m.linears[i].row_offset = l.row_offset;
    m.linears[i].col_offset = l.col_offset;
  }
  m.cluster_load_ps = placer.load_ps();
  m.tiles = tiers.tiles;
  m.tiers = tiers.tiers;
  m.planes = tiers.planes;
  return m;
}

namespace {

// The most tensor width one section holds at once: each tensor lives from the operator that
// writes it (the section input from the start) to the last one that reads it (the section's
// output to the end); an operator's inputs and output are live together. out_width: the
// width of the section's output.
std::uint64_t peak_live_width(const std::vector<Op>& ops, const std::string& in,
                              std::uint64_t in_width, const AttentionShape& a,
                              std::uint64_t& out_width) {
  std::map<std::string, std::uint64_t> width{{in, in_width}};
  std::map<std::string, std::size_t> born{{in, 0}}, last_use{{in, 0}};
  for (std::size_t i = 0; i < ops.size(); ++i) {
    const Op& op = ops[i];
    for (const auto& t : op.in) last_use[t] = i;
    width[op.out] = op.kind == OpKind::linear      ? op.d_out
                    : op.kind == OpKind::attention ? a.heads * a.head_dim
                    : op.in.empty()                ? 0
                                                   : width[op.in[0]];
    born[op.out] = i;
    last_use[op.out] = std::max(last_use[op.out], i);
  }
  const std::string out = ops.empty() ? in : ops.back().out;
  last_use[out] = ops.size();
  out_width = width[out];
  std::uint64_t peak = in_width;
  for (std::size_t i = 0; i < ops.size(); ++i) {
    std::uint64_t live = 0;
    for (const auto& [t, w] : width)
      if (born[t] <= i && last_use[t] >= i) live += w;
    peak = std::max(peak, live);
  }
  return peak;
}

}  // namespace

void plan_model_memory(ModelMapping& m, const ModelDescription& model, const LoraSpec& lora,
                       std::uint64_t tokens, std::uint64_t positions, std::uint64_t sequences,
                       const PlatformShape& shape) {
  const char* what = "the bytes of a tensor class";
  std::uint64_t x_width = model.input_dim;
  const std::uint64_t prologue =
      peak_live_width(model.prologue, "input", model.input_dim, model.attention, x_width);
  std::uint64_t out_width = 0;
  const std::uint64_t block =
      peak_live_width(model.block, "x", x_width, model.attention, out_width);
  std::uint64_t sizes[kTensorClasses] = {0, 0, 0, 0};
  sizes[0] = sim::mul(sim::mul(tokens, std::max(prologue, block), what), 2, what);
  if (model.attention.causal)
    sizes[1] = sim::mul(
        sim::mul(
            sim::mul(model.blocks, 2 * model.attention.kv_heads * model.attention.head_dim, what),
            sim::mul(positions, sequences, what), what),
        2, what);
  for (const auto& p : m.linears)
    if (p.lora)
      sizes[2] = sim::add(sizes[2],
                          sim::mul(sim::mul(p.d_in + p.d_out, lora.rank, what),
                                   cluster::element_bytes(lora.precision), what),
                          what);
  sizes[3] = sim::mul(sim::mul(model.vocab, model.input_dim, what), 2, what);
  m.memory = plan_memory(sizes, shape.memory);
}

void assign_residency(ModelMapping& m, const LoraSpec& lora, std::uint64_t tokens,
                      const PlatformShape& shape, const PipelineStrategy& strategy) {
  const std::uint64_t capacity = shape.layer.tcdm_capacity;
  // Per linear: its working set at its chunk (LoRA weights included) and its weights.
  struct Need {
    std::uint64_t plan, weights;
  };
  std::vector<Need> need;
  std::vector<std::vector<std::size_t>> on_cluster(shape.clusters);
  for (std::size_t i = 0; i < m.linears.size(); ++i) {
    auto& p = m.linears[i];
    p.lora_resident = false;
    const LayerCompiler c(p.spec(lora, tokens), p.target(shape, capacity), strategy);
    // Sliced layers stream their weights in slices with every chunk: never resident.
    const bool whole = p.lora && !c.slices(p.chunk, true).sliced();
    need.push_back(Need{c.tcdm_plan(p.chunk, p.lora).bytes(), whole ? c.lora_weight_bytes() : 0});
    for (auto k : p.clusters) on_cluster[k].push_back(i);
  }
  std::vector<std::uint64_t> resident(shape.clusters, 0);
  const auto fits = [&](unsigned k, std::size_t candidate) {
    std::uint64_t working = 0;
    for (auto i : on_cluster[k]) {
      const bool res = m.linears[i].lora_resident || i == candidate;
      working = std::max(working, need[i].plan - (res ? need[i].weights : 0));
    }
    return resident[k] + need[candidate].weights + working <= capacity;
  };
  for (std::size_t i = 0; i < m.linears.size(); ++i) {
    auto& p = m.linears[i];
    if (!p.lora) {
      p.lora_resident = true;  // nothing to load
      continue;
    }
    if (need[i].weights == 0) continue;  // sliced
    if (!std::all_of(p.clusters.begin(), p.clusters.end(), [&](unsigned k) { return fits(k, i); }))
      continue;
    p.lora_resident = true;
    for (auto k : p.clusters) resident[k] += need[i].weights;
  }
  m.resident_bytes = resident;
}

}  // namespace aimcsim::workloads
