#include "models/cluster/worker_cores.h"

#include <algorithm>

namespace aimcsim::cluster {

WorkerCores::WorkerCores(const sc_core::sc_module_name& name, sim::ConfigNode config)
    : Component(name, config),
      // snitch_cluster cfg/default: 8 compute cores, 64-bit FPU, FP16 FPU latency 1 cycle.
      cores_(config.get<std::uint64_t>("count", 8, "worker cores", 1, 64)),
      fpu_bytes_(config
                     .get<sim::Bytes>("fpu_width", sim::Bytes{8},
                                      "FPU register width (packed SIMD)", sim::Bytes{2})
                     .value),
      fpu_latency_(
          config.get<sim::Cycles>("fpu_latency", sim::Cycles{1}, "FP16 FPU pipeline depth")),
      // Estimates from the loop structure: about 20 instructions to configure the SSRs and
      // FREP of a loop nest, 10 cycles for the hardware barrier, 4 cycles of integer work
      // (store, pointer bumps, FREP re-arm) per GEMM output block.
      setup_(config.get<sim::Cycles>("setup", sim::Cycles{20},
                                     "cycles to configure SSR streams and FREP per kernel")),
      barrier_(config.get<sim::Cycles>("barrier", sim::Cycles{10},
                                       "cluster barrier at the end of a kernel")),
      loop_overhead_(config.get<sim::Cycles>("loop_overhead", sim::Cycles{4},
                                             "integer cycles per GEMM output block")),
      // Two SSR read streams and one write stream of 64 bit each.
      core_port_width_(config.get<sim::BytesPerCycle>("core_port_width", sim::BytesPerCycle{24},
                                                      "TCDM bytes per cycle per core",
                                                      sim::BytesPerCycle{1})),
      kernels_(stats().counter("kernels", "count", "kernels run")),
      flops_(stats().counter("flops", "count", "floating-point operations")),
      busy_ns_(stats().counter("busy_time", "ns", "time from kernel start to barrier")) {}

WorkerCores::Cost WorkerCores::elementwise(const char* kernel, std::uint64_t inputs,
                                           std::uint64_t elements, Precision precision) const {
  Cost c;
  c.kernel = kernel;
  c.setup_cycles = setup_.value;
  const std::uint64_t per_core = sim::ceil_div(elements, cores_);
  c.compute_cycles =
      sim::ceil_div(per_core, lanes(precision)) + fpu_latency_.value + barrier_.value;
  c.tcdm_bytes = (inputs + 1) * elements * element_bytes(precision);
  c.flops = elements;
  return c;
}

WorkerCores::Cost WorkerCores::add_cost(std::uint64_t elements, Precision precision) const {
  return elementwise("add", 2, elements, precision);
}

WorkerCores::Cost WorkerCores::relu_cost(std::uint64_t elements, Precision precision) const {
  return elementwise("relu", 1, elements, precision);
}

WorkerCores::Cost WorkerCores::gemm_cost(std::uint64_t m, std::uint64_t n, std::uint64_t k,
                                         Precision precision) const {
  Cost c;
  c.kernel = "gemm";
  c.setup_cycles = setup_.value;
  const std::uint64_t l = lanes(precision);
  const std::uint64_t blocks = sim::ceil_div(m, cores_) * sim::ceil_div(k, l);
  c.compute_cycles = blocks * (n + fpu_latency_.value + loop_overhead_.value) + barrier_.value;
  const std::uint64_t eb = element_bytes(precision);
  // Every output block streams one row of X and an N x lanes slice of W, and stores lanes.
  c.tcdm_bytes = m * sim::ceil_div(k, l) * (n + n * l + l) * eb;
  c.flops = 2 * m * n * k;
  return c;
}

std::uint64_t WorkerCores::run(const Cost& cost, std::uint64_t earliest_ps, Tcdm& tcdm) {
  const auto [start, end] =
      tcdm.run_job(engine_, earliest_ps, cost.setup_cycles, cost.compute_cycles, cost.tcdm_bytes,
                   cores_ * core_port_width_.value);
  kernels_ += 1;
  flops_ += static_cast<double>(cost.flops);
  busy_ns_ += static_cast<double>(end - start) / 1000.0;
  return end;
}

void WorkerCores::reset_stats() {
  Component::reset_stats();
  engine_.reset_stats();
}

AIMCSIM_REGISTER_MODEL("snitch_cores", "cores", WorkerCores,
                       "Snitch worker cores: SSR/FREP loop-derived kernel cycle models")

}  // namespace aimcsim::cluster
