#include "models/cluster/worker_cores.h"

#include "models/sim/checked.h"

#include <algorithm>
#include <stdexcept>

namespace aimcsim::cluster {
namespace {
// ESTIMATE from Horowitz, ISSCC 2014 (45 nm, 0.9 V; secondary transcriptions): an FP16 add
// 0.4 pJ and multiply 1.1 pJ, so a packed 4-lane FP16 FMA is about 4 x 1.5 = 6 pJ (not scaled
// to 22 nm: an upper bound).
const sim::Energy kDefaultFpInstruction = sim::Energy::parse("6pJ");
// ESTIMATE: a Snitch core is 10 kGE (Zaruba et al., IEEE TC 2021) with a small instruction
// cache; about 4 pJ a cycle for fetch, decode, register file and the stream registers.
const sim::Energy kDefaultCoreCycle = sim::Energy::parse("4pJ");
// ESTIMATE: no published leakage; 0.5 mW a core with its FPU.
const sim::Power kDefaultStatic = sim::Power::parse("0.5mW");
// Derived: an 8-core RedMulE cluster is about 0.5 mm2 in 22 nm (RedMulE's 0.07 mm2 is 14 %,
// Tortorella et al., DATE 2022); without RedMulE (0.07 mm2) and the 128 KiB TCDM (0.2 mm2,
// tcdm.cpp) 0.23 mm2 remains: 0.029 mm2 a core with its share of the cluster's interconnect.
const sim::Area kDefaultArea = sim::Area::parse("0.029mm2");
}  // namespace

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
      // From the loop structure (snitch_cluster sw/snRuntime ssr.h, one instruction a cycle):
      // an SSR of a 2-D loop is configured with 4 bound/stride writes and a pointer write
      // (scfgwi), 5 instructions, so a kernel's 3 SSRs take 15, plus enabling and disabling
      // them (csrsi, csrci) and the FREP (1): about 20. (snitch_cluster's FP64 GEMM kernel
      // configures 3-D/4-D streams: 21 scfgwi once, then 3 pointer writes and an enable per
      // call, 25 instructions for a first call.) ESTIMATES: 10 cycles for the hardware
      // barrier; 4 cycles of integer work (store, pointer bumps, FREP re-arm, branch) per GEMM
      // output block, which the SSR/FREP inner loop does not hide. Cross-check
      // (configs/validation/published.yaml): a 64^3 GEMM keeps the FPU busy 92.4 % of its
      // cycles against Occamy's 89 % on dense linear algebra, and 98.1 % without the
      // loop overhead against the 96.1-99.4 % of clusters with zero-overhead loop nests.
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
      energy_(stats()),
      core_cycles_(energy_.event(
          "core_cycles",
          config.get<sim::Energy>("e_core_cycle", kDefaultCoreCycle,
                                  "energy of one core for one cycle of a kernel (setup to "
                                  "barrier): fetch, decode, integer pipeline, stream registers"),
          "core cycles of kernels (cores x kernel cycles)")),
      fp_instructions_(energy_.event(
          "fp_instructions",
          config.get<sim::Energy>("e_fp_instruction", kDefaultFpInstruction,
                                  "energy of one packed-SIMD FP instruction in the FPU"),
          "packed-SIMD FP instructions issued")),
      kernels_(stats().counter("kernels", "count", "kernels run")),
      flops_(stats().counter("flops", "count", "floating-point operations")),
      busy_ns_(stats().counter("busy_time", "ns", "time from kernel start to barrier")) {
  const char* what = "cluster.cores.p_static or area x count";
  const auto leakage =
      config.get<sim::Power>("p_static", kDefaultStatic, "leakage power of one core with its FPU");
  const auto area = config.get<sim::Area>("area", kDefaultArea, "area of one core with its FPU");
  energy_.set_instance(sim::Power{sim::mul(leakage.uw, cores_, what)},
                       sim::Area{sim::mul(area.nm2, cores_, what)});
}

namespace {

// Halving steps of a reduction across n lanes: ceil(log2(n)).
std::uint64_t log2_ceil(std::uint64_t n) {
  std::uint64_t steps = 0;
  while ((std::uint64_t{1} << steps) < n) ++steps;
  return steps;
}

}  // namespace

const char* to_string(Kernel kernel) {
  static constexpr const char* names[] = {
      "add",     "relu",      "mul",     "nonorm",          "silu",          "gelu",        "rope",
      "softmax", "layernorm", "rmsnorm", "partial_softmax", "partial_scale", "final_scale", "gemm"};
  return names[static_cast<int>(kernel)];
}

bool parse_kernel(const std::string& text, Kernel& out) {
  for (int k = 0; k <= static_cast<int>(Kernel::gemm); ++k) {
    if (text == to_string(static_cast<Kernel>(k))) {
      out = static_cast<Kernel>(k);
      return true;
    }
  }
  return false;
}

bool is_row_wise(Kernel kernel) {
  return kernel == Kernel::softmax || kernel == Kernel::layernorm || kernel == Kernel::rmsnorm ||
         kernel == Kernel::partial_softmax || kernel == Kernel::partial_scale ||
         kernel == Kernel::final_scale;
}

WorkerCores::Cost WorkerCores::elementwise(Kernel kernel, Pass pass, std::uint64_t elements,
                                           Precision precision) const {
  Cost c;
  c.kernel = kernel;
  c.setup_cycles = setup_.value;
  const char* what = "a worker-core kernel's cycles or bytes (elements)";
  const std::uint64_t vectors = sim::ceil_div(sim::ceil_div(elements, cores_), lanes(precision));
  c.compute_cycles =
      sim::add(sim::mul(vectors, slots(pass), what), fpu_latency_.value + barrier_.value, what);
  c.tcdm_bytes = sim::mul(sim::mul(pass.streams, elements, what), element_bytes(precision), what);
  c.flops = sim::mul(pass.flops, elements, what);
  c.fp_instructions = sim::mul(sim::ceil_div(elements, lanes(precision)), pass.ops, what);
  return c;
}

WorkerCores::Cost WorkerCores::row_wise(Kernel kernel, std::initializer_list<Pass> passes,
                                        std::uint64_t reductions, std::uint64_t divides,
                                        std::uint64_t elements, std::uint64_t rows,
                                        Precision precision, std::uint64_t exps) const {
  if (rows == 0 || elements % rows != 0)
    throw std::logic_error(std::string(to_string(kernel)) + ": " + std::to_string(elements) +
                           " elements do not split into " + std::to_string(rows) + " rows");
  Cost c;
  c.kernel = kernel;
  c.setup_cycles = setup_.value;
  const char* what = "a worker-core kernel's cycles or bytes (elements x rows)";
  const std::uint64_t l = lanes(precision);
  const std::uint64_t vectors = sim::ceil_div(elements / rows, l);
  std::uint64_t row_cycles = sim::add(sim::mul(reductions, log2_ceil(l) + fpu_latency_.value, what),
                                      sim::mul(divides, div_latency_.value, what), what);
  // A scalar exp: its instruction sequence, one after another, then the FPU's latency.
  row_cycles = sim::add(row_cycles, sim::mul(exps, exp_ops_ + fpu_latency_.value, what), what);
  // Per row: the reduction steps and the divides, then each pass's vectors.
  c.fp_instructions = sim::mul(rows, reductions * log2_ceil(l) + divides, what);
  for (const Pass& pass : passes) {
    row_cycles = sim::add(
        row_cycles, sim::add(sim::mul(vectors, slots(pass), what), fpu_latency_.value, what), what);
    c.tcdm_bytes = sim::add(
        c.tcdm_bytes,
        sim::mul(sim::mul(pass.streams, elements, what), element_bytes(precision), what), what);
    c.flops = sim::add(c.flops, sim::mul(pass.flops, elements, what), what);
    c.fp_instructions =
        sim::add_mul(c.fp_instructions, sim::mul(rows, vectors, what), pass.ops, what);
  }
  c.compute_cycles =
      sim::add(sim::mul(sim::ceil_div(rows, cores_), row_cycles, what), barrier_.value, what);
  return c;
}

WorkerCores::Cost WorkerCores::kernel_cost(Kernel kernel, std::uint64_t elements,
                                           std::uint64_t rows, Precision precision) const {
  const std::uint64_t e = exp_ops_, q = recip_ops_;
  // Passes as {FP instructions per vector, operand streams, FP operations per element}; the
  // header's table gives the loops.
  switch (kernel) {
    case Kernel::add:
    case Kernel::mul:
      return elementwise(kernel, {1, 3, 1}, elements, precision);
    case Kernel::relu:
      return elementwise(kernel, {1, 2, 1}, elements, precision);
    case Kernel::nonorm:
      return elementwise(kernel, {1, 4, 2}, elements, precision);
    case Kernel::silu:
      return elementwise(kernel, {e + q + 2, 2, e + q + 2}, elements, precision);
    case Kernel::gelu:
      return elementwise(kernel, {e + q + 5, 2, e + q + 6}, elements, precision);
    case Kernel::rope:
      return elementwise(kernel, {2, 5, 3}, elements, precision);
    case Kernel::softmax:
      return row_wise(kernel, {{1, 1, 1}, {e + 2, 2, e + 2}, {1, 2, 1}}, 2, 1, elements, rows,
                      precision);
    case Kernel::layernorm:
      return row_wise(kernel, {{1, 1, 1}, {2, 1, 3}, {2, 4, 4}}, 2, 2, elements, rows, precision);
    case Kernel::rmsnorm:
      return row_wise(kernel, {{1, 1, 2}, {2, 3, 2}}, 1, 2, elements, rows, precision);
    case Kernel::partial_softmax:
      return row_wise(kernel, {{1, 1, 1}, {e + 2, 2, e + 2}}, 2, 0, elements, rows, precision, 1);
    case Kernel::partial_scale:
      return row_wise(kernel, {{1, 2, 1}}, 0, 0, elements, rows, precision);
    case Kernel::final_scale:
      return row_wise(kernel, {{1, 2, 1}}, 0, 1, elements, rows, precision);
    case Kernel::gemm:
      break;
  }
  throw std::logic_error("kernel_cost: gemm takes m, n, k: use gemm_cost");
}

WorkerCores::Cost WorkerCores::kernel_cost(const std::string& kernel, std::uint64_t elements,
                                           std::uint64_t rows, Precision precision) const {
  Kernel k;
  if (!parse_kernel(kernel, k) || k == Kernel::gemm)
    throw std::logic_error("unknown worker-core kernel '" + kernel + "'");
  return kernel_cost(k, elements, rows, precision);
}

std::uint64_t WorkerCores::operand_bytes(Kernel kernel, std::uint64_t elements, std::uint64_t rows,
                                         Precision precision) {
  const char* what = "a kernel's operand bytes";
  const std::uint64_t width = rows ? elements / rows : elements;  // a row's elements
  // Full-size tensors, and per-column parameter vectors (gamma, beta) of one row's width.
  std::uint64_t tensors = 2, vectors = 0;  // X and Z
  switch (kernel) {
    case Kernel::add:
    case Kernel::mul:
      tensors = 3;  // X, Y, Z
      break;
    case Kernel::rope:
      tensors = 4;  // X, cos, sin, Z
      break;
    case Kernel::nonorm:
    case Kernel::layernorm:
      vectors = 2;  // gamma, beta
      break;
    case Kernel::rmsnorm:
      vectors = 1;  // gamma
      break;
    default:
      break;
  }
  const std::uint64_t elems =
      sim::add(sim::mul(tensors, elements, what), sim::mul(vectors, width, what), what);
  return sim::mul(elems, element_bytes(precision), what);
}

const std::vector<std::string>& WorkerCores::kernel_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (int k = 0; k < static_cast<int>(Kernel::gemm); ++k)
      v.push_back(to_string(static_cast<Kernel>(k)));
    return v;
  }();
  return names;
}

