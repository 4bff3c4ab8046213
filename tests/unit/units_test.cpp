// Parsing and printing of the unit types in models/sim/units.h.
#include "models/sim/units.h"

#include <gtest/gtest.h>

#include <string>

namespace aimcsim::sim {
namespace {

// Runs parse and returns what() of the UnitError it throws ("" when it does not throw).
template <class T>
std::string parse_error(const std::string& text) {
  try {
    T::parse(text);
  } catch (const UnitError& e) {
    return e.what();
  }
  return "";
}

TEST(Time, ParsesNanoseconds) {
  // 128 ns = 128 * 1000 ps.
  EXPECT_EQ(Time::parse("128ns").ps, 128000u);
  EXPECT_EQ(Time::parse("128ns").str(), "128ns");
}

TEST(Time, ParsesEveryUnit) {
  EXPECT_EQ(Time::parse("7ps").ps, 7u);
  EXPECT_EQ(Time::parse("3us").ps, 3000000u);       // 3 * 1e6
  EXPECT_EQ(Time::parse("2ms").ps, 2000000000u);    // 2 * 1e9
  EXPECT_EQ(Time::parse("1s").ps, 1000000000000u);  // 1e12
  EXPECT_EQ(Time::parse("1e3ps").ps, 1000u);        // exponent notation
  EXPECT_EQ(Time::parse("  128 ns ").ps, 128000u);  // blanks around and inside
  EXPECT_EQ(Time::parse("0.25ns").ps, 250u);        // 0.25 * 1000
}

TEST(Time, FractionalMicrosecondsRoundTrip) {
  // 1.5 us = 1.5e6 ps; the largest unit dividing 1500000 exactly is ns (1500ns).
  const Time t = Time::parse("1.5us");
  EXPECT_EQ(t.ps, 1500000u);
  EXPECT_EQ(t.str(), "1500ns");
  EXPECT_EQ(Time::parse(t.str()), t);
  EXPECT_DOUBLE_EQ(t.ns(), 1500.0);
}

TEST(Time, StrUsesLargestExactUnit) {
  EXPECT_EQ(Time{0}.str(), "0ps");
  EXPECT_EQ(Time{1}.str(), "1ps");
  EXPECT_EQ(Time{1001}.str(), "1001ps");              // not a multiple of 1000
  EXPECT_EQ(Time{3000000}.str(), "3us");              // 3e6 ps
  EXPECT_EQ(Time{5000000000ULL}.str(), "5ms");        // 5e9 ps
  EXPECT_EQ(Time{2000000000000ULL}.str(), "2000ms");  // no "s" unit in the printer
}

TEST(Time, ConvertsToAndFromSystemC) {
  const Time t = Time::parse("128ns");
  EXPECT_EQ(t.sc(), sc_core::sc_time(128, sc_core::SC_NS));
  EXPECT_EQ(Time::from_sc(sc_core::sc_time(3, sc_core::SC_US)).ps, 3000000u);
}

TEST(Time, RejectsUnknownUnit) {
  const std::string msg = parse_error<Time>("12xs");
  EXPECT_NE(msg.find("'12xs' has no known unit"), std::string::npos) << msg;
  EXPECT_NE(msg.find(Time::kind), std::string::npos) << msg;
}

TEST(Time, RejectsText) {
  EXPECT_EQ(parse_error<Time>("abc"), std::string("'abc' is not ") + Time::kind);
  EXPECT_EQ(parse_error<Time>(""), std::string("'' is not ") + Time::kind);
}

TEST(Time, RejectsNegative) {
  EXPECT_EQ(parse_error<Time>("-3ns"), std::string("'-3ns' is negative: expected ") + Time::kind);
}

TEST(Time, RejectsFractionOfPicosecond) {
  const std::string msg = parse_error<Time>("1.5ps");
  EXPECT_NE(msg.find("'1.5ps' is not a whole number of ps"), std::string::npos) << msg;
  // 0.0005 ns = 0.5 ps: also not whole.
  EXPECT_NE(parse_error<Time>("0.0005ns").find("not a whole number"), std::string::npos);
}

TEST(Time, RejectsMissingUnit) {
  // A time needs a unit (only Cycles accepts a bare number).
  EXPECT_NE(parse_error<Time>("128").find("has no known unit"), std::string::npos);
}

TEST(Frequency, GigahertzPeriodIsOneNanosecond) {
  const Frequency f = Frequency::parse("1GHz");
  EXPECT_EQ(f.hz, 1000000000u);
  EXPECT_EQ(f.period().ps, 1000u);  // 1e12 / 1e9
  EXPECT_EQ(f.str(), "1GHz");
  EXPECT_EQ(Frequency::parse(f.str()), f);
}

TEST(Frequency, OtherUnits) {
  EXPECT_EQ(Frequency::parse("500MHz").period().ps, 2000u);  // 1e12 / 5e8
  EXPECT_EQ(Frequency::parse("500MHz").str(), "500MHz");
  EXPECT_EQ(Frequency::parse("250kHz").hz, 250000u);
  EXPECT_EQ(Frequency::parse("250kHz").period().ps, 4000000u);    // 1e12 / 2.5e5
  EXPECT_EQ(Frequency::parse("8Hz").period().ps, 125000000000u);  // 1e12 / 8
  EXPECT_EQ(Frequency::parse("1.25GHz").hz, 1250000000u);
  EXPECT_EQ(Frequency::parse("1.25GHz").period().ps, 800u);  // 1e12 / 1.25e9
  EXPECT_EQ(Frequency::parse("1.25GHz").str(), "1250MHz");
}

TEST(Frequency, RejectsPeriodThatIsNotWholePicoseconds) {
  // 1e12 / 3e9 = 333.33 ps.
  const std::string msg = parse_error<Frequency>("3GHz");
  EXPECT_EQ(msg, "'3GHz' has a period that is not a whole number of picoseconds");
}

TEST(Frequency, RejectsZeroAndBadText) {
  EXPECT_NE(parse_error<Frequency>("0Hz").find("it must be above zero"), std::string::npos);
  EXPECT_NE(parse_error<Frequency>("1GHZ").find("has no known unit"), std::string::npos);
  EXPECT_NE(parse_error<Frequency>("-1GHz").find("is negative"), std::string::npos);
}

TEST(Bytes, BinaryAndDecimalPrefixes) {
  EXPECT_EQ(Bytes::parse("128KiB").value, 131072u);  // 128 * 1024
  EXPECT_EQ(Bytes::parse("128KiB").str(), "128KiB");
  EXPECT_EQ(Bytes::parse("2MiB").value, 2097152u);     // 2 * 1024^2
  EXPECT_EQ(Bytes::parse("1GiB").value, 1073741824u);  // 1024^3
  EXPECT_EQ(Bytes::parse("3kB").value, 3000u);
  EXPECT_EQ(Bytes::parse("2MB").value, 2000000u);
  EXPECT_EQ(Bytes::parse("1GB").value, 1000000000u);
  EXPECT_EQ(Bytes::parse("17B").value, 17u);
}

TEST(Bytes, StrRoundTrips) {
  // 1.5 KiB = 1536 B, not a whole number of KiB, so printed in bytes.
  EXPECT_EQ(Bytes::parse("1.5KiB").str(), "1536B");
  EXPECT_EQ(Bytes{3 * 1048576}.str(), "3MiB");
  EXPECT_EQ(Bytes{2048ULL * 1048576}.str(), "2GiB");
  EXPECT_EQ(Bytes{0}.str(), "0B");
  // 3kB = 3000 B; 3000 is not a multiple of 1024.
  EXPECT_EQ(Bytes::parse("3kB").str(), "3000B");
  for (const char* text : {"128KiB", "1.5KiB", "3kB", "7B", "5GiB"}) {
    const Bytes b = Bytes::parse(text);
    EXPECT_EQ(Bytes::parse(b.str()), b) << text;
  }
}

TEST(Bytes, Rejects) {
  EXPECT_NE(parse_error<Bytes>("1.5B").find("not a whole number of B"), std::string::npos);
  EXPECT_NE(parse_error<Bytes>("128Kib").find("has no known unit"), std::string::npos);
  EXPECT_NE(parse_error<Bytes>("128").find("has no known unit"), std::string::npos);
}

TEST(BytesPerCycle, ParsesAndPrints) {
  const BytesPerCycle bw = BytesPerCycle::parse("64B/cycle");
  EXPECT_EQ(bw.value, 64u);
  EXPECT_EQ(bw.str(), "64B/cycle");
  EXPECT_EQ(BytesPerCycle::parse(bw.str()), bw);
  EXPECT_NE(parse_error<BytesPerCycle>("64B").find("has no known unit"), std::string::npos);
  EXPECT_NE(parse_error<BytesPerCycle>("64").find("has no known unit"), std::string::npos);
  EXPECT_NE(parse_error<BytesPerCycle>("0.5B/cycle").find("not a whole number"), std::string::npos);
}

TEST(Cycles, WithSuffixOrBare) {
  EXPECT_EQ(Cycles::parse("20cycles").value, 20u);
  EXPECT_EQ(Cycles::parse("20").value, 20u);
  EXPECT_EQ(Cycles::parse("1cycle").value, 1u);
  EXPECT_EQ(Cycles::parse("0").value, 0u);
  EXPECT_EQ(Cycles::parse("20").str(), "20cycles");
  EXPECT_EQ(Cycles::parse(Cycles{20}.str()), Cycles{20});
}

TEST(Cycles, Rejects) {
  EXPECT_NE(parse_error<Cycles>("20cyc").find("has no known unit"), std::string::npos);
  EXPECT_NE(parse_error<Cycles>("2.5").find("not a whole number of cycles"), std::string::npos);
  EXPECT_EQ(parse_error<Cycles>("-1"), std::string("'-1' is negative: expected ") + Cycles::kind);
}

TEST(CeilDiv, RoundsUp) {
  EXPECT_EQ(ceil_div(1000, 32), 32u);  // 31 * 32 = 992 < 1000 <= 1024
  EXPECT_EQ(ceil_div(1024, 32), 32u);
  EXPECT_EQ(ceil_div(0, 32), 0u);
  EXPECT_EQ(ceil_div(1, 32), 1u);
  // No a + b - 1 that wraps: the largest value still rounds up correctly.
  EXPECT_EQ(ceil_div(UINT64_MAX, 2), UINT64_MAX / 2 + 1);
  EXPECT_EQ(ceil_div(UINT64_MAX, UINT64_MAX), 1u);
}

TEST(Energy, ParsesEveryUnitExactly) {
  EXPECT_EQ(Energy::parse("1.67pJ").aj, 1670000u);  // 1.67 x 1e6 aJ
  EXPECT_EQ(Energy::parse("12.5nJ").aj, 12500000000u);
  EXPECT_EQ(Energy::parse("650fJ").aj, 650000u);
  EXPECT_EQ(Energy::parse("3aJ").aj, 3u);
  EXPECT_EQ(Energy::parse("2uJ").aj, 2000000000000u);
  EXPECT_EQ(Energy::parse("1mJ").aj, 1000000000000000u);
  EXPECT_EQ(Energy::parse("18J").aj, 18000000000000000000ULL);
  EXPECT_EQ(Energy::parse("1.67pJ").str(), "1.67pJ");  // an exact decimal of the largest unit
  EXPECT_EQ(Energy::parse("0.5pJ").str(), "500fJ");
  EXPECT_EQ(Energy::parse("1.000001nJ").str(), "1.000001nJ");
  EXPECT_EQ(Energy{0}.str(), "0aJ");
  EXPECT_EQ(Energy::parse(Energy::parse("0.0065pJ").str()), Energy::parse("6.5fJ"));
  EXPECT_DOUBLE_EQ(Energy::parse("2.5pJ").pj(), 2.5);
}

TEST(Energy, RejectsWhatIsNotAnEnergy) {
  EXPECT_NE(parse_error<Energy>("-1pJ").find("is negative"), std::string::npos);
  EXPECT_NE(parse_error<Energy>("5").find("has no known unit"), std::string::npos);  // unit-less
  EXPECT_NE(parse_error<Energy>("5pj").find("has no known unit"), std::string::npos);
  EXPECT_NE(parse_error<Energy>("0.5aJ").find("not a whole number of aJ"), std::string::npos);
  EXPECT_NE(parse_error<Energy>("19J").find("out of range"), std::string::npos);
  EXPECT_NE(parse_error<Energy>("123456789012345678901234567890J").find("out of range"),
            std::string::npos);
}

TEST(Power, ParsesMicrowattsExactly) {
  EXPECT_EQ(Power::parse("70mW").uw, 70000u);
  EXPECT_EQ(Power::parse("0.258W").uw, 258000u);
  EXPECT_EQ(Power::parse("5uW").uw, 5u);
  EXPECT_EQ(Power::parse("0.258W").str(), "258mW");
  EXPECT_DOUBLE_EQ(Power::parse("1.5W").watts(), 1.5);
  EXPECT_NE(parse_error<Power>("1nW").find("has no known unit"), std::string::npos);
  EXPECT_NE(parse_error<Power>("0.5uW").find("not a whole number of uW"), std::string::npos);
  EXPECT_NE(parse_error<Power>("70mw").find("has no known unit"), std::string::npos);
}

TEST(Area, ParsesSquareMetresExactly) {
  EXPECT_EQ(Area::parse("1.5mm2").nm2, 1500000000000u);
  EXPECT_EQ(Area::parse("0.25um2").nm2, 250000u);
  EXPECT_EQ(Area::parse("7nm2").nm2, 7u);
  EXPECT_EQ(Area::parse("1.92mm2").str(), "1.92mm2");
  EXPECT_EQ(Area::parse("0.095mm2").str(), "95000um2");
  EXPECT_DOUBLE_EQ(Area::parse("0.63mm2").mm2(), 0.63);
  EXPECT_NE(parse_error<Area>("1.5mm").find("has no known unit"), std::string::npos);
  EXPECT_NE(parse_error<Area>("-1mm2").find("is negative"), std::string::npos);
}

}  // namespace
}  // namespace aimcsim::sim

