// Which static linears get a LoRA branch, of what rank and precision. Targets follow PEFT's
// target_modules: a pattern selects a linear whose module name equals it or ends with
// "." + pattern (q_proj selects self_attn.q_proj); a pattern with * or ? is a glob over the
// whole name (ffn.*.output.dense). Default: every static linear, rank 8, FP16.
#pragma once

#include "models/cluster/precision.h"
#include "workloads/model_description.h"

#include <cstdint>
#include <string>
#include <vector>

namespace aimcsim::workloads {

struct LoraSpec {
  std::uint64_t rank = 8;
  std::vector<std::string> targets;  // empty: every static linear
  cluster::Precision precision = cluster::Precision::fp16;

  // "rank=16,targets=q_proj,v_proj,precision=fp8"; keys may come in any order and any may be
  // left out. Throws UserError naming the key or value.
  static LoraSpec parse(const std::string& text);
  bool selects(const std::string& module_name) const;
  // Throws UserError for a pattern that selects no linear of the model.
  void check_against(const ModelDescription& model) const;
  std::string str() const;  // in the form parse() reads
};

// Several named adapters on one analog model (AHWA-LoRA: one model, many tasks):
// "task=squad,rank=8;task=mnli,rank=16,targets=q_proj,v_proj". Each item is `task=NAME`
// followed by a LoraSpec; names are distinct. Throws UserError naming the item.
struct TaskAdapter {
  std::string task;
  LoraSpec lora;
};
bool names_tasks(const std::string& text);  // whether --lora text defines named adapters
std::vector<TaskAdapter> parse_adapters(const std::string& text);
// A request sequence of adapter names, comma- or newline-separated (from --requests or a
// file's text); every name must be an adapter's. origin names the source in errors.
std::vector<std::string> parse_requests(const std::string& text,
                                        const std::vector<TaskAdapter>& adapters,
                                        const std::string& origin);

}  // namespace aimcsim::workloads
