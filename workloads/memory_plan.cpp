#include "workloads/memory_plan.h"

#include "models/sim/checked.h"
#include "models/sim/errors.h"

#include <fmt/format.h>

namespace aimcsim::workloads {

const char* to_string(MemoryLevel level) {
  switch (level) {
    case MemoryLevel::l2:
      return "l2";
    case MemoryLevel::sram:
      return "sram";
    case MemoryLevel::dram:
      return "dram";
  }
  return "?";
}

const char* to_string(TensorClass c) {
  switch (c) {
    case TensorClass::activations:
      return "activations";
    case TensorClass::kv_cache:
      return "kv_cache";
    case TensorClass::lora_weights:
      return "lora_weights";
    case TensorClass::embeddings:
      return "embeddings";
  }
  return "?";
}

Endpoint MemoryLevels::endpoint(MemoryLevel level) const {
  return level == MemoryLevel::sram ? sram : level == MemoryLevel::dram ? dram : Endpoint::l2();
}

MemoryLevel MemoryPlan::level_of(TensorClass c) const {
  for (const auto& e : entries)
    if (e.tensors == c) return e.level;
  return MemoryLevel::l2;
}

MemoryPlan plan_memory(const std::uint64_t (&sizes)[kTensorClasses], const MemoryLevels& levels) {
  MemoryPlan plan;
  const std::uint64_t capacity[3] = {levels.l2_bytes, levels.has_sram ? levels.sram_bytes : 0,
                                     levels.has_dram ? levels.dram_bytes : 0};
  const bool spill = levels.has_sram || levels.has_dram;
  for (int c = 0; c < kTensorClasses; ++c) {
    const auto cls = static_cast<TensorClass>(c);
    const std::uint64_t bytes = sizes[c];
    MemoryPlan::Entry e{cls, bytes, MemoryLevel::l2};
    if (bytes == 0) {
      plan.entries.push_back(e);
      continue;
    }
    int level = -1;
    for (int l = 0; l <= 2 && level < 0; ++l)
      if (capacity[l] >= plan.used[l] && capacity[l] - plan.used[l] >= bytes) level = l;
    if (level < 0 && spill)
      throw sim::UserError(fmt::format(
          "the {} ({} bytes) fit no memory level: l2 {} of {} bytes free, sram {} of {}, dram "
          "{} of {}",
          to_string(cls), bytes, capacity[0] - std::min(capacity[0], plan.used[0]), capacity[0],
          capacity[1] - std::min(capacity[1], plan.used[1]), capacity[1],
          capacity[2] - std::min(capacity[2], plan.used[2]), capacity[2]));
    if (level < 0) level = 0;  // no level below L2: everything stays there
    e.level = static_cast<MemoryLevel>(level);
    plan.used[level] = sim::add(plan.used[level], bytes, "bytes placed in a memory level");
    plan.entries.push_back(e);
  }
  plan.l2_overflow = plan.used[0] > capacity[0] ? plan.used[0] - capacity[0] : 0;
  return plan;
}

}  // namespace aimcsim::workloads
