#include "models/cluster/worker_cores.h"

#include <algorithm>
#include <stdexcept>

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
      // snitch_cluster cfg/default: three SSRs per core (num_ssrs).
      ssrs_(config.get<std::uint64_t>(
          "ssrs", 3, "stream registers per core; each further operand stream costs a load", 1, 16)),
      // ESTIMATES. Snitch has no exp/tanh or reciprocal hardware, so both are packed-SIMD
      // instruction sequences: exp as range reduction (scale by log2 e, split into integer
      // and fraction, about 3 instructions) + a degree-4 polynomial in Horner form (4 FMAs)
      // + building 2^integer into the exponent (1) = 8; a reciprocal as a linear seed (1 FMA)
      // + two Newton-Raphson steps of 2 FMAs, enough for FP16's 11-bit mantissa = 5. The
      // FPU's divsqrt unit is iterative and unpipelined: about a dozen cycles for one scalar
      // FP32 divide or square root (row statistics are kept in FP32).
      exp_ops_(config.get<std::uint64_t>(
          "exp_ops", 8, "packed FP instructions for one software exp of a vector", 1, 1000)),
      recip_ops_(config.get<std::uint64_t>(
          "recip_ops", 5, "packed FP instructions for one software reciprocal of a vector", 1,
          1000)),
      div_latency_(config.get<sim::Cycles>("div_latency", sim::Cycles{12},
                                           "cycles for one scalar FP divide or square root",
                                           sim::Cycles{1})),
      kernels_(stats().counter("kernels", "count", "kernels run")),
      flops_(stats().counter("flops", "count", "floating-point operations")),
      busy_ns_(stats().counter("busy_time", "ns", "time from kernel start to barrier")) {}

namespace {

// Halving steps of a reduction across n lanes: ceil(log2(n)).
std::uint64_t log2_ceil(std::uint64_t n) {
  std::uint64_t steps = 0;
  while ((std::uint64_t{1} << steps) < n) ++steps;
  return steps;
}

}  // namespace

WorkerCores::Cost WorkerCores::elementwise(const std::string& kernel, Pass pass,
                                           std::uint64_t elements, Precision precision) const {
  Cost c;
  c.kernel = kernel;
  c.setup_cycles = setup_.value;
  const std::uint64_t vectors = sim::ceil_div(sim::ceil_div(elements, cores_), lanes(precision));
  c.compute_cycles = vectors * slots(pass) + fpu_latency_.value + barrier_.value;
  c.tcdm_bytes = pass.streams * elements * element_bytes(precision);
  c.flops = pass.flops * elements;
  return c;
}

WorkerCores::Cost WorkerCores::row_wise(const std::string& kernel,
                                        std::initializer_list<Pass> passes,
                                        std::uint64_t reductions, std::uint64_t divides,
                                        std::uint64_t elements, std::uint64_t rows,
                                        Precision precision) const {
  if (rows == 0 || elements % rows != 0)
    throw std::logic_error(kernel + ": " + std::to_string(elements) +
                           " elements do not split into " + std::to_string(rows) + " rows");
  Cost c;
  c.kernel = kernel;
  c.setup_cycles = setup_.value;
  const std::uint64_t l = lanes(precision);
  const std::uint64_t vectors = sim::ceil_div(elements / rows, l);
  std::uint64_t row_cycles =
      reductions * (log2_ceil(l) + fpu_latency_.value) + divides * div_latency_.value;
  for (const Pass& pass : passes) {
    row_cycles += vectors * slots(pass) + fpu_latency_.value;
    c.tcdm_bytes += pass.streams * elements * element_bytes(precision);
    c.flops += pass.flops * elements;
  }
  c.compute_cycles = sim::ceil_div(rows, cores_) * row_cycles + barrier_.value;
  return c;
}

WorkerCores::Cost WorkerCores::kernel_cost(const std::string& kernel, std::uint64_t elements,
                                           std::uint64_t rows, Precision precision) const {
  const std::uint64_t e = exp_ops_, q = recip_ops_;
  // Passes as {FP instructions per vector, operand streams, FP operations per element}; the
  // header's table gives the loops.
  if (kernel == "add") return elementwise(kernel, {1, 3, 1}, elements, precision);
  if (kernel == "relu") return elementwise(kernel, {1, 2, 1}, elements, precision);
  if (kernel == "mul") return elementwise(kernel, {1, 3, 1}, elements, precision);
  if (kernel == "nonorm") return elementwise(kernel, {1, 4, 2}, elements, precision);
  if (kernel == "silu") return elementwise(kernel, {e + q + 2, 2, e + q + 2}, elements, precision);
  if (kernel == "gelu") return elementwise(kernel, {e + q + 5, 2, e + q + 6}, elements, precision);
  if (kernel == "rope") return elementwise(kernel, {2, 5, 3}, elements, precision);
  if (kernel == "softmax")
    return row_wise(kernel, {{1, 1, 1}, {e + 2, 2, e + 2}, {1, 2, 1}}, 2, 1, elements, rows,
                    precision);
  if (kernel == "layernorm")
    return row_wise(kernel, {{1, 1, 1}, {2, 1, 3}, {2, 4, 4}}, 2, 2, elements, rows, precision);
  if (kernel == "rmsnorm")
    return row_wise(kernel, {{1, 1, 2}, {2, 3, 2}}, 1, 2, elements, rows, precision);
  throw std::logic_error("unknown worker-core kernel '" + kernel + "'");
}

const std::vector<std::string>& WorkerCores::kernel_names() {
  static const std::vector<std::string> names = {"add",  "relu", "mul",     "nonorm",    "silu",
                                                 "gelu", "rope", "softmax", "layernorm", "rmsnorm"};
  return names;
}

WorkerCores::Cost WorkerCores::add_cost(std::uint64_t elements, Precision precision) const {
  return kernel_cost("add", elements, 1, precision);
}

WorkerCores::Cost WorkerCores::relu_cost(std::uint64_t elements, Precision precision) const {
  return kernel_cost("relu", elements, 1, precision);
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

sim::Interval WorkerCores::run(const Cost& cost, std::uint64_t earliest_ps, Tcdm& tcdm) {
  const auto [start, end] =
      tcdm.run_job(engine_, earliest_ps, cost.setup_cycles, cost.compute_cycles, cost.tcdm_bytes,
                   cores_ * core_port_width_.value);
  kernels_ += 1;
  flops_ += static_cast<double>(cost.flops);
  busy_ns_ += static_cast<double>(end - start) / 1000.0;
  return sim::Interval{start, end};
}

void WorkerCores::reset_stats() {
  Component::reset_stats();
  engine_.reset_stats();
}

AIMCSIM_REGISTER_MODEL("snitch_cores", "cores", WorkerCores,
                       "Snitch worker cores: SSR/FREP loop-derived kernel cycle models")

}  // namespace aimcsim::cluster
