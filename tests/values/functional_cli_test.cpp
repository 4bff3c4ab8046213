// --functional from the command line: splits that are bit-exact, timing untouched by values,
// determinism, weights read as Hugging Face stores them, flash attention's values, and bad
// input refused in one line with nothing written.
#include "../cli/cli_helpers.h"
#include "toy_model.h"
#include "workloads/safetensors.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <sstream>

namespace aimcsim::cli_test {
namespace {

namespace fs = std::filesystem;
using Eigen::MatrixXf;

const std::string kNoiseFree =
    " --set aimc.pcm.programming_noise=false --set aimc.pcm.drift=false"
    " --set aimc.pcm.read_noise=false";

// The toy model's attention half, as a file.
fs::path toy_model(const fs::path& dir) {
  const fs::path path = dir / "toy.yaml";
  std::ofstream(path) << test::kToyAttention;
  return path;
}

nlohmann::json read_json(const fs::path& p) {
  return nlohmann::json::parse(read_file_text(p));
}

TEST(FunctionalCli, ColumnSplitsAreBitExactInNoiseFreeMode) {
  // The same 128 -> 512 layer on tiles of 512, 256 and 128 columns, converters quantising: a
  // column computes the same sum from the same input slice on any split. (The local digital
  // unit's multiplier is exact here: its block exponent is per tile, so a split may round a
  // column's scale differently, as the hardware would.)
  const fs::path dir = scratch_dir("values_colsplit");
  std::map<int, workloads::SafeTensorsFile> files;
  for (const int cols : {512, 256, 128}) {
    const fs::path out = dir / (std::to_string(cols) + ".safetensors");
    const auto r =
        run_aimcsim("layer --d-in 128 --d-out 512 --tokens 16 --functional" + kNoiseFree +
                    " --set aimc.ldu.scale_bits=0 --set aimc.cols=" + std::to_string(cols) +
                    " --values-out " + out.string());
    ASSERT_EQ(r.code, 0) << r.output;
    EXPECT_TRUE(has(r.output, "tiles " + std::to_string(512 / cols))) << r.output;
    files.emplace(cols, workloads::SafeTensorsFile(out.string()));
  }
  for (const char* t : {"hybrid", "fully_analog"}) {
    const MatrixXf whole = files.at(512).matrix(t);
    EXPECT_GT(whole.norm(), 0.0f);
    EXPECT_EQ(files.at(256).matrix(t), whole) << t;
    EXPECT_EQ(files.at(128).matrix(t), whole) << t;
  }
  // Quantisation is on: the values are not the FP32 product.
  EXPECT_GT((files.at(512).matrix("hybrid") - files.at(512).matrix("reference")).norm(),
            1e-3f * files.at(512).matrix("reference").norm());
}

TEST(FunctionalCli, RowSplitsMatchTheUnsplitLayerToFp32InIdealMode) {
  // Row splits add partial sums in another order, so they agree to rounding, not bit for bit.
  const fs::path dir = scratch_dir("values_rowsplit");
  MatrixXf y[2];
  int i = 0;
  for (const int rows : {512, 64}) {
    const fs::path out = dir / (std::to_string(rows) + ".safetensors");
    const auto r = run_aimcsim(
        "layer --d-in 256 --d-out 64 --tokens 16 --functional --ideal "
        "--set aimc.rows=" +
        std::to_string(rows) + " --values-out " + out.string());
    ASSERT_EQ(r.code, 0) << r.output;
    y[i++] = workloads::SafeTensorsFile(out.string()).matrix("hybrid");
  }
  EXPECT_LT((y[0] - y[1]).norm() / y[0].norm(), 1e-6f);
}

// Every field of a report but its values.
std::string timing_part(nlohmann::json j) {
  j.erase("functional");
  return j.dump();
}

TEST(FunctionalCli, ValuesLeaveEveryTimingFieldUnchanged) {
  const fs::path dir = scratch_dir("values_timing");
  const fs::path model = toy_model(dir);
  for (const std::string f : {"", " --functional"}) {
    const auto l = run_aimcsim("layer --d-in 512 --d-out 128 --json " +
                               (dir / ("layer" + std::to_string(f.size()) + ".json")).string() + f);
    ASSERT_EQ(l.code, 0) << l.output;
    const auto m = run_aimcsim("run --model " + model.string() + " --seq 32 --out " +
                               (dir / ("run" + std::to_string(f.size()))).string() + f);
    ASSERT_EQ(m.code, 0) << m.output;
  }
  const auto layer_plain = read_json(dir / "layer0.json");
  const auto layer_values = read_json(dir / "layer13.json");
  EXPECT_FALSE(layer_plain.contains("functional"));
  ASSERT_TRUE(layer_values.contains("functional"));
  EXPECT_EQ(timing_part(layer_plain), timing_part(layer_values));
  const auto run_plain = read_json(dir / "run0" / "report.json");
  const auto run_values = read_json(dir / "run13" / "report.json");
  ASSERT_TRUE(run_values.contains("functional"));
  EXPECT_EQ(timing_part(run_plain), timing_part(run_values));
}

TEST(FunctionalCli, SameSeedSameBytesAnotherSeedOtherValues) {
  const fs::path dir = scratch_dir("values_seed");
  const fs::path model = toy_model(dir);
  for (const char* run : {"a", "b"}) {
    const auto r = run_aimcsim("run --model " + model.string() + " --seq 32 --functional --out " +
                               (dir / run).string());
    ASSERT_EQ(r.code, 0) << r.output;
  }
  const auto r = run_aimcsim("run --model " + model.string() +
                             " --seq 32 --functional --seed 2 --out " + (dir / "c").string());
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_EQ(read_file_text(dir / "a" / "report.json"), read_file_text(dir / "b" / "report.json"));
  const auto error = [&](const char* run) {
    return read_json(dir / run / "report.json")["functional"]["output"]["rel_rms_error"]
        .get<double>();
  };
  EXPECT_GT(error("a"), 1e-3);  // noise, drift and quantisation on by default
  EXPECT_NE(error("a"), error("c"));
}

MatrixXf sequence(Eigen::Index rows, Eigen::Index cols, float step) {
  MatrixXf m(rows, cols);
  for (Eigen::Index i = 0; i < rows; ++i)
    for (Eigen::Index j = 0; j < cols; ++j)
      m(i, j) = std::sin(step * static_cast<float>(i * cols + j + 1));
  return m;
}

TEST(FunctionalCli, WeightsAndAdapterAreReadAsHuggingFaceAndPeftStoreThem) {
  // torch.nn.Linear stores W as [d_out, d_in]: y = x W^T; PEFT's lora_A [r, d_in] and lora_B
  // [d_out, r]: y += (x A^T) B^T.
  const fs::path dir = scratch_dir("values_weights");
  const MatrixXf w = sequence(32, 64, 0.37f), a = sequence(8, 64, 0.11f) * 0.1f,
                 b = sequence(32, 8, 0.53f) * 0.1f;
  workloads::write_safetensors((dir / "w.safetensors").string(), {{"enc.fc.weight", w}});
  workloads::write_safetensors((dir / "a.safetensors").string(),
                               {{"enc.fc.lora_A.weight", a}, {"enc.fc.lora_B.weight", b}});
  const fs::path out = dir / "values.safetensors";
  const auto r =
      run_aimcsim("layer --d-in 64 --d-out 32 --tokens 8 --functional --ideal --weights " +
                  (dir / "w.safetensors").string() + " --adapter " +
                  (dir / "a.safetensors").string() + " --values-out " + out.string());
  ASSERT_EQ(r.code, 0) << r.output;
  const workloads::SafeTensorsFile v(out.string());
  const MatrixXf x = v.matrix("input");
  const MatrixXf plain = x * w.transpose();
  const MatrixXf adapted = plain + (x * a.transpose()) * b.transpose();
  EXPECT_LT((v.matrix("reference_no_lora") - plain).norm() / plain.norm(), 1e-6f);
  EXPECT_LT((v.matrix("reference") - adapted).norm() / adapted.norm(), 1e-6f);
  EXPECT_LT((v.matrix("fully_analog") - plain).norm() / plain.norm(), 1e-5f);
  EXPECT_LT((v.matrix("hybrid") - adapted).norm() / adapted.norm(), 1e-5f);
}

TEST(FunctionalCli, FlashAttentionComputesWhatStandardAttentionDoes) {
  const fs::path dir = scratch_dir("values_flash");
  const fs::path model = toy_model(dir);
  MatrixXf y[2];
  int i = 0;
  for (const std::string attention : {"standard", "flash --kv-block 8"}) {
    const fs::path out = dir / (std::to_string(i) + ".safetensors");
    const auto r =
        run_aimcsim("run --model " + model.string() +
                    " --seq 32 --functional --ideal --attention " + attention + " --values-out " +
                    out.string() + " --out " + (dir / std::to_string(i)).string());
    ASSERT_EQ(r.code, 0) << r.output;
    EXPECT_LT(
        read_json(dir / std::to_string(i) / "report.json")["functional"]["output"]["rel_rms_error"]
            .get<double>(),
        1e-5)
        << attention;
    y[i++] = workloads::SafeTensorsFile(out.string()).matrix("hybrid");
  }
  // Online softmax rescales in another order: equal to rounding.
  EXPECT_LT((y[0] - y[1]).norm() / y[0].norm(), 1e-5f);
  EXPECT_GT((y[0] - y[1]).norm(), 0.0f);
}

TEST(FunctionalCli, SweepsReportTheErrorBesideLatencyAndEnergy) {
  const fs::path dir = scratch_dir("values_sweep");
  std::ofstream(dir / "spec.yaml") << "platform: configs/platforms/reference.yaml\n"
                                      "parts:\n"
                                      "  - name: values\n"
                                      "    run: layer\n"
                                      "    base: {layer.shape: 256->64, layer.tokens: 16, "
                                      "functional: true}\n"
                                      "    sweep: {aimc.adc.bits: [3, 8]}\n"
                                      "  - name: timing\n"
                                      "    run: layer\n"
                                      "    base: {layer.shape: 256->64, layer.tokens: 16}\n";
  const auto r = run_aimcsim("sweep " + (dir / "spec.yaml").string() + " -j 1 --out " +
                             (dir / "out").string());
  ASSERT_EQ(r.code, 0) << r.output;
  std::istringstream csv(read_file_text(dir / "out" / "results.csv"));
  std::string line;
  std::getline(csv, line);
  std::vector<std::string> header;
  for (std::stringstream h(line); std::getline(h, line, ',');) header.push_back(line);
  const auto column = std::find(header.begin(), header.end(), "rel_rms_error") - header.begin();
  ASSERT_LT(column, static_cast<long>(header.size()));
  std::vector<std::string> errors;
  while (std::getline(csv, line)) {
    std::vector<std::string> cells;
    for (std::stringstream c(line); std::getline(c, line, ',');) cells.push_back(line);
    cells.resize(header.size());
    errors.push_back(cells[static_cast<std::size_t>(column)]);
  }
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_GT(std::stod(errors[0]), 2 * std::stod(errors[1]));  // 3-bit ADC against 8-bit
  EXPECT_EQ(errors[2], "");                                   // no values asked for
}

TEST(FunctionalCli, BadInputIsOneLineExitTwoAndNothingWritten) {
  const fs::path dir = scratch_dir("values_bad");
  const fs::path model = toy_model(dir);
  const auto raw = [&](const std::string& name, const std::string& bytes) {
    const fs::path p = dir / name;
    std::ofstream(p, std::ios::binary) << bytes;
    return p.string();
  };
  const std::string good_header = R"({"w":{"dtype":"F32","shape":[2,4],"data_offsets":[0,32]}})";
  const std::string len(std::string(1, static_cast<char>(good_header.size())) +
                        std::string(7, '\0'));
  const std::string truncated = raw("truncated.safetensors", len + good_header + "12345");
  const std::string not_json =
      raw("notjson.safetensors", std::string("\x05\0\0\0\0\0\0\0{\"w\":", 13));
  const std::string i8_header = R"({"w":{"dtype":"I8","shape":[2,4],"data_offsets":[0,8]}})";
  const std::string i8 =
      raw("i8.safetensors", std::string(1, static_cast<char>(i8_header.size())) +
                                std::string(7, '\0') + i8_header + std::string(8, '\1'));
  workloads::write_safetensors((dir / "shape.safetensors").string(),
                               {{"enc.fc.weight", MatrixXf::Zero(32, 32)}});
  workloads::write_safetensors((dir / "partial.safetensors").string(),
                               {{"embed.weight", MatrixXf::Zero(64, 64)}});
  const std::string layer = "layer --d-in 64 --d-out 32 --functional --json " +
                            (dir / "out.json").string() + " --values-out " +
                            (dir / "v.safetensors").string();
  const std::string run =
      "run --model " + model.string() + " --seq 32 --functional --out " + (dir / "out").string();
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"layer --ideal --json " + (dir / "out.json").string(), "--ideal works on values"},
      {"layer --values-out " + (dir / "v.safetensors").string(), "--values-out works on values"},
      {layer + " --weights " + truncated, "truncated"},
      {layer + " --weights " + not_json, "not JSON"},
      {layer + " --weights " + i8, "dtype I8"},
      {layer + " --weights " + (dir / "shape.safetensors").string(), "no tensor of shape [32, 64]"},
      {layer + " --weights " + (dir / "shape.safetensors").string() + " --tensor x.weight",
       "no tensor 'x.weight'"},
      {layer + " --weights " + (dir / "missing.safetensors").string(), "missing.safetensors"},
      {run + " --weights " + (dir / "partial.safetensors").string(), "0.q.weight"},
      {layer + " --set aimc.pcm.prog_c0=-1", "aimc.pcm.prog_c0"},
      {layer + " --set aimc.adc.gain_sigma=2", "aimc.adc.gain_sigma"},
      {layer + " --set aimc.pcm.t_since_programming_s=-5", "aimc.pcm.t_since_programming_s"},
      {"run --model gpt2 --seq 16 --generate 4 --functional --out " + (dir / "out").string(),
       "--generate"},
  };
  for (const auto& [args, expect] : cases) {
    const CommandResult r = run_aimcsim(args);
    EXPECT_EQ(r.code, 2) << args << "\n" << r.output;
    EXPECT_TRUE(has(r.output, expect)) << args << "\n" << r.output;
    EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << args << "\n" << r.output;
    EXPECT_FALSE(fs::exists(dir / "out.json")) << args;
    EXPECT_FALSE(fs::exists(dir / "v.safetensors")) << args;
    EXPECT_FALSE(fs::exists(dir / "out")) << args;
  }
}

}  // namespace
}  // namespace aimcsim::cli_test
