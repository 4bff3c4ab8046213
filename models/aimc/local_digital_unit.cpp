#include "models/aimc/local_digital_unit.h"

#include "models/sim/checked.h"

namespace aimcsim::aimc {

LocalDigitalUnit::LocalDigitalUnit(sim::ConfigNode config, sim::Time tile_period)
    : // ESTIMATE (HERMES' local digital unit throughput is not published): 32 columns a cycle.
      units_(config.get<std::uint64_t>("units", 32,
                                       "parallel correction pipelines, one column a cycle each",
                                       1, 65536)),
      latency_(config.get<sim::Cycles>("latency", sim::Cycles{0},
                                       "pipeline fill before the first column is out")),
      // A clock's period is a whole number of picoseconds, so 10^12 / period is its frequency.
      period_(config
                  .get<sim::Frequency>("clock", sim::Frequency{1000000000000 / tile_period.ps},
                                       "clock of the unit (default: the tile's)")
                  .period()) {}

sim::Time LocalDigitalUnit::time(std::uint64_t columns) const {
  const char* what = "the local digital unit's time (aimc.ldu.latency + columns / units cycles)";
  return sim::Time{sim::mul(sim::add(latency_.value, sim::ceil_div(columns, units_), what),
                            period_.ps, what)};
}

}  // namespace aimcsim::aimc
