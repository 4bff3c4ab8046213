// The safetensors reader and writer: a round trip, F16/BF16 decoding, and every defect rejected
// with a message naming the file and the tensor.
#include "workloads/safetensors.h"
#include "models/sim/errors.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace aimcsim::workloads {
namespace {

std::filesystem::path scratch(const std::string& name) {
  return std::filesystem::temp_directory_path() / ("aimcsim_values_" + name + ".safetensors");
}

// A file of the given header and data bytes.
std::string write_raw(const std::string& name, const std::string& header, const std::string& data) {
  const std::string path = scratch(name).string();
  std::ofstream out(path, std::ios::binary);
  for (int i = 0; i < 8; ++i) out.put(static_cast<char>((header.size() >> (8 * i)) & 0xff));
  out << header << data;
  return path;
}

// The UserError reading path throws (empty: none).
std::string read_error(const std::string& path) {
  try {
    SafeTensorsFile f(path);
    for (const auto& [name, t] : f.tensors()) f.matrix(name);
  } catch (const sim::UserError& e) {
    return e.what();
  }
  return "";
}

TEST(SafeTensors, WrittenTensorsReadBackExactly) {
  Eigen::MatrixXf w(3, 5);
  for (int i = 0; i < 15; ++i) w(i / 5, i % 5) = 0.1f * static_cast<float>(i) - 0.7f;
  Eigen::MatrixXf v(4, 1);
  v << 1.0f, -2.5f, 1e-30f, 3e30f;
  const std::string path = scratch("roundtrip").string();
  write_safetensors(path, {{"layer.weight", w}, {"layer.bias", v}}, {"layer.bias"});
  const SafeTensorsFile f(path);
  ASSERT_EQ(f.tensors().size(), 2u);
  EXPECT_EQ(f.tensors().at("layer.weight").shape, (std::vector<std::uint64_t>{3, 5}));
  EXPECT_EQ(f.tensors().at("layer.bias").shape, (std::vector<std::uint64_t>{4}));
  EXPECT_EQ(f.matrix("layer.weight"), w);  // bit for bit
  EXPECT_EQ(f.matrix("layer.bias"), v);
}

TEST(SafeTensors, HalfPrecisionTensorsAreDecoded) {
  // F16 0x3C00 = 1, 0xC000 = -2, 0x0001 = 2^-24; BF16 0x3F80 = 1, 0xC0A0 = -5.
  const std::string path = write_raw(
      "halves",
      R"({"h":{"dtype":"F16","shape":[3],"data_offsets":[0,6]},)"
      R"("b":{"dtype":"BF16","shape":[1,2],"data_offsets":[6,10]},"__metadata__":{"x":"y"}})",
      std::string("\x00\x3C\x00\xC0\x01\x00\x80\x3F\xA0\xC0", 10));
  const SafeTensorsFile f(path);
  const Eigen::MatrixXf h = f.matrix("h"), b = f.matrix("b");
  EXPECT_EQ(h(0), 1.0f);
  EXPECT_EQ(h(1), -2.0f);
  EXPECT_EQ(h(2), std::ldexp(1.0f, -24));
  EXPECT_EQ(b(0, 0), 1.0f);
  EXPECT_EQ(b(0, 1), -5.0f);
}

TEST(SafeTensors, CorruptFilesAreRejectedNamingFileAndTensor) {
  const std::string good = R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})";
  const std::string data(8, '\0');
  struct Case {
    std::string name, header, data, expect;
  };
  const std::vector<Case> cases = {
      {"truncated_data", good, data.substr(0, 5), "truncated"},
      {"not_json", "{\"w\": [", data, "not JSON"},
      {"not_object", "[1, 2]", data, "not a JSON object"},
      {"no_dtype", R"({"w":{"shape":[2],"data_offsets":[0,8]}})", data, "tensor 'w'"},
      {"bad_dtype", R"({"w":{"dtype":"I8","shape":[2],"data_offsets":[0,2]}})", data, "dtype I8"},
      {"wrong_size", R"({"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})", data,
       "8 bytes for 3 F32"},
      {"negative_shape", R"({"w":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}})", data,
       "shape"},
      {"overlap",
       R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
       R"("b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})",
       data, "overlap"},
      {"three_d", R"({"w":{"dtype":"F32","shape":[1,1,2],"data_offsets":[0,8]}})", data,
       "3 dimensions"},
  };
  for (const auto& c : cases) {
    const std::string path = write_raw(c.name, c.header, c.data);
    const std::string error = read_error(path);
    EXPECT_NE(error.find(path), std::string::npos) << c.name << ": " << error;
    EXPECT_NE(error.find(c.expect), std::string::npos) << c.name << ": " << error;
  }
  // A header length beyond the file, and a file shorter than the length field itself.
  const std::string path = scratch("short").string();
  std::ofstream(path, std::ios::binary) << std::string("\xff\x00\x00\x00\x00\x00\x00\x00{}", 10);
  EXPECT_NE(read_error(path).find("truncated"), std::string::npos) << read_error(path);
  std::ofstream(path, std::ios::binary) << "abc";
  EXPECT_NE(read_error(path).find("truncated"), std::string::npos) << read_error(path);
  EXPECT_NE(read_error(scratch("missing_file").string()).find("cannot be read"), std::string::npos);
}

}  // namespace
}  // namespace aimcsim::workloads
