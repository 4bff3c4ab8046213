#include "models/sim/units.h"

#include <algorithm>
#include <cctype>
#include <utility>
#include <vector>

#include <fmt/format.h>

namespace aimcsim::sim {
namespace {

// A number as written: its significant digits (no leading or trailing zeros) and the power of
// ten they are scaled by, so that "1.50e3" is digits "15" x 10^2. Parsed as text, never
// through a double, so that no digit is lost or rounded.
struct Decimal {
  std::string digits;  // empty: the number is zero
  long long shift = 0;
};

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Splits "128ns" into the number 128 and the unit "ns"; white space around both is allowed.
// Returns false when text does not start with a number (a sign included: sizes and times are
// never negative, and a '-' is reported as such by the caller).
bool split_number(const std::string& text, Decimal& number, std::string& unit) {
  std::size_t i = 0;
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  std::string mantissa;
  std::size_t int_digits = 0, frac_digits = 0;
  for (; i < text.size() && is_digit(text[i]); ++i, ++int_digits) mantissa += text[i];
  if (i < text.size() && text[i] == '.') {
    for (++i; i < text.size() && is_digit(text[i]); ++i, ++frac_digits) mantissa += text[i];
  }
  if (int_digits + frac_digits == 0) return false;
  long long exponent = 0;
  // An 'e' is part of the number only when digits follow (so "1e3" but not "1eV").
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    std::size_t j = i + 1;
    const bool negative = j < text.size() && text[j] == '-';
    if (j < text.size() && (text[j] == '+' || text[j] == '-')) ++j;
    if (j < text.size() && is_digit(text[j])) {
      for (; j < text.size() && is_digit(text[j]); ++j)
        exponent = std::min<long long>(exponent * 10 + (text[j] - '0'), 100000);
      if (negative) exponent = -exponent;
      i = j;
    }
  }
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  std::size_t end = text.size();
  while (end > i && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
  unit = text.substr(i, end - i);

  const std::size_t first = mantissa.find_first_not_of('0');
  if (first == std::string::npos) {
    number = Decimal{};
    return true;
  }
  const std::size_t last = mantissa.find_last_not_of('0');
  number.digits = mantissa.substr(first, last - first + 1);
  number.shift = exponent - static_cast<long long>(frac_digits) +
                 static_cast<long long>(mantissa.size() - 1 - last);
  return true;
}

bool starts_negative(const std::string& text) {
  const std::size_t i = text.find_first_not_of(" \t");
  return i != std::string::npos && text[i] == '-' && i + 1 < text.size() &&
         (is_digit(text[i + 1]) || text[i + 1] == '.');
}

// The value of number x factor as a whole count of base units. Returns false with
// `fraction` set when it is not whole, and with `too_large` set when it exceeds 2^64 - 1.
bool exact_value(const Decimal& number, std::uint64_t factor, std::uint64_t& value, bool& fraction,
                 bool& too_large) {
  using u128 = unsigned __int128;
  fraction = too_large = false;
  value = 0;
  if (number.digits.empty()) return true;
  // A decimal factor (1000 for ns, 10^18 for J) is a shift of the number: folded into it so
  // that the bounds below hold for every unit.
  long long shift = number.shift;
  while (factor >= 10 && factor % 10 == 0) {
    factor /= 10;
    ++shift;
  }
  const long long len = static_cast<long long>(number.digits.size());
  // The number is at least 10^(len - 1 + shift): beyond 10^20 it cannot fit in 64 bits.
  if (len - 1 + shift >= 20) {
    too_large = true;
    return false;
  }
  // Below here the value is under 10^20 x factor, but the digits themselves may be many
  // (a long fraction); 26 digits and a remaining factor up to 2^30 stay within 128 bits.
  if (len > 26) {
    fraction = true;  // so many significant digits cannot make a whole count here
    return false;
  }
  u128 m = 0;
  for (char c : number.digits) m = m * 10 + static_cast<u128>(c - '0');
  m *= factor;
  if (shift >= 0) {
    for (long long k = 0; k < shift; ++k) m *= 10;
  } else {
    for (long long k = 0; k < -shift; ++k) {
      if (m % 10 != 0) {
        fraction = true;
        return false;
      }
      m /= 10;
    }
  }
  if (m > static_cast<u128>(UINT64_MAX)) {
    too_large = true;
    return false;
  }
  value = static_cast<std::uint64_t>(m);
  return true;
}

// Scales the number in text by the factor of its unit; the result must be a whole count of
// base units (the first unit) that fits in 64 bits.
std::uint64_t scaled(const std::string& text, const char* kind,
                     const std::vector<std::pair<const char*, std::uint64_t>>& units,
                     bool unit_optional) {
  Decimal number;
  std::string unit;
  if (starts_negative(text))
    throw UnitError(fmt::format("'{}' is negative: expected {}", text, kind));
  if (!split_number(text, number, unit)) throw UnitError(fmt::format("'{}' is not {}", text, kind));
  if (unit.empty() && unit_optional) unit = units.front().first;
  for (const auto& [name, factor] : units) {
    if (unit != name) continue;
    std::uint64_t value = 0;
    bool fraction = false, too_large = false;
    if (exact_value(number, factor, value, fraction, too_large)) return value;
    if (too_large)
      throw UnitError(fmt::format("'{}' is out of range: at most {}{} (2^64 - 1 {})", text,
                                  UINT64_MAX, units.front().first, units.front().first));
    throw UnitError(fmt::format("'{}' is not a whole number of {}: expected {}", text,
                                units.front().first, kind));
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

// Prints value (in base units) as an exact decimal of the largest decimal unit it reaches
// ("8.12pJ" rather than "8120000aJ"); every factor is a power of ten.
std::string largest_decimal(std::uint64_t value,
                            const std::vector<std::pair<const char*, std::uint64_t>>& units) {
  auto unit = units.begin();
  for (auto it = units.begin(); it != units.end(); ++it)
    if (value >= it->second) unit = it;
  const std::uint64_t whole = value / unit->second, rest = value % unit->second;
  if (rest == 0) return fmt::format("{}{}", whole, unit->first);
  std::string fraction = std::to_string(rest);
  std::size_t width = 0;
  for (std::uint64_t f = unit->second; f > 1; f /= 10) ++width;
  fraction.insert(0, width - fraction.size(), '0');
  fraction.erase(fraction.find_last_not_of('0') + 1);
  return fmt::format("{}.{}{}", whole, fraction, unit->first);
}

}  // namespace

Time Time::parse(const std::string& text) {
  return Time{scaled(
      text, kind,
      {{"ps", 1}, {"ns", 1000}, {"us", 1000000}, {"ms", 1000000000}, {"s", 1000000000000}}, false)};
}

Time Time::from_sc(const sc_core::sc_time& t) {
  return Time{t.value()};
}

std::string Time::str() const {
  return largest_exact(ps, {{"ps", 1}, {"ns", 1000}, {"us", 1000000}, {"ms", 1000000000ULL}});
}

Frequency Frequency::parse(const std::string& text) {
  const Frequency f{
      scaled(text, kind, {{"Hz", 1}, {"kHz", 1000}, {"MHz", 1000000}, {"GHz", 1000000000}}, false)};
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
                      {{"B", 1},
                       {"KiB", 1024},
                       {"MiB", 1048576},
                       {"GiB", 1073741824},
                       {"kB", 1000},
                       {"MB", 1000000},
                       {"GB", 1000000000}},
                      false)};
}

std::string Bytes::str() const {
  return largest_exact(value, {{"B", 1}, {"KiB", 1024}, {"MiB", 1048576}, {"GiB", 1073741824}});
}

BytesPerCycle BytesPerCycle::parse(const std::string& text) {
  return BytesPerCycle{scaled(text, kind, {{"B/cycle", 1}}, false)};
}

std::string BytesPerCycle::str() const {
  return fmt::format("{}B/cycle", value);
}

Cycles Cycles::parse(const std::string& text) {
  return Cycles{scaled(text, kind, {{"cycles", 1}, {"cycle", 1}}, true)};
}

std::string Cycles::str() const {
  return fmt::format("{}cycles", value);
}

namespace {
// Function-local tables: model files parse their default values during static
// initialisation, before any namespace-scope table of this file would be built.
using UnitTable = std::vector<std::pair<const char*, std::uint64_t>>;
const UnitTable& energy_units() {
  static const UnitTable units = {{"aJ", 1},
                                  {"fJ", 1000},
                                  {"pJ", 1000000},
                                  {"nJ", 1000000000},
                                  {"uJ", 1000000000000},
                                  {"mJ", 1000000000000000},
                                  {"J", 1000000000000000000}};
  return units;
}
const UnitTable& power_units() {
  static const UnitTable units = {{"uW", 1}, {"mW", 1000}, {"W", 1000000}};
  return units;
}
const UnitTable& area_units() {
  static const UnitTable units = {{"nm2", 1}, {"um2", 1000000}, {"mm2", 1000000000000}};
  return units;
}
}  // namespace

Energy Energy::parse(const std::string& text) {
  return Energy{scaled(text, kind, energy_units(), false)};
}

std::string Energy::str() const {
  return largest_decimal(aj, energy_units());
}

Power Power::parse(const std::string& text) {
  return Power{scaled(text, kind, power_units(), false)};
}

std::string Power::str() const {
  return largest_decimal(uw, power_units());
}

Area Area::parse(const std::string& text) {
  return Area{scaled(text, kind, area_units(), false)};
}

std::string Area::str() const {
  return largest_decimal(nm2, area_units());
}

}  // namespace aimcsim::sim
