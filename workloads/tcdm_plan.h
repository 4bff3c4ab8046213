// The TCDM allocation of one operator: named buffers (with their copies for double
// buffering) checked against the cluster's capacity. Buffers are rounded up to whole banks
// rows (bank_stride bytes) so that each starts on bank 0.
#pragma once

#include <array>
#include <cstdint>
#include <string>

namespace aimcsim::workloads {

class TcdmPlan {
 public:
  TcdmPlan(std::uint64_t capacity, std::uint64_t bank_stride)
      : capacity_(capacity), stride_(bank_stride) {}

  // buffer: a name that outlives the plan (a string literal). The sizes are checked: a total
  // past 64 bits is a RangeError.
  void add(const char* buffer, std::uint64_t bytes, std::uint64_t copies = 1);
  std::uint64_t bytes() const { return total_; }
  std::uint64_t capacity() const { return capacity_; }
  bool fits() const { return total_ <= capacity_; }
  // "A 8KiB + B 2KiB + x 2x64KiB + ..." for messages and reports.
  std::string breakdown() const;

 private:
  struct Buffer {
    const char* name;
    std::uint64_t bytes, copies;
  };
  static constexpr std::size_t kMaxBuffers = 8;  // plans are built in inner loops: no heap
  std::uint64_t capacity_, stride_;
  std::uint64_t total_ = 0;
  std::array<Buffer, kMaxBuffers> buffers_{};
  std::size_t count_ = 0;
};

}  // namespace aimcsim::workloads
