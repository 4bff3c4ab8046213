#include "models/aimc/adc.h"

#include "models/sim/checked.h"

#include <fmt/format.h>

namespace aimcsim::aimc {
namespace {
// ESTIMATE, derived (aimc_tile_array.cpp): the ADCs' 66.45 % of HERMES' 12.48 nJ per MVM over
// 256 conversions is 32.4 pJ per 8-bit conversion; as a Walden figure of merit 32.4 pJ / 2^8
// = 127 fJ per step. (ISAAC's 8-bit SAR ADC, 32 nm, costs 1.67 pJ: 2 mW at 1.2 GS/s; HERMES'
// CCO ADCs count through the whole integration window at up to 3.3 GHz.)
const sim::Energy kDefaultFom = sim::Energy::parse("127fJ");
// ESTIMATE: 66.45 % of the tile's 4.8 mW leakage over 256 ADCs (aimc_tile_array.cpp), 12.5 uW,
// rounded to whole uW.
const sim::Power kDefaultStatic = sim::Power::parse("12uW");
// ESTIMATE: 25 % of HERMES' 0.635 mm2 over its 256 ADCs.
const sim::Area kDefaultArea = sim::Area::parse("620um2");
// IBM aihwkit's IOParameters.out_bound = 12.0 (src/aihwkit/simulator/parameters/io.py): the
// ADC's bound in the same unit, a fully driven row of inputs 1 at weight 1.
constexpr double kDefaultRange = 12.0;

// The value side of a conversion (tile_arithmetic.h); the defaults are an ideal converter but
// for its resolution and range.
AdcTransfer read_transfer(sim::ConfigNode& config, std::uint64_t bits) {
  AdcTransfer t;
  t.bits = bits;
  t.range = config.get<double>("range", kDefaultRange,
                               "full scale +-range, in fully driven rows at g = 1 (values only)",
                               1e-6, 1e9);
  t.inl_lsb = config.get<double>(
      "inl_lsb", 0.0, "integral non-linearity at mid-scale, LSB (values only)", -1e3, 1e3);
  t.offset_sigma_lsb = config.get<double>(
      "offset_sigma_lsb", 0.0, "spread of the per-column offset, LSB (values only)", 0.0, 1e3);
  t.gain_sigma = config.get<double>(
      "gain_sigma", 0.0, "relative spread of the per-column gain (values only)", 0.0, 1.0);
  return t;
}
}  // namespace

ColumnMuxedAdc::ColumnMuxedAdc(const sc_core::sc_module_name& name, sim::ConfigNode config)
    : Adc(name, config),
      bits_(config.get<std::uint64_t>("bits", 8, "ADC resolution (AHWA-LoRA: 8 bit)", 1, 16)),
      transfer_(read_transfer(config, bits_)),
      // HERMES (Khaddam-Aljameh et al., JSSC 2022) has one CCO ADC per column.
      count_(config.get<std::uint64_t>("count", 512, "ADCs per tile; fewer than columns muxes", 1,
                                       65536)),
      // HERMES: an MVM takes about 130 ns of which 128 ns is the 8-bit PWM window at 1 GHz;
      // the CCO counts during integration, leaving about 2 ns of read-out (derived).
      t_conv_(config.get<sim::Time>("t_conv", sim::Time::parse("2ns"),
                                    "time of one conversion round after integration")),
      energy_(stats()),
      conversion_([&] {
        const sim::Energy fom = config.get<sim::Energy>(
            "fom", kDefaultFom,
            "energy per conversion step (Walden); a conversion is fom x 2^bits");
        const std::uint64_t per_conversion =
            sim::mul(fom.aj, std::uint64_t{1} << bits_, "adc.fom x 2^adc.bits");
        return energy_.event(
            "conversions", sim::Energy{per_conversion},
            fmt::format("column conversions of {} bits, fom x 2^bits each", bits_));
      }()) {
  energy_.set_instance(
      config.get<sim::Power>("p_static", kDefaultStatic, "leakage power of one ADC"),
      config.get<sim::Area>("area", kDefaultArea, "area of one ADC"));
}

void ColumnMuxedAdc::reset_stats() {
  Adc::reset_stats();
  energy_.reset();
}

sim::Time ColumnMuxedAdc::conversion_time(std::uint64_t columns) const {
  return sim::Time{sim::ceil_div(columns, count_) * t_conv_.ps};
}

AIMCSIM_REGISTER_MODEL("column_muxed_adc", "adc", ColumnMuxedAdc,
                       "ADC bank with column multiplexing: ceil(columns/count) x t_conv")

}  // namespace aimcsim::aimc
