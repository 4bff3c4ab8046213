// The TCDM allocation of one operator: named buffers (with their copies for double
// buffering) checked against the cluster's capacity. Buffers are rounded up to whole banks
// rows (bank_stride bytes) so that each starts on bank 0.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace aimcsim::workloads {

class TcdmPlan {
 public:
  TcdmPlan(std::uint64_t capacity, std::uint64_t bank_stride)
      : capacity_(capacity), stride_(bank_stride) {}

  void add(const std::string& buffer, std::uint64_t bytes, std::uint64_t copies = 1);
  std::uint64_t bytes() const { return total_; }
  std::uint64_t capacity() const { return capacity_; }
  bool fits() const { return total_ <= capacity_; }
  // "A 8KiB + B 2KiB + x 2x64KiB + ..." for messages and reports.
  std::string breakdown() const;

 private:
  struct Buffer {
    std::string name;
    std::uint64_t bytes, copies;
  };
  std::uint64_t capacity_, stride_;
  std::uint64_t total_ = 0;
  std::vector<Buffer> buffers_;
};

}  // namespace aimcsim::workloads
