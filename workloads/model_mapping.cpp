#include "workloads/model_mapping.h"

#include "models/sim/units.h"

#include <algorithm>

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

namespace {

// Tiles shared by packed linears: rows and columns used so far (diagonal placement).
struct PackedTile {
  std::uint64_t tile, rows_used, cols_used;
};

}  // namespace

ModelMapping map_model(const ModelDescription& model, const LoraSpec& lora,
                       const PlatformShape& shape, const MappingPolicy& policy) {
  ModelMapping m;
  m.resident_bytes.assign(shape.clusters, 0);
  const std::uint64_t rows = shape.layer.tile_rows, cols = shape.layer.tile_cols;
  const unsigned per_layer = std::min(policy.clusters_per_layer, shape.clusters);
  std::vector<PackedTile> open;
  const auto place = [&](const Op& op, int block) {
    LinearPlacement p;
    p.module = op.name;
    p.block = block;
    p.d_in = op.d_in;
    p.d_out = op.d_out;
    p.lora = lora.selects(op.name);
    const std::size_t index = m.linears.size();
    for (unsigned j = 0; j < per_layer; ++j)
      p.clusters.push_back(static_cast<unsigned>((index * per_layer + j) % shape.clusters));
    const bool small = op.d_in <= rows && op.d_out <= cols;
    if (policy.pack_tiles && small) {
      auto it = std::find_if(open.begin(), open.end(), [&](const PackedTile& t) {
        return t.rows_used + op.d_in <= rows && t.cols_used + op.d_out <= cols;
      });
      if (it == open.end()) {
        open.push_back(PackedTile{m.tiles++, 0, 0});
        it = open.end() - 1;
      }
      p.first_tile = it->tile;
      p.tiles = 1;
      it->rows_used += op.d_in;
      it->cols_used += op.d_out;
    } else {
      p.first_tile = m.tiles;
      p.tiles = sim::ceil_div(op.d_in, rows) * sim::ceil_div(op.d_out, cols);
      m.tiles += p.tiles;
    }
    m.linears.push_back(p);
  };
  for (const auto& op : model.prologue)
    if (op.kind == OpKind::linear) place(op, -1);
  for (std::uint64_t b = 0; b < model.blocks; ++b)
    for (const auto& op : model.block)
      if (op.kind == OpKind::linear) place(op, static_cast<int>(b));
  if (policy.pack_tiles) {  // a linear is packed when another shares its tile
    std::vector<unsigned> users(m.tiles, 0);
    for (const auto& p : m.linears)
      if (p.tiles == 1) ++users[p.first_tile];
    for (auto& p : m.linears) p.packed = p.tiles == 1 && users[p.first_tile] > 1;
  }
  return m;
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
