#include "workloads/safetensors.h"

#include "models/sim/errors.h"

#include <fmt/format.h>
#include <Eigen/Core>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>
#include <fstream>

namespace aimcsim::workloads {
namespace {

std::uint64_t dtype_bytes(const std::string& dtype) {
  if (dtype == "F32") return 4;
  if (dtype == "F16" || dtype == "BF16") return 2;
  if (dtype == "F64") return 8;
  return 0;
}

std::uint64_t read_le64(const unsigned char* b) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | b[i];
  return v;
}

constexpr std::uint64_t kMaxHeader = 100 * 1024 * 1024;  // the format's own limit (100 MB)

}  // namespace

SafeTensorsFile::SafeTensorsFile(const std::string& path) : path_(path) {
  const auto fail = [&](const std::string& what) {
    throw sim::UserError(fmt::format("{}: {}", path, what));
  };
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) fail("cannot be read");
  const auto size = static_cast<std::uint64_t>(in.tellg());
  if (size < 8) fail(fmt::format("truncated: {} bytes, less than the 8-byte header length", size));
  in.seekg(0);
  unsigned char len[8];
  in.read(reinterpret_cast<char*>(len), 8);
  const std::uint64_t n = read_le64(len);
  if (n > kMaxHeader || n > size - 8)
    fail(
        fmt::format("truncated or not a safetensors file: the header says {} bytes, the file "
                    "has {} after the length",
                    n, size - 8));
  std::string header(static_cast<std::size_t>(n), '\0');
  in.read(header.data(), static_cast<std::streamsize>(n));
  data_start_ = 8 + n;
  const std::uint64_t data_size = size - data_start_;
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(header);
  } catch (const nlohmann::json::exception& e) {
    fail(fmt::format("the header is not JSON: {}", e.what()));
  }
  if (!j.is_object()) fail("the header is not a JSON object");
  std::vector<std::pair<std::uint64_t, std::uint64_t>> spans;
  for (const auto& item : j.items()) {
    const std::string name = item.key();
    const auto& t = item.value();
    if (name == "__metadata__") continue;
    const auto bad = [&](const std::string& what) {
      fail(fmt::format("tensor '{}': {}", name, what));
    };
    if (!t.is_object() || !t.contains("dtype") || !t.contains("shape") ||
        !t.contains("data_offsets"))
      bad("expected an object with dtype, shape and data_offsets");
    SafeTensor st;
    if (!t["dtype"].is_string()) bad("dtype is not a string");
    st.dtype = t["dtype"].get<std::string>();
    if (dtype_bytes(st.dtype) == 0)
      bad(fmt::format("dtype {} is not read (expected F32, F16, BF16 or F64)", st.dtype));
    if (!t["shape"].is_array()) bad("shape is not a list");
    std::uint64_t elements = 1;
    for (const auto& d : t["shape"]) {
      if (!d.is_number_unsigned()) bad("shape holds something other than a size");
      const auto v = d.get<std::uint64_t>();
      if (v != 0 && elements > UINT64_MAX / v) bad("shape overflows");
      elements *= v;
      st.shape.push_back(v);
    }
    const auto& off = t["data_offsets"];
    if (!off.is_array() || off.size() != 2 || !off[0].is_number_unsigned() ||
        !off[1].is_number_unsigned())
      bad("data_offsets is not [begin, end]");
    st.begin = off[0].get<std::uint64_t>();
    st.end = off[1].get<std::uint64_t>();
    if (st.begin > st.end || st.end > data_size)
      bad(fmt::format("data_offsets [{}, {}] outside the {} bytes of data (truncated?)", st.begin,
                      st.end, data_size));
    if (elements > UINT64_MAX / dtype_bytes(st.dtype) ||
        st.end - st.begin != elements * dtype_bytes(st.dtype))
      bad(fmt::format("{} bytes for {} {} elements", st.end - st.begin, elements, st.dtype));
    spans.emplace_back(st.begin, st.end);
    tensors_[name] = st;
  }
  std::sort(spans.begin(), spans.end());
  for (std::size_t i = 1; i < spans.size(); ++i)
    if (spans[i].first < spans[i - 1].second) fail("two tensors overlap in the data section");
}

