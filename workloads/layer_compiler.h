// Lowers one static linear layer W: d_in -> d_out with an optional LoRA branch B.(A.x) onto
// the platform: tiles for W (split into row and column blocks; row blocks make partial sums
// that the cluster adds), the LoRA GEMMs on RedMulE, the add on the worker cores, and the
// data movement between L2, the tiles and the cluster, for `tokens` vectors in chunks.
// Dataflow per chunk of c tokens:
//   stream  L2 -> tiles           x (c x d_in activations)
//   mvm     tiles                  c MVMs on every tile of the layer
//   stream  tiles -> cluster       outputs (the cluster does all digital work that follows)
//   dma     L2 -> TCDM             x again, for the LoRA branch (in the LoRA precision: with
//                                  fp8 the producer is assumed to write an fp8 copy)
//   gemm    RedMulE                t = x.A   (c x d_in . d_in x r)
//   gemm    RedMulE                z = t.B   (c x r . r x d_out)
//   add     cores                  y = tile outputs (+ partial sums of row blocks) + z
//   dma     TCDM -> L2             y
// The fully-analog baseline is the same graph without the LoRA tasks and buffers (and without
// the add when the layer has a single row block). Chunk i runs its digital work on cluster
// clusters[i % n] (one layer's LoRA work distributed over n clusters). LoRA weights that are
// not resident in TCDM are loaded by DMA before a cluster's first chunk of the layer.
// Sliced mode, when even one token's whole working set does not fit (LLaMA-size layers): the
// LoRA weights stream from L2 with every chunk, A in input slices (t = sum_j x_j.A_j on
// RedMulE) and B in output slices, and the tile outputs reach the cluster one output slice
// at a time (stream, z_s = t.B_s, add, y_s to L2); slice buffers are double-buffered and a
// cluster works on one chunk at a time.
#pragma once

#include "models/cluster/precision.h"
#include "workloads/limits.h"
#include "workloads/pipeline_strategy.h"
#include "workloads/task_graph.h"
#include "workloads/tcdm_plan.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace aimcsim::workloads {

struct LayerSpec {
  std::string name = "layer";
  std::uint64_t d_in = 0, d_out = 0, rank = 0, tokens = 0;
  cluster::Precision precision = cluster::Precision::fp16;
  // Throws UserError naming the first value that is out of range.
  void validate() const;
  // As validate(), but rank 0 (no LoRA branch) is allowed.
  void validate_shape() const;
};

// What the compiler needs to know of the platform it maps onto.
struct LayerTarget {
  std::uint64_t tile_rows = 512, tile_cols = 512;
  std::uint64_t tile_output_bytes = 2;  // bytes per tile output element
  std::uint64_t activation_bytes = 2;   // FP16 activations in L2
  std::uint64_t first_tile = 0;
  std::uint64_t tcdm_capacity = 128 * 1024, tcdm_stride = 256;
  std::vector<unsigned> clusters{0};      // chunk i runs on clusters[i % clusters.size()]
  bool lora_weights_resident = true;      // false: A and B are loaded from L2 by DMA
  Endpoint lora_source = Endpoint::l2();  // where A and B are loaded from (memory_plan.h)
  Endpoint activations = Endpoint::l2();  // where inputs are read and outputs written
  // Element-wise operators the tiles' local digital unit applies to the outputs (only for a
  // layer of one row block compiled without its LoRA branch): a ReLU (free in the pipeline),
  // a residual add (streamed from L2 into the tiles with the input; one more LDU stage).
  bool tile_relu = false, tile_residual = false;
  std::uint32_t value_op = 0;  // the operator instance its tasks' value tags name
};

// The tasks after which tokens [first, end) of an operator's output are in L2.
struct ChunkOutput {
  std::uint64_t first = 0, end = 0;
  std::vector<TaskId> tasks;
};
// The tasks that must finish before tokens [first, end) of an operator's input may be read.
using InputDeps = std::function<std::vector<TaskId>(std::uint64_t first, std::uint64_t end)>;

// Keeps a reference to the strategy: it must outlive the compiler.
class LayerCompiler {
 public:
  LayerCompiler(LayerSpec spec, LayerTarget target, const PipelineStrategy& strategy);

  std::uint64_t row_blocks() const;
  std::uint64_t col_blocks() const;
  std::uint64_t tiles() const { return row_blocks() * col_blocks(); }

  // Slice widths in sliced mode; in = out = 0 when the whole chunk fits.
  struct Slices {
    std::uint64_t in = 0, out = 0;
    bool sliced() const { return out > 0; }
  };
  Slices slices(std::uint64_t chunk, bool with_lora) const;
  // The TCDM buffers of the layer at a chunk size (sliced when it must be); does not throw.
  TcdmPlan tcdm_plan(std::uint64_t chunk, bool with_lora) const;
  // The largest chunk (up to tokens) whose plan fits; 0 when none does.
  std::uint64_t largest_fitting_chunk(bool with_lora) const;
  // The task graph (with task names when names); throws UserError when the chunk's working
  // set exceeds the TCDM.
  // values: with value tags (functional co-simulation).
  TaskGraph compile(std::uint64_t chunk, bool with_lora, bool names = false,
                    bool values = false) const;
  // The tasks compile(chunk, with_lora) makes (for a layer without input dependencies, and
  // without joins), computed without building them: for work estimates before simulating.
  std::uint64_t task_count(std::uint64_t chunk, bool with_lora) const;
  // Appends the layer to graph, its input read after input_deps; returns each chunk's output.
  // With target.tile_residual, residual_deps gives what its residual operand waits for.
  std::vector<ChunkOutput> compile_into(TaskGraph& graph, std::uint64_t chunk, bool with_lora,
                                        const InputDeps& input_deps,
                                        const InputDeps& residual_deps = {}) const;
  // Whether the local digital unit may take element-wise operators after this layer.
  bool takes_tile_post_ops(std::uint64_t chunk, bool with_lora) const;
  std::uint64_t lora_weight_bytes() const;  // A and B

 private:
  TcdmPlan whole_plan(std::uint64_t chunk, bool with_lora) const;
  TcdmPlan sliced_plan(std::uint64_t chunk, bool with_lora, Slices s) const;

  LayerSpec spec_;
  LayerTarget target_;
  const PipelineStrategy& strategy_;
};

}  // namespace aimcsim::workloads
