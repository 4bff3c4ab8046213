// --functional on `layer` and `run`: the compiled graphs of a command's two runs also carry
// values (value_runtime.h), on weights from a seed or a .safetensors file, and the report says
// how far the hardware's numbers are from FP32, per layer and for the model's output. The
// timing of every task is the same with and without it: values are computed after the timed
// runs, on the same graphs, and read nothing of their timing.
#pragma once

#include "platform/assembly/platform.h"
#include "platform/assembly/value_runtime.h"
#include "workloads/layer_compiler.h"
#include "workloads/model_compiler.h"
#include "workloads/model_mapping.h"

#include <cstdint>
#include <string>

namespace aimcsim::platform {

struct ValueRequest {
  bool on = false;         // --functional
  bool ideal = false;      // --ideal: every non-ideality off (verification)
  std::uint64_t seed = 1;  // --seed: synthetic weights, inputs and every noise
  std::string weights;     // --weights F.safetensors
  std::string adapter;     // --adapter F.safetensors (LoRA A and B)
  std::string tensor;      // layer --tensor NAME: the weight tensor of the layer
  std::string values_out;  // --values-out F.safetensors: the report's tensors
  // Throws UserError naming the option: --ideal or a weights file without --functional, a
  // file that is not there.
  void validate() const;
};

// The arithmetic of a command's values: the platform's tiles (idealised with --ideal).
ValueSettings value_settings(Platform& platform, const ValueRequest& request);

// The values of one layer's two graphs (compiled with values), against FP32.
ValueReport layer_values(Platform& platform, const ValueRequest& request,
                         const workloads::LayerSpec& spec, const workloads::TaskGraph& analog,
                         const workloads::TaskGraph& hybrid);

// Refuses a model whose values would take more than the limits, with the estimate.
void check_model_values(const Limits& limits, const workloads::ModelDescription& model,
                        const workloads::ModelMapping& mapping, const ValueSettings& settings,
                        std::uint64_t rank);

// The values of a model's two compiled runs.
ValueReport model_values(Platform& platform, const ValueRequest& request,
                         const workloads::ModelDescription& model, std::uint64_t lora_rank,
                         cluster::Precision lora_precision,
                         const workloads::ModelSchedule& schedule,
                         const workloads::ModelMapping& mapping,
                         const workloads::CompiledModel& analog,
                         const workloads::CompiledModel& hybrid);

// The console lines of a value report (the worst layers and the output).
std::string values_summary(const ValueReport& report, const ValueRequest& request);

}  // namespace aimcsim::platform
