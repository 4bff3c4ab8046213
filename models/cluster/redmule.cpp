#include "models/cluster/redmule.h"

#include "models/sim/checked.h"

#include <algorithm>
#include <stdexcept>
#include <vector>

namespace aimcsim::cluster {
namespace {
// Derived from Tortorella et al., FGCS 2023 (22 nm, 0.65 V, 470 MHz): the RedMulE cluster
// reaches 755 GFLOPS/W (FP16) and 920 GFLOPS/W (FP8) on GEMMs, i.e. 2.649 and 2.174 pJ per
// FMA (2 FLOPs) for the whole cluster. Its TCDM traffic is charged by the TCDM here: on large
// GEMMs this model moves, per output tile, N beats of W, L N/16 of X and L each of Z and Y:
// (N + L N/16 + 2 L) beats of 32 B per L x H(P+1) x N FMAs, 0.292 B per FMA for a long
// reduction N (a beat is read whole), in FP16 and in the RTL's FP8 (cast to FP16 in the
// streamer: the same beats), at tcdm.e_byte = 1.25 pJ/B; what remains is the engine's:
// 2.649 - 0.365 = 2.28 pJ (FP16), 2.174 - 0.365 = 1.81 pJ (FP8). With packed FP8
// (fp8_fmas_per_ce: 2; 12 x 32 tiles, 32 elements a beat) the TCDM carries (N + L N/32 + 2 L)
// beats per 384 N FMAs, 0.115 B per FMA, so the same paper figure would leave 2.174 - 0.143 =
// 2.03 pJ to the engine: set e_fma_fp8 = 2.03pJ with the packed mode (derived, not tuned).
const sim::Energy kDefaultFmaFp16 = sim::Energy::parse("2.28pJ");
const sim::Energy kDefaultFmaFp8 = sim::Energy::parse("1.81pJ");
// ESTIMATE: no published leakage; 2 % of the cluster's < 60 mW (FGCS 2023) at 0.8 V.
const sim::Power kDefaultStatic = sim::Power::parse("1.2mW");
// Tortorella et al., DATE 2022: a 32-FMA RedMulE occupies 0.07 mm2 in 22 nm; scaled by CEs to
// the default 48 (derived): 0.105 mm2.
const sim::Area kDefaultArea = sim::Area::parse("0.105mm2");

// The RTL's element width for strides and beats (redmule_pkg.sv BITW = 16): an FP8 operand is
// cast from the low half of a beat, so a beat carries port / 2 elements in either format
// unless the CEs compute packed FP8, when it carries port elements.
constexpr std::uint64_t kRtlElementBytes = 2;
// redmule_tiler.sv: a registered start pulse between the first multiplier and the second pair
// (2 cycles) and the latched configuration (1).
constexpr std::uint64_t kTilerRegisterStages = 3;

// One job as the RTL tiles it, and the cycles of its tiles.
struct Job {
  bool gemm;
  std::uint64_t steps;        // P + 1: cycles the array spends on one W row
  std::uint64_t lanes;        // FMAs per CE per cycle (2: packed FP8)
  std::uint64_t w_rows;       // W rows loaded per tile: N padded to a multiple of H
  std::uint64_t w_row_beats;  // beats of one W row of a tile (tile_k elements)
  std::uint64_t x_row_beats;  // beats of one X row (N elements)
  std::uint64_t z_row_beats;  // beats of one Y or Z row of a tile (tile_k elements)

