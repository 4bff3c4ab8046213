// Column read-out of an AIMC tile: ADCs convert the integrated column currents after the
// integration phase. Timing: with fewer ADCs than columns in use, columns are multiplexed
// onto the ADCs in rounds, each round taking one conversion time; rounds are sequential.
// Simplification: conversion time does not depend on the value converted.
#pragma once

#include "models/sim/component.h"
#include "models/sim/units.h"

#include <cstdint>

namespace aimcsim::aimc {

// The ADC policy interface the tile uses; chosen by "adc.type" in YAML.
class Adc : public sim::Component {
 public:
  using sim::Component::Component;
  // Time to convert `columns` column outputs once.
  virtual sim::Time conversion_time(std::uint64_t columns) const = 0;
  virtual std::uint64_t bits() const = 0;
};

class ColumnMuxedAdc : public Adc {
 public:
  ColumnMuxedAdc(const sc_core::sc_module_name& name, sim::ConfigNode config);
  sim::Time conversion_time(std::uint64_t columns) const override;
  std::uint64_t bits() const override { return bits_; }

 private:
  const std::uint64_t bits_;
  const std::uint64_t count_;  // ADCs per tile
  const sim::Time t_conv_;     // one conversion round
};

}  // namespace aimcsim::aimc
