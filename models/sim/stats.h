// Per-component statistics: named counters and formulas with units and descriptions,
// registered in a component's constructor and dumped uniformly as text and JSON.
#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace aimcsim::sim {

class StatGroup {
 public:
  explicit StatGroup(std::string name) : name_(std::move(name)) {}

  // A counter the component increments; the reference stays valid for the group's life.
  double& counter(const std::string& name, const std::string& unit, const std::string& description);
  // A value computed from other statistics when dumped.
  void formula(const std::string& name, const std::string& unit, const std::string& description,
               std::function<double()> compute);
  // Groups of sub-components, dumped under this one.
  void add_child(const StatGroup* child) { children_.push_back(child); }

  // Zeroes every counter (between the experiments of one elaboration).
  void reset();

  const std::string& name() const { return name_; }
  double value(const std::string& name) const;

  // "name.stat  value unit  # description", one line each, children after.
  void dump_text(std::string& out, const std::string& prefix = "") const;
  // {"stat": {"value": v, "unit": u}, ..., "child": {...}}
  nlohmann::ordered_json dump_json() const;

 private:
  struct Stat {
    std::string name, unit, description;
    std::unique_ptr<double> counter;  // stable address for counter()
    std::function<double()> compute;
    double get() const { return compute ? compute() : *counter; }
  };
  std::string name_;
  std::vector<Stat> stats_;
  std::vector<const StatGroup*> children_;
};

}  // namespace aimcsim::sim
