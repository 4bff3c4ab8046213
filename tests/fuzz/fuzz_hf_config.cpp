// A Hugging Face config.json: import_hf_config_text. An imported model must print (to_yaml)
// to a description that parse_model_description reads back equal.
#include "fuzz_common.h"
#include "workloads/hf_import.h"
#include "workloads/model_description.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace wl = aimcsim::workloads;
  const std::string json = aimcsim::fuzz::text(data, size);
  wl::ModelDescription model;
  bool imported = false;
  aimcsim::fuzz::expect_user_errors([&] {
    model = wl::import_hf_config_text(json, "config.json", "fuzz");
    imported = true;
  });
  if (!imported) return 0;
  aimcsim::fuzz::expect_yaml_round_trip(model);
  return 0;
}
