// Builds a ModelDescription from a Hugging Face config.json (model_type bert, mobilebert,
// llama or gpt2), with the modules named as in the Hugging Face implementation so that LoRA
// target patterns read like PEFT's target_modules. Only the transformer blocks and the
// input-side prologue are described: embedding look-ups and the language-model head are not.
#pragma once

#include "workloads/model_description.h"

#include <string>

namespace aimcsim::workloads {

// The model is named after the file's directory (workloads/hf/gpt2/config.json -> gpt2).
// Malformed JSON, an unsupported model_type and a missing or invalid field are UserErrors
// naming the file and the field.
ModelDescription import_hf_config(const std::string& file);
ModelDescription import_hf_config_text(const std::string& json, const std::string& origin,
                                       const std::string& name);

}  // namespace aimcsim::workloads
