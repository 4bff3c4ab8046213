// Sweep specs: expansion (counts, order, parameter paths), the effective spec, and errors
// that name the file, line, path and value.
#include "platform/drivers/sweep/spec.h"
#include "models/sim/errors.h"

#include <gtest/gtest.h>

#include <string>

namespace {

using aimcsim::sweep::expand;
using aimcsim::sweep::Spec;

const char* kTwoParts = R"(platform: configs/platforms/reference.yaml
parts:
  - name: layers
    run: layer
    base:
      layer.tokens: 32
      cluster.tcdm.size: 256KiB
    sweep:
      layer.shape: [128->128, 512->128]
      aimc.t_int: [128ns, 256ns, 512ns]
      strategy: [serial, pipelined]
  - name: e2e
    run: model
    base: {model: mobilebert}
    sweep:
      chunk: [auto, 64]
)";

std::string error_of(const std::string& yaml) {
  try {
    Spec::parse(yaml, "s.yaml");
  } catch (const aimcsim::sim::UserError& e) {
    return e.what();
  }
  return "no error";
}

TEST(SweepSpec, CountsAreProductsPerPartSummedOverParts) {
  const Spec spec = Spec::parse(kTwoParts, "s.yaml");
  ASSERT_EQ(spec.parts.size(), 2u);
  EXPECT_EQ(spec.parts[0].points(), 2u * 3u * 2u);
  EXPECT_EQ(spec.parts[1].points(), 2u);
  EXPECT_EQ(spec.points(), 14u);
  EXPECT_EQ(expand(spec).size(), 14u);
}

TEST(SweepSpec, FirstAxisOutermostLastFastestPartsInOrder) {
  const auto points = expand(Spec::parse(kTwoParts, "s.yaml"));
  const auto values = [&](std::size_t i) {
    std::string s;
    for (const auto& [path, value] : points[i].swept) s += path + "=" + value + " ";
    return s;
  };
  EXPECT_EQ(values(0), "layer.shape=128->128 aimc.t_int=128ns strategy=serial ");
  EXPECT_EQ(values(1), "layer.shape=128->128 aimc.t_int=128ns strategy=pipelined ");
  EXPECT_EQ(values(2), "layer.shape=128->128 aimc.t_int=256ns strategy=serial ");
  EXPECT_EQ(values(6), "layer.shape=512->128 aimc.t_int=128ns strategy=serial ");
  EXPECT_EQ(values(11), "layer.shape=512->128 aimc.t_int=512ns strategy=pipelined ");
  EXPECT_EQ(values(12), "chunk=auto ");
  EXPECT_EQ(values(13), "chunk=64 ");
  for (std::size_t i = 0; i < points.size(); ++i) {
    EXPECT_EQ(points[i].index, i);
    EXPECT_EQ(points[i].part, i < 12 ? 0u : 1u);
  }
}

TEST(SweepSpec, PathsSplitIntoRunParametersAndPlatformKeys) {
  const auto points = expand(Spec::parse(kTwoParts, "s.yaml"));
  const auto& p = points[7];  // 512->128, 128ns, pipelined
  EXPECT_EQ(p.run.at("layer.d_in"), "512");
  EXPECT_EQ(p.run.at("layer.d_out"), "128");
  EXPECT_EQ(p.run.at("layer.tokens"), "32");
  EXPECT_EQ(p.run.at("strategy"), "pipelined");
  EXPECT_EQ(p.run.at("lora.rank"), "8");  // the layer command's defaults
  EXPECT_EQ(p.run.at("chunk"), "auto");
  ASSERT_EQ(p.platform_sets.size(), 2u);  // base first, then swept
  EXPECT_EQ(p.platform_sets[0], "cluster.tcdm.size=256KiB");
  EXPECT_EQ(p.platform_sets[1], "aimc.t_int=128ns");
  const auto& m = points[13];
  EXPECT_EQ(m.run.at("model"), "mobilebert");
  EXPECT_EQ(m.run.at("chunk"), "64");
  EXPECT_EQ(m.run.at("seq"), "128");  // the run command's defaults
  EXPECT_EQ(m.run.at("pipeline"), "xb-pipe");
  EXPECT_TRUE(m.platform_sets.empty());
}

TEST(SweepSpec, EffectiveSpecFillsDefaultsAndReadsBackToItself) {
  const Spec spec = Spec::parse(kTwoParts, "s.yaml");
  const std::string text = spec.effective_yaml();
  EXPECT_NE(text.find("lora.precision: fp16"), std::string::npos);
  EXPECT_NE(text.find("aimc.t_int: [128ns, 256ns, 512ns]"), std::string::npos);
  EXPECT_EQ(text.find("layer.d_in"), std::string::npos);  // swept through layer.shape
  const Spec again = Spec::parse(text, "spec.yaml");
  EXPECT_EQ(again.effective_yaml(), text);
  EXPECT_EQ(expand(again).size(), 14u);
}

