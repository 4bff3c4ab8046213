// The functional co-simulation: the task graph that is timed also computes values. Each task
// tagged with what it computes (task_graph.h's ValueTag) is executed in task order (a
// topological order: dependencies are earlier tasks) on the operators' tensors, with the
// tiles' arithmetic (models/aimc/tile_arithmetic.h) and the clusters' (models/cluster/
// kernel_values.h): tile MVMs per row and column block on the blocks as programmed, partial
// sums added on the cores in FP16, LoRA GEMMs on RedMulE in the LoRA precision, attention
// and element-wise kernels as their tasks split them. Whatever the compiler leaves out or
// repeats (a chunk, a partial sum, a slice) shows in the values. Timing never reads a value.
// Beside it, an FP32 reference of the same model (whole tensors, exact weights, no tiles)
// gives what the values are compared with: per linear (its own input, FP32) and the final
// hidden state. Tensors are tokens x width, FP16 values held in floats.
#pragma once

#include "models/aimc/tile_arithmetic.h"
#include "models/cluster/kernel_values.h"
#include "models/cluster/precision.h"
#include "workloads/model_compiler.h"
#include "workloads/model_description.h"
#include "workloads/model_weights.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace aimcsim::platform {

// Where one linear's weights sit on the tiles (model_mapping.h's placement).
struct LinearSite {
  std::string label;   // "block3.attention.self.query"
  int block = -1;      // -1: the prologue (or a single layer)
  std::string module;  // Hugging Face module name within the block
  std::uint64_t d_in = 0, d_out = 0;
  std::uint64_t first_tile = 0, tier = 0;
  std::uint64_t row_offset = 0, col_offset = 0;  // packed on a shared plane
  bool lora = false;
};

struct ValueSettings {
  aimc::TileArithmetic tiles;  // idealised when ideal
  bool ideal = false;
  cluster::Precision lora_precision = cluster::Precision::fp16;
  std::uint64_t lora_rank = 0;
  std::uint64_t seq = 0;     // tokens per sequence (positions, causal masks)
  std::uint64_t tokens = 0;  // tokens of a run (sequences x seq)
  workloads::AttentionShape attention;
  std::string model_type;  // layernorm's eps: 1e-12 for BERT-family models, 1e-5 otherwise
  cluster::ValueFormat activations() const;
};

// A relative RMS error and SNR of values against their reference.
struct ValueError {
  double rel_rms = 0, snr_db = 0;
  static ValueError of(const Eigen::MatrixXf& got, const Eigen::MatrixXf& reference);
  nlohmann::ordered_json json() const;
};

// The model's parameters, its tiles as programmed (once: every run reads the same devices)
// and what the runs need of them.
class ValueModel {
 public:
  ValueModel(ValueSettings settings, const workloads::ModelWeights& weights,
             std::vector<LinearSite> linears);
  const ValueSettings& settings() const { return s_; }
  const workloads::ModelWeights& weights() const { return weights_; }
  const std::vector<LinearSite>& linears() const { return sites_; }

  struct Linear {
    workloads::LinearValues w;
    workloads::LoraValues lora;                 // empty without a LoRA branch
    std::vector<aimc::ProgrammedBlock> blocks;  // row-major over row x column blocks
    std::uint64_t row_blocks = 0, col_blocks = 0;
  };
  // Linear i's weights and tiles, programmed the first time (and checked not to overlap any
  // other block programmed on the same tile and tier).
  const Linear& linear(std::size_t i);
  const aimc::TileValues& tiles() const { return tiles_; }

  // A norm's parameters (per operator instance of the program).
  workloads::NormValues& norm(std::uint32_t op, const workloads::ValueOperator& v,
                              std::uint64_t width);

 private:
  ValueSettings s_;
  const workloads::ModelWeights& weights_;
  std::vector<LinearSite> sites_;
  aimc::TileValues tiles_;
  std::vector<std::unique_ptr<Linear>> programmed_;
  std::map<std::uint32_t, workloads::NormValues> norms_;
  struct Rect {
    std::uint64_t r0, r1, c0, c1;
    std::size_t linear;
  };
  std::map<std::pair<std::uint64_t, std::uint64_t>, std::vector<Rect>> occupied_;  // tile, tier
};

// The FP32 reference pass of a program: every tensor (with_lora: the LoRA branches added).
// Calibrates the synthetic NoNorms of the model (weights.h) when they are not yet.
std::vector<Eigen::MatrixXf> reference_values(const workloads::ValueProgram& program,
                                              ValueModel& model, bool with_lora);

// Executes graph's tagged tasks; returns every tensor of the program. run names the run's
// stream of read noise ("analog", "hybrid").
std::vector<Eigen::MatrixXf> run_values(const workloads::TaskGraph& graph,
                                        const workloads::ValueProgram& program, ValueModel& model,
                                        const std::string& run);

// Per linear of the program: its output against the FP32 layer on the same input (and post
// operator), in both runs; and the final hidden state against the reference model's.
struct ValueReport {
  struct Layer {
    std::string label;
    ValueError hybrid, analog;  // analog: against the layer without its LoRA branch
  };
  std::vector<Layer> layers;  // in linear order
  ValueError output, output_analog;
  // The program's input and final output of both runs and both references (--values-out):
  // input, hybrid, fully_analog, reference, reference_no_lora.
  std::map<std::string, Eigen::MatrixXf> tensors;
  nlohmann::ordered_json json() const;
};

ValueReport compare_values(const workloads::ValueProgram& program, ValueModel& model,
                           const std::vector<Eigen::MatrixXf>& analog,
                           const std::vector<Eigen::MatrixXf>& hybrid,
                           const std::vector<Eigen::MatrixXf>& reference_analog,
                           const std::vector<Eigen::MatrixXf>& reference_hybrid);

}  // namespace aimcsim::platform
