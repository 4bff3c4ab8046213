#include "workloads/pipeline/mode.h"

namespace aimcsim::workloads {
namespace {

// one operator at a time, its units spread over the clusters
class Mode : public PipelineMode {
 public:
  std::string name() const override { return "il-par"; }
  std::string summary() const override {
    return "one operator at a time, its units spread over the clusters";
  }
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
  bool spreads() const override { return true; }
};

}  // namespace

std::unique_ptr<PipelineMode> make_il_par() {
  return std::make_unique<Mode>();
}

}  // namespace aimcsim::workloads
