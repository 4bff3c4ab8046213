// xb-pipe: token chunks flow through every block, no barrier (attention whole per sequence).
#include "workloads/pipeline/mode.h"

namespace aimcsim::workloads {

std::unique_ptr<PipelineMode> make_xb_pipe() {
  return mode_of(
      {"xb-pipe",
       "token chunks flow through every block, no barrier (attention whole per sequence)",
       /*attention=*/true, /*within_block=*/true, /*between_blocks=*/true,
       /*chunks_attention=*/false, /*spreads=*/true});
}

}  // namespace aimcsim::workloads
