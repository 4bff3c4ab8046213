#include "models/cluster/redmule.h"

#include "models/sim/checked.h"

#include <algorithm>

namespace aimcsim::cluster {
namespace {
// Derived from Tortorella et al., FGCS 2023 (22 nm, 0.65 V, 470 MHz): the RedMulE cluster
// reaches 755 GFLOPS/W (FP16) and 920 GFLOPS/W (FP8) on GEMMs, i.e. 2.649 and 2.174 pJ per
// FMA (2 FLOPs) for the whole cluster. Its TCDM traffic is charged by the TCDM here: on large
// GEMMs this model moves (L + H(P+1)) / (L H(P+1)) = 0.146 elements per FMA, 0.292 B in FP16
// and 0.146 B in FP8, at tcdm.e_byte = 1.25 pJ/B; what remains is the engine's:
// 2.649 - 0.365 = 2.28 pJ (FP16), 2.174 - 0.182 = 1.99 pJ (FP8).
const sim::Energy kDefaultFmaFp16 = sim::Energy::parse("2.28pJ");
const sim::Energy kDefaultFmaFp8 = sim::Energy::parse("1.99pJ");
// ESTIMATE: no published leakage; 2 % of the cluster's < 60 mW (FGCS 2023) at 0.8 V.
const sim::Power kDefaultStatic = sim::Power::parse("1.2mW");
// Tortorella et al., DATE 2022: a 32-FMA RedMulE occupies 0.07 mm2 in 22 nm; scaled by CEs to
// the default 48 (derived): 0.105 mm2.
const sim::Area kDefaultArea = sim::Area::parse("0.105mm2");
}  // namespace

RedMulE::RedMulE(const sc_core::sc_module_name& name, sim::ConfigNode config)
    : Component(name, config),
      // pulp-platform/redmule rtl/redmule_pkg.sv: ARRAY_HEIGHT = 4, PIPE_REGS = 3,
      // ARRAY_WIDTH = ARRAY_HEIGHT * PIPE_REGS = 12 -> 48 FP16 CEs.
      height_(config.get<std::uint64_t>("height", 4, "array height H (CE columns)", 1, 64)),
      pipe_regs_(config.get<std::uint64_t>("pipe_regs", 3, "CE pipeline registers P", 0, 16)),
      width_(config.get<std::uint64_t>("width", 12, "array width L (CEs per column)", 1, 256)),
      // redmule README: memory port H x (P+1) x 16 bit = 256 bit.
      port_width_(config.get<sim::BytesPerCycle>("port_width", sim::BytesPerCycle{32},
                                                 "TCDM port bytes per cycle",
                                                 sim::BytesPerCycle{1})),
      // Estimate: six memory-mapped register writes and a trigger (redmule README), about
      // two cycles each through the cluster's peripheral interconnect.
      setup_(config.get<sim::Cycles>("setup", sim::Cycles{14},
                                     "cycles for a core to program one job")),
      energy_(stats()),
      fma_fp16_(energy_.event("fma_fp16",
                              config.get<sim::Energy>("e_fma_fp16", kDefaultFmaFp16,
                                                      "energy of one FP16 FMA slot of the array"),
                              "FP16 FMA slots computed")),
      fma_fp8_(energy_.event("fma_fp8",
                             config.get<sim::Energy>("e_fma_fp8", kDefaultFmaFp8,
                                                     "energy of one FP8 FMA slot of the array"),
                             "FP8 FMA slots computed")),
      jobs_(stats().counter("jobs", "count", "GEMM jobs")),
      fmas_(stats().counter("fmas", "count", "useful multiply-accumulates")),
      busy_ns_(stats().counter("busy_time", "ns", "time from job start to job end")),
      busy_cycles_(stats().counter("busy_cycles", "cycles", "cycles from job start to job end")) {
  energy_.set_instance(
      config.get<sim::Power>("p_static", kDefaultStatic, "leakage power of the engine"),
      config.get<sim::Area>("area", kDefaultArea, "area of the engine"));
  stats().formula("utilisation", "ratio", "useful FMAs / (array FMAs x busy cycles)", [this] {
    return busy_cycles_ > 0 ? fmas_ / (busy_cycles_ * static_cast<double>(fmas_per_cycle())) : 0.0;
  });
}

RedMulE::Cost RedMulE::cost(std::uint64_t m, std::uint64_t n, std::uint64_t k,
                            Precision precision) const {
  const std::uint64_t eb = element_bytes(precision);
  const std::uint64_t tile_k = height_ * (pipe_regs_ + 1);
  const std::uint64_t steps = pipe_regs_ + 1;
  const std::uint64_t port = port_width_.value;
  const char* what = "a RedMulE job's cycles or TCDM bytes (m x n x k)";
  Cost c;
  c.setup_cycles = setup_.value;
  const std::uint64_t fill = sim::ceil_div((width_ + tile_k) * steps * eb, port);
  const std::uint64_t drain = steps + sim::ceil_div(width_ * tile_k * eb, port);
  // The tiles of Z come in at most four sizes (full or last row block x full or last column
  // block); each size is costed once and counted as often as it occurs.
  const std::uint64_t row_sizes[2] = {width_, m % width_};
  const std::uint64_t row_counts[2] = {m / width_, m % width_ != 0};
  const std::uint64_t col_sizes[2] = {tile_k, k % tile_k};
  const std::uint64_t col_counts[2] = {k / tile_k, k % tile_k != 0};
  std::uint64_t body = 0;
  for (int r = 0; r < 2; ++r) {
    for (int q = 0; q < 2; ++q) {
      const std::uint64_t count = row_counts[r] * col_counts[q];
      if (count == 0) continue;
      const std::uint64_t rows = row_sizes[r], cols = col_sizes[q];
      // X rows, the W columns of the tile and the Z tile, in elements.
      const std::uint64_t elements = sim::add(sim::mul(rows + cols, n, what), rows * cols, what);
      const std::uint64_t bytes = sim::mul(elements, eb, what);
      const std::uint64_t cycles = std::max(sim::mul(n, steps, what), sim::ceil_div(bytes, port));
      body = sim::add_mul(body, count, cycles, what);
      c.tcdm_bytes = sim::add_mul(c.tcdm_bytes, count, bytes, what);
      c.tiles += count;
      c.fma_slots = sim::add_mul(c.fma_slots, count,
                                 sim::mul(sim::mul(n, steps, what), fmas_per_cycle(), what), what);
    }
  }
  c.compute_cycles = sim::add(fill + drain, body, what);
  c.utilisation = static_cast<double>(m) * static_cast<double>(n) * static_cast<double>(k) /
                  (static_cast<double>(fmas_per_cycle()) * static_cast<double>(c.compute_cycles));
  return c;
}

sim::Interval RedMulE::run(std::uint64_t m, std::uint64_t n, std::uint64_t k, Precision precision,
                           std::uint64_t earliest_ps, Tcdm& tcdm, sim::Time period) {
  const Cost c = cost(m, n, k, precision);
  const auto [start, end] = tcdm.run_job(engine_, earliest_ps, c.setup_cycles, c.compute_cycles,
                                         c.tcdm_bytes, port_width_.value);
  jobs_ += 1;
  fmas_ += static_cast<double>(m) * static_cast<double>(n) * static_cast<double>(k);
  energy_.count(precision == Precision::fp8 ? fma_fp8_ : fma_fp16_, c.fma_slots);
  useful_fmas_ = sim::add(useful_fmas_, sim::mul(sim::mul(m, n, "FMAs"), k, "FMAs"), "FMAs");
  energy_.set_instances(1, 1);
  busy_ns_ += static_cast<double>(end - start) / 1000.0;
  busy_cycles_ += static_cast<double>((end - start) / period.ps);
  return sim::Interval{start, end};
}

void RedMulE::reset_stats() {
  Component::reset_stats();
  energy_.reset();
  energy_.set_instances(1, 0);
  useful_fmas_ = 0;
  engine_.reset_stats();
}

AIMCSIM_REGISTER_MODEL("redmule", "matrix_engine", RedMulE,
                       "RedMulE GEMM engine: L x H CEs, P+1 pipeline, tiled Z = X.W")

}  // namespace aimcsim::cluster
