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
  const std::string printed = wl::to_yaml(model, "imported from a fuzzed config.json");
  try {
    if (!(wl::parse_model_description(printed, "imported.yaml") == model))
      aimcsim::fuzz::invariant_failed("to_yaml reads back to a different description:\n" +
                                      printed);
  } catch (const aimcsim::sim::UserError& e) {
    aimcsim::fuzz::invariant_failed(std::string("to_yaml's text is rejected: ") + e.what() +
                                    "\n" + printed);
  }
  return 0;
}
