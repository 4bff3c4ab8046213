// `run --chunk search`: the whole-model search over chunk candidates finds the optimum of a toy
// whose latency curve is measured point by point with `run --chunk N`.
#include "cli_helpers.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <limits>

namespace aimcsim::cli_test {
namespace {

namespace fs = std::filesystem;

// Two blocks of one 128->128 linear; 64 tokens.
fs::path toy_model(const fs::path& dir) {
  const fs::path p = dir / "toy.yaml";
  std::ofstream(p) << "name: toy\nmodel_type: toy\nblocks: 2\ninput_dim: 128\n"
                      "attention: {heads: 1, kv_heads: 1, head_dim: 128, causal: false}\n"
                      "block:\n  - {op: linear, name: dense, in: [x], out: y, d_in: 128, "
                      "d_out: 128}\n";
  return p;
}

double hybrid_ns(const fs::path& out) {
  return nlohmann::json::parse(read_file_text(out / "report.json"))["totals"]["t_hybrid_ns"];
}

TEST(ChunkSearch, FindsTheFastestChunkOfAToyEndToEnd) {
  const fs::path dir = scratch_dir("chunk_search_toy");
  const std::string model = "run --model " + toy_model(dir).string() + " --seq 64 ";
  // The curve: every candidate the search can reach (one shape, so powers of two), alone.
  double best = std::numeric_limits<double>::max();
  std::uint64_t best_chunk = 0;
  for (std::uint64_t c = 1; c <= 64; c *= 2) {
    const fs::path out = dir / ("c" + std::to_string(c));
    ASSERT_EQ(run_aimcsim(model + "--chunk " + std::to_string(c) + " --out " + out.string()).code,
              0);
    if (hybrid_ns(out) < best) {
      best = hybrid_ns(out);
      best_chunk = c;
    }
  }
  ASSERT_EQ(run_aimcsim(model + "--out " + (dir / "auto").string()).code, 0);
  const CommandResult r =
      run_aimcsim(model + "--chunk search -j 2 --out " + (dir / "search").string());
  ASSERT_EQ(r.code, 0) << r.output;
  const auto j = nlohmann::json::parse(read_file_text(dir / "search" / "report.json"));
  EXPECT_EQ(j["chunk_search"]["winner"], std::to_string(best_chunk));
  EXPECT_EQ(j["totals"]["t_hybrid_ns"], best);  // the run it reports is the winner's
  EXPECT_LE(best, hybrid_ns(dir / "auto"));
  EXPECT_EQ(j["chunk_search"]["objective"], "latency");
  // auto, 1, 2, ..., 64, then the winner's neighbours (the one shape halved and doubled).
  EXPECT_EQ(j["chunk_search"]["tried"].size(), 1u + 7u + 2u);
  EXPECT_TRUE(has(r.output, "<- winner"));
}

TEST(ChunkSearch, BadInputIsRefusedInOneLine) {
  const fs::path dir = scratch_dir("chunk_search_bad");
  const std::string run = "run --model mobilebert --out " + (dir / "o").string() + " ";
  for (const auto& [args, message] : std::vector<std::pair<std::string, std::string>>{
           {"--chunk search --objective speed",
            "--objective 'speed': expected latency, energy or edp"},
           {"--objective energy", "--objective chooses what --chunk search minimises"},
           {"--chunk 0", "--chunk '0': expected a positive number of tokens or search"},
           {"--chunk fast", "--chunk 'fast': expected a positive number of tokens or search"},
           {"--chunk search --set aimc.tiers=0", "aimc.tiers: 0 is out of range"},
       }) {
    const CommandResult r = run_aimcsim(run + args);
    EXPECT_EQ(r.code, 2) << args;
    EXPECT_TRUE(has(r.output, message)) << args << ": " << r.output;
  }
  EXPECT_FALSE(fs::exists(dir / "o"));
}

}  // namespace
}  // namespace aimcsim::cli_test