namespace aimcsim::sim {
namespace {

TEST(UnitsFractions, RealFractionsOfAPicosecondAreRejected) {
  EXPECT_THROW(Time::parse("1000000.4ps"), UnitError);
  EXPECT_THROW(Time::parse("1.0000004us"), UnitError);
  EXPECT_EQ(Time::parse("1.1ns").ps, 1100u);  // decimal text, no floating-point noise
}

// Numbers are parsed as text (integer, fraction and exponent digits), never through a double.
TEST(UnitsExact, FractionsAreNeverRoundedAway) {
  // Through a double these became 1000000000001 ps and 2000000000 ps.
  EXPECT_NE(parse_error<Time>("1000000000000.5ps").find("is not a whole number of ps"),
            std::string::npos);
  EXPECT_NE(parse_error<Time>("2000000.0004ns").find("is not a whole number of ps"),
            std::string::npos);
  EXPECT_EQ(Time::parse("2000000.004ns").ps, 2000000004u);
  EXPECT_EQ(Time::parse("0.5ns").ps, 500u);
  EXPECT_EQ(Time::parse(".5ns").ps, 500u);
  EXPECT_EQ(Time::parse("1.25e2ns").ps, 125000u);
  EXPECT_EQ(Time::parse("1250e-1ns").ps, 125000u);
  EXPECT_EQ(Time::parse("0.000ps").ps, 0u);
}

TEST(UnitsExact, IntegersAbove2To53KeepEveryDigit) {
  EXPECT_EQ(Bytes::parse("9007199254740993B").value, 9007199254740993ULL);  // was ...992
  EXPECT_EQ(Cycles::parse("18446744073709551615cycles").value, UINT64_MAX);
  EXPECT_EQ(Time::parse("18446744073709551615ps").ps, UINT64_MAX);
}

TEST(UnitsExact, TooLargeIsOutOfRangeNotAFraction) {
  const std::string msg = parse_error<Cycles>("18446744073709551616cycles");
  EXPECT_NE(msg.find("is out of range: at most 18446744073709551615cycles"), std::string::npos)
      << msg;
  EXPECT_NE(parse_error<Time>("18446745s").find("is out of range"), std::string::npos);
  EXPECT_NE(parse_error<Time>("1e30s").find("is out of range"), std::string::npos);
  EXPECT_NE(parse_error<Bytes>("17179869184GiB").find("is out of range"), std::string::npos);
  EXPECT_EQ(Time::parse("18446744s").ps, 18446744000000000000ULL);
}

}  // namespace
}  // namespace aimcsim::sim
