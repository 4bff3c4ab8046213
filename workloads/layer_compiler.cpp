#include "workloads/layer_compiler.h"

#include "models/sim/errors.h"
#include "models/sim/units.h"

#include <algorithm>
#include <optional>

#include <fmt/format.h>

namespace aimcsim::workloads {

void LayerSpec::validate() const {
  const auto positive = [](const char* what, std::uint64_t v) {
    if (v == 0) throw sim::UserError(fmt::format("{} must be a positive integer, got 0", what));
  };
  positive("--d-in", d_in);
  positive("--d-out", d_out);
  positive("--rank", rank);
  positive("--tokens", tokens);
  if (rank > std::min(d_in, d_out))
    throw sim::UserError(fmt::format(
        "--rank {} is larger than min(d_in, d_out) = {}: a LoRA rank must not exceed the "
        "layer's dimensions",
        rank, std::min(d_in, d_out)));
}

LayerCompiler::LayerCompiler(LayerSpec spec, LayerTarget target, const PipelineStrategy& strategy)
    : spec_(std::move(spec)), target_(target), strategy_(strategy) {
  spec_.validate();
}

std::uint64_t LayerCompiler::row_blocks() const {
  return sim::ceil_div(spec_.d_in, target_.tile_rows);
}
std::uint64_t LayerCompiler::col_blocks() const {
  return sim::ceil_div(spec_.d_out, target_.tile_cols);
}

TcdmPlan LayerCompiler::tcdm_plan(std::uint64_t chunk, bool with_lora) const {
  TcdmPlan plan(target_.tcdm_capacity, target_.tcdm_stride);
  const std::uint64_t copies = strategy_.buffer_copies();
  const std::uint64_t eb = cluster::element_bytes(spec_.precision);
  if (with_lora) {
    plan.add("A", spec_.d_in * spec_.rank * eb);
    plan.add("B", spec_.rank * spec_.d_out * eb);
    plan.add("x", chunk * spec_.d_in * eb, copies);
    plan.add("t", chunk * spec_.rank * eb, copies);
    plan.add("z", chunk * spec_.d_out * eb, copies);
  }
  plan.add("tile_out", row_blocks() * chunk * spec_.d_out * target_.tile_output_bytes, copies);
  return plan;
}

std::uint64_t LayerCompiler::largest_fitting_chunk(bool with_lora) const {
  std::uint64_t lo = 0, hi = spec_.tokens;
  while (lo < hi) {  // the plan grows with the chunk: binary search
    const std::uint64_t mid = (lo + hi + 1) / 2;
    if (tcdm_plan(mid, with_lora).fits())
      lo = mid;
    else
      hi = mid - 1;
  }
  return lo;
}

TaskGraph LayerCompiler::compile(std::uint64_t chunk, bool with_lora) const {
  if (chunk == 0) throw sim::UserError("--chunk must be a positive integer, got 0");
  chunk = std::min(chunk, spec_.tokens);
  const TcdmPlan plan = tcdm_plan(chunk, with_lora);
  if (!plan.fits()) {
    const std::uint64_t best = largest_fitting_chunk(with_lora);
    throw sim::UserError(fmt::format(
        "{} {}->{}: the working set at chunk {} is {} bytes ({}), more than the TCDM's {} bytes; "
        "{}",
        spec_.name, spec_.d_in, spec_.d_out, chunk, plan.bytes(), plan.breakdown(), plan.capacity(),
        best > 0 ? fmt::format("the largest chunk that fits is {}", best)
                 : std::string("no chunk fits: the LoRA weights alone exceed the TCDM")));
  }

  const std::string cluster_ep = fmt::format("cluster{}", target_.cluster);
  const std::uint64_t copies = strategy_.buffer_copies();
  const std::uint64_t eb = cluster::element_bytes(spec_.precision);

  std::vector<TileBlock> blocks;
  for (std::uint64_t r = 0; r < row_blocks(); ++r)
    for (std::uint64_t c = 0; c < col_blocks(); ++c)
      blocks.push_back(TileBlock{target_.first_tile + r * col_blocks() + c,
                                 std::min(target_.tile_rows, spec_.d_in - r * target_.tile_rows),
                                 std::min(target_.tile_cols, spec_.d_out - c * target_.tile_cols)});

  // Per chunk, the task that last reads each buffer, so that chunk c + copies may reuse it.
  struct ChunkTasks {
    std::size_t stream_in, mvm, stream_out;
    std::optional<std::size_t> dma_in, lora_a, lora_b, add, dma_out;
  };
  std::vector<ChunkTasks> done;
  TaskGraph g;
  const auto reuse = [&](std::size_t chunk_index, auto member) -> std::vector<std::size_t> {
    if (chunk_index < copies) return {};
    const auto& prev = done[chunk_index - copies];
    if constexpr (std::is_same_v<decltype(prev.*member), const std::size_t&>)
      return {prev.*member};
    else
      return prev.*member ? std::vector<std::size_t>{*(prev.*member)} : std::vector<std::size_t>{};
  };

  const std::uint64_t chunks = sim::ceil_div(spec_.tokens, chunk);
  for (std::uint64_t ci = 0; ci < chunks; ++ci) {
    const std::uint64_t tc = std::min(chunk, spec_.tokens - ci * chunk);
    const std::string tag = fmt::format("{} chunk {}", spec_.name, ci);
    ChunkTasks t{};

    Task in{TaskKind::stream, tag + " x to tiles", reuse(ci, &ChunkTasks::mvm)};
    in.src = "l2";
    in.dst = "aimc";
    in.bytes = tc * spec_.d_in * target_.activation_bytes;
    t.stream_in = g.add(in);

    Task mvm{TaskKind::mvm, tag + " mvm", {t.stream_in}};
    for (auto d : reuse(ci, &ChunkTasks::stream_out)) mvm.deps.push_back(d);
    mvm.tiles = blocks;
    mvm.tokens = tc;
    t.mvm = g.add(mvm);

    Task out{TaskKind::stream, tag + " tile outputs", {t.mvm}};
    // The tile outputs' TCDM buffer is free once the add has read it (LoRA: the sum goes to
    // z) or once the outputs (partial sums added in place) have left for L2.
    for (auto d : reuse(ci, with_lora ? &ChunkTasks::add : &ChunkTasks::dma_out))
      out.deps.push_back(d);
    out.src = "aimc";
    out.dst = cluster_ep;
    out.bytes = row_blocks() * tc * spec_.d_out * target_.tile_output_bytes;
    t.stream_out = g.add(out);

    std::vector<std::size_t> add_deps{t.stream_out};
    if (with_lora) {
      Task dma_in{TaskKind::dma, tag + " x to TCDM", reuse(ci, &ChunkTasks::lora_a)};
      dma_in.cluster = target_.cluster;
      dma_in.src = "l2";
      dma_in.dst = cluster_ep;
      dma_in.bytes = tc * spec_.d_in * eb;
      t.dma_in = g.add(dma_in);

      Task a{TaskKind::gemm_redmule, tag + " lora_a", {*t.dma_in}};
      if (strategy_.lora_waits_for_tile()) a.deps.push_back(t.mvm);
      for (auto d : reuse(ci, &ChunkTasks::lora_b)) a.deps.push_back(d);
      a.cluster = target_.cluster;
      a.m = tc;
      a.n = spec_.d_in;
      a.k = spec_.rank;
      a.precision = spec_.precision;
      t.lora_a = g.add(a);

      Task b{TaskKind::gemm_redmule, tag + " lora_b", {*t.lora_a}};
      for (auto d : reuse(ci, &ChunkTasks::dma_out)) b.deps.push_back(d);
      b.cluster = target_.cluster;
      b.m = tc;
      b.n = spec_.rank;
      b.k = spec_.d_out;
      b.precision = spec_.precision;
      t.lora_b = g.add(b);
      add_deps.push_back(*t.lora_b);
    }
    const std::uint64_t adds = row_blocks() - 1 + (with_lora ? 1 : 0);
    if (adds > 0) {
      Task add{TaskKind::core_kernel, tag + " add", add_deps};
      add.cluster = target_.cluster;
      add.kernel = "add";
      add.elements = adds * tc * spec_.d_out;
      add.precision = cluster::Precision::fp16;  // the tile outputs are FP16
      t.add = g.add(add);
    }
    Task dma_out{TaskKind::dma, tag + " y to L2", {t.add ? *t.add : t.stream_out}};
    dma_out.cluster = target_.cluster;
    dma_out.src = cluster_ep;
    dma_out.dst = "l2";
    dma_out.bytes = tc * spec_.d_out * target_.activation_bytes;
    t.dma_out = g.add(dma_out);
    done.push_back(t);
  }
  return g;
}

}  // namespace aimcsim::workloads
