// il-pipe: attention in query chunks, pipelined with the linears around it; other operators one at
// a time.
#include "workloads/pipeline/mode.h"

namespace aimcsim::workloads {

std::unique_ptr<PipelineMode> make_il_pipe() {
  return mode_of({"il-pipe",
                  "attention in query chunks, pipelined with the linears around it; other "
                  "operators one at a time",
                  /*attention=*/true, /*within_block=*/false, /*between_blocks=*/false,
                  /*chunks_attention=*/true, /*spreads=*/true});
}

}  // namespace aimcsim::workloads
