#include "workloads/pipeline/mode.h"

namespace aimcsim::workloads {
namespace {

// one operator at a time, each on one cluster
class Mode : public PipelineMode {
 public:
  std::string name() const override { return "serial"; }
  std::string summary() const override { return "one operator at a time, each on one cluster"; }
  bool streams(EdgeKind edge) const override {
    switch (edge) {
      case EdgeKind::attention:
        return false;
      case EdgeKind::within_block:
        return false;
      case EdgeKind::between_blocks:
        return false;
    }
    return false;
  }
  bool chunks_attention() const override { return false; }
  bool spreads() const override { return false; }
};

}  // namespace

std::unique_ptr<PipelineMode> make_serial() {
  return std::make_unique<Mode>();
}

}  // namespace aimcsim::workloads
