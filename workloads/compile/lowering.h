// The lowering pass of the model compiler: one operator instance into tasks.
//   linear      LayerCompiler (tiles, LoRA branch, partial sums, adds), per token chunk
//   attention   per sequence, query chunk and key/value head group on one cluster; per query
//               head of the group S = Q.K^T and O = P.V on RedMulE with the softmax on the
//               worker cores. standard: all keys at once (S materialised); flash: keys in
//               blocks with FlashAttention's online softmax (partial_softmax per block, the
//               running O rescaled before each later block, final_scale at the end); auto:
//               standard where S fits the TCDM, flash where not. Query rows per job: as many
//               as fit with a key block of 64 (or the chunk the mode asks)
//   norm, activation, add, mul, rope
//               worker-core kernels per token chunk (and column slice when a row does not
//               fit), double-buffered, chunks spread over the clusters
// What each chunk waits for comes from the schedule pass (dependencies.h); which cluster runs
// each unit from the placement (cluster_placement.h), kept on one cluster per operator when
// the pipeline mode does not spread.
#pragma once

#include "workloads/cluster_placement.h"
#include "workloads/compile/dependencies.h"
#include "workloads/model_compiler.h"

#include <functional>
#include <set>
#include <string>

namespace aimcsim::workloads::compile {

inline constexpr std::uint64_t kActivationBytes = 2;  // FP16 activations between operators

// Everything an operator's lowering reads about the model run.
struct LoweringContext {
  const ModelDescription& model;
  const LoraSpec& lora;
  const ModelMapping& mapping;
  const PlatformShape& shape;
  const PipelineStrategy& strategy;
  const PipelineMode& mode;
  const ModelSchedule& schedule;
  bool with_lora = true;
  bool count_only = false;  // plan every operator as for lowering but build no task
};

class OpLowering {
 public:
  OpLowering(const LoweringContext& c, TaskGraph& graph, const Dependencies& deps);

  // The model input: each token's embedding row, fetched from the embedding table into the
  // activations' level by a system transfer when the table lives elsewhere.
  Produced embeddings();
  // post: the operator after it that its tiles may apply (residual: an add's other operand);
  // fused tells whether they do.
  Produced linear(const Produced& in, OpSpan& span, const Op* post, const Produced* residual,
                  bool& fused);
  Produced elementwise(const Op& op, const std::vector<const Produced*>& in, OpSpan& span);
  Produced attention(const Produced& q, const Produced& k, const Produced& v, OpSpan& span);

  std::uint64_t counted() const { return counted_; }

 private:
  std::uint64_t preferred_chunk(const Produced& p, std::uint64_t cap) const;
  unsigned cluster_for(std::uint64_t unit, const std::function<std::vector<Task>(unsigned)>& work);
  [[noreturn]] void no_fit(const OpSpan& span, const std::string& what) const;
  Produced counted(std::uint64_t width, std::uint64_t chunk, std::uint64_t tasks);
  Endpoint home() const;
  TcdmPlan plan() const;
  void spread(OpSpan& span, std::uint64_t units);

  const LoweringContext& c_;
  TaskGraph& graph_;
  const Dependencies& deps_;
  std::uint64_t digital_capacity_ = 0;
  std::uint64_t counted_ = 0;
  DepScratch scratch_;
  ClusterPlacer placer_;
  std::set<unsigned> placed_;  // earliest finish: the clusters the current operator got
  unsigned op_cluster_ = 0;    // a mode that does not spread: the current operator's cluster
  int next_linear_ = 0;
};

}  // namespace aimcsim::workloads::compile
