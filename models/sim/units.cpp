#include "models/sim/units.h"

#include <cctype>
#include <cmath>
#include <utility>
#include <vector>

#include <fmt/format.h>

namespace aimcsim::sim {
namespace {

// Splits "128ns" into 128 and "ns"; white space between number and unit is allowed.
bool split_number(const std::string& text, double& number, std::string& unit) {
  std::size_t i = 0;
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  std::size_t start = i;
  while (i < text.size() &&
         (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.' || text[i] == 'e' ||
          text[i] == 'E' || ((text[i] == '+' || text[i] == '-') && i == start))) {
    // An 'e' is part of the number only when digits follow (so "1e3" but not "1eV").
    if ((text[i] == 'e' || text[i] == 'E') &&
        (i + 1 >= text.size() || !std::isdigit(static_cast<unsigned char>(text[i + 1]))))
      break;
    ++i;
  }
  if (i == start) return false;
  try {
    std::size_t used = 0;
    number = std::stod(text.substr(start, i - start), &used);
    if (used != i - start) return false;
  } catch (const std::exception&) {
    return false;
  }
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  std::size_t end = text.size();
  while (end > i && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
  unit = text.substr(i, end - i);
  return std::isfinite(number) && number >= 0;
}

// Scales number by the factor of unit and checks that the result is a whole count.
std::uint64_t scaled(const std::string& text, const char* kind,
                     const std::vector<std::pair<const char*, double>>& units, bool unit_optional) {
  double number = 0;
  std::string unit;
  if (!split_number(text, number, unit)) throw UnitError(fmt::format("'{}' is not {}", text, kind));
  if (unit.empty() && unit_optional) unit = units.front().first;
  for (const auto& [name, factor] : units) {
    if (unit != name) continue;
    const double value = number * factor;
    const double rounded = std::round(value);
    // Only floating-point noise may be rounded away ("1.1ns"), never a real fraction.
    if (std::fabs(value - rounded) > 1e-9 * std::max(1.0, value) || rounded > 1.8e19)
      throw UnitError(fmt::format("'{}' is not a whole number of {}: expected {}", text,
                                  units.front().first, kind));
    return static_cast<std::uint64_t>(rounded);
  }
  throw UnitError(fmt::format("'{}' has no known unit: expected {}", text, kind));
}

// Prints value (in base units) with the largest unit that divides it exactly.
std::string largest_exact(std::uint64_t value,
                          const std::vector<std::pair<const char*, std::uint64_t>>& units) {
  for (auto it = units.rbegin(); it != units.rend(); ++it) {
    if (value != 0 && value % it->second == 0)
      return fmt::format("{}{}", value / it->second, it->first);
  }
  return fmt::format("{}{}", value, units.front().first);
}

}  // namespace

Time Time::parse(const std::string& text) {
  return Time{
      scaled(text, kind, {{"ps", 1.0}, {"ns", 1e3}, {"us", 1e6}, {"ms", 1e9}, {"s", 1e12}}, false)};
}

Time Time::from_sc(const sc_core::sc_time& t) {
  return Time{t.value()};
}

std::string Time::str() const {
  return largest_exact(ps, {{"ps", 1}, {"ns", 1000}, {"us", 1000000}, {"ms", 1000000000ULL}});
}

Frequency Frequency::parse(const std::string& text) {
  const Frequency f{
      scaled(text, kind, {{"Hz", 1.0}, {"kHz", 1e3}, {"MHz", 1e6}, {"GHz", 1e9}}, false)};
  if (f.hz == 0) throw UnitError(fmt::format("'{}' is not {}: it must be above zero", text, kind));
  if (1000000000000ULL % f.hz != 0)
    throw UnitError(
        fmt::format("'{}' has a period that is not a whole number of picoseconds", text));
  return f;
}

Time Frequency::period() const {
  return Time{1000000000000ULL / hz};
}

std::string Frequency::str() const {
  return largest_exact(hz, {{"Hz", 1}, {"kHz", 1000}, {"MHz", 1000000}, {"GHz", 1000000000}});
}

Bytes Bytes::parse(const std::string& text) {
  return Bytes{scaled(text, kind,
                      {{"B", 1.0},
                       {"KiB", 1024.0},
                       {"MiB", 1048576.0},
                       {"GiB", 1073741824.0},
                       {"kB", 1e3},
                       {"MB", 1e6},
                       {"GB", 1e9}},
                      false)};
}

std::string Bytes::str() const {
  return largest_exact(value, {{"B", 1}, {"KiB", 1024}, {"MiB", 1048576}, {"GiB", 1073741824}});
}

BytesPerCycle BytesPerCycle::parse(const std::string& text) {
  return BytesPerCycle{scaled(text, kind, {{"B/cycle", 1.0}}, false)};
}

std::string BytesPerCycle::str() const {
  return fmt::format("{}B/cycle", value);
}

Cycles Cycles::parse(const std::string& text) {
  return Cycles{scaled(text, kind, {{"cycles", 1.0}, {"cycle", 1.0}}, true)};
}

std::string Cycles::str() const {
  return fmt::format("{}cycles", value);
}

}  // namespace aimcsim::sim
