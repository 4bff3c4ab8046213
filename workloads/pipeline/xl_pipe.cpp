#include "workloads/pipeline/mode.h"

namespace aimcsim::workloads {
namespace {

// token chunks flow through a block's layers (attention whole per sequence); a barrier between
// blocks
class Mode : public PipelineMode {
 public:
  std::string name() const override { return "xl-pipe"; }
  std::string summary() const override {
    return "token chunks flow through a block's layers (attention whole per sequence); a barrier "
           "between blocks";
  }
  bool streams(EdgeKind edge) const override {
    switch (edge) {
      case EdgeKind::attention:
        return true;
      case EdgeKind::within_block:
        return true;
      case EdgeKind::between_blocks:
        return false;
    }
    return false;
  }
  bool chunks_attention() const override { return false; }
  bool spreads() const override { return true; }
};

}  // namespace

std::unique_ptr<PipelineMode> make_xl_pipe() {
  return std::make_unique<Mode>();
}

}  // namespace aimcsim::workloads
