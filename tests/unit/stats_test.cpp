// Statistic groups (models/sim/stats.h): counters, formulas, reset and the two dumps.
#include "models/sim/stats.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace aimcsim::sim {
namespace {

TEST(StatGroup, CountersAreReadBack) {
  StatGroup g("tcdm");
  double& bytes = g.counter("bytes", "B", "bytes moved");
  double& accesses = g.counter("accesses", "", "accesses");
  bytes += 1024;
  bytes += 512;
  ++accesses;
  EXPECT_DOUBLE_EQ(g.value("bytes"), 1536.0);  // 1024 + 512
  EXPECT_DOUBLE_EQ(g.value("accesses"), 1.0);
  EXPECT_EQ(g.name(), "tcdm");
}

TEST(StatGroup, CounterReferencesStayValid) {
  StatGroup g("g");
  double& first = g.counter("first", "", "");
  for (int i = 0; i < 100; ++i) g.counter("c" + std::to_string(i), "", "");  // grows storage
  first = 7;
  EXPECT_DOUBLE_EQ(g.value("first"), 7.0);
}

TEST(StatGroup, FormulaIsComputedWhenRead) {
  StatGroup g("link");
  double& bytes = g.counter("bytes", "B", "bytes");
  double& busy = g.counter("busy", "ps", "busy time");
  g.formula("bandwidth", "B/ps", "bytes per busy ps",
            [&] { return busy > 0 ? bytes / busy : 0.0; });
  EXPECT_DOUBLE_EQ(g.value("bandwidth"), 0.0);
  bytes = 600;
  busy = 200;
  EXPECT_DOUBLE_EQ(g.value("bandwidth"), 3.0);  // 600 / 200
}

TEST(StatGroup, ResetZeroesCountersOnly) {
  StatGroup g("g");
  double& n = g.counter("n", "", "");
  double offset = 5;
  g.formula("n_plus", "", "", [&] { return n + offset; });
  n = 10;
  EXPECT_DOUBLE_EQ(g.value("n_plus"), 15.0);
  g.reset();
  EXPECT_DOUBLE_EQ(g.value("n"), 0.0);
  EXPECT_DOUBLE_EQ(g.value("n_plus"), 5.0);  // 0 + 5: the formula follows its inputs
  n = 2;                                     // the reference still feeds the group after a reset
  EXPECT_DOUBLE_EQ(g.value("n"), 2.0);
}

TEST(StatGroup, UnknownStatThrows) {
  StatGroup g("g");
  EXPECT_THROW(g.value("nope"), std::out_of_range);
}

TEST(StatGroup, DoubleRegistrationIsALogicError) {
  StatGroup g("g");
  g.counter("x", "", "");
  EXPECT_THROW(g.counter("x", "", ""), std::logic_error);
  EXPECT_THROW(g.formula("x", "", "", [] { return 0.0; }), std::logic_error);
  g.formula("f", "", "", [] { return 0.0; });
  EXPECT_THROW(g.counter("f", "", ""), std::logic_error);
  EXPECT_THROW(g.formula("f", "", "", [] { return 1.0; }), std::logic_error);
  try {
    g.counter("x", "", "");
    FAIL() << "no exception";
  } catch (const std::logic_error& e) {
    EXPECT_STREQ(e.what(), "statistic registered twice: g.x");
  }
}

// The text format is "{:<48} {:>14.6g} {:<6} # {}": name padded to 48, value right-aligned
// in 14 with 6 significant digits, unit padded to 6.
std::string line(const std::string& name, const std::string& value, const std::string& unit,
                 const std::string& description) {
  return name + std::string(48 - name.size(), ' ') + " " + std::string(14 - value.size(), ' ') +
         value + " " + unit + std::string(6 - unit.size(), ' ') + " # " + description + "\n";
}

TEST(StatGroup, DumpTextOneLinePerStatChildrenAfter) {
  StatGroup cluster("cluster0");
  double& cycles = cluster.counter("cycles", "cycle", "active cycles");
  StatGroup dma("dma");
  double& bytes = dma.counter("bytes", "B", "bytes moved");
  dma.formula("ratio", "", "a fraction", [] { return 0.5; });
  cluster.add_child(&dma);
  cycles = 1234;
  bytes = 1234567;  // 6 significant digits: 1.23457e+06

  std::string out;
  cluster.dump_text(out);
  const std::string expected = line("cluster0.cycles", "1234", "cycle", "active cycles") +
                               line("cluster0.dma.bytes", "1.23457e+06", "B", "bytes moved") +
                               line("cluster0.dma.ratio", "0.5", "", "a fraction");
  EXPECT_EQ(out, expected);

  std::string prefixed;
  dma.dump_text(prefixed, "top");
  EXPECT_EQ(prefixed.substr(0, prefixed.find('\n') + 1),
            line("top.dma.bytes", "1.23457e+06", "B", "bytes moved"));
}

TEST(StatGroup, DumpTextAppends) {
  StatGroup g("g");
  g.counter("n", "", "d");
  std::string out = "header\n";
  g.dump_text(out);
  EXPECT_EQ(out, "header\n" + line("g.n", "0", "", "d"));
}

TEST(StatGroup, DumpJsonShape) {
  StatGroup cluster("cluster0");
  double& cycles = cluster.counter("cycles", "cycle", "active cycles");
  cluster.formula("util", "", "utilisation", [&] { return cycles / 8.0; });
  StatGroup dma("dma");
  dma.counter("bytes", "B", "bytes moved") = 64;
  cluster.add_child(&dma);
  cycles = 4;  // util = 4 / 8 = 0.5

  const nlohmann::ordered_json j = cluster.dump_json();
  EXPECT_EQ(j.dump(), R"({"cycles":{"value":4.0,"unit":"cycle"},"util":{"value":0.5,"unit":""},)"
                      R"("dma":{"bytes":{"value":64.0,"unit":"B"}}})");
  EXPECT_DOUBLE_EQ(j["dma"]["bytes"]["value"].get<double>(), 64.0);
}

TEST(StatGroup, EmptyGroupDumpsEmptyObject) {
  StatGroup g("g");
  EXPECT_EQ(g.dump_json().dump(), "{}");
  std::string out;
  g.dump_text(out);
  EXPECT_EQ(out, "");
}

}  // namespace
}  // namespace aimcsim::sim
