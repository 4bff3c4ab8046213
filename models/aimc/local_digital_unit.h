// The tile's local digital unit: after the ADCs, it corrects every column output with a
// fixed-point affine transform (per-column scale and offset of the channel-wise mapping) and
// writes it out. Modelled after the near-memory processing unit of Ferro et al. (arXiv
// 2402.07549): `units` identical pipelines in parallel, each taking one column a cycle at
// its own clock after `latency` cycles of pipeline fill. Timing of one MVM's c columns:
//   (latency + ceil(c / units)) cycles of the unit's clock.
// Energy (e_ldu_column) and area (area_fixed) are charged in the tile's book.
// Simplifications: the unit starts when the last ADC round has ended (no overlap with the
// conversions) and its time does not depend on the values.
#pragma once

#include "models/sim/config.h"
#include "models/sim/units.h"

#include <cstdint>

namespace aimcsim::aimc {

class LocalDigitalUnit {
 public:
  // Reads aimc.ldu; the unit's clock defaults to the tile's (of period tile_period).
  LocalDigitalUnit(sim::ConfigNode config, sim::Time tile_period);
  // Time to correct `columns` column outputs of one MVM.
  sim::Time time(std::uint64_t columns) const;
  std::uint64_t units() const { return units_; }

 private:
  const std::uint64_t units_;
  const sim::Cycles latency_;
  const sim::Time period_;
};

}  // namespace aimcsim::aimc
