// The tile's local digital unit: after the ADCs, it corrects every column output with a
// fixed-point affine transform (the per-column scale and offset of the channel-wise mapping,
// optionally ReLU or batch-norm) and writes it out. Modelled after IBM's near-memory
// processing unit (NMPU, Ferro et al., arXiv 2402.07549, 14 nm): identical pipelines in
// parallel, each serving `columns_per_unit` columns of the tile one a cycle at the unit's
// clock, after `latency` cycles of pipeline fill. Timing of one MVM's c columns on a tile of
// C columns (units = ceil(C / columns_per_unit); the columns are interleaved across the units,
// so c columns, wherever they sit, keep every unit busy):
//   (latency + ceil(c / units)) cycles of the unit's clock.
// Energy (e_ldu_column) and area (area_fixed) are charged in the tile's book.
// Element-wise operators on the tile (aimc.ldu.elementwise: tile): the pipeline's activation
// stage applies a ReLU at no extra time (HERMES' LDPU and the NMPU do affine scaling and ReLU);
// a residual add is one more stage: `add_latency` more cycles of fill per MVM, its operand
// streamed into the tile beside the input, and e_ldu_add per column (aimc_tile_array.h).
// Other activations (GELU, SiLU) and norms stay on the cluster cores.
// Simplifications: the unit starts when the last ADC round has ended (no overlap with the
// conversions) and its time does not depend on the values.
#pragma once

#include "models/sim/config.h"
#include "models/sim/units.h"

#include <cstdint>

namespace aimcsim::aimc {

class LocalDigitalUnit {
 public:
  // Reads aimc.ldu for a tile of tile_cols columns; the unit's clock defaults to the tile's
  // (of period tile_period).
  LocalDigitalUnit(sim::ConfigNode config, sim::Time tile_period, std::uint64_t tile_cols);
  // Time to correct `columns` column outputs of one MVM (and add a residual to each).
  sim::Time time(std::uint64_t columns, bool residual = false) const;
  // Where the compiler puts a ReLU or residual add that follows a linear: "cores" or "tile".
  bool elementwise_on_tile() const { return on_tile_; }
  std::uint64_t units() const { return units_; }
  // Significant bits of the per-column multiplier (functional co-simulation,
  // tile_arithmetic.h); 0: exact.
  std::uint64_t scale_bits() const { return scale_bits_; }

 private:
  const std::uint64_t scale_bits_;
  const std::uint64_t columns_per_unit_;
  const std::uint64_t units_;
  const sim::Cycles latency_;
  const sim::Cycles add_latency_;
  const bool on_tile_;
  const sim::Time period_;
};

}  // namespace aimcsim::aimc
