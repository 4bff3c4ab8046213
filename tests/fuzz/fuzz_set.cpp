// The --set parser: each input line is one "path.to.key=value" override of an empty
// configuration (as `--set` given several times), then a platform is built from it and
// every override must have been read, as load_platform does.
#include "fuzz_common.h"
#include "platform_builder.h"

#include <sstream>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string input = aimcsim::fuzz::text(data, size);
  aimcsim::fuzz::expect_user_errors([&] {
    auto config = aimcsim::sim::Config::empty("<fuzz>");
    std::istringstream lines(input);
    for (std::string line; std::getline(lines, line);) config.set(line);
    aimcsim::fuzz::build_platform(config);
  });
  return 0;
}
