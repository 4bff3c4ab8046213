// The energy, static power and area of one hardware model, kept in its statistics group next
// to its timing. Dynamic energy: every kind of event the model counts (a row driven, an ADC
// conversion, an FMA, a byte read) times that event's energy parameter. Static energy: the
// leakage power of every instance the platform has, charged over the whole simulated time of
// a run, busy or idle. Area: per instance, for the instances the platform has and for those a
// run used. All of it is exact integer arithmetic (aJ, uW, nm2; uW x ps = aJ) with 128-bit
// sums, so the total of a run is exactly the sum of its parts.
#pragma once

#include "models/sim/checked.h"
#include "models/sim/stats.h"
#include "models/sim/units.h"

#include <cstdint>
#include <string>
#include <vector>

namespace aimcsim::sim {

// Energy in attojoules; 128 bits, so no sum of events can overflow (2^64 aJ is only 18 J).
using Attojoules = unsigned __int128;

// Attojoules as a double in the unit the statistics and reports use (pJ or nJ).
inline double to_pj(Attojoules e) {
  return static_cast<double>(e) / 1e6;
}
inline double to_nj(Attojoules e) {
  return static_cast<double>(e) / 1e9;
}

// a + b, a RangeError instead of a wrapped total (only absurd parameters come near 2^128 aJ).
inline Attojoules add_energy(Attojoules a, Attojoules b) {
  Attojoules sum;
  if (__builtin_add_overflow(a, b, &sum)) overflow("a sum of energies (2^128 aJ)");
  return sum;
}

class EnergyBook {
 public:
  // Registers the energy, power and area statistics in stats.
  explicit EnergyBook(StatGroup& stats);
  EnergyBook(const EnergyBook&) = delete;
  EnergyBook& operator=(const EnergyBook&) = delete;

  // A kind of event, each costing per_event; counted with count(id, n). Registers
  // "energy_<name>" (pJ) with the description of the event.
  using EventId = std::size_t;
  EventId event(const std::string& name, Energy per_event, const std::string& description);
  void count(EventId id, std::uint64_t n) {
    events_[id].count = add(events_[id].count, n, "an energy event count of a run");
  }

  // Leakage power and area of one instance; the instances the platform has and the ones the
  // current run used (set by the model, which knows what it holds).
  void set_instance(Power leakage, Area area) {
    leakage_ = leakage;
    area_ = area;
  }
  void set_instances(std::uint64_t instantiated, std::uint64_t used) {
    instances_ = instantiated;
    used_ = used;
  }
  // Instances that leak: those instantiated, or (power gating) only those holding the weights
  // of what runs.
  void set_leaking(std::uint64_t leaking) { leaking_ = leaking; }

  // Ends a run of span_ps of simulated time: static energy is charged over it.
  void close_run(std::uint64_t span_ps) { span_ps_ = span_ps; }
  // Zeroes the events and the span (between the runs of one elaboration).
  void reset();

  Attojoules dynamic_aj() const;
  Attojoules event_aj(EventId id) const;
  Attojoules static_aj() const;
  Attojoules total_aj() const { return add_energy(dynamic_aj(), static_aj()); }
  std::uint64_t events(EventId id) const { return events_[id].count; }
  // Leakage power of the instances that leak, in uW.
  unsigned __int128 static_power_uw() const {
    return static_cast<unsigned __int128>(leakage_.uw) * leaking_;
  }
  // Area of all instances / of the instances the run used, in nm2.
  unsigned __int128 area_nm2() const {
    return static_cast<unsigned __int128>(area_.nm2) * instances_;
  }
  unsigned __int128 used_area_nm2() const {
    return static_cast<unsigned __int128>(area_.nm2) * used_;
  }

 private:
  struct Event {
    Energy per_event;
    std::uint64_t count = 0;
  };
  StatGroup& stats_;
  std::vector<Event> events_;
  Power leakage_;
  Area area_;
  std::uint64_t instances_ = 1, used_ = 0, leaking_ = 1;
  std::uint64_t span_ps_ = 0;
};

class ConfigNode;

// An SRAM's leakage and area from its size and the per-MiB parameters p_static_per_mib and
// area_per_mib read from config (defaults given), rounded to whole uW and nm2; sets them as
// the one instance of book.
void set_sram_instance(EnergyBook& book, ConfigNode& config, std::uint64_t size_bytes,
                       Power default_power_per_mib, Area default_area_per_mib);

}  // namespace aimcsim::sim
