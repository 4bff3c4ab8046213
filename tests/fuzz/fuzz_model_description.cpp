// A model description (workloads/models/*.yaml): parse_model_description. A description that
// parses must print (to_yaml) to text that parses back to an equal description, as
// model_description.h promises.
#include "fuzz_common.h"
#include "workloads/model_description.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace wl = aimcsim::workloads;
  const std::string yaml = aimcsim::fuzz::text(data, size);
  wl::ModelDescription model;
  bool parsed = false;
  aimcsim::fuzz::expect_user_errors([&] {
    model = wl::parse_model_description(yaml, "fuzz.yaml");
    parsed = true;
  });
  if (!parsed) return 0;
  const std::string printed = wl::to_yaml(model, "fuzz round trip");
  try {
    if (!(wl::parse_model_description(printed, "printed.yaml") == model))
      aimcsim::fuzz::invariant_failed("to_yaml reads back to a different description:\n" +
                                      printed);
  } catch (const aimcsim::sim::UserError& e) {
    aimcsim::fuzz::invariant_failed(std::string("to_yaml's text is rejected: ") + e.what() +
                                    "\n" + printed);
  }
  return 0;
}
