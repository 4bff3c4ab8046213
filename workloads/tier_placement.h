// Placement of weight planes onto the tiers of the tile array.
//   A tile holds `tiers` weight planes ("tiers", IBM HARP, IEEE TPDS 2026) and computes with one
//   of them at a time: layers on different tiers of one tile share its MVM slot. The mapper
//   first packs the model's linears into planes of one tile's size (tile_packing.h), then
//   places every item (a linear's run of planes, or one shared plane) on a tier, on tiles
//   [tile, tile + planes), under a policy:
//     latency  one tier per tile: every item on its own tiles, nothing shares an MVM slot
//              that the packing did not already share (the mapping of one-tier platforms)
//     area     the fewest tiles: the least-filled tier takes the next item, so consecutive
//              linears stack on the tiers of the same tiles
//     balance  as many tiles as the platform has (with a fixed count; otherwise as area's):
//              tier 0 fills across all tiles before tier 1, so consecutive linears land on
//              different tiles and tiles share their slot only between far-apart layers
//   Items never straddle tiers. With a fixed tile count, a model that needs more is an error
//   naming the count it needs.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace aimcsim::workloads {

enum class TierPolicy { latency, area, balance };

TierPolicy parse_tier_policy(const std::string& name);  // throws UserError
std::string to_string(TierPolicy policy);
const std::vector<std::string>& tier_policy_names();

struct TierGrid {
  std::uint64_t tiers = 1;        // weight planes per tile
  std::uint64_t fixed_tiles = 0;  // 0: as many tiles as the placement needs
};

struct TierSlot {
  std::uint64_t tile = 0, tier = 0;  // first tile of the item, and its tier
};

struct TierPlacement {
  std::vector<TierSlot> slots;  // per item, in the order given
  std::uint64_t tiles = 0;      // tiles holding weights (the highest tile used + 1)
  std::uint64_t tiers = 0;      // tiers holding weights on at least one tile
  std::uint64_t planes = 0;     // tile-tiers holding weights
};

// Places items of the given sizes (planes each, model order) on the grid under the policy.
TierPlacement place_on_tiers(const std::vector<std::uint64_t>& sizes, const TierGrid& grid,
                             TierPolicy policy);

}  // namespace aimcsim::workloads
