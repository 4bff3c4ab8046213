// The safetensors file format (Hugging Face): an 8-byte little-endian header length N, N bytes
// of JSON ({"name": {"dtype": "F32", "shape": [rows, cols], "data_offsets": [begin, end]}, ...,
// optional "__metadata__": {string: string}}), then the tensors' raw little-endian bytes, the
// offsets relative to the end of the header. Read with the JSON library the project already
// uses; F32, F16 and BF16 tensors are read (converted to float), F64 too. Every defect (a
// truncated file, a header that is not JSON or lacks a field, offsets outside the data or not
// matching dtype x shape, overlapping tensors) is a UserError naming the file and the tensor.
#pragma once

#include <Eigen/Core>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace aimcsim::workloads {

struct SafeTensor {
  std::string dtype;  // F32, F16, BF16, F64
  std::vector<std::uint64_t> shape;
  std::uint64_t begin = 0, end = 0;  // byte offsets in the data section
};

class SafeTensorsFile {
 public:
  // Reads and checks the header; tensor data are read on demand.
  explicit SafeTensorsFile(const std::string& path);
  const std::string& path() const { return path_; }
  const std::map<std::string, SafeTensor>& tensors() const { return tensors_; }
  bool has(const std::string& name) const { return tensors_.count(name) > 0; }
  // The tensor as a float matrix: a 2-D tensor as rows x cols, a 1-D one as a column.
  Eigen::MatrixXf matrix(const std::string& name) const;

 private:
  std::string path_;
  std::uint64_t data_start_ = 0;
  std::map<std::string, SafeTensor> tensors_;
};

// The file of tensors (F32, row-major as Eigen rows x cols; a 1-column matrix named in
// `vectors` as a 1-D tensor), in the format above, as bytes.
std::string safetensors_bytes(const std::map<std::string, Eigen::MatrixXf>& tensors,
                              const std::vector<std::string>& vectors = {});

// Writes tensors (F32, row-major as Eigen rows x cols; a 1-column matrix named in `vectors` as a
// 1-D tensor) in the format above: for tests and for exporting synthetic weights.
void write_safetensors(const std::string& path,
                       const std::map<std::string, Eigen::MatrixXf>& tensors,
                       const std::vector<std::string>& vectors = {});

}  // namespace aimcsim::workloads
