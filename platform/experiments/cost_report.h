// Energy, power and area in the reports: one vocabulary for `layer --json`, report.json, the
// console summaries and the sweep metrics. A pair is the fully-analog baseline and the hybrid
// of the same layer or model on the same platform.
#pragma once

#include "platform/assembly/platform.h"

#include <nlohmann/json.hpp>

#include <string>

namespace aimcsim::platform {

// Energy per unit type in nJ: {"aimc": ..., "redmule": ..., ..., "l2": ...}.
nlohmann::ordered_json energy_per_unit_nj(const RunCost& cost);

// (E_hybrid - E_analog) / E_analog.
double energy_overhead(const RunCost& analog, const RunCost& hybrid);

// Adds e_analog_nj, e_hybrid_nj, energy_overhead, energy_nj {analog, hybrid} per unit type,
// energy_split_nj {analog, hybrid} x {tiles, digital, of_which_leakage}, area_mm2 (the
// platform's),
// area_used_mm2 (what the hybrid used) and static_power_w.
void add_pair_costs(nlohmann::ordered_json& j, const RunCost& analog, const RunCost& hybrid);

// Adds the rates of a hybrid run of t_ns that did `inferences` inferences of `tokens` tokens:
// avg_power_w, inferences_per_s, tokens_per_s, tops_per_w (operations counted by the models /
// energy) and edp (energy x delay, J s).
void add_run_rates(nlohmann::ordered_json& j, const RunCost& hybrid, double t_ns,
                   std::uint64_t inferences, std::uint64_t tokens);

// Console lines: energy of both runs per unit type, the split, the overhead, area.
std::string cost_table(const RunCost& analog, const RunCost& hybrid);

}  // namespace aimcsim::platform
