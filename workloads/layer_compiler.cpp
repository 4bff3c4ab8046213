#include "workloads/layer_compiler.h"

#include "models/sim/errors.h"
#include "models/sim/units.h"

#include <algorithm>
#include <optional>

#include <fmt/format.h>

namespace aimcsim::workloads {

void LayerSpec::validate() const {
  if (rank == 0) throw sim::UserError("--rank must be a positive integer, got 0");
  validate_shape();
}

void LayerSpec::validate_shape() const {
  const auto positive = [](const char* what, std::uint64_t v) {
    if (v == 0) throw sim::UserError(fmt::format("{} must be a positive integer, got 0", what));
  };
  positive("--d-in", d_in);
  positive("--d-out", d_out);
  positive("--tokens", tokens);
  if (rank > std::min(d_in, d_out))
    throw sim::UserError(fmt::format(
        "--rank {} is larger than min(d_in, d_out) = {}: a LoRA rank must not exceed the "
        "layer's dimensions",
        rank, std::min(d_in, d_out)));
}

LayerCompiler::LayerCompiler(LayerSpec spec, LayerTarget target, const PipelineStrategy& strategy)
    : spec_(std::move(spec)), target_(std::move(target)), strategy_(strategy) {
  spec_.validate_shape();
  if (target_.clusters.empty()) throw std::logic_error("a layer needs at least one cluster");
}

std::uint64_t LayerCompiler::lora_weight_bytes() const {
  return (spec_.d_in + spec_.d_out) * spec_.rank * cluster::element_bytes(spec_.precision);
}

std::uint64_t LayerCompiler::row_blocks() const {
  return sim::ceil_div(spec_.d_in, target_.tile_rows);
}
std::uint64_t LayerCompiler::col_blocks() const {
  return sim::ceil_div(spec_.d_out, target_.tile_cols);
}

TcdmPlan LayerCompiler::tcdm_plan(std::uint64_t chunk, bool with_lora) const {
  const Slices s = slices(chunk, with_lora);
  return s.sliced() ? sliced_plan(chunk, with_lora, s) : whole_plan(chunk, with_lora);
}

LayerCompiler::Slices LayerCompiler::slices(std::uint64_t chunk, bool with_lora) const {
  // Only a layer that cannot run whole with its LoRA branch even one token at a time is
  // sliced (its baseline too, so that both run the same chunk).
  if (whole_plan(chunk, with_lora).fits() || whole_plan(1, spec_.rank > 0).fits()) return {};
  Slices s{std::min(spec_.d_in, target_.tile_rows), std::min(spec_.d_out, target_.tile_cols)};
  while (!sliced_plan(chunk, with_lora, s).fits()) {
    if (s.out == 1 && s.in == 1) return {};  // nothing fits: report the whole plan
    if (s.out >= s.in)
      s.out = sim::ceil_div(s.out, 2);
    else
      s.in = sim::ceil_div(s.in, 2);
  }
  return s;
}

TcdmPlan LayerCompiler::sliced_plan(std::uint64_t chunk, bool with_lora, Slices s) const {
  TcdmPlan plan(target_.tcdm_capacity, target_.tcdm_stride);
  const std::uint64_t eb = cluster::element_bytes(spec_.precision);
  if (with_lora && spec_.rank > 0) {
    plan.add("A slice", s.in * spec_.rank * eb, 2);
    plan.add("B slice", spec_.rank * s.out * eb, 2);
    plan.add("x slice", chunk * s.in * eb, 2);
    plan.add("t", chunk * spec_.rank * eb);
    plan.add("z slice", chunk * s.out * eb, 2);
  }
  plan.add("tile_out slice", row_blocks() * chunk * s.out * target_.tile_output_bytes, 2);
  return plan;
}

TcdmPlan LayerCompiler::whole_plan(std::uint64_t chunk, bool with_lora) const {
  TcdmPlan plan(target_.tcdm_capacity, target_.tcdm_stride);
  const std::uint64_t copies = strategy_.buffer_copies();
  const std::uint64_t eb = cluster::element_bytes(spec_.precision);
  if (with_lora && spec_.rank > 0) {
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
  TaskGraph g;
  compile_into(g, chunk, with_lora,
               [](std::uint64_t, std::uint64_t) { return std::vector<std::size_t>{}; });
  return g;
}

std::vector<ChunkOutput> LayerCompiler::compile_into(TaskGraph& g, std::uint64_t chunk,
                                                     bool with_lora,
                                                     const InputDeps& input_deps) const {
  with_lora = with_lora && spec_.rank > 0;
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
                 : std::string("no chunk fits, even with the weights and outputs in slices")));
  }

  const std::uint64_t copies = strategy_.buffer_copies();
  const std::uint64_t n_clusters = target_.clusters.size();
  const std::uint64_t eb = cluster::element_bytes(spec_.precision);
  const Slices slicing = slices(chunk, with_lora);

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
  std::vector<ChunkOutput> outputs;
  std::vector<std::optional<std::size_t>> weights_loaded(n_clusters);
  // The chunk that used the same buffer before: `copies` chunks back on the same cluster.
  const auto reuse = [&](std::size_t chunk_index, auto member) -> std::vector<std::size_t> {
    if (chunk_index < copies * n_clusters) return {};
    const auto& prev = done[chunk_index - copies * n_clusters];
    if constexpr (std::is_same_v<decltype(prev.*member), const std::size_t&>)
      return {prev.*member};
    else
      return prev.*member ? std::vector<std::size_t>{*(prev.*member)} : std::vector<std::size_t>{};
  };

  const std::uint64_t chunks = sim::ceil_div(spec_.tokens, chunk);
  for (std::uint64_t ci = 0; ci < chunks; ++ci) {
    const std::uint64_t tc = std::min(chunk, spec_.tokens - ci * chunk);
    const std::string tag = fmt::format("{} chunk {}", spec_.name, ci);
    const unsigned cluster = target_.clusters[ci % n_clusters];
    const std::string cluster_ep = fmt::format("cluster{}", cluster);
    const std::uint64_t first_token = ci * chunk;
    const std::vector<std::size_t> ready = input_deps(first_token, first_token + tc);
    const auto with_ready = [&](std::vector<std::size_t> deps) {
      deps.insert(deps.end(), ready.begin(), ready.end());
      return deps;
    };
    ChunkTasks t{};

    Task in{TaskKind::stream, tag + " x to tiles", with_ready(reuse(ci, &ChunkTasks::mvm))};
    in.src = "l2";
    in.dst = "aimc";
    in.bytes = tc * spec_.d_in * target_.activation_bytes;
    t.stream_in = g.add(in);

    Task mvm{TaskKind::mvm, tag + " mvm", {t.stream_in}};
    for (auto d : reuse(ci, &ChunkTasks::stream_out)) mvm.deps.push_back(d);
    mvm.tiles = blocks;
    mvm.tokens = tc;
    t.mvm = g.add(mvm);

    if (slicing.sliced()) {
      // The cluster takes this chunk once its previous chunk has left.
      std::vector<std::size_t> after = ready;
      if (ci >= n_clusters) after.push_back(*done[ci - n_clusters].dma_out);
      const auto dma = [&](const std::string& name, std::vector<std::size_t> deps,
                           const std::string& src, const std::string& dst, std::uint64_t bytes) {
        return g.add(Task::dma(tag + " " + name, std::move(deps), cluster, src, dst, bytes));
      };
      const auto gemm = [&](const std::string& name, std::vector<std::size_t> deps, std::uint64_t m,
                            std::uint64_t n, std::uint64_t k) {
        return g.add(
            Task::gemm(tag + " " + name, std::move(deps), cluster, m, n, k, spec_.precision));
      };
      std::optional<std::size_t> t_ready;  // t = x.A complete
      std::vector<std::size_t> a_gemms;
      if (with_lora) {
        for (std::uint64_t j = 0, lo = 0; lo < spec_.d_in; ++j, lo += slicing.in) {
          const std::uint64_t w = std::min(slicing.in, spec_.d_in - lo);
          std::vector<std::size_t> free = after;  // slice buffers: two copies
          if (j >= 2) free.push_back(a_gemms[j - 2]);
          const std::size_t x =
              dma(fmt::format("x slice {} to TCDM", j), free, "l2", cluster_ep, tc * w * eb);
          const std::size_t a = dma(fmt::format("A slice {} to TCDM", j), free, "l2", cluster_ep,
                                    w * spec_.rank * eb);
          std::vector<std::size_t> deps{x, a};
          if (t_ready) deps.push_back(*t_ready);  // accumulates into t
          if (strategy_.lora_waits_for_tile()) deps.push_back(t.mvm);
          t_ready = gemm(fmt::format("lora_a slice {}", j), deps, tc, w, spec_.rank);
          a_gemms.push_back(*t_ready);
        }
      }
      ChunkOutput output{first_token, first_token + tc, {}};
      std::vector<std::size_t> slice_last;  // per output slice, its last TCDM reader
      for (std::uint64_t j = 0, lo = 0; lo < spec_.d_out; ++j, lo += slicing.out) {
        const std::uint64_t w = std::min(slicing.out, spec_.d_out - lo);
        std::vector<std::size_t> free = after;
        free.push_back(t.mvm);
        if (j >= 2) free.push_back(slice_last[j - 2]);
        Task so{TaskKind::stream, tag + fmt::format(" tile outputs slice {}", j), free};
        so.src = "aimc";
        so.dst = cluster_ep;
        so.bytes = row_blocks() * tc * w * target_.tile_output_bytes;
        const std::size_t stream = g.add(so);
        std::vector<std::size_t> add_deps{stream};
        if (with_lora) {
          std::vector<std::size_t> bfree = after;
          if (j >= 2) bfree.push_back(slice_last[j - 2]);
          const std::size_t b = dma(fmt::format("B slice {} to TCDM", j), bfree, "l2", cluster_ep,
                                    spec_.rank * w * eb);
          add_deps.push_back(
              gemm(fmt::format("lora_b slice {}", j), {*t_ready, b}, tc, spec_.rank, w));
        }
        std::size_t last = stream;
        const std::uint64_t adds = row_blocks() - 1 + (with_lora ? 1 : 0);
        if (adds > 0) {
          Task add{TaskKind::core_kernel, tag + fmt::format(" add slice {}", j), add_deps};
          add.cluster = cluster;
          add.kernel = "add";
          add.elements = adds * tc * w;
          add.precision = cluster::Precision::fp16;
          last = g.add(add);
        }
        last = dma(fmt::format("y slice {} to L2", j), {last}, cluster_ep, "l2",
                   tc * w * target_.activation_bytes);
        slice_last.push_back(last);
        output.tasks.push_back(last);
        t.stream_out = stream;
      }
      // The next chunk on this cluster waits for the last slice (slices leave in order on
      // one DMA engine).
      t.dma_out = slice_last.back();
      done.push_back(t);
      outputs.push_back(std::move(output));
      continue;
    }

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
      auto& loaded = weights_loaded[ci % n_clusters];
      if (!target_.lora_weights_resident && !loaded) {
        Task w{TaskKind::dma, fmt::format("{} LoRA weights to {}", spec_.name, cluster_ep), ready};
        w.cluster = cluster;
        w.src = "l2";
        w.dst = cluster_ep;
        w.bytes = lora_weight_bytes();
        loaded = g.add(w);
      }
      Task dma_in{TaskKind::dma, tag + " x to TCDM", with_ready(reuse(ci, &ChunkTasks::lora_a))};
      dma_in.cluster = cluster;
      dma_in.src = "l2";
      dma_in.dst = cluster_ep;
      dma_in.bytes = tc * spec_.d_in * eb;
      t.dma_in = g.add(dma_in);

      Task a{TaskKind::gemm_redmule, tag + " lora_a", {*t.dma_in}};
      if (loaded) a.deps.push_back(*loaded);
      if (strategy_.lora_waits_for_tile()) a.deps.push_back(t.mvm);
      for (auto d : reuse(ci, &ChunkTasks::lora_b)) a.deps.push_back(d);
      a.cluster = cluster;
      a.m = tc;
      a.n = spec_.d_in;
      a.k = spec_.rank;
      a.precision = spec_.precision;
      t.lora_a = g.add(a);

      Task b{TaskKind::gemm_redmule, tag + " lora_b", {*t.lora_a}};
      for (auto d : reuse(ci, &ChunkTasks::dma_out)) b.deps.push_back(d);
      b.cluster = cluster;
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
      add.cluster = cluster;
      add.kernel = "add";
      add.elements = adds * tc * spec_.d_out;
      add.precision = cluster::Precision::fp16;  // the tile outputs are FP16
      t.add = g.add(add);
    }
    Task dma_out{TaskKind::dma, tag + " y to L2", {t.add ? *t.add : t.stream_out}};
    dma_out.cluster = cluster;
    dma_out.src = cluster_ep;
    dma_out.dst = "l2";
    dma_out.bytes = tc * spec_.d_out * target_.activation_bytes;
    t.dma_out = g.add(dma_out);
    done.push_back(t);
    outputs.push_back(ChunkOutput{first_token, first_token + tc, {*t.dma_out}});
  }
  return outputs;
}

}  // namespace aimcsim::workloads
