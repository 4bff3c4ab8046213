// A Snitch-like RISC-V cluster: worker cores, a DMA engine, the TCDM they share and a RedMulE
// GEMM engine, all on one clock. The cluster only assembles its parts and runs jobs on them;
// each part's header states its timing model. Jobs of one engine run in order; jobs of
// different engines overlap and meet in the TCDM.
#pragma once

#include "models/cluster/dma.h"
#include "models/cluster/redmule.h"
#include "models/cluster/tcdm.h"
#include "models/cluster/worker_cores.h"

#include <memory>

namespace aimcsim::cluster {

class SnitchCluster : public sim::Component {
 public:
  SnitchCluster(const sc_core::sc_module_name& name, sim::ConfigNode config);

  sim::Time period() const { return period_; }
  Tcdm& tcdm() { return *tcdm_; }
  Dma& dma() { return *dma_; }
  RedMulE& redmule() { return *redmule_; }
  WorkerCores& cores() { return *cores_; }

  // Each runs one job on its engine and returns when the engine was busy with it.
  sim::Interval run_gemm_redmule(std::uint64_t m, std::uint64_t n, std::uint64_t k,
                                 Precision precision, GemmOp op, std::uint64_t earliest_ps) {
    return redmule_->run(m, n, k, precision, op, earliest_ps, *tcdm_, period_);
  }
  sim::Interval run_kernel(const WorkerCores::Cost& cost, std::uint64_t earliest_ps) {
    return cores_->run(cost, earliest_ps, *tcdm_);
  }
  sim::Interval run_dma(unsigned src, unsigned dst, std::uint64_t bytes, std::uint64_t earliest_ps,
                        interconnect::Interconnect& net) {
    return dma_->run(src, dst, bytes, earliest_ps, net, period_);
  }

  void reset_stats() override;

 private:
  const sim::Time period_;
  std::unique_ptr<Tcdm> tcdm_;
  std::unique_ptr<Dma> dma_;
  std::unique_ptr<RedMulE> redmule_;
  std::unique_ptr<WorkerCores> cores_;
};

}  // namespace aimcsim::cluster
