// An array of identical AIMC crossbar tiles holding static weights, one MVM per input vector.
// Timing of one MVM on a tile: input phase (DAC registers loaded at input_width per cycle)
// -> integration (PWM: t_int; bit-serial: dac_bits x t_int) -> output phase (ADC conversion,
// column-muxed, then the local digital unit's per-column affine correction,
// local_digital_unit.h). The periphery (ADCs, local digital unit, inputs) of published tiles
// are presets: configs/periphery/*.yaml. With overlap_input,
// the input phase of MVM k+1 may run once integration k has ended; integration k+1 waits for
// the output phase of k (the ADCs read the same columns). Bit-serial converts every bit plane.
// A batch of k MVMs whose inputs are all present is computed in closed form: after the first,
// MVMs follow each other every max(input, output) + integration (overlap_input) or
// input + integration + output (no overlap), so a batch costs O(1) per tile whatever k.
// Energy of one MVM using r rows and c columns, with planes = dac_bits (bit-serial) or 1 (PWM):
//   planes x r x e_row (input drivers) + planes x r x c x e_cell (array integration)
//   + planes x c ADC conversions (adc.h) + c x e_ldu_column (local digital unit)
//   (+ c x e_ldu_add when the local digital unit adds a residual).
// Leakage and area per tile: the tile's own (array, drivers, LDU) plus its ADCs; a tile of
// r x c occupies r x c x area_cell + r x area_row + area_fixed + ADCs. With power_gating, only
// the tiles holding the weights of the workload that runs leak (a layer run alone: its own
// tiles); without, every tile the platform has.
// Tiers (aimc.tiers) are weight planes stacked on one tile's periphery (3D AIMC: Buechel et al.,
// Nature Computational Science 2025; IBM HARP gives 1.5 mm2 for a 512x512 tile of 8 tiers):
// only one computes at a time, and they add no area, leakage or MVM energy here (ESTIMATE: no
// per-tier figure is published).
// Simplifications: one array module holds every tile's state (16 bytes a tile, no process per
// tile); the energy of an MVM does not depend on its values or on t_int.
#pragma once

#include "models/aimc/adc.h"
#include "models/aimc/local_digital_unit.h"
#include "models/aimc/pcm_device.h"
#include "models/aimc/tile_arithmetic.h"
#include "models/sim/component.h"
#include "models/sim/energy.h"
#include "models/sim/resource.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace aimcsim::aimc {

class AimcTileArray : public sim::Component {
 public:
  AimcTileArray(const sc_core::sc_module_name& name, sim::ConfigNode config);

  // Phase durations of one MVM that uses rows x cols of a tile.
  struct Phases {
    sim::Time input, integration, output;
    sim::Time conversion;  // the ADC part of output (the rest is the local digital unit's)
  };
  // residual: the local digital unit also adds a residual to every output.
  Phases phases(std::uint64_t rows, std::uint64_t cols, bool residual = false) const;

  // Runs `tokens` MVMs (inputs all present from earliest_ps) on tiles [first, first+count),
  // each using rows x cols; returns from the earliest input phase start to the last output
  // phase end (an empty interval when there is nothing to run).
  sim::Interval run_mvms(std::uint64_t first, std::uint64_t count, std::uint64_t rows,
                         std::uint64_t cols, std::uint64_t tokens, std::uint64_t earliest_ps,
                         bool residual = false);

  // Runs `tokens` MVMs of a d_in -> d_out layer whose weights occupy the tiles from
  // first_tile on, in row-major blocks of rows() x cols() (the last row and column blocks
  // partly used); returns from the first input phase to the last output phase.
  sim::Interval run_layer(std::uint64_t first_tile, std::uint64_t d_in, std::uint64_t d_out,
                          std::uint64_t tokens, std::uint64_t earliest_ps, bool residual = false);
  // Whether the compiler may put a ReLU or residual add after a linear on the tiles.
  bool elementwise_on_tile() const { return ldu_.elementwise_on_tile(); }

