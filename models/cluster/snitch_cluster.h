// A Snitch-like RISC-V cluster: worker cores, a DMA engine, the TCDM they share and a RedMulE
// GEMM engine, all on one clock. The cluster only assembles its parts and runs jobs on them;
// each part's header states its timing model. Jobs of one engine run in order; jobs of
// different engines overlap and meet in the TCDM. A cluster may have no RedMulE
// (redmule.present: false, as HARP's PMCA clusters): its GEMMs run on the worker cores
// (worker_cores.h's GEMM loop nest), and the absent engine has no area or leakage.
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
  bool has_redmule() const { return has_redmule_; }
  // Cycles of a GEMM job on the engine that runs it here, without running it.
  std::uint64_t gemm_cycles(std::uint64_t m, std::uint64_t n, std::uint64_t k, Precision precision,
                            GemmOp op) const;
  WorkerCores& cores() { return *cores_; }

  // Each runs one job on its engine and returns when the engine was busy with it. A GEMM
  // runs on RedMulE, or on the worker cores when the cluster has none.
  sim::Interval run_gemm_redmule(std::uint64_t m, std::uint64_t n, std::uint64_t k,
                                 Precision precision, GemmOp op, std::uint64_t earliest_ps) {
    if (!has_redmule_)
      return cores_->run(cores_->gemm_cost(m, n, k, precision), earliest_ps, *tcdm_);
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
  const bool has_redmule_;
  std::unique_ptr<Tcdm> tcdm_;
  std::unique_ptr<Dma> dma_;
  std::unique_ptr<RedMulE> redmule_;
  std::unique_ptr<WorkerCores> cores_;
};

}  // namespace aimcsim::cluster
