// The cluster's worker cores (Snitch: RV32 + FPU with SSR stream registers and FREP loops)
// running software kernels, work split evenly over the cores. Cycle models follow each
// kernel's loop nest with SSR-fed FREP inner loops issuing one packed-SIMD FP instruction per
// cycle (64-bit FPU: 4 FP16 or 8 FP8 lanes):
//   elementwise (add, relu): setup + ceil(ceil(N/cores)/lanes) + fpu_latency + barrier
//   gemm Z(MxK)=X(MxN).W(NxK): setup + ceil(M/cores) x ceil(K/lanes) x
//                              (N + fpu_latency + loop_overhead) + barrier
// `setup` is configuring the SSR streams and FREP of the kernel; `barrier` the cluster
// barrier at its end. TCDM traffic is booked at the kernel's average rate, at most
// cores x core_port_width; a stalled kernel ends later.
// Simplification: all cores start and finish together (even split, shared barrier).
#pragma once

#include "models/cluster/precision.h"
#include "models/cluster/tcdm.h"
#include "models/sim/component.h"

#include <string>

namespace aimcsim::cluster {

class WorkerCores : public sim::Component {
 public:
  WorkerCores(const sc_core::sc_module_name& name, sim::ConfigNode config);

  struct Cost {
    std::string kernel;
    std::uint64_t setup_cycles = 0;
    std::uint64_t compute_cycles = 0;  // loop nest + barrier
    std::uint64_t tcdm_bytes = 0;
    std::uint64_t flops = 0;
    std::uint64_t total() const { return setup_cycles + compute_cycles; }
  };
  // Z = X + Y over elements (also the partial-sum and LoRA adds).
  Cost add_cost(std::uint64_t elements, Precision precision) const;
  Cost relu_cost(std::uint64_t elements, Precision precision) const;
  Cost gemm_cost(std::uint64_t m, std::uint64_t n, std::uint64_t k, Precision precision) const;

  // Runs one kernel from earliest_ps (after the previous one); returns its end time.
  std::uint64_t run(const Cost& cost, std::uint64_t earliest_ps, Tcdm& tcdm);

  std::uint64_t cores() const { return cores_; }
  void reset_stats() override;

 private:
  Cost elementwise(const char* kernel, std::uint64_t inputs, std::uint64_t elements,
                   Precision precision) const;
  std::uint64_t lanes(Precision precision) const { return fpu_bytes_ / element_bytes(precision); }

  const std::uint64_t cores_;
  const std::uint64_t fpu_bytes_;
  const sim::Cycles fpu_latency_, setup_, barrier_, loop_overhead_;
  const sim::BytesPerCycle core_port_width_;
  sim::OccupancyResource engine_;
  double& kernels_;
  double& flops_;
  double& busy_ns_;
};

}  // namespace aimcsim::cluster
