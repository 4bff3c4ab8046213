#include "models/aimc/aimc_tile_array.h"

#include "models/sim/checked.h"
#include "models/sim/errors.h"

#include <algorithm>

#include <fmt/format.h>

namespace aimcsim::aimc {

AimcTileArray::AimcTileArray(const sc_core::sc_module_name& name, sim::ConfigNode config)
    : Component(name, config),
      fixed_tiles_(config.get<std::uint64_t>(
          "tiles", 0, "tile count; 0 grows the array to what the workload needs", 0,
          std::uint64_t{1} << 40)),
      // AHWA-LoRA maps onto 512x512 PCM tiles.
      rows_(config.get<std::uint64_t>("rows", 512, "crossbar rows (inputs)", 1, 65536)),
      cols_(config.get<std::uint64_t>("cols", 512, "crossbar columns (outputs)", 1, 65536)),
      period_(config
                  .get<sim::Frequency>("clock", sim::Frequency::parse("1GHz"),
                                       "tile digital clock (HERMES: 1 GHz)")
                  .period()),
      bit_serial_(config.get_choice("input_mode", "pwm", {"pwm", "bit_serial"},
                                    "pwm: one integration window; bit_serial: one per bit") ==
                  "bit_serial"),
      dac_bits_(config.get<std::uint64_t>("dac_bits", 8, "input DAC resolution", 1, 16)),
      // Estimate: a 512-bit input port, as wide as the Snitch DMA data path.
      input_width_(config.get<sim::BytesPerCycle>("input_width", sim::BytesPerCycle{64},
                                                  "bytes per cycle into the DAC registers",
                                                  sim::BytesPerCycle{1})),
      t_int_(config.get<sim::Time>("t_int", sim::Time::parse("128ns"),
                                   "integration time of one MVM (per bit when bit_serial)",
                                   sim::Time{1})),
      overlap_input_(config.get<bool>("overlap_input", true,
                                      "input phase of MVM k+1 overlaps the output phase of k")),
      // Estimate (HERMES' local digital unit throughput is not published): 32 columns/cycle.
      ldu_lanes_(config.get<std::uint64_t>("ldu_lanes", 32,
                                           "columns the local digital unit scales per cycle", 1)),
      output_bytes_(config.get<std::uint64_t>(
          "output_bytes", 2, "bytes per output element after the LDU (FP16)", 1, 8)),
      adc_(sim::ModelRegistry::instance().create<Adc>("adc", config.child("adc"), "adc",
                                                      "column_muxed_adc")),
      mvms_(stats().counter("mvms", "count", "matrix-vector multiplications, all tiles")),
      busy_ns_(stats().counter("busy_time", "ns", "tile-time spent in MVMs, all tiles")),
      tiles_used_(stats().counter("tiles_used", "count", "tiles that ran at least one MVM")) {
  stats().formula("utilisation", "ratio", "busy time / (tiles used x active span)", [this] {
    const double span = last_end_ps_ > first_start_ps_ ? (last_end_ps_ - first_start_ps_) : 0.0;
    return span > 0 && tiles_used_ > 0 ? busy_ns_ * 1000.0 / (span * tiles_used_) : 0.0;
  });
  stats().add_child(&adc_->stats());
}

AimcTileArray::Phases AimcTileArray::phases(std::uint64_t rows, std::uint64_t cols) const {
  const std::uint64_t planes = bit_serial_ ? dac_bits_ : 1;
  const std::uint64_t input_bytes = sim::ceil_div(rows * dac_bits_, 8);
  const std::uint64_t input_cycles = sim::ceil_div(input_bytes, input_width_.value);
  const std::uint64_t ldu_cycles = sim::ceil_div(cols, ldu_lanes_);
  const char* what = "one MVM's phase times (aimc.t_int, adc.t_conv, clock)";
  return Phases{sim::Time{sim::mul(input_cycles, period_.ps, what)},
                sim::Time{sim::mul(planes, t_int_.ps, what)},
                sim::Time{sim::add(sim::mul(planes, adc_->conversion_time(cols).ps, what),
                                   sim::mul(ldu_cycles, period_.ps, what), what)}};
}

void AimcTileArray::require_tiles(std::uint64_t n, const std::string& what) {
  if (n <= states_.size()) return;
  if (fixed_tiles_ != 0 && n > fixed_tiles_)
    throw sim::UserError(fmt::format(
        "{} needs {} AIMC tiles of {}x{} but the platform has {} (aimc.tiles); set aimc.tiles to "
        "at least {} or to 0 to size the array to the workload",
        what, n, rows_, cols_, fixed_tiles_, n));
  if (n > max_tiles_)
    throw sim::UserError(fmt::format(
        "{} needs {} AIMC tiles of {}x{}, more than the limit of {} tiles ({} bytes of tile "
        "state each); --max-tiles N raises the limit",
        what, n, rows_, cols_, max_tiles_, sizeof(TileState)));
  states_.resize(n);  // the state of tiles a workload uses (a fixed array is never filled)
}

void AimcTileArray::set_max_tiles(std::uint64_t n) {
  max_tiles_ = n;
  if (fixed_tiles_ > max_tiles_)
    throw sim::UserError(fmt::format(
        "aimc.tiles {} is more than the limit of {} tiles ({} bytes of tile state each); "
        "--max-tiles N raises the limit",
        fixed_tiles_, max_tiles_, sizeof(TileState)));
}

sim::Interval AimcTileArray::run_mvms(std::uint64_t first, std::uint64_t count, std::uint64_t rows,
                                      std::uint64_t cols, std::uint64_t tokens,
                                      std::uint64_t earliest_ps) {
  const Phases p = phases(rows, cols);
  const char* what = "the end of an MVM batch on the AIMC tiles";
  // After the first MVM of a batch, one more every `period`: the next input phase waits for
  // the integration (overlap) or output phase (no overlap) of the previous MVM, and its
  // integration for the previous output phase.
  const std::uint64_t period =
      sim::add(overlap_input_ ? std::max(p.input.ps, p.output.ps) : p.input.ps + p.output.ps,
               p.integration.ps, what);
  std::uint64_t first_input = UINT64_MAX, last = earliest_ps;
  for (std::uint64_t t = first; t < first + count; ++t) {
    TileState& s = states_.at(t);
    if (tokens == 0) continue;
    if (s.output_end_ps == 0) tiles_used_ += 1;
    const std::uint64_t input_start =
        std::max(earliest_ps, overlap_input_ ? s.integration_end_ps : s.output_end_ps);
    const std::uint64_t integration_start =
        std::max(sim::add(input_start, p.input.ps, what), s.output_end_ps);
    const std::uint64_t busy_from = std::max(input_start, s.output_end_ps);
    const std::uint64_t first_end = sim::add(integration_start, p.integration.ps, what);
    s.integration_end_ps = sim::add_mul(first_end, tokens - 1, period, what);
    s.output_end_ps = sim::add(s.integration_end_ps, p.output.ps, what);
    busy_ns_ += static_cast<double>(s.output_end_ps - busy_from) / 1000.0;
    first_input = std::min(first_input, input_start);
    mvms_ += static_cast<double>(tokens);
    last = std::max(last, s.output_end_ps);
  }
  first_start_ps_ = std::min(first_start_ps_, first_input);
  last_end_ps_ = std::max(last_end_ps_, last);
  return sim::Interval{std::min(first_input, last), last};
}

sim::Interval AimcTileArray::run_layer(std::uint64_t first_tile, std::uint64_t d_in,
                                       std::uint64_t d_out, std::uint64_t tokens,
                                       std::uint64_t earliest_ps) {
  const std::uint64_t row_blocks = sim::ceil_div(d_in, rows_);
  const std::uint64_t col_blocks = sim::ceil_div(d_out, cols_);
  sim::Interval all{UINT64_MAX, earliest_ps};
  for (std::uint64_t r = 0; r < row_blocks; ++r) {
    const std::uint64_t rows = std::min(rows_, d_in - r * rows_);
    // The full column blocks of this row share one phase timing: one call for all of them.
    const std::uint64_t full = d_out / cols_;
    const std::uint64_t base = first_tile + r * col_blocks;
    for (const auto& [first, count, cols] :
         {std::tuple{base, full, cols_},
          std::tuple{base + full, col_blocks - full, d_out % cols_}}) {
      if (count == 0) continue;
      const sim::Interval one = run_mvms(first, count, rows, cols, tokens, earliest_ps);
      all.start_ps = std::min(all.start_ps, one.start_ps);
      all.end_ps = std::max(all.end_ps, one.end_ps);
    }
  }
  all.start_ps = std::min(all.start_ps, all.end_ps);
  return all;
}

void AimcTileArray::reset_stats() {
  Component::reset_stats();
  adc_->reset_stats();
  // A tile counts as used again once it runs an MVM after the reset.
  for (auto& s : states_) s = TileState{};
  first_start_ps_ = UINT64_MAX;
  last_end_ps_ = 0;
}

AIMCSIM_REGISTER_MODEL(
    "pcm_tile_array", "aimc", AimcTileArray,
    "AIMC crossbar tiles: DAC input, integration t_int, ADC + local digital unit")

}  // namespace aimcsim::aimc
