// Physical quantities used in parameters: time, frequency, byte counts, bandwidth, cycle
// counts, energy, power and area. Each parses from and prints to the text a user writes in
// YAML or on the command line ("128ns", "1GHz", "128KiB", "64B/cycle", "20cycles", "1.67pJ",
// "70mW", "1.5mm2"). Every value is a whole count of its base unit, parsed exactly as text.
#pragma once

#include <systemc>

#include <cstdint>
#include <stdexcept>
#include <string>

namespace aimcsim::sim {

// A value that does not parse as the expected unit; what() says what was expected.
class UnitError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Simulated time, kept exactly as integer picoseconds (the SystemC default resolution).
struct Time {
  std::uint64_t ps = 0;

  static Time parse(const std::string& text);
  static Time from_sc(const sc_core::sc_time& t);
  sc_core::sc_time sc() const { return sc_core::sc_time::from_value(ps); }
  double ns() const { return static_cast<double>(ps) / 1000.0; }
  std::string str() const;
  static constexpr const char* kind = "a time such as 128ns (units ps, ns, us, ms, s)";
  friend bool operator==(Time a, Time b) { return a.ps == b.ps; }
};

// Clock frequency; its period must be a whole number of picoseconds.
struct Frequency {
  std::uint64_t hz = 0;

  static Frequency parse(const std::string& text);
  Time period() const;
  std::string str() const;
  static constexpr const char* kind = "a frequency such as 1GHz (units Hz, kHz, MHz, GHz)";
  friend bool operator==(Frequency a, Frequency b) { return a.hz == b.hz; }
};

// A byte count (capacities, widths, transfer sizes). Binary prefixes are powers of 1024,
// decimal ones powers of 1000.
struct Bytes {
  std::uint64_t value = 0;

  static Bytes parse(const std::string& text);
  std::string str() const;
  static constexpr const char* kind = "a size such as 128KiB (units B, KiB, MiB, GiB, kB, MB, GB)";
  friend bool operator==(Bytes a, Bytes b) { return a.value == b.value; }
};

// A per-cycle bandwidth of a port or link, in whole bytes per cycle of its clock.
struct BytesPerCycle {
  std::uint64_t value = 0;

  static BytesPerCycle parse(const std::string& text);
  std::string str() const;
  static constexpr const char* kind = "a bandwidth such as 64B/cycle";
  friend bool operator==(BytesPerCycle a, BytesPerCycle b) { return a.value == b.value; }
};

// A number of clock cycles; a bare integer or one with the suffix "cycles".
struct Cycles {
  std::uint64_t value = 0;

  static Cycles parse(const std::string& text);
  std::string str() const;
  static constexpr const char* kind = "a cycle count such as 20cycles";
  friend bool operator==(Cycles a, Cycles b) { return a.value == b.value; }
};

// An energy per event, kept exactly as integer attojoules (1e-18 J; at most about 18 J).
struct Energy {
  std::uint64_t aj = 0;

  static Energy parse(const std::string& text);
  double pj() const { return static_cast<double>(aj) / 1e6; }
  std::string str() const;
  static constexpr const char* kind = "an energy such as 1.67pJ (units aJ, fJ, pJ, nJ, uJ, mJ, J)";
  friend bool operator==(Energy a, Energy b) { return a.aj == b.aj; }
};

// A (static) power, kept exactly as integer microwatts, so that power x time in ps is a
// whole number of attojoules (1e-6 W x 1e-12 s = 1e-18 J).
struct Power {
  std::uint64_t uw = 0;

  static Power parse(const std::string& text);
  double watts() const { return static_cast<double>(uw) / 1e6; }
  std::string str() const;
  static constexpr const char* kind = "a power such as 70mW (units uW, mW, W)";
  friend bool operator==(Power a, Power b) { return a.uw == b.uw; }
};

// A silicon area, kept exactly as integer square nanometres (at most about 1.8e7 mm2).
struct Area {
  std::uint64_t nm2 = 0;

  static Area parse(const std::string& text);
  double mm2() const { return static_cast<double>(nm2) / 1e12; }
  std::string str() const;
  static constexpr const char* kind = "an area such as 1.5mm2 (units nm2, um2, mm2)";
  friend bool operator==(Area a, Area b) { return a.nm2 == b.nm2; }
};

// Integer ceiling division; the one rounding rule used by every bandwidth model. Exact for
// every a (no a + b - 1 that could wrap); b must not be 0.
constexpr std::uint64_t ceil_div(std::uint64_t a, std::uint64_t b) {
  return a / b + (a % b != 0);
}

}  // namespace aimcsim::sim