  // A tile's neighbour in the order the tiler walks Z (row blocks of L rows outer, column
  // blocks of H(P+1) columns inner): its rows and columns, when there is one.
  struct Neighbour {
    bool present = false;
    std::uint64_t m = 0, k = 0;
  };
  // The cycles of one tile of m rows and k columns of Z: max(array, port, z_buffer). The
  // previous tile's Z (its m rows, its k columns to fill) is stored during this one and the
  // next tile's Y (its m rows) loaded; the first tile's X pad and Y came with the preload.
  std::uint64_t tile(std::uint64_t m, Neighbour previous, Neighbour next) const {
    const char* what = "a RedMulE tile's cycles";
    const std::uint64_t array = sim::mul(steps, w_rows, what);
    std::uint64_t port =
        sim::add(sim::mul(w_rows, w_row_beats, what), sim::mul(m, x_row_beats, what), what);
    if (!previous.present) port -= m;  // the first X pad came in with the preload
    const std::uint64_t z_store = previous.present ? previous.m * z_row_beats : 0;
    const std::uint64_t y_load = gemm && next.present ? next.m * z_row_beats : 0;
    port += z_store + y_load;
    // The Z buffer fills one array column (lanes Z columns) a cycle.
    const std::uint64_t z_fill = previous.present ? sim::ceil_div(previous.k, lanes) : 0;
    const std::uint64_t z_buffer = (previous.present ? steps + z_fill + z_store : 0) + y_load;
    return std::max({array, port, z_buffer});
  }
};

}  // namespace

RedMulE::RedMulE(const sc_core::sc_module_name& name, sim::ConfigNode config)
    : Component(name, config),
      // pulp-platform/redmule rtl/redmule_pkg.sv: ARRAY_HEIGHT = 4, PIPE_REGS = 3,
      // ARRAY_WIDTH = ARRAY_HEIGHT * PIPE_REGS = 12 -> 48 FP16 CEs.
      height_(config.get<std::uint64_t>("height", 4, "array height H (CE columns)", 1, 64)),
      pipe_regs_(config.get<std::uint64_t>("pipe_regs", 3, "CE pipeline registers P", 0, 16)),
      width_(config.get<std::uint64_t>("width", 12, "array width L (CEs per column)", 1, 256)),
      // redmule README and redmule_pkg.sv: memory port H x (P+1) x 16 bit = 256 bit of data
      // (DATA_W = 288 with 32 bits of metadata), one beat per cycle.
      port_width_(config.get<sim::BytesPerCycle>("port_width", sim::BytesPerCycle{32},
                                                 "TCDM port bytes per beat (one beat a cycle)",
                                                 sim::BytesPerCycle{2})),
      // ESTIMATE: a core's load or store to the HWPE's registers through the cluster's
      // peripheral interconnect, request and response: 2 cycles.
      register_access_(config.get<sim::Cycles>(
          "register_access", sim::Cycles{2},
          "cycles of one core access to the engine's registers (acquire, write, trigger)")),
      // redmule README / sw/redmule.c: hwpe_acquire_job (a read), six configuration writes
      // (X, W, Z pointers, MCFG0 {K, M}, MCFG1 N, MACFG), hwpe_trigger_job (a write).
      register_accesses_(config.get<std::uint64_t>(
          "register_accesses", 8, "core register accesses to program one job", 2, 64)),
      // hwpe-ctrl hwpe_ctrl_seq_mult.sv: a shift-and-add multiplier over a 16-bit operand,
      // 16 cycles; redmule_tiler.sv runs two of them one after the other.
      tiler_multiplier_(config.get<sim::Cycles>(
          "tiler_multiplier", sim::Cycles{16},
          "cycles of one of the tiler's two sequential loop-bound multipliers")),
      // 1: FP8 is storage only, as in the RTL (redmule_pkg.sv: the CEs compute FP16); 2: each
      // CE computes two FP8 FMAs a cycle on two adjacent Z columns.
      fp8_fmas_per_ce_(config.get<std::uint64_t>(
          "fp8_fmas_per_ce", 1, "FP8 FMAs one CE computes per cycle (1: as the RTL; 2: packed)", 1,
          2)),
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
      busy_cycles_(stats().counter("busy_cycles", "cycles", "cycles from job start to job end")),
      fma_capacity_(stats().counter("fma_capacity", "count",
                                    "FMAs the array could do in the busy cycles (x FP8 lanes)")) {
  energy_.set_instance(
      config.get<sim::Power>("p_static", kDefaultStatic, "leakage power of the engine"),
      config.get<sim::Area>("area", kDefaultArea, "area of the engine"));
  stats().formula("utilisation", "ratio",
                  "useful FMAs / FMA slots of the busy cycles (FP8 lanes counted)",
                  [this] { return fma_capacity_ > 0 ? fmas_ / fma_capacity_ : 0.0; });
}

RedMulE::Cost RedMulE::cost(std::uint64_t m, std::uint64_t n, std::uint64_t k, Precision precision,
                            GemmOp op) const {
  const char* what = "a RedMulE job's cycles or TCDM beats (m x n x k)";
  if (m == 0 || n == 0 || k == 0) throw std::logic_error("RedMulE::cost: an empty GEMM");
  const std::uint64_t lanes = precision == Precision::fp8 ? fp8_fmas_per_ce_ : 1;
  const std::uint64_t steps = pipe_regs_ + 1;
  const std::uint64_t tile_k = height_ * steps * lanes;
  const std::uint64_t per_beat = port_width_.value / (lanes > 1 ? 1 : kRtlElementBytes);
  const Job job{op == GemmOp::gemm,
                steps,
                lanes,
                sim::mul(sim::ceil_div(n, height_), height_, what),
                sim::ceil_div(tile_k, per_beat),
                sim::ceil_div(n, per_beat),
                sim::ceil_div(tile_k, per_beat)};
  Cost c;
  c.program_cycles = sim::mul(register_accesses_, register_access_.value, what);
  // The multipliers start on the last configuration write; the trigger follows it.
  c.tiler_cycles = std::max<std::uint64_t>(sim::add(sim::mul(2, tiler_multiplier_.value, what),
                                                    kTilerRegisterStages, what),
                                           register_access_.value) -
                   register_access_.value;
  const std::uint64_t first_m = std::min(m, width_);
  const std::uint64_t last_m = m - (sim::ceil_div(m, width_) - 1) * width_;
  const std::uint64_t last_k = k - (sim::ceil_div(k, tile_k) - 1) * tile_k;
  c.preload_cycles = first_m + (job.gemm ? first_m * job.z_row_beats : 0) + 2 * height_;
  c.drain_cycles = steps + sim::ceil_div(last_k, lanes) + last_m * job.z_row_beats + 1;

  // The tiles of Z in the tiler's order: R row blocks (the last of last_m rows) outer, C column
  // blocks (the last of last_k columns) inner. A tile's cost depends on its own rows, its
  // neighbours' sizes and whether they exist, so the tiles fall into a few classes per axis:
  // the first, the two last, and all others alike; each class is costed once.
  const std::uint64_t R = sim::ceil_div(m, width_), C = sim::ceil_div(k, tile_k);
  const auto m_of = [&](std::uint64_t i) { return i + 1 < R ? width_ : last_m; };
  const auto k_of = [&](std::uint64_t j) { return j + 1 < C ? tile_k : last_k; };
  const auto tile_at = [&](std::uint64_t i, std::uint64_t j) {
    Job::Neighbour previous, next;
    if (j > 0)
      previous = {true, m_of(i), k_of(j - 1)};
    else if (i > 0)
      previous = {true, m_of(i - 1), k_of(C - 1)};
    if (j + 1 < C)
      next = {true, m_of(i), 0};
    else if (i + 1 < R)
      next = {true, m_of(i + 1), 0};
    return job.tile(m_of(i), previous, next);
  };
  // Representative indices of 0..n-1 with how many each stands for.
  const auto classes = [](std::uint64_t n) {
    std::vector<std::pair<std::uint64_t, std::uint64_t>> out;
    for (std::uint64_t i : {std::uint64_t{0}, n - 2, n - 1})
      if (i < n && (out.empty() || out.back().first != i)) out.emplace_back(i, 1);
    if (n > 3) out.emplace_back(1, n - 3);  // 1 .. n-3 have the same neighbours' sizes
    return out;
  };
  for (const auto& [i, rows] : classes(R))
    for (const auto& [j, cols] : classes(C))
      c.tile_cycles = sim::add_mul(c.tile_cycles, sim::mul(rows, cols, what), tile_at(i, j), what);
  c.tiles = sim::mul(R, C, what);
  // TCDM beats: per tile W rows x beats, X rows x beats, Y (GEMM) and Z rows x beats.
  const std::uint64_t row_sizes[2] = {width_, m % width_};
  const std::uint64_t row_counts[2] = {m / width_, m % width_ != 0};
  const std::uint64_t col_counts[2] = {k / tile_k, k % tile_k != 0};
  for (int r = 0; r < 2; ++r)
    for (int q = 0; q < 2; ++q) {
      const std::uint64_t count = row_counts[r] * col_counts[q];
      if (count == 0) continue;
      const std::uint64_t rows = row_sizes[r];
      const std::uint64_t beats = sim::add(sim::add(sim::mul(job.w_rows, job.w_row_beats, what),
                                                    sim::mul(rows, job.x_row_beats, what), what),
                                           rows * job.z_row_beats * (job.gemm ? 2 : 1), what);
      c.beats = sim::add_mul(c.beats, count, beats, what);
    }
  c.tcdm_bytes = sim::mul(c.beats, port_width_.value, what);
  // Every CE slot of every W row's P+1 steps, padding included; packed FP8 counts its lanes.
  c.fma_slots = sim::mul(sim::mul(sim::mul(c.tiles, job.w_rows, what), steps, what),
                         fmas_per_cycle() * lanes, what);
  c.utilisation =
      static_cast<double>(m) * static_cast<double>(n) * static_cast<double>(k) /
      (static_cast<double>(fmas_per_cycle() * lanes) * static_cast<double>(c.compute_cycles()));
  return c;
}

sim::Interval RedMulE::run(std::uint64_t m, std::uint64_t n, std::uint64_t k, Precision precision,
                           GemmOp op, std::uint64_t earliest_ps, Tcdm& tcdm, sim::Time period) {
  const Cost c = cost(m, n, k, precision, op);
  const auto [start, end] = tcdm.run_job(engine_, earliest_ps, c.setup_cycles(), c.compute_cycles(),
                                         c.tcdm_bytes, port_width_.value);
  jobs_ += 1;
  fmas_ += static_cast<double>(m) * static_cast<double>(n) * static_cast<double>(k);
  energy_.count(precision == Precision::fp8 ? fma_fp8_ : fma_fp16_, c.fma_slots);
  useful_fmas_ = sim::add(useful_fmas_, sim::mul(sim::mul(m, n, "FMAs"), k, "FMAs"), "FMAs");
  energy_.set_instances(1, 1);
  busy_ns_ += static_cast<double>(end - start) / 1000.0;
  busy_cycles_ += static_cast<double>((end - start) / period.ps);
  fma_capacity_ +=
      static_cast<double>((end - start) / period.ps) *
      static_cast<double>(precision == Precision::fp8 ? fp8_fmas_per_cycle() : fmas_per_cycle());
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
                       "RedMulE GEMM engine: L x H CEs, P+1 pipeline, tiled Z = X.W + Y")

}  // namespace aimcsim::cluster
