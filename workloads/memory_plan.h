// Where each class of tensor lives: L2, an optional on-chip SRAM, an optional off-chip DRAM.
// Classes, placed in this order, each whole into the first level with room left:
//   activations   the operators' outputs between layers: the most tensor width a section
//                 (prologue or block) holds at once, at full length (tokens x width x 2 B; a
//                 tensor lives from its producer to its last reader): exact layer by layer, an
//                 upper bound with streaming (chunks of a tensor leave before its last arrives)
//   kv_cache      causal models: K and V of every block for every position (seq, + 1 in
//                 decode) of every sequence, 2 B an element
//   lora_weights  every adapted linear's A and B (the master copy: resident ones are loaded
//                 into the TCDMs from it, the others each time the layer runs)
//   embeddings    the token embedding table, vocab x input width x 2 B (MobileBERT's 384-wide
//                 input is three 128-wide embeddings: its table is counted 3x too wide); each
//                 token's row is fetched from it before the prologue when it is not where the
//                 activations are
// Activations go first, so they take the fastest level that holds them. A platform without a level
// below L2 keeps everything in L2 and reports the overflow (the reference platform's L2 is sized as
// if it held everything); with levels below, a class that fits none is an error naming the sizes.
// The compiler moves each class from where it lives: LoRA weight loads and decode-time KV
// reloads read the level of their class.
#pragma once

#include "workloads/task_graph.h"

#include <cstdint>
#include <string>
#include <vector>

namespace aimcsim::workloads {

enum class MemoryLevel { l2, sram, dram };
const char* to_string(MemoryLevel level);

struct MemoryLevels {
  std::uint64_t l2_bytes = 4 * 1024 * 1024;
  bool has_sram = false, has_dram = false;
  std::uint64_t sram_bytes = 0, dram_bytes = 0;
  Endpoint sram, dram;  // their interconnect endpoints, when present
  Endpoint endpoint(MemoryLevel level) const;
};

enum class TensorClass { activations, kv_cache, lora_weights, embeddings };
inline constexpr int kTensorClasses = 4;
const char* to_string(TensorClass c);

struct MemoryPlan {
  struct Entry {
    TensorClass tensors = TensorClass::activations;
    std::uint64_t bytes = 0;
    MemoryLevel level = MemoryLevel::l2;
  };
  std::vector<Entry> entries;  // in placement order
  // Bytes per level placed, and L2's excess where there is no level to spill to.
  std::uint64_t used[3] = {0, 0, 0};
  std::uint64_t l2_overflow = 0;
  MemoryLevel level_of(TensorClass c) const;
};

// sizes: bytes per class, in TensorClass order.
MemoryPlan plan_memory(const std::uint64_t (&sizes)[kTensorClasses], const MemoryLevels& levels);

}  // namespace aimcsim::workloads
