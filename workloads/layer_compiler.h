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
// the add when the layer has a single row block).
#pragma once

#include "models/cluster/precision.h"
#include "workloads/pipeline_strategy.h"
#include "workloads/task_graph.h"
#include "workloads/tcdm_plan.h"

#include <cstdint>
#include <string>

namespace aimcsim::workloads {

struct LayerSpec {
  std::string name = "layer";
  std::uint64_t d_in = 0, d_out = 0, rank = 0, tokens = 0;
  cluster::Precision precision = cluster::Precision::fp16;
  // Throws UserError naming the first value that is out of range.
  void validate() const;
};

// What the compiler needs to know of the platform it maps onto.
struct LayerTarget {
  std::uint64_t tile_rows = 512, tile_cols = 512;
  std::uint64_t tile_output_bytes = 2;  // bytes per tile output element
  std::uint64_t activation_bytes = 2;   // FP16 activations in L2
  std::uint64_t first_tile = 0;
  std::uint64_t tcdm_capacity = 128 * 1024, tcdm_stride = 256;
  unsigned cluster = 0;
};

// Keeps a reference to the strategy: it must outlive the compiler.
class LayerCompiler {
 public:
  LayerCompiler(LayerSpec spec, LayerTarget target, const PipelineStrategy& strategy);

  std::uint64_t row_blocks() const;
  std::uint64_t col_blocks() const;
  std::uint64_t tiles() const { return row_blocks() * col_blocks(); }

  // The TCDM buffers of the layer at a chunk size; does not throw.
  TcdmPlan tcdm_plan(std::uint64_t chunk, bool with_lora) const;
  // The largest chunk (up to tokens) whose plan fits; 0 when none does.
  std::uint64_t largest_fitting_chunk(bool with_lora) const;
  // The task graph; throws UserError when the chunk's working set exceeds the TCDM.
  TaskGraph compile(std::uint64_t chunk, bool with_lora) const;

 private:
  LayerSpec spec_;
  LayerTarget target_;
  const PipelineStrategy& strategy_;
};

}  // namespace aimcsim::workloads
