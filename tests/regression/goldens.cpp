#include "goldens.h"

#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>

namespace aimcsim::regression {

using json = nlohmann::ordered_json;

Rows load(const std::string& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error(file + ": cannot open");
  std::ostringstream text;
  text << in.rdbuf();
  return parse(text.str(), file);
}

Rows parse(const std::string& jsonl, const std::string& origin) {
  Rows rows;
  std::istringstream in(jsonl);
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.empty()) continue;
    const auto where = fmt::format("{}:{}: ", origin, number);
    try {
      const json j = json::parse(line);
      Row row;
      row.point = j.at("point").get<std::size_t>();
      row.part = j.at("part").get<std::string>();
      row.values = j.value("values", json::object());
      row.status = j.at("status").get<std::string>();
      row.metrics = j.value("metrics", json::object());
      row.error = j.value("error", "");
      if (!rows.emplace(row.point, row).second)
        throw std::runtime_error(fmt::format("point {} appears twice", row.point));
    } catch (const json::exception& e) {
      throw std::runtime_error(where + "not a results row: " + e.what());
    } catch (const std::runtime_error& e) {
      throw std::runtime_error(where + e.what());
    }
  }
  return rows;
}

namespace {

std::string show(const json& v) {
  if (v.is_null()) return "missing";
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_float()) return fmt::format("{:.7g}", v.get<double>());
  return v.dump();
}

std::string show_values(const json& values) {
  std::string out;
  for (const auto& [path, value] : values.items())
    out += fmt::format("{}{}={}", out.empty() ? "" : ", ", path, show(value));
  return out;
}

std::string percent(double fraction) {
  return fmt::format("{:.3g} %", fraction * 100);
}

}  // namespace

std::string Difference::describe() const {
  std::string where = fmt::format("point {} ({}", point, part);
  if (!values.empty()) where += ": " + show_values(values);
  where += "): ";
  if (field == "point")
    return where + (new_value.is_null() ? "missing from the new results" : "not in the goldens");
  std::string line = fmt::format("{}{} {} -> {}", where, field, show(old_value), show(new_value));
  if (field == "status" && !new_error.empty()) return line + " (" + new_error + ")";
  if (old_value.is_number() && new_value.is_number()) {
    if (tolerance == 0) return line + " (exact)";
    const std::string change =
        std::isinf(relative) ? "from 0" : (relative > 0 ? "+" : "") + percent(relative);
    line += fmt::format(" ({}, tolerance {})", change, percent(tolerance));
  }
  return line;
}

namespace {

// Adds the difference of one metric, if any, to out.
void compare_metric(const Difference& at, const std::string& name, const json& old_value,
                    const json& new_value, double tolerance, std::vector<Difference>& out) {
  Difference d = at;
  d.field = name;
  d.old_value = old_value;
  d.new_value = new_value;
  const bool floating = old_value.is_number() && new_value.is_number() &&
                        (old_value.is_number_float() || new_value.is_number_float());
  if (!floating) {  // integers, strings, a missing side: exact
    if (old_value != new_value) out.push_back(d);
    return;
  }
  const double o = old_value.get<double>(), n = new_value.get<double>();
  if (std::abs(n - o) <= tolerance * std::abs(o)) return;
  d.relative = o == 0 ? std::numeric_limits<double>::infinity() : (n - o) / std::abs(o);
  d.tolerance = tolerance;
  out.push_back(d);
}

}  // namespace

std::vector<Difference> compare(const Rows& golden, const Rows& now, double tolerance) {
  std::vector<Difference> out;
  const auto exact = [&](const Difference& at, const std::string& field, const json& o,
                         const json& n) {
    if (o == n) return;
    Difference d = at;
    d.field = field;
    d.old_value = o;
    d.new_value = n;
    out.push_back(d);
  };
  for (const auto& [point, old_row] : golden) {
    Difference at;
    at.point = point;
    at.part = old_row.part;
    at.values = old_row.values;
    const auto it = now.find(point);
    if (it == now.end()) {
      exact(at, "point", point, nullptr);
      continue;
    }
    const Row& new_row = it->second;
    exact(at, "part", old_row.part, new_row.part);
    exact(at, "values", show_values(old_row.values), show_values(new_row.values));
    if (old_row.status != new_row.status) {
      Difference d = at;
      d.field = "status";
      d.old_value = old_row.status;
      d.new_value = new_row.status;
      d.new_error = new_row.error;
      out.push_back(d);
    }
    for (const auto& [name, value] : old_row.metrics.items())
      compare_metric(at, name, value, new_row.metrics.value(name, json()), tolerance, out);
    for (const auto& [name, value] : new_row.metrics.items())
      if (!old_row.metrics.contains(name)) compare_metric(at, name, json(), value, tolerance, out);
  }
  for (const auto& [point, new_row] : now) {
    if (golden.count(point)) continue;
    Difference d;
    d.point = point;
    d.part = new_row.part;
    d.values = new_row.values;
    d.field = "point";
    d.new_value = point;
    out.push_back(d);
  }
  return out;
}

std::string report(const std::vector<Difference>& differences) {
  std::string out =
      fmt::format("{} difference(s) from tests/regression/goldens.jsonl:\n", differences.size());
  for (const auto& d : differences) out += "  " + d.describe() + "\n";
  return out + "run scripts/update-goldens.sh if the change is intended\n";
}

}  // namespace aimcsim::regression
