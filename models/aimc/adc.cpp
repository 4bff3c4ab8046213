#include "models/aimc/adc.h"

namespace aimcsim::aimc {

ColumnMuxedAdc::ColumnMuxedAdc(const sc_core::sc_module_name& name, sim::ConfigNode config)
    : Adc(name, config),
      bits_(config.get<std::uint64_t>("bits", 8, "ADC resolution (AHWA-LoRA: 8 bit)", 1, 16)),
      // HERMES (Khaddam-Aljameh et al., JSSC 2022) has one CCO ADC per column.
      count_(config.get<std::uint64_t>("count", 512, "ADCs per tile; fewer than columns muxes", 1,
                                       65536)),
      // HERMES: an MVM takes about 130 ns of which 128 ns is the 8-bit PWM window at 1 GHz;
      // the CCO counts during integration, leaving about 2 ns of read-out (derived).
      t_conv_(config.get<sim::Time>("t_conv", sim::Time::parse("2ns"),
                                    "time of one conversion round after integration")) {}

sim::Time ColumnMuxedAdc::conversion_time(std::uint64_t columns) const {
  return sim::Time{sim::ceil_div(columns, count_) * t_conv_.ps};
}

AIMCSIM_REGISTER_MODEL("column_muxed_adc", "adc", ColumnMuxedAdc,
                       "ADC bank with column multiplexing: ceil(columns/count) x t_conv")

}  // namespace aimcsim::aimc