TEST(SweepSpec, ABaseWithoutAxesIsOnePoint) {
  const auto points = expand(Spec::parse("parts:\n  - {name: one, run: layer}\n", "s.yaml"));
  ASSERT_EQ(points.size(), 1u);
  EXPECT_EQ(points[0].run.at("layer.d_in"), "512");
}

TEST(SweepSpec, PipelineIsSweptAndScheduleIsItsRetiredAlias) {
  const std::string head = "parts:\n  - name: m\n    run: model\n    base: {model: mobilebert}\n";
  const auto modes =
      expand(Spec::parse(head + "    sweep:\n      pipeline: [serial, xl-pipe]\n", "s.yaml"));
  ASSERT_EQ(modes.size(), 2u);
  EXPECT_EQ(modes[1].run.at("pipeline"), "xl-pipe");
  const auto old = expand(
      Spec::parse(head + "    sweep:\n      schedule: [streaming, layer-by-layer]\n", "s.yaml"));
  ASSERT_EQ(old.size(), 2u);
  EXPECT_EQ(old[0].run.at("pipeline"), "xb-pipe");
  EXPECT_EQ(old[1].run.at("pipeline"), "il-par");
  EXPECT_EQ(error_of(head + "    sweep:\n      pipeline: [xx]\n"),
            "s.yaml:6: parts[0].sweep.pipeline: 'xx' is not valid; expected serial, il-par, "
            "il-pipe, xl-pipe, il+xl-pipe or xb-pipe");
  EXPECT_NE(error_of(head + "    sweep:\n      pipeline: [serial]\n      schedule: [streaming]\n")
                .find("schedule is the retired name of pipeline: give one or the other"),
            std::string::npos);
}

TEST(SweepSpec, BadSpecsNameLinePathAndValue) {
  const std::string head = "parts:\n  - name: a\n    run: layer\n    sweep:\n";
  EXPECT_EQ(error_of(head + "      lora.rank: []\n"),
            "s.yaml:5: parts[0].sweep.lora.rank: the list of values is empty");
  EXPECT_EQ(error_of(head + "      lora.rank: [8, x]\n"),
            "s.yaml:5: parts[0].sweep.lora.rank: 'x' is not valid; expected a positive integer");
  EXPECT_EQ(error_of(head + "      chunk: [0]\n"),
            "s.yaml:5: parts[0].sweep.chunk: '0' is not valid; expected auto or a positive "
            "integer (tokens per LoRA job)");
  EXPECT_EQ(error_of(head + "      strategy: serial\n"),
            "s.yaml:5: parts[0].sweep.strategy: expected a list of values, e.g. [128ns, 256ns], "
            "found a single value");
  EXPECT_EQ(error_of(head + "      strategy: [serial, serial]\n"),
            "s.yaml:5: parts[0].sweep.strategy: 'serial' is listed twice");
  EXPECT_EQ(error_of(head + "      layer.shape: [512x128]\n"),
            "s.yaml:5: parts[0].sweep.layer.shape: '512x128' is not valid; expected "
            "D_IN->D_OUT, e.g. 512->128 (sets layer.d_in and layer.d_out)");
  EXPECT_NE(error_of(head + "      seq: [64]\n").find("seq: a parameter of model runs"),
            std::string::npos);
  EXPECT_NE(error_of(head + "      layer.shape: [512->128]\n      layer.d_in: [64]\n")
                .find("layer.shape sets layer.d_in and layer.d_out"),
            std::string::npos);
  EXPECT_EQ(error_of("parts:\n  - name: a\n    run: layer\n    swep: {}\n"),
            "s.yaml:4: parts[0]: unknown key 'swep'; expected one of: name, run, base, sweep");
  EXPECT_EQ(error_of("parts:\n  - {name: a, run: model}\n"),
            "s.yaml:2: parts[0]: model: missing; a model run needs `model:` in base or sweep");
  EXPECT_NE(error_of("parts: []\n").find("parts: expected a list of parts"), std::string::npos);
  EXPECT_NE(error_of("parts:\n  - {name: a, run: layer}\n  - {name: a, run: layer}\n")
                .find("name 'a' is used by an earlier part"),
            std::string::npos);
}

TEST(SweepSpec, PointsAreCheckedTogetherBeforeAnyRuns) {
  const Spec spec = Spec::parse(
      "parts:\n  - name: m\n    run: model\n    base: {model: mobilebert}\n"
      "    sweep:\n      lora.targets: [query, no_such_module]\n",
      "s.yaml");
  try {
    aimcsim::sweep::check_points(spec);
    FAIL() << "no error";
  } catch (const aimcsim::sim::UserError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("s.yaml: part m, point 1 (lora.targets=no_such_module)"), std::string::npos)
        << what;
  }
}

}  // namespace
