#include "platform/drivers/sweep/pareto.h"

#include <algorithm>
#include <numeric>

namespace aimcsim::sweep {
namespace {

bool dominates(const Objectives& a, const Objectives& b) {
  bool better = false;
  for (std::size_t k = 0; k < a.size(); ++k) {
    if (a[k] > b[k]) return false;
    better = better || a[k] < b[k];
  }
  return better;
}

}  // namespace

std::vector<bool> pareto_front(const std::vector<Objectives>& points) {
  // In lexicographic order a point can only be dominated by one before it, and then by one on
  // the front (domination is transitive): each point is checked against the front so far.
  std::vector<std::size_t> order(points.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return points[a] < points[b]; });
  std::vector<bool> on(points.size(), false);
  std::vector<std::size_t> front;
  for (std::size_t i : order) {
    const bool dominated = std::any_of(
        front.begin(), front.end(), [&](std::size_t f) { return dominates(points[f], points[i]); });
    if (dominated) continue;
    on[i] = true;
    front.push_back(i);
  }
  return on;
}

}  // namespace aimcsim::sweep
