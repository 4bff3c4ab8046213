// Lowers a mapped model into one task graph for a whole forward pass:
//   linear      LayerCompiler (tiles, LoRA branch, partial sums, adds), per token chunk
//   attention   per sequence, query chunk and key/value head group on one cluster: K and V
//               in blocks that fit the TCDM; per query head of the group S = Q.K^T and
//               O = P.V on RedMulE with the softmax on the worker cores (flash-attention
//               style blocking; the rescaling of O between blocks is not costed); query rows
//               per job: as many as fit with a key block of 64
//   norm, activation, add, mul, rope
//               worker-core kernels per token chunk (and column slice when a row does not
//               fit), double-buffered, chunks spread over the clusters
// Activations live in L2 between operators. Tokens are sequence-major (token t of sequence
// s is s x seq + t). Decode: one new token per sequence against a KV cache of `seq` tokens
// that is read from L2. With streaming, a chunk of an operator waits only for the chunks of
// its inputs that hold its tokens (weight-stationary tiles let tokens flow through
// consecutive layers); without, every operator waits for all of its inputs (layer by layer).
#pragma once

#include "workloads/lora_spec.h"
#include "workloads/model_description.h"
#include "workloads/model_mapping.h"
#include "workloads/pipeline_strategy.h"
#include "workloads/task_graph.h"

#include <cstdint>
#include <string>
#include <vector>

namespace aimcsim::workloads {

struct ModelSchedule {
  std::uint64_t seq = 128, batch = 1;
  bool decode = false;
  bool streaming = true;
  std::uint64_t chunk = 0;  // digital operators' token chunk; 0: that of their input
  std::uint64_t tokens() const { return decode ? batch : batch * seq; }
};

// The tasks [first_task, end_task) of one operator instance.
struct OpSpan {
  std::string label;  // "block3.self_attn"
  OpKind kind = OpKind::linear;
  int block = -1;
  int linear = -1;                           // index into ModelMapping::linears
  std::size_t first_task = 0, end_task = 0;  // joins among them do no work
  std::uint64_t chunk = 0;                   // tokens per job
  std::uint64_t tcdm_bytes = 0;              // working set per job beyond resident LoRA weights
  std::vector<unsigned> clusters;            // clusters it runs on
  bool on_tile = false;  // an element-wise operator the linear before it applies on its tiles
};

struct CompiledModel {
  TaskGraph graph;
  std::vector<OpSpan> ops;
};

// with_lora false: the fully-analog baseline (same mapping and schedule, no LoRA branches).
// names: keep task names (for traces); expected_tasks: room to make up front (e.g. from
// count_model_tasks). Throws UserError when an operator cannot fit the TCDM at any chunk
// size, or when the graph exceeds its task limit.
CompiledModel compile_model(const ModelDescription& model, const LoraSpec& lora,
                            const ModelMapping& mapping, const PlatformShape& shape,
                            const PipelineStrategy& strategy, const ModelSchedule& schedule,
                            bool with_lora, bool names = false, std::uint64_t expected_tasks = 0);

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
