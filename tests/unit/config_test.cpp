// Strict configuration reading (models/sim/config.h): typed keys, defaults, error messages
// that name file:line and key path, --set overrides and the effective configuration.
#include "models/sim/config.h"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <cctype>
#include <cstdint>
#include <functional>
#include <string>

namespace aimcsim::sim {
namespace {

using u64 = std::uint64_t;

// Runs f and returns what() of the ConfigError it throws ("" when it does not throw).
std::string config_error(const std::function<void()>& f) {
  try {
    f();
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Line numbers below are 1-based, as in the messages.
const char* const kYaml =
    "cluster:\n"            // 1
    "  tcdm:\n"             // 2
    "    size: 64KiB\n"     // 3
    "    banks: 16\n"       // 4
    "  freq: 500MHz\n"      // 5
    "  trace: true\n"       // 6
    "  offset: -7\n"        // 7
    "  scale: 0.25\n"       // 8
    "  name: snitch\n"      // 9
    "  port: 64B/cycle\n"   // 10
    "  setup: 12cycles\n";  // 11

TEST(Config, ReadsTypedKeys) {
  Config config = Config::from_string(kYaml, "test.yaml");
  ConfigNode cluster = config.root().child("cluster");
  ConfigNode tcdm = cluster.child("tcdm");
  EXPECT_EQ(tcdm.get<Bytes>("size", Bytes{131072}, "capacity").value, 65536u);  // 64 * 1024
  EXPECT_EQ(tcdm.get<u64>("banks", 32, "banks"), 16u);
  EXPECT_EQ(cluster.get<Frequency>("freq", Frequency{1000000000}, "clock").hz, 500000000u);
  EXPECT_TRUE(cluster.get<bool>("trace", false, "trace"));
  EXPECT_EQ(cluster.get<std::int64_t>("offset", 0, "offset"), -7);
  EXPECT_DOUBLE_EQ(cluster.get<double>("scale", 1.0, "scale"), 0.25);
  EXPECT_EQ(cluster.get<std::string>("name", "x", "name"), "snitch");
  EXPECT_EQ(cluster.get<BytesPerCycle>("port", BytesPerCycle{8}, "port").value, 64u);
  EXPECT_EQ(cluster.get<Cycles>("setup", Cycles{1}, "setup").value, 12u);
  EXPECT_EQ(tcdm.path(), "cluster.tcdm");
  EXPECT_NO_THROW(config.check_all_read());
}

TEST(Config, MissingKeysTakeDefaults) {
  Config config = Config::from_string(kYaml, "test.yaml");
  ConfigNode tcdm = config.root().child("cluster").child("tcdm");
  EXPECT_EQ(tcdm.get<Time>("latency", Time{20000}, "access latency").ps, 20000u);
  EXPECT_EQ(tcdm.get<u64>("ports", 9, "ports"), 9u);
  // A section absent from the file reads as all defaults.
  ConfigNode dma = config.root().child("dma");
  EXPECT_EQ(dma.get<BytesPerCycle>("width", BytesPerCycle{64}, "width").value, 64u);
  EXPECT_EQ(dma.get_choice("mode", "burst", {"burst", "single"}, "mode"), "burst");
}

TEST(Config, EmptyConfigurationIsAllDefaults) {
  Config config = Config::empty();
  EXPECT_EQ(config.root().child("a").get<Time>("t", Time{5}, "t").ps, 5u);
  EXPECT_NO_THROW(config.check_all_read());
}

TEST(Config, EffectiveYamlHoldsDefaultsAndReadValues) {
  Config config = Config::from_string("cluster:\n  tcdm:\n    size: 64KiB\n", "test.yaml");
  ConfigNode tcdm = config.root().child("cluster").child("tcdm");
  tcdm.get<Bytes>("size", Bytes{131072}, "capacity");
  tcdm.get<Time>("latency", Time{20000}, "access latency");  // default: 20000 ps = 20ns
  tcdm.get<u64>("banks", 32, "banks");
  const YAML::Node effective = YAML::Load(config.effective_yaml());
  EXPECT_EQ(effective["cluster"]["tcdm"]["size"].as<std::string>(), "64KiB");
  EXPECT_EQ(effective["cluster"]["tcdm"]["latency"].as<std::string>(), "20ns");
  EXPECT_EQ(effective["cluster"]["tcdm"]["banks"].as<std::string>(), "32");
  EXPECT_EQ(effective["cluster"]["tcdm"].size(), 3u);
  EXPECT_TRUE(contains(config.effective_yaml(), "latency: 20ns"));

  ASSERT_EQ(config.params().size(), 3u);
  EXPECT_EQ(config.params()[1].path, "cluster.tcdm.latency");
  EXPECT_EQ(config.params()[1].value, "20ns");
  EXPECT_EQ(config.params()[1].description, "access latency");
}

TEST(Config, AGroupFallsBackToItsBaseKeyByKey) {
  Config c = Config::from_string(
      "cluster: {clock: 1GHz, redmule: {height: 4, width: 12}}\n"
      "groups: {small: {count: 3, redmule: {width: 6}}, plain: {count: 1}}\n",
      "g.yaml");
  c.set("groups.plain.redmule.height=8");
  ConfigNode base = c.root().child("cluster");
  ConfigNode groups = c.root().child("groups");
  EXPECT_EQ(groups.keys(), (std::vector<std::string>{"small", "plain"}));
  ConfigNode small = groups.child("small").with_defaults(base);
  EXPECT_EQ(small.get<std::uint64_t>("count", 0, "n"), 3u);
  EXPECT_EQ(small.child("redmule").get<std::uint64_t>("width", 1, "w"), 6u);   // its own
  EXPECT_EQ(small.child("redmule").get<std::uint64_t>("height", 1, "h"), 4u);  // the base's
  EXPECT_EQ(small.get<Frequency>("clock", Frequency::parse("2GHz"), "f").hz, 1000000000u);
  EXPECT_TRUE(small.given("clock"));
  ConfigNode plain = groups.child("plain").with_defaults(base);
  EXPECT_EQ(plain.get<std::uint64_t>("count", 0, "n"), 1u);
  EXPECT_EQ(plain.child("redmule").get<std::uint64_t>("height", 1, "h"), 8u);  // --set
  EXPECT_EQ(plain.child("redmule").get<std::uint64_t>("width", 1, "w"), 12u);
  EXPECT_FALSE(plain.given("tcdm"));
  EXPECT_NE(c.effective_yaml().find("small:\n    count: 3\n    redmule:\n      width: 6\n      "
                                    "height: 4"),
            std::string::npos)
      << c.effective_yaml();
  EXPECT_NO_THROW(c.check_all_read());
}

TEST(Config, RereadingAKeyKeepsOneParam) {
  Config config = Config::empty();
  ConfigNode a = config.root().child("a");
  a.get<u64>("n", 3, "first");
  a.get<u64>("n", 4, "second");
  ASSERT_EQ(config.params().size(), 1u);
  EXPECT_EQ(config.params()[0].value, "4");
  EXPECT_EQ(config.params()[0].description, "first");
}

TEST(Config, UnknownKeyNamesFileLineAndPath) {
  const std::string yaml =
      "cluster:\n"          // 1
      "  tcdm:\n"           // 2
      "    size: 64KiB\n"   // 3
      "    sise: 32KiB\n";  // 4: typo
  Config config = Config::from_string(yaml, "test.yaml");
  config.root().child("cluster").child("tcdm").get<Bytes>("size", Bytes{1}, "capacity");
  const std::string msg = config_error([&] { config.check_all_read(); });
  EXPECT_TRUE(contains(msg, "test.yaml:4")) << msg;
  EXPECT_TRUE(contains(msg, "cluster.tcdm.sise")) << msg;
  EXPECT_TRUE(contains(msg, "unknown key")) << msg;
  EXPECT_TRUE(contains(msg, "expected one of: size")) << msg;
}

TEST(Config, UnreadSectionIsUnknown) {
  const std::string yaml =
      "cluster:\n"     // 1
      "  cores: 8\n"   // 2
      "clustre:\n"     // 3: typo of a whole section
      "  cores: 8\n";  // 4
  Config config = Config::from_string(yaml, "test.yaml");
  config.root().child("cluster").get<u64>("cores", 1, "cores");
  const std::string msg = config_error([&] { config.check_all_read(); });
  EXPECT_EQ(msg, "test.yaml:3: unknown key 'clustre'; expected one of: cluster");
}

TEST(Config, BadUnitNamesFilePathAndExpectation) {
  const std::string yaml =
      "cluster:\n"            // 1
      "  tcdm:\n"             // 2
      "    latency: 12xs\n";  // 3
  Config config = Config::from_string(yaml, "test.yaml");
  ConfigNode tcdm = config.root().child("cluster").child("tcdm");
  const std::string msg = config_error([&] { tcdm.get<Time>("latency", Time{1}, "latency"); });
  EXPECT_EQ((msg),
            "test.yaml:3: cluster.tcdm.latency: '12xs' has no known unit: expected a time such "
            "as 128ns (units ps, ns, us, ms, s)");
}

TEST(Config, BadIntegerAndBool) {
  const std::string yaml =
      "a:\n"              // 1
      "  n: -4\n"         // 2
      "  flag: maybe\n";  // 3
  Config config = Config::from_string(yaml, "test.yaml");
  ConfigNode a = config.root().child("a");
  EXPECT_EQ((config_error([&] { a.get<u64>("n", 1, "n"); })),
            "test.yaml:2: a.n: '-4' is not a non-negative integer");
  EXPECT_EQ((config_error([&] { a.get<bool>("flag", false, "flag"); })),
            "test.yaml:3: a.flag: 'maybe' is not true or false");
}

TEST(Config, OutOfRange) {
  const std::string yaml =
      "tcdm:\n"          // 1
      "  banks: 100\n"   // 2
      "  size: 1MiB\n";  // 3
  Config config = Config::from_string(yaml, "test.yaml");
  ConfigNode tcdm = config.root().child("tcdm");
  const std::string msg =
      config_error([&] { tcdm.get<u64>("banks", 32, "banks", u64{1}, u64{64}); });
  EXPECT_EQ((msg),
            "test.yaml:2: tcdm.banks: 100 is out of range: expected a non-negative integer "
            "between 1 and 64");
  // Only a maximum: 1MiB = 1048576 B > 512KiB = 524288 B.
  const std::string size_msg = config_error(
      [&] { tcdm.get<Bytes>("size", Bytes{1024}, "size", std::nullopt, Bytes{524288}); });
  EXPECT_EQ((size_msg),
            "test.yaml:3: tcdm.size: 1MiB is out of range: expected a size such as 128KiB (units "
            "B, KiB, MiB, GiB, kB, MB, GB) at most 512KiB");
}

TEST(Config, BoundsAreInclusive) {
  Config config = Config::from_string("a:\n  n: 64\n  m: 1\n", "test.yaml");
  ConfigNode a = config.root().child("a");
  EXPECT_EQ(a.get<u64>("n", 1, "n", u64{1}, u64{64}), 64u);
  EXPECT_EQ(a.get<u64>("m", 2, "m", u64{1}, u64{64}), 1u);
  // The minimum alone: 0 < 1.
  Config low = Config::from_string("a:\n  n: 0\n", "test.yaml");
  EXPECT_TRUE(contains(config_error([&] { low.root().child("a").get<u64>("n", 1, "n", u64{1}); }),
                       "at least 1"));
}

TEST(Config, SetOverrideWins) {
  Config config = Config::from_string("a:\n  b: 10ns\n", "test.yaml");
  config.set("a.b=256ns");
  ConfigNode a = config.root().child("a");
  EXPECT_EQ(a.get<Time>("b", Time{1}, "b").ps, 256000u);  // 256 * 1000
  EXPECT_EQ(a.where("b"), "--set a.b=256ns: a.b");
  EXPECT_EQ(YAML::Load(config.effective_yaml())["a"]["b"].as<std::string>(), "256ns");
  EXPECT_NO_THROW(config.check_all_read());
}

TEST(Config, LaterSetWins) {
  Config config = Config::empty("test.yaml");
  config.set("a.n=3");
  config.set("a.n=5");
  EXPECT_EQ(config.root().child("a").get<u64>("n", 1, "n"), 5u);
}

TEST(Config, SetOfKeyAbsentFromFile) {
  Config config = Config::from_string("a:\n  b: 10ns\n", "test.yaml");
  config.set("a.c=7");
  ConfigNode a = config.root().child("a");
  a.get<Time>("b", Time{1}, "b");
  EXPECT_EQ(a.get<u64>("c", 1, "c"), 7u);
  EXPECT_NO_THROW(config.check_all_read());
}

TEST(Config, UnreadSetIsAnError) {
  Config config = Config::from_string("a:\n  b: 10ns\n", "test.yaml");
  config.set("a.bb=256ns");
  config.root().child("a").get<Time>("b", Time{1}, "b");
  const std::string msg = config_error([&] { config.check_all_read(); });
  EXPECT_EQ(msg, "--set a.bb=256ns: unknown key 'a.bb'; expected one of: b");
}

TEST(Config, SetUnderUnreadSection) {
  Config config = Config::empty("test.yaml");
  config.set("nothing.x=1");
  const std::string msg = config_error([&] { config.check_all_read(); });
  EXPECT_TRUE(contains(msg, "--set nothing.x=1")) << msg;
  EXPECT_TRUE(contains(msg, "no keys under 'nothing'")) << msg;
}

TEST(Config, BadSetValueNamesTheSet) {
  Config config = Config::empty("test.yaml");
  config.set("a.b=12xs");
  const std::string msg =
      config_error([&] { config.root().child("a").get<Time>("b", Time{1}, "b"); });
  EXPECT_EQ(msg.rfind("--set a.b=12xs: a.b: '12xs' has no known unit", 0), 0u) << msg;
}

TEST(Config, MalformedSet) {
  Config config = Config::empty();
  EXPECT_EQ(config_error([&] { config.set("a.b"); }), "--set a.b: expected path.to.key=value");
  EXPECT_FALSE(config_error([&] { config.set("=3"); }).empty());
  EXPECT_FALSE(config_error([&] { config.set("a.b="); }).empty());
}

TEST(Config, BadChoiceListsChoices) {
  Config config = Config::from_string("run:\n  strategy: fast\n", "test.yaml");
  ConfigNode run = config.root().child("run");
  const std::string msg = config_error([&] {
    run.get_choice("strategy", "serial", {"serial", "parallel", "pipelined"}, "s");
  });
  EXPECT_EQ((msg),
            "test.yaml:2: run.strategy: unknown value 'fast'; expected one of: serial, "
            "parallel, pipelined");
}

TEST(Config, GoodChoice) {
  Config config = Config::from_string("run:\n  strategy: parallel\n", "test.yaml");
  EXPECT_EQ(config.root().child("run").get_choice("strategy", "serial",
                                                  {"serial", "parallel", "pipelined"}, "s"),
            "parallel");
}

TEST(Config, MappingWhereScalarExpected) {
  const std::string yaml =
      "a:\n"            // 1
      "  b:\n"          // 2
      "    c: 1\n"      // 3
      "  l: [1, 2]\n";  // 4
  Config config = Config::from_string(yaml, "test.yaml");
  ConfigNode a = config.root().child("a");
  const std::string msg = config_error([&] { a.get<Time>("b", Time{1}, "b"); });
  EXPECT_EQ((msg), "test.yaml:3: a.b: expected a single value, found a mapping");
  EXPECT_EQ((config_error([&] { a.get<u64>("l", 1, "l"); })),
            "test.yaml:4: a.l: expected a single value, found a list");
  EXPECT_TRUE(contains(config_error([&] { a.get_choice("b", "x", {"x"}, "b"); }),
                       "expected a single value"));
}

TEST(Config, ScalarWhereMappingExpected) {
  Config config = Config::from_string("a: 3\n", "test.yaml");
  EXPECT_EQ(config_error([&] { config.root().child("a"); }),
            "test.yaml:1: a: expected a mapping of parameters");
}

TEST(Config, SyntaxErrorAndNonMappingTop) {
  EXPECT_TRUE(
      contains(config_error([] { Config::from_string("a: [1, 2\n", "test.yaml"); }), "test.yaml:"));
  EXPECT_EQ(config_error([] { Config::from_string("- 1\n- 2\n", "test.yaml"); }),
            "test.yaml: expected a mapping of sections at the top level");
  EXPECT_EQ(config_error([] { Config::load("/nonexistent/aimcsim.yaml"); }),
            "/nonexistent/aimcsim.yaml: cannot open the platform configuration file");
}

TEST(Config, WhereNamesOriginAndPath) {
  Config config = Config::from_string("a:\n  x: 1\n  b: 2\n", "test.yaml");
  ConfigNode a = config.root().child("a");
  EXPECT_EQ(a.where("b"), "test.yaml:3: a.b");
  EXPECT_EQ(a.where("missing"), "test.yaml: a.missing");
}

}  // namespace
}  // namespace aimcsim::sim

namespace aimcsim::sim {
namespace {

TEST(ConfigSections, SetOnASectionIsAnError) {
  Config c = Config::from_string("cluster: {clock: 1GHz}", "test.yaml");
  c.set("cluster=5");
  try {
    c.root().child("cluster");
    FAIL() << "expected a ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()),
              "--set cluster=5: cluster is a section of parameters, not a value; set one of its "
              "keys, e.g. cluster.<key>=...");
  }
}

}  // namespace
}  // namespace aimcsim::sim
