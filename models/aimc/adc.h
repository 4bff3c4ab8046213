// Column read-out of an AIMC tile: ADCs convert the integrated column currents after the
// integration phase. Timing: with fewer ADCs than columns in use, columns are multiplexed
// onto the ADCs in rounds, each round taking one conversion time; rounds are sequential.
// Energy: one conversion of b bits costs fom x 2^b (the Walden figure of merit, energy per
// conversion step), so that resolution moves it; each ADC leaks and occupies area.
// Simplifications: conversion time and energy do not depend on the value converted.
#pragma once

#include "models/aimc/tile_arithmetic.h"
#include "models/sim/component.h"
#include "models/sim/energy.h"
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
  // Counts `conversions` column conversions of one bit plane each.
  virtual void convert(std::uint64_t conversions) = 0;
  // ADCs per tile.
  virtual std::uint64_t count() const = 0;
  virtual sim::EnergyBook& energy() = 0;
  // What a conversion does to a value (functional co-simulation, tile_arithmetic.h).
  virtual AdcTransfer transfer() const = 0;
};

class ColumnMuxedAdc : public Adc {
 public:
  ColumnMuxedAdc(const sc_core::sc_module_name& name, sim::ConfigNode config);
  sim::Time conversion_time(std::uint64_t columns) const override;
  std::uint64_t bits() const override { return bits_; }
  void convert(std::uint64_t conversions) override { energy_.count(conversion_, conversions); }
  std::uint64_t count() const override { return count_; }
  sim::EnergyBook& energy() override { return energy_; }
  AdcTransfer transfer() const override { return transfer_; }
  void reset_stats() override;

 private:
  const std::uint64_t bits_;
  const AdcTransfer transfer_;
  const std::uint64_t count_;  // ADCs per tile
  const sim::Time t_conv_;     // one conversion round
  sim::EnergyBook energy_;
  const sim::EnergyBook::EventId conversion_;
};

}  // namespace aimcsim::aimc
