// Packing of a model's linears into weight planes of one tile's size (rows x cols), before the
// planes are placed on tiles and tiers (tier_placement.h). A linear larger than a plane takes
// ceil(d_in/rows) x ceil(d_out/cols) planes of its own, row-major. Small linears (d_in <= rows
// and d_out <= cols) may share a plane:
//   none      every linear its own planes
//   diagonal  blocks with disjoint rows and columns (first fit over the open planes)
//   dense     rectangles side by side on shelves: a shelf is as tall as its first block and
//             takes blocks no taller left to right; a new shelf opens below while rows remain
//             (first fit). Blocks sharing rows are still separate MVMs: a tile drives the rows
//             of one block and reads its columns (IBM HARP places several matrices on one
//             tier this way and serialises them, each paying a full tile latency).
// Linears sharing a plane share its MVM slot: their MVMs run one after another.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace aimcsim::workloads {

enum class Packing { none, diagonal, dense };

Packing parse_packing(const std::string& name);  // throws UserError
std::string to_string(Packing packing);
const std::vector<std::string>& packing_names();

struct LinearShape {
  std::uint64_t d_in = 0, d_out = 0;
};

struct PackedPlanes {
  struct Linear {
    std::uint64_t first_plane = 0, planes = 0;
    bool shared = false;  // shares its plane with another linear
    std::uint64_t row_offset = 0, col_offset = 0;  // where on its plane (packed linears)
  };
  std::vector<Linear> linears;  // in the order given
  std::uint64_t planes = 0;
};

PackedPlanes pack_planes(const std::vector<LinearShape>& linears, std::uint64_t rows,
                         std::uint64_t cols, Packing packing);

}  // namespace aimcsim::workloads
