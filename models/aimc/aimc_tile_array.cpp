#include "models/aimc/aimc_tile_array.h"

#include "models/sim/checked.h"
#include "models/sim/errors.h"

#include <algorithm>

#include <fmt/format.h>

namespace aimcsim::aimc {
namespace {

// Energy defaults: one measured total, split by published shares (ESTIMATES; the split of
// HERMES' MVM energy is not published). HERMES (Khaddam-Aljameh et al., JSSC 2022; 14 nm,
// 0.8 V, 1 GHz): 256x256, 8-bit PWM, 10.5 TOPS/W -> 131072 ops / 10.5 TOPS/W = 12.48 nJ per
// full MVM. Split like ISAAC's IMA power (Shafiee et al., ISCA 2016, Table I: ADCs 16 mW, DAC
// + S&H 4.01 mW, array 2.4 mW, S+A + IR + OR 1.67 mW of 24.08 mW), which matches HERMES' own
// remark that the data converters carry the largest energy: inputs 16.65 % / 256 rows =
// 8.12 pJ a row; array 9.97 % / 65536 cells = 19 fJ a cell; the ADCs 66.45 % (adc.cpp); the
// digital rest 6.94 % / 256 columns = 3.38 pJ a column for the LDU. With these, a full 256x256
// MVM costs 12.51 nJ and a full MVM of the default 512x512 tile 27.5 nJ.
const sim::Energy kDefaultRow = sim::Energy::parse("8.12pJ");
const sim::Energy kDefaultCell = sim::Energy::parse("19fJ");
const sim::Energy kDefaultLdu = sim::Energy::parse("3.38pJ");
// ESTIMATE (no published leakage split): 5 % of HERMES' 96 mW active power (1.008 TOPS /
// 10.5 TOPS/W) leaks, shared like the dynamic energy: 1.6 mW the tile, 12 uW each ADC.
const sim::Power kDefaultStatic = sim::Power::parse("1.6mW");
// ESTIMATE: HERMES' MVM area of 0.635 mm2 for 256x256 (Le Gallo et al., Nature Electronics
// 2023, Extended Data Table I: 0.870 x 0.730 mm) split array 50 % (4.84 um2 a cell), row
// drivers 10 % (248 um2 a row), ADCs 25 % (adc.cpp), LDU and control 15 % (0.095 mm2).
const sim::Area kDefaultAreaCell = sim::Area::parse("4.84um2");
const sim::Area kDefaultAreaRow = sim::Area::parse("248um2");
const sim::Area kDefaultAreaFixed = sim::Area::parse("0.095mm2");

// One tile's area without its ADCs: cells, row drivers and the fixed part (LDU, control).
sim::Area tile_area(sim::ConfigNode& config, std::uint64_t rows, std::uint64_t cols) {
  const auto cell = config.get<sim::Area>("area_cell", kDefaultAreaCell,
                                          "area of one crossbar cell (its PCM devices)");
  const auto row = config.get<sim::Area>("area_row", kDefaultAreaRow,
                                         "area of one row's input driver (DAC/PWM)");
  const auto fixed = config.get<sim::Area>("area_fixed", kDefaultAreaFixed,
                                           "area of a tile's local digital unit and control");
  const char* what = "a tile's area (aimc.area_cell x rows x cols + area_row x rows + area_fixed)";
  const std::uint64_t cells = sim::mul(sim::mul(cell.nm2, rows, what), cols, what);
  return sim::Area{sim::add(sim::add_mul(cells, row.nm2, rows, what), fixed.nm2, what)};
}

}  // namespace

AimcTileArray::AimcTileArray(const sc_core::sc_module_name& name, sim::ConfigNode config)
    : Component(name, config),
      fixed_tiles_(config.get<std::uint64_t>(
          "tiles", 0, "tile count; 0 grows the array to what the workload needs", 0,
          std::uint64_t{1} << 40)),
      // AHWA-LoRA maps onto 512x512 PCM tiles.
      rows_(config.get<std::uint64_t>("rows", 512, "crossbar rows (inputs)", 1, 65536)),
      cols_(config.get<std::uint64_t>("cols", 512, "crossbar columns (outputs)", 1, 65536)),
      tiers_(config.get<std::uint64_t>(
          "tiers", 1, "weight planes per tile, one computing at a time (HARP: 8)", 1, 4096)),
      packing_(config.get_choice("packing", "none", {"none", "diagonal", "dense"},
                                 "how small layers share a weight plane (run --packing)")),
      tier_policy_(config.get_choice("tier_policy", "latency", {"latency", "area", "balance"},
                                     "how weight planes fill the tiers (run --tier-policy)")),
      // ESTIMATE (no published per-row programming time found): IBM's 14-nm chip programs a
      // row of 512 weights at once by closed-loop tuning of their conductances (Narayanan et
      // al., IEEE TED 68(12), 2021); one PCM programming pulse sequence lasts up to 4.4 us
      // (Ambrogio et al., Nature 558, 2018, Extended Data Fig. 7); two program-and-verify
      // rounds of such a sequence and a read: about 10 us a row.
      t_program_row_(config.get<sim::Time>("t_program_row", sim::Time::parse("10us"),
                                           "time to program one row of weights (write-verify)",
                                           sim::Time{1})),
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
      ldu_(config.child("ldu"), period_, cols_),
      output_bytes_(config.get<std::uint64_t>(
          "output_bytes", 2, "bytes per output element after the LDU (FP16)", 1, 8)),
      power_gating_(config.get<bool>(
          "power_gating", true,
          "tiles holding no weights of the workload are power-gated (no leakage)")),
      pcm_(PcmDevice::from_config(config.child("pcm"))),
      // Off by default: see tile_arithmetic.h for the first-order model and its source.
      r_wire_ohm_(config.get<double>("r_wire_ohm", 0.0,
                                     "wire resistance per cell pitch, ohm; 0: no IR drop (values "
                                     "only)",
                                     0.0, 1e6)),
      adc_(sim::ModelRegistry::instance().create<Adc>("adc", config.child("adc"), "adc",
                                                      "column_muxed_adc")),
      energy_(stats()),
      mvms_(stats().counter("mvms", "count", "matrix-vector multiplications, all tiles")),
      busy_ns_(stats().counter("busy_time", "ns", "tile-time spent in MVMs, all tiles")),
      tiles_used_(stats().counter("tiles_used", "count", "tiles that ran at least one MVM")) {
  stats().formula("utilisation", "ratio", "busy time / (tiles used x active span)", [this] {
    const double span = last_end_ps_ > first_start_ps_ ? (last_end_ps_ - first_start_ps_) : 0.0;
    return span > 0 && tiles_used_ > 0 ? busy_ns_ * 1000.0 / (span * tiles_used_) : 0.0;
  });
  stats().formula("macs", "count", "weight multiply-accumulates of the MVMs (rows x cols each)",
                  [this] { return static_cast<double>(macs_); });
  energy_.set_instance(
      config.get<sim::Power>("p_static", kDefaultStatic,
                             "leakage power of one tile without its ADCs (array, drivers, LDU)"),
      tile_area(config, rows_, cols_));
  row_drives_ =
      energy_.event("row_drives",
                    config.get<sim::Energy>("e_row", kDefaultRow,
                                            "energy to drive one row's input for one MVM (per bit "
                                            "plane when bit_serial)"),
                    "rows driven, per bit plane");
  cell_integrations_ = energy_.event(
      "cell_integrations",
      config.get<sim::Energy>("e_cell", kDefaultCell,
                              "array integration energy of one cell for one MVM (per bit plane)"),
      "cells integrated (rows x cols), per bit plane");
  ldu_columns_ = energy_.event(
      "ldu_columns",
      config.get<sim::Energy>("e_ldu_column", kDefaultLdu,
                              "local digital unit energy per column output (affine scale)"),
      "column outputs scaled by the local digital unit");
  // ESTIMATE: one of the three stages of the affine pipeline (multiply, add, activation) whose
  // energy e_ldu_column covers: 3.38 pJ / 3.
  ldu_adds_ = energy_.event(
      "ldu_residual_adds",
      config.get<sim::Energy>("e_ldu_add", sim::Energy::parse("1.13pJ"),
                              "local digital unit energy per column output of a residual add"),
      "column outputs the local digital unit added a residual to");
  stats().add_child(&adc_->stats());
}

TileArithmetic AimcTileArray::arithmetic() const {
  TileArithmetic a;
  a.rows = rows_;
  a.cols = cols_;
  a.dac_bits = dac_bits_;
  a.bit_serial = bit_serial_;
  a.pcm = pcm_;
  a.adc = adc_->transfer();
  a.ldu_scale_bits = ldu_.scale_bits();
  a.r_wire_ohm = r_wire_ohm_;
  a.fp16_output = output_bytes_ == 2;
  return a;
}

AimcTileArray::Phases AimcTileArray::phases(std::uint64_t rows, std::uint64_t cols,
                                            bool residual) const {
  const std::uint64_t planes = bit_serial_ ? dac_bits_ : 1;
  const std::uint64_t input_bytes = sim::ceil_div(rows * dac_bits_, 8);
  const std::uint64_t input_cycles = sim::ceil_div(input_bytes, input_width_.value);
  const char* what = "one MVM's phase times (aimc.t_int, adc.t_conv, clock)";
  const sim::Time conversion{sim::mul(planes, adc_->conversion_time(cols).ps, what)};
  return Phases{sim::Time{sim::mul(input_cycles, period_.ps, what)},
                sim::Time{sim::mul(planes, t_int_.ps, what)},
                sim::Time{sim::add(conversion.ps, ldu_.time(cols, residual).ps, what)}, conversion};
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
                                      std::uint64_t earliest_ps, bool residual) {
  const Phases p = phases(rows, cols, residual);
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
  if (tokens != 0 && count != 0)
    count_energy(sim::mul(count, tokens, "MVMs of a batch"), rows, cols, residual);
  first_start_ps_ = std::min(first_start_ps_, first_input);
  last_end_ps_ = std::max(last_end_ps_, last);
  return sim::Interval{std::min(first_input, last), last};
}

sim::Interval AimcTileArray::run_layer(std::uint64_t first_tile, std::uint64_t d_in,
                                       std::uint64_t d_out, std::uint64_t tokens,
                                       std::uint64_t earliest_ps, bool residual) {
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
      const sim::Interval one = run_mvms(first, count, rows, cols, tokens, earliest_ps, residual);
      all.start_ps = std::min(all.start_ps, one.start_ps);
      all.end_ps = std::max(all.end_ps, one.end_ps);
    }
  }
  all.start_ps = std::min(all.start_ps, all.end_ps);
  return all;
}

