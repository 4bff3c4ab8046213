#include "workloads/pipeline/mode.h"

namespace aimcsim::workloads {
namespace {

// token chunks flow through every block, no barrier (attention whole per sequence)
class Mode : public PipelineMode {
 public:
  std::string name() const override { return "xb-pipe"; }
  std::string summary() const override {
    return "token chunks flow through every block, no barrier (attention whole per sequence)";
  }
  bool streams(EdgeKind edge) const override {
    switch (edge) {
      case EdgeKind::attention:
        return true;
      case EdgeKind::within_block:
        return true;
      case EdgeKind::between_blocks:
        return true;
    }
    return false;
  }
  bool chunks_attention() const override { return false; }
  bool spreads() const override { return true; }
};

}  // namespace

std::unique_ptr<PipelineMode> make_xb_pipe() {
  return std::make_unique<Mode>();
}

}  // namespace aimcsim::workloads
