// The schedule pass of the model compiler: what each chunk of an operator waits for. An
// operator's output is kept as token chunks and the tasks that produce each; a consumer's
// chunk depends on the producer's chunks holding its tokens (streamed) or on all of the
// producer (a barrier: one shared join task, made the first time a consumer needs it), as the
// pipeline mode says for the kind of edge between them (workloads/pipeline/mode.h).
#pragma once

#include "workloads/layer_compiler.h"
#include "workloads/model_description.h"
#include "workloads/pipeline/mode.h"
#include "workloads/task_graph.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace aimcsim::workloads::compile {

// An operator's output, as token chunks in order, and the tasks that produce each. In count
// mode only its width and chunk size are known.
struct Produced {
  std::vector<ChunkOutput> chunks;
  std::vector<TaskId> all;  // every chunk's tasks
  std::uint64_t width = 0;
  std::uint64_t chunk = 0;  // tokens in its first chunk
  int block = -1;           // the block that produced it (-1: the prologue or the input)
  bool attention = false;   // an attention operator's output
  std::uint32_t value_id = 0;  // its tensor in the value program (model_compiler.h)
  mutable std::optional<std::vector<TaskId>> joined;  // all, behind one join (barriers)
  void add(ChunkOutput c) {
    if (chunks.empty()) chunk = c.end - c.first;
    all.insert(all.end(), c.tasks.begin(), c.tasks.end());
    chunks.push_back(std::move(c));
  }
};

// The kind of edge from `from` into an operator of `kind` in block `block`.
EdgeKind edge_kind(const Produced& from, int block, OpKind kind);

class Dependencies {
 public:
  // count_only: the compiler only counts tasks; nothing depends on anything.
  Dependencies(TaskGraph& graph, const PipelineMode& mode, bool count_only)
      : graph_(graph), mode_(mode), count_only_(count_only) {}

  // The operator whose chunks ask next.
  void consumer(int block, OpKind kind) {
    block_ = block;
    kind_ = kind;
  }
  // What the current consumer's chunk of tokens [first, end) waits for in p.
  std::vector<TaskId> of(const Produced& p, std::uint64_t first, std::uint64_t end) const;
  // Whether the edge from p into the current consumer is streamed.
  bool streams(const Produced& p) const { return mode_.streams(edge_kind(p, block_, kind_)); }

 private:
  TaskGraph& graph_;
  const PipelineMode& mode_;
  const bool count_only_;
  int block_ = -1;
  OpKind kind_ = OpKind::linear;
};

}  // namespace aimcsim::workloads::compile
