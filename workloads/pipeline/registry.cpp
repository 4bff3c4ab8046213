#include "workloads/pipeline/mode.h"

#include "models/sim/errors.h"

#include <fmt/format.h>

namespace aimcsim::workloads {
namespace {

using Factory = std::unique_ptr<PipelineMode> (*)();

// Every mode, in the order of the taxonomy: a new mode is its file and a line here.
const std::vector<Factory>& factories() {
  static const std::vector<Factory> all{
      make_serial, make_il_par, make_il_pipe, make_xl_pipe, make_il_xl_pipe, make_xb_pipe,
  };
  return all;
}

class RowMode : public PipelineMode {
 public:
  explicit RowMode(const ModeRow& row) : row_(row) {}
  std::string name() const override { return row_.name; }
  std::string summary() const override { return row_.summary; }
  bool streams(EdgeKind edge) const override {
    switch (edge) {
      case EdgeKind::attention:
        return row_.attention;
      case EdgeKind::within_block:
        return row_.within_block;
      case EdgeKind::between_blocks:
        return row_.between_blocks;
    }
    return false;
  }
  bool chunks_attention() const override { return row_.chunks_attention; }
  bool spreads() const override { return row_.spreads; }

 private:
  ModeRow row_;
};

}  // namespace

std::unique_ptr<PipelineMode> mode_of(const ModeRow& row) {
  return std::make_unique<RowMode>(row);
}

std::vector<std::string> PipelineMode::names() {
  std::vector<std::string> out;
  for (const Factory f : factories()) out.push_back(f()->name());
  return out;
}

std::string PipelineMode::from_schedule(const std::string& schedule) {
  if (schedule == "streaming") return "xb-pipe";
  if (schedule == "layer-by-layer") return "il-par";
  return "";
}

std::unique_ptr<PipelineMode> PipelineMode::make(const std::string& name) {
  const std::string mode = from_schedule(name).empty() ? name : from_schedule(name);
  for (const Factory f : factories())
    if (auto m = f(); m->name() == mode) return m;
  throw sim::UserError(fmt::format("unknown pipeline mode '{}': expected one of {}", name,
                                   fmt::join(names(), ", ")));
}

}  // namespace aimcsim::workloads
