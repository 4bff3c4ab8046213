// RedMulE, the cluster's GEMM engine (Tortorella et al., DATE 2022 / FGCS 2023), attached to
// the TCDM as an HWPE. Convention: Z(M x K) = X(M x N) . W(N x K).
// Array: `height` (H) columns of `width` (L) CEs, each CE pipelined over P+1 stages, so one
// output tile is L rows of Z by H(P+1) columns, and each of the N steps of a tile keeps the
// array busy P+1 cycles (L x H FMAs per cycle). Cycle model of one job:
//   setup (core programs the registers) + fill (first X/W slices) +
//   sum over ceil(M/L) x ceil(K/H(P+1)) tiles of max(N(P+1), TCDM beats of the tile) +
//   drain (P+1 pipeline stages + store of the last Z tile).
// Thin operands (K < H(P+1), M < L) still occupy a whole tile: that is the under-use of rank
// 8/16 LoRA matrices. TCDM traffic is booked at the job's average rate (at most the port
// width); when other initiators leave too little bandwidth the job ends later.
// Energy: e_fma_fp16 or e_fma_fp8 per FMA slot the array computes (L x H CEs in every cycle
// of a tile's N(P+1) steps: the padded slots of thin operands cost like useful ones); its TCDM
// traffic is charged by the TCDM. Leakage and area per engine.
// Simplifications: FP8 halves memory traffic but not compute (the CEs compute in FP16); idle
// CEs are not clock-gated.
#pragma once

#include "models/cluster/precision.h"
#include "models/cluster/tcdm.h"
#include "models/sim/component.h"
#include "models/sim/energy.h"

namespace aimcsim::cluster {

class RedMulE : public sim::Component {
 public:
  RedMulE(const sc_core::sc_module_name& name, sim::ConfigNode config);

  struct Cost {
    std::uint64_t setup_cycles = 0;    // register programming by a core
    std::uint64_t compute_cycles = 0;  // fill + tiles + drain, from start to last store
    std::uint64_t tcdm_bytes = 0;      // X, W read and Z written
    std::uint64_t tiles = 0;
    std::uint64_t fma_slots = 0;  // L x H per cycle of every tile's N(P+1) steps
    double utilisation = 0;       // useful FMAs / (L x H x compute_cycles)
    std::uint64_t total() const { return setup_cycles + compute_cycles; }
  };
  // The closed-form cost of one uncontended job.
  Cost cost(std::uint64_t m, std::uint64_t n, std::uint64_t k, Precision precision) const;

  // Runs one job on tcdm from earliest_ps (after the previous job); returns when it started
  // (setup included) and ended.
  sim::Interval run(std::uint64_t m, std::uint64_t n, std::uint64_t k, Precision precision,
                    std::uint64_t earliest_ps, Tcdm& tcdm, sim::Time period);

  std::uint64_t fmas_per_cycle() const { return width_ * height_; }
  sim::EnergyBook& energy() { return energy_; }
  std::uint64_t fmas() const { return useful_fmas_; }
  void reset_stats() override;

 private:
  const std::uint64_t height_, pipe_regs_, width_;
  const sim::BytesPerCycle port_width_;
  const sim::Cycles setup_;
  sim::OccupancyResource engine_;
  sim::EnergyBook energy_;
  sim::EnergyBook::EventId fma_fp16_, fma_fp8_;
  std::uint64_t useful_fmas_ = 0;
  double& jobs_;
  double& fmas_;
  double& busy_ns_;
  double& busy_cycles_;
};

}  // namespace aimcsim::cluster
