#include "workloads/pipeline/mode.h"

namespace aimcsim::workloads {
namespace {

// attention in query chunks, pipelined with the linears around it; other operators one at a time
class Mode : public PipelineMode {
 public:
  std::string name() const override { return "il-pipe"; }
  std::string summary() const override {
    return "attention in query chunks, pipelined with the linears around it; other operators one "
           "at a time";
  }
  bool streams(EdgeKind edge) const override {
    switch (edge) {
      case EdgeKind::attention:
        return true;
      case EdgeKind::within_block:
        return false;
      case EdgeKind::between_blocks:
        return false;
    }
    return false;
  }
  bool chunks_attention() const override { return true; }
  bool spreads() const override { return true; }
};

}  // namespace

std::unique_ptr<PipelineMode> make_il_pipe() {
  return std::make_unique<Mode>();
}

}  // namespace aimcsim::workloads
