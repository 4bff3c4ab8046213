#include "models/sim/stats.h"

#include <stdexcept>

#include <fmt/format.h>

namespace aimcsim::sim {

double& StatGroup::counter(const std::string& name, const std::string& unit,
                           const std::string& description) {
  for (const auto& s : stats_)
    if (s.name == name) throw std::logic_error("statistic registered twice: " + name_ + "." + name);
  stats_.push_back(Stat{name, unit, description, std::make_unique<double>(0.0), nullptr});
  return *stats_.back().counter;
}

void StatGroup::formula(const std::string& name, const std::string& unit,
                        const std::string& description, std::function<double()> compute) {
  for (const auto& s : stats_)
    if (s.name == name) throw std::logic_error("statistic registered twice: " + name_ + "." + name);
  stats_.push_back(Stat{name, unit, description, nullptr, std::move(compute)});
}

void StatGroup::reset() {
  for (auto& s : stats_)
    if (s.counter) *s.counter = 0.0;
}

double StatGroup::value(const std::string& name) const {
  for (const auto& s : stats_)
    if (s.name == name) return s.get();
  throw std::out_of_range("no statistic " + name_ + "." + name);
}

void StatGroup::dump_text(std::string& out, const std::string& prefix) const {
  const std::string path = prefix.empty() ? name_ : prefix + "." + name_;
  for (const auto& s : stats_)
    out += fmt::format("{:<48} {:>14.6g} {:<6} # {}\n", path + "." + s.name, s.get(), s.unit,
                       s.description);
  for (const auto* c : children_) c->dump_text(out, path);
}

nlohmann::ordered_json StatGroup::dump_json() const {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (const auto& s : stats_) j[s.name] = {{"value", s.get()}, {"unit", s.unit}};
  for (const auto* c : children_) j[c->name()] = c->dump_json();
  return j;
}

}  // namespace aimcsim::sim
