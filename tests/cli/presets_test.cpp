// The published platform presets (configs/platforms/harp-*.yaml) load and map as their headers
// say: tiles, tiers, cluster groups.
#include "cli_helpers.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace aimcsim::cli_test {
namespace {

nlohmann::json run_report(const std::string& name, const std::string& args) {
  const auto dir = scratch_dir(name);
  const CommandResult r = run_aimcsim(args + " --out " + dir.string());
  EXPECT_EQ(r.code, 0) << r.output;
  return nlohmann::json::parse(read_file_text(dir / "report.json"));
}

TEST(Presets, HarpMobileBertPacksIntoSixteenTilesOfEightTiers) {
  const auto j =
      run_report("preset_harp_mobilebert",
                 "run --model mobilebert --platform configs/platforms/harp-mobilebert.yaml");
  const auto& t = j["totals"];
  EXPECT_EQ(t["tiers_per_tile"], 8);
  EXPECT_EQ(t["tiles_used"], 16);  // balance: every tile of the fixed 16
  EXPECT_LE(t["tile_tiers_used"].get<int>(), 16 * 8);
  EXPECT_EQ(j["packing"], "dense");
  EXPECT_EQ(j["tier_policy"], "balance");
  EXPECT_EQ(t["clusters"], 4);
  // Every linear sits on one of the 16 tiles, on one of the 8 tiers.
  for (const auto& l : j["layers"]) {
    EXPECT_LT(l["first_tile"].get<int>(), 16);
    EXPECT_LT(l["tier"].get<int>(), 8);
  }
  // The fully-analog run puts MobileBERT's ReLUs and residual adds on the tiles (96 + 144).
  EXPECT_EQ(t["elementwise_on_tiles"]["analog"], 240);
}

TEST(Presets, HarpBertBaseHasTwelveClustersWithRedMulEAndTwentyWithout) {
  const auto j =
      run_report("preset_harp_bert_base",
                 "run --model bert-base --platform configs/platforms/harp-bert-base.yaml");
  const auto& t = j["totals"];
  EXPECT_EQ(t["clusters"], 32);
  EXPECT_EQ(t["cluster_groups"], nlohmann::json::array({"mace", "pmca"}));
  int with = 0, without = 0;
  for (const auto& c : t["clusters_hybrid"]) {
    if (c["redmule"].get<bool>()) {
      ++with;
      EXPECT_EQ(c["group"], "mace");
    } else {
      ++without;
      EXPECT_EQ(c["group"], "pmca");
      EXPECT_EQ(c["busy_ns"]["redmule"], 0.0);  // its GEMMs ran on its cores
    }
  }
  EXPECT_EQ(with, 12);
  EXPECT_EQ(without, 20);
  // 12 blocks x (4 x 768->768 on 2 x 2 planes + 768->3072 and 3072->768 on 12 each) = 480.
  EXPECT_EQ(t["tile_tiers_used"], 480);
  EXPECT_EQ(t["tiles_used"], 96);
}

TEST(Presets, HarpBertLargeFillsEveryTierOfItsHundredFortyFourTiles) {
  const auto j =
      run_report("preset_harp_bert_large",
                 "run --model bert-large --platform configs/platforms/harp-bert-large.yaml");
  const auto& t = j["totals"];
  EXPECT_EQ(t["clusters"], 32);
  EXPECT_EQ(t["tiers_per_tile"], 8);
  // 24 blocks x (4 x 1024->1024 on 2 x 2 planes + 1024->4096 and 4096->1024 on 16 each) = 1152
  // = 144 tiles x 8 tiers: TABLE III's tile count is exactly BERT-large's weights.
  EXPECT_EQ(t["tile_tiers_used"], 1152);
  EXPECT_EQ(t["tiles_used"], 144);
  EXPECT_EQ(t["tiers_used"], 8);
}

}  // namespace
}  // namespace aimcsim::cli_test
