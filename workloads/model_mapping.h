// Mapping of a whole model onto the platform, before scheduling:
//   tiles     every static linear gets row x column blocks of weight planes, in model order;
//             with packing, linears that fit one tile share planes (tile_packing.h), and so
//             share the tile's MVM slot: their MVMs run one after another. The planes go onto
//             the tiers of the tiles under the tier policy (tier_placement.h); a linear's
//             planes are consecutive tiles of one tier
//   clusters  linear i runs its digital work (LoRA, adds) on `clusters_per_layer` clusters
//             starting at (i x clusters_per_layer) mod clusters, token chunks round-robin
//   TCDM      LoRA weights stay resident in a cluster's TCDM while the resident weights plus
//             the largest working set of any linear on that cluster fit its capacity (greedy,
//             in model order); the others are loaded from L2 by DMA each time the layer runs
// Simplification: the TCDM check is per operator; operators of different layers that are in
// flight at once on one cluster (inter-layer streaming) are not summed.
#pragma once

#include "workloads/cluster_placement.h"
#include "workloads/layer_compiler.h"
#include "workloads/lora_spec.h"
#include "workloads/memory_plan.h"
#include "workloads/model_description.h"
#include "workloads/pipeline_strategy.h"
#include "workloads/tier_placement.h"
#include "workloads/tile_packing.h"

#include <cstdint>
#include <string>
#include <vector>

namespace aimcsim::workloads {

// What the compiler needs to know of the platform for a whole model.
struct PlatformShape {
  LayerTarget layer;  // tile geometry, TCDM, activation and output widths
  unsigned clusters = 1;
  TierGrid tiers;  // weight planes per tile; a fixed tile count, if any
  // A ReLU or residual add right after a linear runs on the tiles' local digital unit where
  // the linear allows it (aimc.ldu.elementwise: tile), else on the cluster cores.
  bool elementwise_on_tile = false;
  // Per cluster, its group; with several groups, the compute estimate that places digital
  // work where it finishes earliest (cluster_placement.h). Empty: identical clusters.
  std::vector<unsigned> cluster_group;
  ComputeEstimate estimate;
  MemoryLevels memory;  // L2 and the levels below it
};

struct MappingPolicy {
  Packing packing = Packing::none;
  TierPolicy tier_policy = TierPolicy::latency;
  unsigned clusters_per_layer = 1;
  std::uint64_t tokens = 128;  // the tokens a run will process (for placement estimates)
};

// One static linear of the unrolled model (block -1: the prologue) and where it runs.
struct LinearPlacement {
  std::string module;  // Hugging Face module name within the block
  int block = -1;
  std::uint64_t d_in = 0, d_out = 0;
  bool lora = false;
  std::uint64_t first_tile = 0, tiles = 0;  // tiles [first_tile, first_tile + tiles)
  std::uint64_t tier = 0;                   // the tier of those tiles holding its weights
  bool packed = false;                      // shares its weight plane with other linears
  std::uint64_t row_offset = 0, col_offset = 0;  // where on its plane, when packed
  std::vector<unsigned> clusters;
  bool lora_resident = true;
  std::uint64_t chunk = 0;  // tokens per job, chosen before scheduling

  std::string label() const;  // "block3.self_attn.q_proj", "prologue.embeddings..."
  LayerSpec spec(const LoraSpec& lora_spec, std::uint64_t tokens) const;
  // The target to compile against; capacity is what the cluster leaves for working sets.
  LayerTarget target(const PlatformShape& shape, std::uint64_t tcdm_capacity) const;
};

struct ModelMapping {
  std::vector<LinearPlacement> linears;  // model order
  std::uint64_t tiles = 0;               // tiles holding weights
  std::uint64_t tiers = 0;               // tiers holding weights on at least one tile
  std::uint64_t planes = 0;              // tile-tiers holding weights
  std::vector<std::uint64_t> resident_bytes;
  std::vector<std::uint64_t> cluster_load_ps;  // per cluster: estimated LoRA work placed
  MemoryPlan memory;                           // where each class of tensor lives  // per
                                               // cluster: resident LoRA weights
};

// Places every linear on tiles and clusters (chunks and residency are decided later).
ModelMapping map_model(const ModelDescription& model, const LoraSpec& lora,
                       const PlatformShape& shape, const MappingPolicy& policy);

// Places activations, KV cache and LoRA weights in the memory levels (memory_plan.h) for a
// run of `tokens` tokens over `positions` positions of `sequences` sequences.
void plan_model_memory(ModelMapping& mapping, const ModelDescription& model, const LoraSpec& lora,
                       std::uint64_t tokens, std::uint64_t positions, std::uint64_t sequences,
                       const PlatformShape& shape);

// Decides which LoRA weights stay resident, given every linear's chunk.
void assign_residency(ModelMapping& mapping, const LoraSpec& lora, std::uint64_t tokens,
                      const PlatformShape& shape, const PipelineStrategy& strategy);

}  // namespace aimcsim::workloads
