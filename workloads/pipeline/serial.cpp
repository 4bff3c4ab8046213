// serial: one operator at a time, each on one cluster.
#include "workloads/pipeline/mode.h"

namespace aimcsim::workloads {

std::unique_ptr<PipelineMode> make_serial() {
  return mode_of({"serial", "one operator at a time, each on one cluster",
                  /*attention=*/false, /*within_block=*/false, /*between_blocks=*/false,
                  /*chunks_attention=*/false, /*spreads=*/false});
}

}  // namespace aimcsim::workloads
