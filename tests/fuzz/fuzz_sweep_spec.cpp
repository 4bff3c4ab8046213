// A sweep spec: sweep::Spec::parse, then check_point_count and (for specs of at most
// kMaxPoints points) expand and check_points, as `aimcsim sweep` does before running
// anything. check_points loads models, so it runs only when every model is a bundled name
// (no path: the fuzzer must not open arbitrary files). The normalised spec must read back to the same text (spec.h).
#include "fuzz_common.h"
#include "platform/drivers/sweep/spec.h"

namespace {

constexpr std::size_t kMaxPoints = 10000;

bool models_are_names(const std::vector<aimcsim::sweep::Point>& points) {
  for (const auto& p : points) {
    const auto m = p.run.find("model");
    if (m == p.run.end()) continue;
    const std::string& name = m->second;
    if (name.find('/') != std::string::npos || name.find(".json") != std::string::npos ||
        name.find(".yaml") != std::string::npos || name.find(".yml") != std::string::npos)
      return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace sweep = aimcsim::sweep;
  const std::string yaml = aimcsim::fuzz::text(data, size);
  std::string effective;
  aimcsim::fuzz::expect_user_errors([&] {
    const sweep::Spec spec = sweep::Spec::parse(yaml, "spec.yaml");
    effective = spec.effective_yaml();
    if (spec.points() > kMaxPoints) {
      sweep::check_point_count(spec, kMaxPoints);  // must refuse it with a UserError
      aimcsim::fuzz::invariant_failed("check_point_count accepts " +
                                      std::to_string(spec.points()) + " points");
    }
    const std::vector<sweep::Point> points = sweep::expand(spec);
    if (points.size() != spec.points())
      aimcsim::fuzz::invariant_failed("expand gives " + std::to_string(points.size()) +
                                      " points, points() says " + std::to_string(spec.points()));
    if (models_are_names(points)) sweep::check_points(spec);
  });
  if (effective.empty()) return 0;
  try {
    const std::string again = sweep::Spec::parse(effective, "effective.yaml").effective_yaml();
    if (again != effective)
      aimcsim::fuzz::invariant_failed("the effective spec changes when read back:\n--- first:\n" +
                                      effective + "--- second:\n" + again);
  } catch (const aimcsim::sim::UserError& e) {
    aimcsim::fuzz::invariant_failed(std::string("the effective spec is rejected: ") + e.what() +
                                    "\n" + effective);
  }
  return 0;
}
