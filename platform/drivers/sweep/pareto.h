// The Pareto front of a sweep's points over (latency, energy, area), all minimised: a point is
// on the front when no other point is at least as good in all three and better in one.
#pragma once

#include <array>
#include <vector>

namespace aimcsim::sweep {

using Objectives = std::array<double, 3>;  // t_hybrid_ns, e_hybrid_nj, area_mm2

// Whether each point is on the front (equal points are all on it). O(n log n + n x front).
std::vector<bool> pareto_front(const std::vector<Objectives>& points);

}  // namespace aimcsim::sweep
