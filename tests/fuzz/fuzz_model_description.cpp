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
  aimcsim::fuzz::expect_yaml_round_trip(model);
  return 0;
}