WorkerCores::Cost WorkerCores::add_cost(std::uint64_t elements, Precision precision) const {
  return kernel_cost(Kernel::add, elements, 1, precision);
}

WorkerCores::Cost WorkerCores::relu_cost(std::uint64_t elements, Precision precision) const {
  return kernel_cost(Kernel::relu, elements, 1, precision);
}

WorkerCores::Cost WorkerCores::gemm_cost(std::uint64_t m, std::uint64_t n, std::uint64_t k,
                                         Precision precision) const {
  Cost c;
  c.kernel = Kernel::gemm;
  c.setup_cycles = setup_.value;
  const char* what = "a GEMM's cycles or bytes on the worker cores (m x n x k)";
  const std::uint64_t l = lanes(precision);
  const std::uint64_t blocks = sim::mul(sim::ceil_div(m, cores_), sim::ceil_div(k, l), what);
  c.compute_cycles =
      sim::add(sim::mul(blocks, sim::add(n, fpu_latency_.value + loop_overhead_.value, what), what),
               barrier_.value, what);
  const std::uint64_t eb = element_bytes(precision);
  // Every output block streams one row of X and an N x lanes slice of W, and stores lanes.
  const std::uint64_t per_block = sim::add(sim::mul(n, l + 1, what), l, what);
  c.tcdm_bytes =
      sim::mul(sim::mul(sim::mul(m, sim::ceil_div(k, l), what), per_block, what), eb, what);
  c.flops = sim::mul(sim::mul(sim::mul(2, m, what), n, what), k, what);
  // One packed FMA per element of N for every lanes-wide output block.
  c.fp_instructions = sim::mul(sim::mul(m, sim::ceil_div(k, l), what), n, what);
  return c;
}

sim::Interval WorkerCores::run(const Cost& cost, std::uint64_t earliest_ps, Tcdm& tcdm) {
  const auto [start, end] =
      tcdm.run_job(engine_, earliest_ps, cost.setup_cycles, cost.compute_cycles, cost.tcdm_bytes,
                   cores_ * core_port_width_.value);
  kernels_ += 1;
  flops_ += static_cast<double>(cost.flops);
  flop_count_ = sim::add(flop_count_, cost.flops, "FP operations of the worker cores");
  energy_.count(core_cycles_, sim::mul(cores_, cost.total(), "core cycles of a kernel"));
  energy_.count(fp_instructions_, cost.fp_instructions);
  energy_.set_instances(1, 1);
  busy_ns_ += static_cast<double>(end - start) / 1000.0;
  return sim::Interval{start, end};
}

void WorkerCores::reset_stats() {
  Component::reset_stats();
  energy_.reset();
  energy_.set_instances(1, 0);
  flop_count_ = 0;
  engine_.reset_stats();
}

AIMCSIM_REGISTER_MODEL("snitch_cores", "cores", WorkerCores,
                       "Snitch worker cores: SSR/FREP loop-derived kernel cycle models")

}  // namespace aimcsim::cluster
