// xl-pipe: token chunks flow through a block's layers (attention whole per sequence); a barrier
// between blocks.
#include "workloads/pipeline/mode.h"

namespace aimcsim::workloads {

std::unique_ptr<PipelineMode> make_xl_pipe() {
  return mode_of({"xl-pipe",
                  "token chunks flow through a block's layers (attention whole per sequence); a "
                  "barrier between blocks",
                  /*attention=*/true, /*within_block=*/true, /*between_blocks=*/false,
                  /*chunks_attention=*/false, /*spreads=*/true});
}

}  // namespace aimcsim::workloads
