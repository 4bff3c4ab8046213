// il-par: one operator at a time, its units spread over the clusters.
#include "workloads/pipeline/mode.h"

namespace aimcsim::workloads {

std::unique_ptr<PipelineMode> make_il_par() {
  return mode_of({"il-par", "one operator at a time, its units spread over the clusters",
                  /*attention=*/false, /*within_block=*/false, /*between_blocks=*/false,
                  /*chunks_attention=*/false, /*spreads=*/true});
}

}  // namespace aimcsim::workloads
