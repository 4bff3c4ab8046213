// How the analog and digital halves of a layer are scheduled against each other, as a small
// policy: whether the LoRA branch waits for the tile's MVMs of its chunk, and how many copies
// of every chunk buffer exist (1: a chunk may reuse a buffer only once the previous chunk
// is done with it; 2: double buffering, so consecutive chunks overlap).
//   serial     AIMC MVMs, then the LoRA branch, then the add; single buffers
//   parallel   LoRA branch starts with the MVMs on the same input; the add waits for both
//   pipelined  parallel, with double-buffered chunks so AIMC, LoRA and DMA of different
//              chunks overlap
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace aimcsim::workloads {

class PipelineStrategy {
 public:
  virtual ~PipelineStrategy() = default;
  virtual std::string name() const = 0;
  virtual bool lora_waits_for_tile() const = 0;
  virtual unsigned buffer_copies() const = 0;

  // The strategy called name; a UserError lists the known ones otherwise.
  static std::unique_ptr<PipelineStrategy> make(const std::string& name);
  static std::vector<std::string> names();
};

}  // namespace aimcsim::workloads