Eigen::MatrixXf SafeTensorsFile::matrix(const std::string& name) const {
  const auto it = tensors_.find(name);
  if (it == tensors_.end()) throw sim::UserError(fmt::format("{}: no tensor '{}'", path_, name));
  const SafeTensor& t = it->second;
  if (t.shape.empty() || t.shape.size() > 2)
    throw sim::UserError(fmt::format("{}: tensor '{}' has {} dimensions; expected 1 or 2", path_,
                                     name, t.shape.size()));
  const auto rows = static_cast<Eigen::Index>(t.shape[0]);
  const auto cols = static_cast<Eigen::Index>(t.shape.size() == 2 ? t.shape[1] : 1);
  std::ifstream in(path_, std::ios::binary);
  in.seekg(static_cast<std::streamoff>(data_start_ + t.begin));
  std::vector<unsigned char> raw(static_cast<std::size_t>(t.end - t.begin));
  in.read(reinterpret_cast<char*>(raw.data()), static_cast<std::streamsize>(raw.size()));
  if (!in) throw sim::UserError(fmt::format("{}: tensor '{}' cannot be read", path_, name));
  Eigen::MatrixXf m(rows, cols);
  const std::uint64_t eb = dtype_bytes(t.dtype);
  for (Eigen::Index r = 0; r < rows; ++r)
    for (Eigen::Index c = 0; c < cols; ++c) {
      const unsigned char* b = raw.data() + static_cast<std::size_t>(r * cols + c) * eb;
      float v = 0;
      if (t.dtype == "F32") {
        std::uint32_t u =
            b[0] | (b[1] << 8) | (b[2] << 16) | (static_cast<std::uint32_t>(b[3]) << 24);
        std::memcpy(&v, &u, 4);
      } else if (t.dtype == "F64") {
        const std::uint64_t u = read_le64(b);
        double d = 0;
        std::memcpy(&d, &u, 8);
        v = static_cast<float>(d);
      } else if (t.dtype == "F16") {
        Eigen::half h;
        h.x = static_cast<std::uint16_t>(b[0] | (b[1] << 8));
        v = static_cast<float>(h);
      } else {  // BF16: the high half of an F32
        const std::uint32_t u = static_cast<std::uint32_t>(b[0] | (b[1] << 8)) << 16;
        std::memcpy(&v, &u, 4);
      }
      m(r, c) = v;
    }
  return m;
}

std::string safetensors_bytes(const std::map<std::string, Eigen::MatrixXf>& tensors,
                              const std::vector<std::string>& vectors) {
  nlohmann::ordered_json header = nlohmann::ordered_json::object();
  std::string data;
  for (const auto& [name, m] : tensors) {
    const bool vector = std::find(vectors.begin(), vectors.end(), name) != vectors.end();
    const std::uint64_t begin = data.size();
    for (Eigen::Index r = 0; r < m.rows(); ++r)
      for (Eigen::Index c = 0; c < m.cols(); ++c) {
        const float v = m(r, c);
        std::uint32_t u = 0;
        std::memcpy(&u, &v, 4);
        for (int i = 0; i < 4; ++i) data.push_back(static_cast<char>((u >> (8 * i)) & 0xff));
      }
    nlohmann::ordered_json shape = nlohmann::ordered_json::array();
    if (vector)
      shape.push_back(m.rows() * m.cols());
    else {
      shape.push_back(m.rows());
      shape.push_back(m.cols());
    }
    header[name] = {{"dtype", "F32"}, {"shape", shape}, {"data_offsets", {begin, data.size()}}};
  }
  std::string text = header.dump();
  while ((text.size() + 8) % 8 != 0) text.push_back(' ');  // aligned data, as the format's writer
  std::string bytes;
  for (int i = 0; i < 8; ++i) bytes.push_back(static_cast<char>((text.size() >> (8 * i)) & 0xff));
  return bytes + text + data;
}

void write_safetensors(const std::string& path,
                       const std::map<std::string, Eigen::MatrixXf>& tensors,
                       const std::vector<std::string>& vectors) {
  std::ofstream out(path, std::ios::binary);
  out << safetensors_bytes(tensors, vectors);
  if (!out) throw sim::UserError(fmt::format("{}: cannot be written", path));
}

}  // namespace aimcsim::workloads
