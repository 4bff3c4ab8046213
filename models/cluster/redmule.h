// RedMulE, the cluster's GEMM engine (Tortorella et al., DATE 2022 / FGCS 2023), attached to
// the TCDM as an HWPE. Convention (as in the RTL): Z(M x K) = X(M x N) . W(N x K) [+ Y].
// Array: H columns of L CEs, each pipelined over P+1 stages: one output tile is L rows by
// H(P+1) columns of Z. Cycle model of one job, term by term after pulp-platform/redmule (RTL
// master @51cd064: redmule_tiler.sv, redmule_scheduler.sv, redmule_memory_scheduler.sv):
//   program   a core writes the job: acquire, 6 registers, trigger (8 register accesses);
//   tiler     loop bounds from two sequential 16-cycle multipliers started by the last
//             register write; the trigger write hides part of them;
//   preload   the first X pad (one beat per row) and, for a GEMM, the first Y tile (one beat
//             per row) over the single port, then the X buffer's 2H-cycle fast fill;
//   tiles     each tile takes max(array, port, z_buffer):
//             array    one W row every P+1 cycles, N padded to a multiple of H;
//             port     one beat per X, W, Y or Z row however narrow the row (a rank-8 row of
//                      FP16 costs a whole 256-bit beat); X is re-read for every column tile;
//                      the tile moves its W and X, the previous tile's Z and the next Y;
//             z_buffer the single Z buffer turns around between tiles: the array's last
//                      result (P+1), its fill (k columns), the Z store (m beats), then the next
//                      tile's Y load (m beats, GEMM only) must fit inside the tile;
//   drain     the pipeline empties (P+1), the last Z tile fills (k) and is stored (m beats),
//             then the end-of-job event (1).
// A GEMM (Z = X.W + Y, Y read in place from Z) streams Y; a MATMUL does not.
// FP8 is a storage format in the RTL: the streamer casts 16 FP8 elements of a beat to FP16 and
// the CEs compute FP16, so FP8 takes the same beats and cycles as FP16 (fp8_fmas_per_ce = 2
// models the FGCS 2023 FP8 figure instead, see redmule.cpp).
// TCDM: every beat reads or writes a whole port width, booked at the job's average rate; when
// other initiators leave too little bandwidth the job ends later.
// Energy: e_fma_fp16 or e_fma_fp8 per FMA slot the array computes (L x H CEs in every cycle of
// every W row, padded rows and columns of thin operands included); TCDM traffic is charged by
// the TCDM. Leakage and area per engine.
// Simplifications: a tile's neighbours are taken to have its own size (exact except across
// the border of a partial row or column block); programming the next job does not overlap the
// running one; TCDM latency and FIFO depths are not modelled; idle CEs are not clock-gated.
#pragma once

#include "models/cluster/precision.h"
#include "models/cluster/tcdm.h"
#include "models/sim/component.h"
#include "models/sim/energy.h"

namespace aimcsim::cluster {

// RedMulE's operations: GEMM streams Y (Z = X.W + Z in place), MATMUL does not (Z = X.W).
enum class GemmOp { gemm, matmul };
inline const char* to_string(GemmOp op) {
  return op == GemmOp::gemm ? "gemm" : "matmul";
}

class RedMulE : public sim::Component {
 public:
  RedMulE(const sc_core::sc_module_name& name, sim::ConfigNode config);

  struct Cost {
    // Before the array starts (the engine is reserved from the first register access).
    std::uint64_t program_cycles = 0;  // the core's register accesses
    std::uint64_t tiler_cycles = 0;    // loop-bound multipliers not hidden by the trigger
    // From the start to the end-of-job event.
    std::uint64_t preload_cycles = 0;
    std::uint64_t tile_cycles = 0;  // sum over the tiles of max(array, port, z_buffer)
    std::uint64_t drain_cycles = 0;
    std::uint64_t tiles = 0;
    std::uint64_t beats = 0;       // TCDM beats of X, W, Y and Z
    std::uint64_t tcdm_bytes = 0;  // beats x port width
    std::uint64_t fma_slots = 0;   // L x H per cycle of every W row's P+1 steps
    double utilisation = 0;        // useful FMAs / (L x H x compute cycles)
    std::uint64_t setup_cycles() const { return program_cycles + tiler_cycles; }
    std::uint64_t compute_cycles() const { return preload_cycles + tile_cycles + drain_cycles; }
    std::uint64_t total() const { return setup_cycles() + compute_cycles(); }
  };
  // The closed-form cost of one uncontended job.
  Cost cost(std::uint64_t m, std::uint64_t n, std::uint64_t k, Precision precision,
            GemmOp op = GemmOp::gemm) const;

  // Runs one job on tcdm from earliest_ps (after the previous job); returns when it started
  // (programming included) and ended.
  sim::Interval run(std::uint64_t m, std::uint64_t n, std::uint64_t k, Precision precision,
                    GemmOp op, std::uint64_t earliest_ps, Tcdm& tcdm, sim::Time period);

  std::uint64_t fmas_per_cycle() const { return width_ * height_; }
  // FMAs per cycle in FP8 (fmas_per_cycle, or twice it with fp8_fmas_per_ce = 2).
  std::uint64_t fp8_fmas_per_cycle() const { return fmas_per_cycle() * fp8_fmas_per_ce_; }
  sim::EnergyBook& energy() { return energy_; }
  std::uint64_t fmas() const { return useful_fmas_; }
  void reset_stats() override;

 private:
  const std::uint64_t height_, pipe_regs_, width_;
  const sim::BytesPerCycle port_width_;
  const sim::Cycles register_access_;
  const std::uint64_t register_accesses_;
  const sim::Cycles tiler_multiplier_;
  const std::uint64_t fp8_fmas_per_ce_;
  sim::OccupancyResource engine_;
  sim::EnergyBook energy_;
  sim::EnergyBook::EventId fma_fp16_, fma_fp8_;
  std::uint64_t useful_fmas_ = 0;
  double& jobs_;
  double& fmas_;
  double& busy_ns_;
  double& busy_cycles_;
  double& fma_capacity_;  // FMA slots of the busy cycles (twice the CEs for packed FP8)
};

}  // namespace aimcsim::cluster