void AimcTileArray::count_energy(std::uint64_t mvms, std::uint64_t rows, std::uint64_t cols,
                                 bool residual) {
  const char* what = "the energy events of the MVMs on the AIMC tiles (MVMs x rows x cols)";
  const std::uint64_t planes = bit_serial_ ? dac_bits_ : 1;
  const std::uint64_t cells = sim::mul(mvms, sim::mul(rows, cols, what), what);
  energy_.count(row_drives_, sim::mul(sim::mul(mvms, rows, what), planes, what));
  energy_.count(cell_integrations_, sim::mul(cells, planes, what));
  energy_.count(ldu_columns_, sim::mul(mvms, cols, what));
  if (residual) energy_.count(ldu_adds_, sim::mul(mvms, cols, what));
  adc_->convert(sim::mul(sim::mul(mvms, cols, what), planes, what));
  macs_ = sim::add(macs_, cells, what);
}

void AimcTileArray::count_instances() {
  std::uint64_t used = 0;
  for (const auto& s : states_) used += s.output_end_ps != 0;
  // The tiles holding the workload's weights; a platform without a fixed tile count has
  // exactly those (so nothing a previous run on this elaboration needed counts here).
  const std::uint64_t holding = workload_tiles_ != 0
                                    ? std::min<std::uint64_t>(workload_tiles_, states_.size())
                                    : states_.size();
  const std::uint64_t instantiated = fixed_tiles_ != 0 ? fixed_tiles_ : holding;
  const std::uint64_t leaking = power_gating_ ? holding : instantiated;
  energy_.set_instances(instantiated, used);
  energy_.set_leaking(leaking);
  const std::uint64_t adcs = adc_->count();
  adc_->energy().set_instances(instantiated * adcs, used * adcs);
  adc_->energy().set_leaking(leaking * adcs);
}

void AimcTileArray::reset_stats() {
  Component::reset_stats();
  adc_->reset_stats();
  energy_.reset();
  macs_ = 0;
  // A tile counts as used again once it runs an MVM after the reset.
  for (auto& s : states_) s = TileState{};
  first_start_ps_ = UINT64_MAX;
  last_end_ps_ = 0;
}

AIMCSIM_REGISTER_MODEL(
    "pcm_tile_array", "aimc", AimcTileArray,
    "AIMC crossbar tiles: DAC input, integration t_int, ADC + local digital unit")

}  // namespace aimcsim::aimc
