// One analog model serving several tasks through their own LoRA adapters (AHWA-LoRA's point):
// each adapter's model run, the cost of switching to it, and a request sequence's throughput.
//   switch to b   loading b's TCDM-resident LoRA weights into the clusters from the level where
//                 LoRA weights live (memory_plan.h): one DMA per cluster holding any, in
//                 parallel, simulated on the platform (the other adapters' weights are loaded
//                 by the layers that use them while they run, as in every run). Switching to
//                 the adapter already loaded costs nothing.
//   sequence      sum over requests of (switch from the previous request's adapter + that
//                 adapter's hybrid latency); the first request starts with its weights loaded
//   reprogramming the alternative without adapters: rewriting the analog weights of every
//                 tile that holds them, rows one after another, tiles in parallel:
//                 rows x aimc.t_program_row (an ESTIMATE, aimc_tile_array.cpp), and the same
//                 from the published ratio: programming the array is 20-30x slower than one MVM
//                 (Garofalo et al., IEEE JETCAS 2022, the IMA on a RISC-V cluster), taken per
//                 row: rows x [20, 30] x the MVM time of a full tile of this platform
#pragma once

#include "platform/experiments/model_experiment.h"
#include "workloads/lora_spec.h"

#include <nlohmann/json.hpp>

#include <array>
#include <string>
#include <vector>

namespace aimcsim::platform {

// Programming one row of a tile, in MVM times of that tile (low, high).
inline constexpr std::array<double, 2> kProgramRowInMvms{20.0, 30.0};
inline constexpr const char* kProgramRowSource =
    "Garofalo et al., IEEE JETCAS 2022: programming the array is 20-30x slower than one MVM";

struct AdapterRun {
  std::string task;
  workloads::LoraSpec lora;
  double t_analog_ns = 0, t_hybrid_ns = 0, e_hybrid_nj = 0;
  std::uint64_t switch_bytes = 0;  // its resident LoRA weights, all clusters
  double switch_ns = 0;            // loading them, simulated
};

struct AdapterOutcome {
  std::vector<AdapterRun> adapters;  // in --lora order
  std::vector<std::string> requests;
  double sequence_ns = 0;
  double reprogram_ns = 0;  // rewriting the analog weights instead (see above)
  double mvm_ns = 0;        // one MVM of a full tile
  std::array<double, 2> reprogram_published_ns{};  // at 20 and 30 MVM times a row
  std::uint64_t tokens_per_request = 0;
};

// Runs the model once per adapter (the first's outcome is given: it is the main report's).
AdapterOutcome run_adapters(Platform& platform, const ModelRequest& base,
                            const std::vector<workloads::TaskAdapter>& adapters,
                            const std::vector<std::string>& requests, const ModelOutcome& first);

nlohmann::ordered_json adapters_report(const AdapterOutcome& outcome);
std::string adapters_summary(const AdapterOutcome& outcome);

}  // namespace aimcsim::platform
