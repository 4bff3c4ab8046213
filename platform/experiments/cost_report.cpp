#include "platform/experiments/cost_report.h"

#include <fmt/format.h>

namespace aimcsim::platform {

using json = nlohmann::ordered_json;

json energy_per_unit_nj(const RunCost& cost) {
  json j = json::object();
  for (const auto& u : cost.units) j[u.unit] = sim::to_nj(u.total_aj());
  return j;
}

double energy_overhead(const RunCost& analog, const RunCost& hybrid) {
  const double a = static_cast<double>(analog.total_aj());
  return a > 0 ? static_cast<double>(hybrid.total_aj()) / a - 1.0 : 0.0;
}

void add_pair_costs(json& j, const RunCost& analog, const RunCost& hybrid) {
  j["e_analog_nj"] = sim::to_nj(analog.total_aj());
  j["e_hybrid_nj"] = sim::to_nj(hybrid.total_aj());
  // Undefined without energy in the baseline (every energy parameter set to 0): null, not 0.
  j["energy_overhead"] =
      analog.total_aj() > 0 ? json(energy_overhead(analog, hybrid)) : json(nullptr);
  j["energy_nj"] = {{"analog", energy_per_unit_nj(analog)}, {"hybrid", energy_per_unit_nj(hybrid)}};
  // Tiles (with their ADCs) and the digital rest, each with its leakage, and how much of the
  // two is leakage.
  const auto split = [](const RunCost& c) {
    sim::Attojoules leakage = 0;
    for (const auto& u : c.units) leakage += u.static_aj;
    return json{{"tiles", sim::to_nj(c.analog_aj())},
                {"digital", sim::to_nj(c.digital_aj())},
                {"of_which_leakage", sim::to_nj(leakage)}};
  };
  j["energy_split_nj"] = {{"analog", split(analog)}, {"hybrid", split(hybrid)}};
  j["area_mm2"] = static_cast<double>(hybrid.area_nm2()) / 1e12;
  j["area_used_mm2"] = static_cast<double>(hybrid.used_area_nm2()) / 1e12;
  j["static_power_w"] = static_cast<double>(hybrid.static_power_uw()) / 1e6;
}

void add_run_rates(json& j, const RunCost& hybrid, double t_ns, std::uint64_t inferences,
                   std::uint64_t tokens) {
  const double seconds = t_ns * 1e-9;
  const double joules = static_cast<double>(hybrid.total_aj()) * 1e-18;
  j["avg_power_w"] = seconds > 0 ? joules / seconds : 0.0;
  j["inferences_per_s"] = seconds > 0 ? static_cast<double>(inferences) / seconds : 0.0;
  j["tokens_per_s"] = seconds > 0 ? static_cast<double>(tokens) / seconds : 0.0;
  j["ops"] = hybrid.ops;
  j["tops_per_w"] = joules > 0 ? static_cast<double>(hybrid.ops) / joules / 1e12 : 0.0;
  j["e_per_inference_nj"] = inferences ? sim::to_nj(hybrid.total_aj()) / inferences : 0.0;
  j["e_per_token_nj"] = tokens ? sim::to_nj(hybrid.total_aj()) / tokens : 0.0;
  j["edp"] = joules * seconds;
}

std::string cost_table(const RunCost& analog, const RunCost& hybrid) {
  std::string s;
  for (std::size_t i = 0; i < hybrid.units.size(); ++i)
    s += fmt::format(
        "{:<20}{:>14.3f}{:>14.3f}\n", "energy " + std::string(hybrid.units[i].unit) + " (nJ)",
        sim::to_nj(analog.units[i].total_aj()), sim::to_nj(hybrid.units[i].total_aj()));
  s += fmt::format("{:<20}{:>14.3f}{:>14.3f}\n", "energy total (nJ)", sim::to_nj(analog.total_aj()),
                   sim::to_nj(hybrid.total_aj()));
  s += fmt::format("{:<20}{:>14.3f}{:>14.3f}\n", "  of which tiles", sim::to_nj(analog.analog_aj()),
                   sim::to_nj(hybrid.analog_aj()));
  s += fmt::format("{:<20}{:>14.3f}{:>14.3f}\n", "  of which digital",
                   sim::to_nj(analog.digital_aj()), sim::to_nj(hybrid.digital_aj()));
  s += fmt::format("{:<20}{:>14}{:>14}\n", "energy overhead", "",
                   analog.total_aj() > 0
                       ? fmt::format("{:+.1f}%", energy_overhead(analog, hybrid) * 100.0)
                       : std::string("n/a"));
  s +=
      fmt::format("area                {:.3f} mm2 on the platform, {:.3f} mm2 used by the hybrid\n",
                  static_cast<double>(hybrid.area_nm2()) / 1e12,
                  static_cast<double>(hybrid.used_area_nm2()) / 1e12);
  return s;
}

}  // namespace aimcsim::platform
