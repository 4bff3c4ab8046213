#include "workloads/tier_placement.h"

#include "models/sim/checked.h"
#include "models/sim/errors.h"
#include "models/sim/units.h"

#include <algorithm>

#include <fmt/format.h>

namespace aimcsim::workloads {

const std::vector<std::string>& tier_policy_names() {
  static const std::vector<std::string> names{"latency", "area", "balance"};
  return names;
}

TierPolicy parse_tier_policy(const std::string& name) {
  if (name == "latency") return TierPolicy::latency;
  if (name == "area") return TierPolicy::area;
  if (name == "balance") return TierPolicy::balance;
  throw sim::UserError(fmt::format("tier policy '{}': expected latency, area or balance", name));
}

std::string to_string(TierPolicy policy) {
  return tier_policy_names()[static_cast<std::size_t>(policy)];
}

namespace {

// Greedy placement on `tiles` tiles: fill[t] is the next free tile of tier t. Returns false
// when an item fits no tier.
bool fill_tiers(const std::vector<std::uint64_t>& sizes, std::uint64_t tiers, std::uint64_t tiles,
                TierPolicy policy, TierPlacement& out) {
  std::vector<std::uint64_t> fill(tiers, 0);
  out.slots.clear();
  for (const std::uint64_t k : sizes) {
    std::uint64_t best = tiers;
    for (std::uint64_t t = 0; t < tiers; ++t) {
      if (fill[t] + k > tiles) continue;
      if (best == tiers || (policy == TierPolicy::area && fill[t] < fill[best])) best = t;
      if (policy == TierPolicy::balance) break;  // the lowest tier with room
    }
    if (best == tiers) return false;
    out.slots.push_back(TierSlot{fill[best], best});
    fill[best] += k;
  }
  out.tiles = *std::max_element(fill.begin(), fill.end());
  out.tiers = static_cast<std::uint64_t>(
      std::count_if(fill.begin(), fill.end(), [](std::uint64_t f) { return f > 0; }));
  return true;
}

}  // namespace

TierPlacement place_on_tiers(const std::vector<std::uint64_t>& sizes, const TierGrid& grid,
                             TierPolicy policy) {
  TierPlacement out;
  std::uint64_t largest = 0;
  for (const std::uint64_t k : sizes) {
    out.planes = sim::add(out.planes, k, "the model's weight planes");
    largest = std::max(largest, k);
  }
  const std::uint64_t tiers = std::max<std::uint64_t>(grid.tiers, 1);
  const std::uint64_t capacity =
      grid.fixed_tiles == 0 ? 0 : sim::mul(grid.fixed_tiles, tiers, "the platform's tile-tiers");
  if (policy == TierPolicy::latency || tiers == 1) {
    std::uint64_t next = 0;
    for (const std::uint64_t k : sizes) {
      out.slots.push_back(TierSlot{next, 0});
      next += k;
    }
    out.tiles = next;
    out.tiers = next > 0 ? 1 : 0;
    if (tiers > 1 && grid.fixed_tiles != 0 && next > grid.fixed_tiles)  // one tier: the array says
      throw sim::UserError(fmt::format(
          "the model needs {} tiles with one tier each (tier policy latency); the platform has "
          "{} tiles x {} tiers (aimc.tiles, aimc.tiers){}",
          next, grid.fixed_tiles, tiers,
          next <= capacity ? "; aimc.tier_policy area or balance may fit it" : ""));
    return out;
  }
  // The fewest tiles the greedy fills: from the bound up (each item on one tier).
  const std::uint64_t bound = std::max(largest, sim::ceil_div(out.planes, tiers));
  std::uint64_t tiles = bound;
  if (policy == TierPolicy::balance && grid.fixed_tiles != 0)
    tiles = std::max(bound, grid.fixed_tiles);
  while (!fill_tiers(sizes, tiers, tiles, policy, out)) ++tiles;  // ends at sum(sizes)
  if (grid.fixed_tiles != 0 && tiles > grid.fixed_tiles)
    throw sim::UserError(fmt::format(
        "the model needs {} tile-tiers ({} tiles x {} tiers under tier policy {}); the platform "
        "has {} tiles x {} tiers = {} (aimc.tiles, aimc.tiers)",
        out.planes, tiles, tiers, to_string(policy), grid.fixed_tiles, tiers, capacity));
  return out;
}

}  // namespace aimcsim::workloads
