// A platform YAML file: Config::from_string, then a Platform built from it and
// check_all_read, as load_platform (platform/assembly/platform.cpp) does. A platform that builds must
// build again from its effective configuration (written next to every result so that the
// run can be reproduced), giving the same effective configuration.
#include "fuzz_common.h"
#include "platform_builder.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace sim = aimcsim::sim;
  const std::string yaml = aimcsim::fuzz::text(data, size);
  std::string effective;
  aimcsim::fuzz::expect_user_errors([&] {
    auto config = sim::Config::from_string(yaml, "fuzz.yaml");
    effective = aimcsim::fuzz::build_platform(config);
  });
  if (effective.empty()) return 0;
  std::string again;
  try {
    auto config = sim::Config::from_string(effective, "fuzz.config.yaml");
    again = aimcsim::fuzz::build_platform(config);
  } catch (const sim::UserError& e) {
    aimcsim::fuzz::invariant_failed(std::string("the effective configuration is rejected: ") +
                                    e.what() + "\n--- effective:\n" + effective);
  }
  if (again != effective)
    aimcsim::fuzz::invariant_failed("the effective configuration changes when read back:\n--- "
                                    "first:\n" + effective + "--- second:\n" + again);
  return 0;
}
