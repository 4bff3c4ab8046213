// The memory plan: each tensor class whole into the first level with room, by hand.
#include "workloads/memory_plan.h"

#include "models/sim/errors.h"

#include <gtest/gtest.h>

namespace aimcsim::workloads {
namespace {

MemoryLevels levels(std::uint64_t l2, std::uint64_t sram, std::uint64_t dram) {
  MemoryLevels m;
  m.l2_bytes = l2;
  m.has_sram = sram > 0;
  m.sram_bytes = sram;
  m.has_dram = dram > 0;
  m.dram_bytes = dram;
  return m;
}

TEST(MemoryPlan, ClassesSpillInOrderToTheFirstLevelWithRoom) {
  // L2 100: activations 60 stay; KV 50 does not fit the 40 left, goes to the SRAM (80);
  // LoRA 35 fits the L2's 40.
  const std::uint64_t sizes[kTensorClasses] = {60, 50, 35, 0};
  const MemoryPlan p = plan_memory(sizes, levels(100, 80, 1000));
  EXPECT_EQ(p.level_of(TensorClass::activations), MemoryLevel::l2);
  EXPECT_EQ(p.level_of(TensorClass::kv_cache), MemoryLevel::sram);
  EXPECT_EQ(p.level_of(TensorClass::lora_weights), MemoryLevel::l2);
  EXPECT_EQ(p.used[0], 95u);
  EXPECT_EQ(p.used[1], 50u);
  EXPECT_EQ(p.l2_overflow, 0u);
  EXPECT_EQ(p.level_of(TensorClass::embeddings), MemoryLevel::l2);  // none: nothing placed
  // A LoRA class of 100 fits neither L2 (40 left) nor SRAM (30 left): the DRAM.
  const std::uint64_t big[kTensorClasses] = {60, 50, 100, 0};
  EXPECT_EQ(plan_memory(big, levels(100, 80, 1000)).level_of(TensorClass::lora_weights),
            MemoryLevel::dram);
}

TEST(MemoryPlan, WithoutLowerLevelsL2HoldsEverythingAndSaysByHowMuchItOverflows) {
  const std::uint64_t sizes[kTensorClasses] = {60, 50, 35, 0};
  const MemoryPlan p = plan_memory(sizes, levels(100, 0, 0));
  EXPECT_EQ(p.level_of(TensorClass::kv_cache), MemoryLevel::l2);
  EXPECT_EQ(p.l2_overflow, 45u);
}

TEST(MemoryPlan, ATensorClassThatFitsNoLevelIsAnError) {
  const std::uint64_t sizes[kTensorClasses] = {60, 5000, 0, 0};
  try {
    plan_memory(sizes, levels(100, 0, 1000));
    FAIL() << "no error";
  } catch (const sim::UserError& e) {
    EXPECT_EQ(std::string(e.what()),
              "the kv_cache (5000 bytes) fit no memory level: l2 40 of 100 bytes free, sram 0 of "
              "0, dram 1000 of 1000");
  }
  // Activations too large for the chip go to the DRAM like any class.
  const std::uint64_t acts[kTensorClasses] = {500, 0, 0, 0};
  EXPECT_EQ(plan_memory(acts, levels(100, 0, 1000)).level_of(TensorClass::activations),
            MemoryLevel::dram);
}

}  // namespace
}  // namespace aimcsim::workloads