  // Makes room for n tiles; fails when a fixed tile count is configured and n exceeds it, or
  // when n is above max_tiles (the state of every tile is kept in memory).
  void require_tiles(std::uint64_t n, const std::string& what);
  // The most tiles a workload may grow the array to (16 bytes each); --max-tiles.
  void set_max_tiles(std::uint64_t n);
  std::uint64_t max_tiles() const { return max_tiles_; }
  static constexpr std::uint64_t kDefaultMaxTiles = 4194304;  // 64 MiB of tile state

  std::uint64_t rows() const { return rows_; }
  // Weight planes per tile (aimc.tiers); the tile computes with one at a time, so the planes
  // of one tile share its MVM slot: the mapper places them (workloads/tier_placement.h).
  std::uint64_t tiers() const { return tiers_; }
  std::uint64_t fixed_tiles() const { return fixed_tiles_; }  // 0: grows to the workload
  // How the mapper fills planes and tiers unless the run says otherwise.
  const std::string& packing() const { return packing_; }
  const std::string& tier_policy() const { return tier_policy_; }
  // Time to program (write and verify) one row of a tile's weights: what rewriting the analog
  // weights costs instead of switching digital adapters (platform/experiments/adapter_experiment.h).
  sim::Time t_program_row() const { return t_program_row_; }
  std::uint64_t cols() const { return cols_; }
  std::uint64_t tiles_in_use() const { return states_.size(); }
  std::uint64_t output_bytes() const { return output_bytes_; }
  sim::Time period() const { return period_; }
  std::uint64_t input_bytes_per_element() const { return sim::ceil_div(dac_bits_, 8); }
  // What the tiles compute on values (functional co-simulation): the PCM devices, DAC, ADC,
  // wires and local digital unit as configured.
  TileArithmetic arithmetic() const;
  // The tiles' own energy book and their ADCs'.
  sim::EnergyBook& energy() { return energy_; }
  sim::EnergyBook& adc_energy() { return adc_->energy(); }
  // Multiply-accumulates of the weights in the MVMs run (rows x cols used per MVM).
  std::uint64_t macs() const { return macs_; }
  // The tiles holding the weights of what runs next (a layer run alone holds only its own;
  // 0: every tile made room for). With power_gating only these leak.
  void set_workload_tiles(std::uint64_t n) { workload_tiles_ = n; }
  // Updates the books' instance counts (the tiles the platform has, used and leaking).
  void count_instances();
  void reset_stats() override;

 private:
  void count_energy(std::uint64_t mvms, std::uint64_t rows, std::uint64_t cols, bool residual);

  struct TileState {  // all a tile costs when idle
    std::uint64_t integration_end_ps = 0;
    std::uint64_t output_end_ps = 0;
  };

  const std::uint64_t fixed_tiles_;
  const std::uint64_t rows_, cols_;
  const std::uint64_t tiers_;
  const std::string packing_, tier_policy_;
  const sim::Time t_program_row_;
  const sim::Time period_;
  const bool bit_serial_;
  const std::uint64_t dac_bits_;
  const sim::BytesPerCycle input_width_;
  const sim::Time t_int_;
  const bool overlap_input_;
  const LocalDigitalUnit ldu_;
  const std::uint64_t output_bytes_;
  const bool power_gating_;
  const PcmDevice pcm_;
  const double r_wire_ohm_;
  std::unique_ptr<Adc> adc_;
  std::vector<TileState> states_;
  sim::EnergyBook energy_;
  sim::EnergyBook::EventId row_drives_, cell_integrations_, ldu_columns_, ldu_adds_;
  std::uint64_t macs_ = 0;
  std::uint64_t workload_tiles_ = 0;

  std::uint64_t max_tiles_ = kDefaultMaxTiles;
  double& mvms_;
  double& busy_ns_;
  double& tiles_used_;
  std::uint64_t first_start_ps_ = UINT64_MAX, last_end_ps_ = 0;
};

}  // namespace aimcsim::aimc
