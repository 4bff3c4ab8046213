// The values of a model's parameters and input for the functional co-simulation: synthetic
// from a seed, or read from .safetensors files matched to the model description by Hugging
// Face names.
//   synthetic  W ~ N(0, 1/d_in) (variance-preserving), no bias; LoRA A ~ N(0, 1/d_in) and
//              B ~ N(0, 0.01/r), so that the adapter's output is about a tenth of the layer's
//              (RMS); norm gamma 1 and beta 0, but a NoNorm (x gamma + beta, which does not
//              normalise) gets gamma = 1 / RMS of its input in the FP32 reference pass, so that
//              a deep residual stack neither overflows FP16 nor vanishes; the model input
//              ~ N(0, 1). Each tensor from its own stream of the seed (random.h), named by the
//              layer, so no tensor depends on another's size
//   file       a linear `module` of block b is the one tensor whose name ends in
//              ".b.module.weight" (a prologue module: "module.weight"), shaped [d_out, d_in]
//              as torch.nn.Linear stores it ([d_in, d_out] for GPT-2's Conv1D); its ".bias"
//              if present (added by the local digital unit's affine offset). Norms need their
//              ".weight" (and ".bias" but for RMSNorm). LoRA A and B from the adapter file:
//              "...module.lora_A.weight" [r, d_in] and "lora_B.weight" [d_out, r], PEFT's
//              names, B taken as already scaled (PEFT's alpha / r is not in the file); without
//              an adapter file, synthetic. The model input stays synthetic (a token-id input
//              would need the embedding tables)
// A missing, ambiguous or mis-shaped tensor is a UserError naming the file and the tensor.
#pragma once

#include "workloads/safetensors.h"

#include <Eigen/Core>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace aimcsim::workloads {

struct LinearValues {
  Eigen::MatrixXf w;     // d_in x d_out (inputs x outputs)
  Eigen::VectorXf bias;  // empty: none
};

struct LoraValues {
  Eigen::MatrixXf a;  // d_in x r
  Eigen::MatrixXf b;  // r x d_out
};

struct NormValues {
  Eigen::VectorXf gamma, beta;  // beta empty: none
  bool calibrate = false;       // synthetic NoNorm: gamma from the reference pass
};

class ModelWeights {
 public:
  // weights / adapter: .safetensors paths, or empty for synthetic; model_type picks the
  // Conv1D layout of GPT-2.
  ModelWeights(std::uint64_t seed, const std::string& weights, const std::string& adapter,
               const std::string& model_type);

  std::uint64_t seed() const { return seed_; }
  bool synthetic() const { return !file_; }
  bool synthetic_adapter() const { return !adapter_; }
  // block -1: the prologue.
  LinearValues linear(int block, const std::string& module, std::uint64_t d_in,
                      std::uint64_t d_out) const;
  LoraValues lora(int block, const std::string& module, std::uint64_t d_in, std::uint64_t d_out,
                  std::uint64_t rank) const;
  NormValues norm(int block, const std::string& module, const std::string& kind,
                  std::uint64_t width) const;
  Eigen::MatrixXf input(std::uint64_t tokens, std::uint64_t width) const;
  // Checks that every tensor the model needs is in the files with its shape, reading no data:
  // the errors linear() and norm() would throw, before anything is simulated.
  void check(const struct ModelDescription& model, std::uint64_t rank,
             const std::vector<std::pair<int, std::string>>& lora_linears) const;

  // The tensor of one layer given by name (the `layer` command's --tensor); empty: the file's
  // only 2-D tensor of shape [d_out, d_in].
  LinearValues named_linear(const std::string& tensor, std::uint64_t d_in,
                            std::uint64_t d_out) const;
  LoraValues named_lora(const std::string& tensor, std::uint64_t d_in, std::uint64_t d_out,
                        std::uint64_t rank) const;

 private:
  std::string find(const SafeTensorsFile& f, int block, const std::string& module,
                   const std::string& suffix, bool required) const;
  Eigen::MatrixXf oriented(const SafeTensorsFile& f, const std::string& name, std::uint64_t d_in,
                           std::uint64_t d_out, bool conv1d) const;

  std::uint64_t seed_;
  std::string model_type_;
  std::shared_ptr<SafeTensorsFile> file_, adapter_;
};

}  // namespace aimcsim::workloads
