#include "workloads/pipeline_strategy.h"

#include "models/sim/errors.h"

#include <fmt/format.h>

namespace aimcsim::workloads {
namespace {

class Serial : public PipelineStrategy {
 public:
  std::string name() const override { return "serial"; }
  bool lora_waits_for_tile() const override { return true; }
  unsigned buffer_copies() const override { return 1; }
};

class Parallel : public PipelineStrategy {
 public:
  std::string name() const override { return "parallel"; }
  bool lora_waits_for_tile() const override { return false; }
  unsigned buffer_copies() const override { return 1; }
};

class Pipelined : public PipelineStrategy {
 public:
  std::string name() const override { return "pipelined"; }
  bool lora_waits_for_tile() const override { return false; }
  unsigned buffer_copies() const override { return 2; }
};

}  // namespace

std::vector<std::string> PipelineStrategy::names() {
  return {"serial", "parallel", "pipelined"};
}

std::unique_ptr<PipelineStrategy> PipelineStrategy::make(const std::string& name) {
  if (name == "serial") return std::make_unique<Serial>();
  if (name == "parallel") return std::make_unique<Parallel>();
  if (name == "pipelined") return std::make_unique<Pipelined>();
  throw sim::UserError(
      fmt::format("unknown strategy '{}': expected one of serial, parallel, pipelined", name));
}

}  // namespace aimcsim::workloads
