#include "models/aimc/local_digital_unit.h"

#include "models/sim/checked.h"

namespace aimcsim::aimc {

namespace {
// The NMPU's affine scale is fixed point (1,7) unsigned: 1 integer and 7 fraction bits, so 8
// significant bits below the largest scale (Ferro et al., "A precision-optimized fixed-point
// near-memory digital processing unit for analog in-memory computing", arXiv 2402.07549).
constexpr std::uint64_t kScaleBits = 8;
}  // namespace

LocalDigitalUnit::LocalDigitalUnit(sim::ConfigNode config, sim::Time tile_period,
                                   std::uint64_t tile_cols)
    : scale_bits_(config.get<std::uint64_t>(
          "scale_bits", kScaleBits,
          "significant bits of the per-column affine multiplier (values only); 0: exact", 0, 24)),
      // NMPU (arXiv 2402.07549): 64 units for the 256 columns of an IBM PCM core, 4 columns each.
      columns_per_unit_(config.get<std::uint64_t>(
          "columns_per_unit", 4, "tile columns one correction pipeline serves, one a cycle", 1,
          65536)),
      units_(sim::ceil_div(tile_cols, columns_per_unit_)),
      // ESTIMATE (the NMPU's pipeline depth is not given in cycles): one stage each for the
      // scale multiply, the offset add and the activation.
      latency_(config.get<sim::Cycles>("latency", sim::Cycles{3},
                                       "pipeline fill before the first column is out",
                                       sim::Cycles{0}, sim::Cycles{1000000})),
      // ESTIMATE: one more pipeline stage (an adder) for a residual add.
      add_latency_(config.get<sim::Cycles>("add_latency", sim::Cycles{1},
                                           "extra pipeline fill of a residual add on the tile",
                                           sim::Cycles{0}, sim::Cycles{1000000})),
      on_tile_(config.get_choice("elementwise", "cores", {"cores", "tile"},
                                 "where a ReLU or residual add after a linear runs") == "tile"),
      // ESTIMATE: the tile's clock (HERMES' digital clock, 1 GHz).
      // A clock's period is a whole number of picoseconds, so 10^12 / period is its frequency.
      period_(config
                  .get<sim::Frequency>("clock", sim::Frequency{1000000000000 / tile_period.ps},
                                       "clock of the unit (default: the tile's)")
                  .period()) {}

sim::Time LocalDigitalUnit::time(std::uint64_t columns, bool residual) const {
  const char* what =
      "the local digital unit's time (aimc.ldu.latency + columns / units, x its clock period)";
  const std::uint64_t fill =
      residual ? sim::add(latency_.value, add_latency_.value, what) : latency_.value;
  return sim::Time{
      sim::mul(sim::add(fill, sim::ceil_div(columns, units_), what), period_.ps, what)};
}

}  // namespace aimcsim::aimc
