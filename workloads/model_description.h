// A transformer as the workload compiler sees it: named operators over named per-token
// tensors, for a prologue that runs once and a block that repeats `blocks` times.
//   linear     a static linear layer d_in -> d_out, weights on AIMC tiles (LoRA-able)
//   attention  scaled dot-product attention over the q, k, v tensors, per head (GQA: groups
//              of query heads share one key/value head), causal or bidirectional
//   norm       layernorm | rmsnorm | nonorm (MobileBERT's x*gamma+beta)
//   activation relu | gelu | silu
//   add, mul   element-wise over two tensors (residual add, gated FFN product)
//   rope       rotary position embedding
// Every tensor is a sequence of token vectors of a fixed width. The prologue reads the
// model input (`input`); block 0 reads the prologue's last output as `x`, every later block
// the previous block's last output. Descriptions are data (workloads/models/*.yaml) or
// derived from a Hugging Face config.json (hf_import.h).
#pragma once

#include "workloads/limits.h"

#include <cstdint>
#include <string>
#include <vector>

namespace aimcsim::workloads {

enum class OpKind { linear, attention, norm, activation, add, mul, rope };

const char* to_string(OpKind kind);

struct Op {
  OpKind kind = OpKind::linear;
  std::string name;  // Hugging Face module name, e.g. attention.self.query
  std::string type;  // norm or activation kind; empty otherwise
  std::vector<std::string>
      in;  // linear, norm, activation, rope: 1; add, mul: 2; attention: q, k, v
  std::string out;
  std::uint64_t d_in = 0, d_out = 0;  // linear only
  bool operator==(const Op& o) const;
};

struct AttentionShape {
  std::uint64_t heads = 0, kv_heads = 0, head_dim = 0;
  bool causal = false;
  bool operator==(const AttentionShape& o) const;
};

struct ModelDescription {
  std::string name;
  std::string model_type;  // bert, mobilebert, llama, gpt2
  std::uint64_t blocks = 0;
  std::uint64_t input_dim = 0;      // width of the model input tensor `input`
  std::uint64_t max_positions = 0;  // longest sequence it was trained for; 0: not given
  std::uint64_t vocab = 0;          // rows of its token embedding table (vocab_size); 0: not given
  AttentionShape attention;
  std::vector<Op> prologue, block;
  bool operator==(const ModelDescription& o) const;

  // Checks names, tensor wiring and widths; throws UserError naming origin and the op.
  void validate(const std::string& origin) const;
  std::uint64_t static_linears() const;  // prologue + blocks x per-block linears
};

// Reads a description; every error names the file, line, key and what was expected.
ModelDescription load_model_description(const std::string& file);
ModelDescription parse_model_description(const std::string& yaml, const std::string& origin);
// The YAML text load_model_description reads back to an equal description.
std::string to_yaml(const ModelDescription& model, const std::string& header_comment);

// Loads a model given as a YAML description or a Hugging Face config.json (by extension),
// or as the name of a description in workloads/models/ ("mobilebert").
ModelDescription load_model(const std::string& path_or_name);

}  // namespace aimcsim::workloads
