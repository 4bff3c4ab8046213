// il+xl-pipe: token chunks flow through a block, attention in query chunks too; a barrier between
// blocks.
#include "workloads/pipeline/mode.h"

namespace aimcsim::workloads {

std::unique_ptr<PipelineMode> make_il_xl_pipe() {
  return mode_of(
      {"il+xl-pipe",
       "token chunks flow through a block, attention in query chunks too; a barrier between blocks",
       /*attention=*/true, /*within_block=*/true, /*between_blocks=*/false,
       /*chunks_attention=*/true, /*spreads=*/true});
}

}  // namespace aimcsim::workloads
