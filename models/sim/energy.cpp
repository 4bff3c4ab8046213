#include "models/sim/energy.h"

#include "models/sim/checked.h"
#include "models/sim/config.h"

namespace aimcsim::sim {

EnergyBook::EnergyBook(StatGroup& stats) : stats_(stats) {
  stats_.formula("energy", "pJ", "dynamic + static energy of the run",
                 [this] { return to_pj(total_aj()); });
  stats_.formula("energy_static", "pJ", "leakage power x simulated time of the run",
                 [this] { return to_pj(static_aj()); });
  stats_.formula("static_power", "mW", "leakage power of the instances that leak",
                 [this] { return static_cast<double>(static_power_uw()) / 1000.0; });
  stats_.formula("area", "mm2", "area of every instance the platform has",
                 [this] { return static_cast<double>(area_nm2()) / 1e12; });
  stats_.formula("area_used", "mm2", "area of the instances the run used",
                 [this] { return static_cast<double>(used_area_nm2()) / 1e12; });
}

EnergyBook::EventId EnergyBook::event(const std::string& name, Energy per_event,
                                      const std::string& description) {
  const EventId id = events_.size();
  events_.push_back(Event{per_event, 0});
  stats_.formula("energy_" + name, "pJ", description, [this, id] { return to_pj(event_aj(id)); });
  return id;
}

void EnergyBook::reset() {
  for (auto& e : events_) e.count = 0;
  span_ps_ = 0;
}

Attojoules EnergyBook::event_aj(EventId id) const {
  return static_cast<Attojoules>(events_[id].per_event.aj) * events_[id].count;
}

Attojoules EnergyBook::dynamic_aj() const {
  Attojoules sum = 0;
  for (EventId id = 0; id < events_.size(); ++id)
    if (__builtin_add_overflow(sum, event_aj(id), &sum))
      overflow("the dynamic energy of a run (events x energy per event)");
  return sum;
}

Attojoules EnergyBook::static_aj() const {
  // uW x ps = 1e-18 J: a whole number of attojoules.
  Attojoules e = 0;
  if (__builtin_mul_overflow(static_power_uw(), span_ps_, &e))
    overflow("the static energy of a run (leakage power x instances x simulated time)");
  return e;
}

void set_sram_instance(EnergyBook& book, ConfigNode& config, std::uint64_t size_bytes,
                       Power default_power_per_mib, Area default_area_per_mib) {
  const Power p = config.get<Power>("p_static_per_mib", default_power_per_mib,
                                    "leakage power per MiB of capacity");
  const Area a = config.get<Area>("area_per_mib", default_area_per_mib, "area per MiB of capacity");
  constexpr unsigned __int128 kMiB = 1048576;
  // Rounded to the nearest whole uW and nm2; both fit in 64 bits for any 64-bit size.
  const auto scale = [&](std::uint64_t per_mib) {
    const unsigned __int128 v =
        (static_cast<unsigned __int128>(per_mib) * size_bytes + kMiB / 2) / kMiB;
    if (v > UINT64_MAX) overflow(config.path() + ": leakage or area x capacity");
    return static_cast<std::uint64_t>(v);
  };
  book.set_instance(Power{scale(p.uw)}, Area{scale(a.nm2)});
}

}  // namespace aimcsim::sim
