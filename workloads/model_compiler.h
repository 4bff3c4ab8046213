// Lowers a mapped model into one task graph for a whole forward pass, in three passes:
//   map/place  model_mapping.h (tiles, tiers, LoRA clusters and residency, chunks), done
//              before; cluster_placement.h for each digital unit as it is lowered
//   lower      compile/lowering.h: each operator instance into tasks
//   schedule   compile/dependencies.h: what each chunk waits for, as the pipeline mode says
//              (pipeline/mode.h: serial, il-par, il-pipe, xl-pipe, il+xl-pipe, xb-pipe)
// Activations live where the memory plan puts them between operators. Tokens are
// sequence-major (token t of sequence s is s x seq + t). Decode: one new token per sequence
// against a KV cache of `seq` tokens read from where it lives.
#pragma once

#include "workloads/lora_spec.h"
#include "workloads/model_description.h"
#include "workloads/model_mapping.h"
#include "workloads/pipeline/mode.h"
#include "workloads/pipeline_strategy.h"
#include "workloads/task_graph.h"

#include <cstdint>
#include <string>
#include <vector>

namespace aimcsim::workloads {

struct ModelSchedule {
  std::uint64_t seq = 128, batch = 1;
  bool decode = false;
  std::string pipeline = "xb-pipe";  // a PipelineMode name (pipeline/mode.h)
  std::string attention = "auto";    // standard | flash | auto (standard where S fits)
  std::uint64_t kv_block = 0;        // flash attention's keys per block; 0: the most that fit
  std::uint64_t chunk = 0;           // digital operators' token chunk; 0: that of their input
  std::uint64_t tokens() const { return decode ? batch : batch * seq; }
};

// The tasks [first_task, end_task) of one operator instance.
struct OpSpan {
  std::string label;  // "block3.self_attn"
  std::uint32_t index = 0;  // its place in CompiledModel::ops (what value tags name)
  OpKind kind = OpKind::linear;
  int block = -1;
  int linear = -1;                           // index into ModelMapping::linears
  std::size_t first_task = 0, end_task = 0;  // joins among them do no work
  std::uint64_t chunk = 0;                   // tokens per job
  std::uint64_t tcdm_bytes = 0;              // working set per job beyond resident LoRA weights
  std::vector<unsigned> clusters;            // clusters it runs on
  bool on_tile = false;  // an element-wise operator the linear before it applies on its tiles
  std::string attention;      // attention: standard or flash
  std::uint64_t kv_block = 0;  // attention: keys per block
};

// The operators as the functional co-simulation sees them (platform/assembly/value_runtime.h), one per
// operator instance (parallel to CompiledModel::ops), its tensors by number.
struct ValueOperator {
  Op op;  // its description
  int block = -1;
  int linear = -1;  // a linear: its index in ModelMapping::linears
  std::vector<std::uint32_t> in;
  std::uint32_t out = 0;
  std::string post;            // "relu" or "add": what this linear's tiles apply after it
  std::uint32_t residual = 0;  // that add's other operand
  bool on_tile = false;        // applied by the tiles of the linear before it (no tasks)
};

struct ValueProgram {
  std::vector<ValueOperator> ops;
  std::vector<std::uint64_t> widths;  // per tensor
  std::uint32_t input = 0;            // the model input
  std::uint32_t output = 0;           // the last block's output (the final hidden state)
};

struct CompiledModel {
  TaskGraph graph;
  std::vector<OpSpan> ops;
  ValueProgram values;  // with values only
};

// with_lora false: the fully-analog baseline (same mapping and schedule, no LoRA branches).
// names: keep task names (for traces); expected_tasks: room to make up front (e.g. from
// count_model_tasks). Throws UserError when an operator cannot fit the TCDM at any chunk
// size, or when the graph exceeds its task limit.
CompiledModel compile_model(const ModelDescription& model, const LoraSpec& lora,
                            const ModelMapping& mapping, const PlatformShape& shape,
                            const PipelineStrategy& strategy, const ModelSchedule& schedule,
                            bool with_lora, bool names = false, std::uint64_t expected_tasks = 0,
                            bool values = false);

// How many tasks compile_model would build, from the same planning decisions but without
// building them (an upper bound: joins are counted one per chunk of input): to refuse work
// that is too large before it starts.
std::uint64_t count_model_tasks(const ModelDescription& model, const LoraSpec& lora,
                                const ModelMapping& mapping, const PlatformShape& shape,
                                const PipelineStrategy& strategy, const ModelSchedule& schedule,
                                bool with_lora);

// The worker-core kernel that runs a norm, activation, add, mul or rope op.
cluster::Kernel kernel_of(const Op& op);

}  // namespace aimcsim::workloads
