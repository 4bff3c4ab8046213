// Golden end-to-end latencies: the sweep of scenarios.yaml (layer-study points and MobileBERT
// end to end) must reproduce goldens.jsonl within the tolerance stated in goldens.h; and the
// comparison itself must catch a perturbed golden, a missing point and a status change.
#include "goldens.h"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <utility>

namespace {

namespace fs = std::filesystem;
using aimcsim::regression::compare;
using aimcsim::regression::Difference;
using aimcsim::regression::kRelativeTolerance;
using aimcsim::regression::Row;
using aimcsim::regression::Rows;
using json = nlohmann::ordered_json;

const std::string kSourceDir = AIMCSIM_SOURCE_DIR;
const std::string kGoldens = kSourceDir + "/tests/regression/goldens.jsonl";

// A fresh directory of its own, so concurrent test runs (other build trees) never share one.
fs::path make_temp_dir() {
  std::string pattern = (fs::temp_directory_path() / "aimcsim_regression_XXXXXX").string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  return pattern;
}

// Runs a command from the source tree; returns its exit code and output (stdout and stderr).
std::pair<int, std::string> run(const std::string& command) {
  FILE* pipe = popen(("cd " + kSourceDir + " && " + command + " 2>&1").c_str(), "r");
  std::string out;
  std::array<char, 4096> buf{};
  while (fgets(buf.data(), buf.size(), pipe)) out += buf.data();
  const int status = pclose(pipe);
  return {WEXITSTATUS(status), out};
}

// The first ok row with a floating-point t_hybrid_ns and an integer tiles.
const Row& first_ok_row(const Rows& rows) {
  for (const auto& [point, row] : rows)
    if (row.status == "ok" && row.metrics.value("t_hybrid_ns", json()).is_number_float() &&
        row.metrics.value("tiles", json()).is_number_integer())
      return row;
  throw std::runtime_error("no ok row in " + kGoldens);
}

TEST(Regression, GoldenLatencies) {
  const fs::path dir = make_temp_dir();
  const fs::path out = dir / "sweep";
  const auto [code, output] =
      run(std::string(AIMCSIM_BINARY) + " sweep tests/regression/scenarios.yaml --out " +
          out.string() + " -j 2");
  ASSERT_EQ(code, 0) << output;
  const Rows golden = aimcsim::regression::load(kGoldens);
  const Rows now = aimcsim::regression::load((out / "results.jsonl").string());
  const auto differences = compare(golden, now);
  if (differences.empty()) {
    fs::remove_all(dir);
    return;
  }
  ADD_FAILURE() << aimcsim::regression::report(differences) << "(new results kept in "
                << out.string() << ")";
}

// A golden moved by +1 % (a time) and +1 (an integer) is reported with its old and new
// value, and nothing else is.
TEST(Regression, PerturbedGoldenFails) {
  const Rows truth = aimcsim::regression::load(kGoldens);
  const Row& target = first_ok_row(truth);
  const double t_hybrid = target.metrics["t_hybrid_ns"].get<double>();
  const auto tiles = target.metrics["tiles"].get<long long>();

  // The perturbed copy goes through a file, as a hand-edited goldens.jsonl would.
  const fs::path dir = make_temp_dir();
  const fs::path perturbed_file = dir / "goldens.jsonl";
  {
    std::ifstream in(kGoldens);
    std::ofstream out(perturbed_file);
    for (std::string line; std::getline(in, line);) {
      json row = json::parse(line);
      if (row["point"] == target.point) {
        row["metrics"]["t_hybrid_ns"] = t_hybrid * 1.01;
        row["metrics"]["tiles"] = tiles + 1;
      }
      out << row.dump() << "\n";
    }
  }
  const Rows perturbed = aimcsim::regression::load(perturbed_file.string());
  fs::remove_all(dir);

  const auto differences = compare(perturbed, truth);
  ASSERT_EQ(differences.size(), 2u) << aimcsim::regression::report(differences);
  const Difference& time = differences[0].field == "t_hybrid_ns" ? differences[0] : differences[1];
  const Difference& count = differences[0].field == "tiles" ? differences[0] : differences[1];
  EXPECT_EQ(time.field, "t_hybrid_ns");
  EXPECT_EQ(time.point, target.point);
  EXPECT_DOUBLE_EQ(time.old_value.get<double>(), t_hybrid * 1.01);
  EXPECT_DOUBLE_EQ(time.new_value.get<double>(), t_hybrid);
  EXPECT_NEAR(time.relative, 1 / 1.01 - 1, 1e-12);
  EXPECT_EQ(time.tolerance, kRelativeTolerance);
  EXPECT_EQ(count.field, "tiles");
  EXPECT_EQ(count.old_value.get<long long>(), tiles + 1);
  EXPECT_EQ(count.new_value.get<long long>(), tiles);

  const std::string text = aimcsim::regression::report(differences);
  EXPECT_NE(text.find("(-0.99 %, tolerance 0.1 %)"), std::string::npos) << text;
  EXPECT_NE(
      text.find("tiles " + std::to_string(tiles + 1) + " -> " + std::to_string(tiles) + " (exact)"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("run scripts/update-goldens.sh if the change is intended"),
            std::string::npos);
}

// Float formatting noise (1e-5 relative) is within the tolerance; 2e-3 is not.
TEST(Regression, ChangeWithinToleranceIsNotReported) {
  const Rows truth = aimcsim::regression::load(kGoldens);
  const std::size_t point = first_ok_row(truth).point;
  Rows nudged = truth;
  auto& metrics = nudged.at(point).metrics;
  for (auto& value : metrics)
    if (value.is_number_float()) value = value.get<double>() * (1 + 1e-5);
  EXPECT_TRUE(compare(truth, nudged).empty())
      << aimcsim::regression::report(compare(truth, nudged));

  metrics["t_analog_ns"] = truth.at(point).metrics["t_analog_ns"].get<double>() * (1 + 2e-3);
  const auto differences = compare(truth, nudged);
  ASSERT_EQ(differences.size(), 1u) << aimcsim::regression::report(differences);
  EXPECT_EQ(differences[0].field, "t_analog_ns");
}

// A point missing from the new results, one not in the goldens and a status change are
// differences too.
TEST(Regression, MissingPointAndStatusChangeAreReported) {
  const Rows truth = aimcsim::regression::load(kGoldens);
  ASSERT_GE(truth.size(), 3u);
  const std::size_t first = truth.begin()->first, last = truth.rbegin()->first;
  const std::size_t middle = std::next(truth.begin(), truth.size() / 2)->first;
  Rows changed = truth;
  changed.erase(first);
  const std::string old_status = truth.at(middle).status;
  const std::string new_status = old_status == "ok" ? "failed" : "ok";
  changed.at(middle).status = new_status;
  changed.at(middle).error = "made up";
  Row extra = truth.at(last);
  extra.point = last + 1;
  changed.emplace(extra.point, extra);

  const auto differences = compare(truth, changed);
  const std::string text = aimcsim::regression::report(differences);
  ASSERT_EQ(differences.size(), 3u) << text;
  EXPECT_EQ(differences[0].point, first);
  EXPECT_EQ(differences[0].field, "point");
  EXPECT_TRUE(differences[0].new_value.is_null());
  EXPECT_EQ(differences[1].point, middle);
  EXPECT_EQ(differences[1].field, "status");
  EXPECT_EQ(differences[1].old_value, old_status);
  EXPECT_EQ(differences[1].new_value, new_status);
  EXPECT_EQ(differences[2].point, last + 1);
  EXPECT_EQ(differences[2].field, "point");
  EXPECT_TRUE(differences[2].old_value.is_null());
  EXPECT_NE(text.find("missing from the new results"), std::string::npos) << text;
  EXPECT_NE(text.find("not in the goldens"), std::string::npos) << text;
}

}  // namespace
