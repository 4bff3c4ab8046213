#include "workloads/layer_compiler.h"

#include "models/sim/checked.h"
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
  const auto at_most = [](const char* what, std::uint64_t v, std::uint64_t limit) {
    if (v > limit)
      throw sim::UserError(fmt::format("{} {} is more than the limit of {}", what, v, limit));
  };
  at_most("--d-in", d_in, kMaxDimension);
  at_most("--d-out", d_out, kMaxDimension);
  at_most("--tokens", tokens, kMaxTokens);
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

TaskGraph LayerCompiler::compile(std::uint64_t chunk, bool with_lora, bool names,
                                 bool values) const {
  TaskGraph g(names);
  if (values) g.keep_values();
  compile_into(g, chunk, with_lora,
               [](std::uint64_t, std::uint64_t) { return std::vector<TaskId>{}; });
  return g;
}

std::uint64_t LayerCompiler::task_count(std::uint64_t chunk, bool with_lora) const {
  with_lora = with_lora && spec_.rank > 0;
  if (chunk == 0) return 0;
  chunk = std::min(chunk, spec_.tokens);
  const char* what = "the task count of a layer";
  const std::uint64_t chunks = sim::ceil_div(spec_.tokens, chunk);
  const std::uint64_t adds = row_blocks() - 1 + (with_lora ? 1 : 0);
  const Slices s = slices(chunk, with_lora);
  std::uint64_t per_chunk = 0;
  if (s.sliced()) {
    const std::uint64_t in_slices = sim::ceil_div(spec_.d_in, s.in);
    const std::uint64_t out_slices = sim::ceil_div(spec_.d_out, s.out);
    // stream in, mvm; per input slice x, A, gemm; per output slice stream, (B, gemm,) add, y.
    per_chunk = 2 + (with_lora ? 3 * in_slices : 0) +
                out_slices * (2 + (with_lora ? 2 : 0) + (adds > 0 ? 1 : 0));
  } else {
    // stream in, mvm, stream out, (x, lora_a, lora_b,) add, y; weights once per cluster.
    per_chunk = 4 + (with_lora ? 3 : 0) + (adds > 0 ? 1 : 0);
  }
  if (target_.tile_residual) per_chunk += 1;  // the residual streamed into the tiles
  std::uint64_t n = sim::mul(chunks, per_chunk, what);
  if (with_lora && !s.sliced() && !target_.lora_weights_resident)
    n += std::min<std::uint64_t>(chunks, target_.clusters.size());
  return n;
}

bool LayerCompiler::takes_tile_post_ops(std::uint64_t chunk, bool with_lora) const {
  // A LoRA branch is added on the cluster after the tiles; partial sums of row blocks too.
  return !(with_lora && spec_.rank > 0) && row_blocks() == 1 && !slices(chunk, false).sliced();
}

std::vector<ChunkOutput> LayerCompiler::compile_into(TaskGraph& g, std::uint64_t chunk,
                                                     bool with_lora, const InputDeps& input_deps,
                                                     const InputDeps& residual_deps) const {
  if ((target_.tile_relu || target_.tile_residual) &&
      !takes_tile_post_ops(std::min(std::max<std::uint64_t>(chunk, 1), spec_.tokens), with_lora))
    throw std::logic_error(spec_.name + ": element-wise operators on tiles that cannot take them");
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
  const std::uint64_t ab = target_.activation_bytes;
  const Slices slicing = slices(chunk, with_lora);
  const std::uint64_t adds = row_blocks() - 1 + (with_lora ? 1 : 0);
  const Task mvm_of_chunk =
      Task::mvm(target_.first_tile, spec_.d_in, spec_.d_out, 0, target_.tile_residual);

  // Per chunk, the task that last reads each buffer, so that chunk c + copies may reuse it.
  struct ChunkTasks {
    TaskId stream_in, mvm, stream_out;
    std::optional<TaskId> dma_in, lora_a, lora_b, add, dma_out;
  };
  std::vector<ChunkTasks> done;
  std::vector<ChunkOutput> outputs;
  std::vector<std::optional<TaskId>> weights_loaded(n_clusters);
  // The chunk that used the same buffer before: `copies` chunks back on the same cluster.
  const auto reuse = [&](std::size_t chunk_index, auto member) -> std::optional<TaskId> {
    if (chunk_index < copies * n_clusters) return std::nullopt;
    return done[chunk_index - copies * n_clusters].*member;
  };
  DepScratch deps;
  const auto tag = [&](TaskId id, ValueKind kind, std::uint64_t first, std::uint64_t end,
                       std::uint64_t lo, std::uint64_t hi) {
    g.tag(id, ValueTag{kind, 0, target_.value_op, static_cast<std::uint32_t>(first),
                       static_cast<std::uint32_t>(end), static_cast<std::uint32_t>(lo),
                       static_cast<std::uint32_t>(hi)});
  };

  const std::uint64_t chunks = sim::ceil_div(spec_.tokens, chunk);
  for (std::uint64_t ci = 0; ci < chunks; ++ci) {
    const std::uint64_t tc = std::min(chunk, spec_.tokens - ci * chunk);
    const std::string label = g.has_names() ? fmt::format("{} chunk {}", spec_.name, ci) : "";
    const auto named = [&label](const char* what) {
      return [&label, what] { return label + " " + what; };
    };
    const unsigned cluster = target_.clusters[ci % n_clusters];
    const Endpoint cluster_ep = Endpoint::cluster(cluster);
    const std::uint64_t first_token = ci * chunk;
    // The chunk's inputs, shared by several of its tasks: one join when they are many.
    const std::vector<TaskId> ready = g.shared(input_deps(first_token, first_token + tc));
    ChunkTasks t{};

    t.stream_in = g.add(Task::stream(target_.activations, Endpoint::aimc(), tc * spec_.d_in * ab),
                        deps(reuse(ci, &ChunkTasks::mvm), ready), named("x to tiles"));
    std::optional<TaskId> residual;  // into the tiles' input buffers beside x
    if (target_.tile_residual)
      residual = g.add(Task::stream(target_.activations, Endpoint::aimc(), tc * spec_.d_out * ab),
                       deps(t.stream_in, residual_deps(first_token, first_token + tc)),
                       named("residual to tiles"));
    Task mvm = mvm_of_chunk;
    mvm.op[3] = tc;
    t.mvm =
        g.add(mvm, deps(t.stream_in, residual, reuse(ci, &ChunkTasks::stream_out)), named("mvm"));
    const std::uint64_t end_token = first_token + tc;
    tag(t.mvm, ValueKind::tile_mvm, first_token, end_token, 0, spec_.d_out);

    if (slicing.sliced()) {
      // The cluster takes this chunk once its previous chunk has left.
      std::vector<TaskId> after = ready;
      if (ci >= n_clusters) after.push_back(*done[ci - n_clusters].dma_out);
      after = g.shared(after);
      const auto sliced_name = [&label](const char* what, std::uint64_t j) {
        return [&label, what, j] { return fmt::format("{} {} {}", label, what, j); };
      };
      std::optional<TaskId> t_ready;  // t = x.A complete
      std::vector<TaskId> a_gemms;
      if (with_lora) {
        for (std::uint64_t j = 0, lo = 0; lo < spec_.d_in; ++j, lo += slicing.in) {
          const std::uint64_t w = std::min(slicing.in, spec_.d_in - lo);
          // Slice buffers: two copies.
          const std::optional<TaskId> older =
              j >= 2 ? std::optional<TaskId>(a_gemms[j - 2]) : std::nullopt;
          const TaskId x = g.add(Task::dma(cluster, target_.activations, cluster_ep, tc * w * eb),
                                 deps(after, older), sliced_name("x slice to TCDM", j));
          const TaskId a =
              g.add(Task::dma(cluster, target_.lora_source, cluster_ep, w * spec_.rank * eb),
                    deps(after, older), sliced_name("A slice to TCDM", j));
          const std::optional<TaskId> tile =  // accumulates into t (after the tile, serial)
              strategy_.lora_waits_for_tile() ? std::optional<TaskId>(t.mvm) : std::nullopt;
          t_ready = g.add(Task::gemm(cluster, tc, w, spec_.rank, spec_.precision),
                          deps(x, a, t_ready, tile), sliced_name("lora_a slice", j));
          tag(*t_ready, ValueKind::lora_a, first_token, end_token, lo, lo + w);
          a_gemms.push_back(*t_ready);
        }
      }
      ChunkOutput output{first_token, first_token + tc, {}};
      std::vector<TaskId> slice_last;  // per output slice, its last TCDM reader
      for (std::uint64_t j = 0, lo = 0; lo < spec_.d_out; ++j, lo += slicing.out) {
        const std::uint64_t w = std::min(slicing.out, spec_.d_out - lo);
        const std::optional<TaskId> older =
            j >= 2 ? std::optional<TaskId>(slice_last[j - 2]) : std::nullopt;
        const TaskId stream =
            g.add(Task::stream(Endpoint::aimc(), cluster_ep,
                               row_blocks() * tc * w * target_.tile_output_bytes),
                  deps(after, t.mvm, older), sliced_name("tile outputs slice", j));
        std::optional<TaskId> lora_b;
        if (with_lora) {
          const TaskId b =
              g.add(Task::dma(cluster, target_.lora_source, cluster_ep, spec_.rank * w * eb),
                    deps(after, older), sliced_name("B slice to TCDM", j));
          lora_b = g.add(Task::gemm(cluster, tc, spec_.rank, w, spec_.precision), {*t_ready, b},
                         sliced_name("lora_b slice", j));
          tag(*lora_b, ValueKind::lora_b, first_token, end_token, lo, lo + w);
        }
        TaskId last = stream;
        if (adds > 0) {
          last = g.add(Task::kernel_task(cluster, cluster::Kernel::add, adds * tc * w, 1,
                                         cluster::Precision::fp16),
                       deps(stream, lora_b), sliced_name("add slice", j));
          tag(last, ValueKind::sum, first_token, end_token, lo, lo + w);
        }
        last = g.add(Task::dma(cluster, cluster_ep, target_.activations, tc * w * ab), {last},
                     sliced_name("y slice to L2", j));
        tag(last, ValueKind::store, first_token, end_token, lo, lo + w);
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

    // The tile outputs' TCDM buffer is free once the add has read it (LoRA: the sum goes to
    // z) or once the outputs (partial sums added in place) have left for L2.
    t.stream_out =
        g.add(Task::stream(Endpoint::aimc(), cluster_ep,
                           row_blocks() * tc * spec_.d_out * target_.tile_output_bytes),
              deps(t.mvm, reuse(ci, with_lora ? &ChunkTasks::add : &ChunkTasks::dma_out)),
              named("tile outputs"));

    if (with_lora) {
      auto& loaded = weights_loaded[ci % n_clusters];
      if (!target_.lora_weights_resident && !loaded)
        loaded = g.add(
            Task::dma(cluster, target_.lora_source, cluster_ep, lora_weight_bytes()), ready, [&] {
              return fmt::format("{} LoRA weights to {}", spec_.name, to_string(cluster_ep));
            });
      t.dma_in = g.add(Task::dma(cluster, target_.activations, cluster_ep, tc * spec_.d_in * eb),
                       deps(reuse(ci, &ChunkTasks::lora_a), ready), named("x to TCDM"));
      const std::optional<TaskId> tile =
          strategy_.lora_waits_for_tile() ? std::optional<TaskId>(t.mvm) : std::nullopt;
      t.lora_a =
          g.add(Task::gemm(cluster, tc, spec_.d_in, spec_.rank, spec_.precision),
                deps(*t.dma_in, loaded, tile, reuse(ci, &ChunkTasks::lora_b)), named("lora_a"));
      t.lora_b = g.add(Task::gemm(cluster, tc, spec_.rank, spec_.d_out, spec_.precision),
                       deps(*t.lora_a, reuse(ci, &ChunkTasks::dma_out)), named("lora_b"));
      tag(*t.lora_a, ValueKind::lora_a, first_token, end_token, 0, spec_.d_in);
      tag(*t.lora_b, ValueKind::lora_b, first_token, end_token, 0, spec_.d_out);
    }
    if (adds > 0) {  // the tile outputs are FP16
      t.add = g.add(Task::kernel_task(cluster, cluster::Kernel::add, adds * tc * spec_.d_out, 1,
                                      cluster::Precision::fp16),
                    deps(t.stream_out, t.lora_b), named("add"));
      tag(*t.add, ValueKind::sum, first_token, end_token, 0, spec_.d_out);
    }
    t.dma_out = g.add(Task::dma(cluster, cluster_ep, target_.activations, tc * spec_.d_out * ab),
                      {t.add ? *t.add : t.stream_out}, named("y to L2"));
    tag(*t.dma_out, ValueKind::store, first_token, end_token, 0, spec_.d_out);
    done.push_back(t);
    outputs.push_back(ChunkOutput{first_token, first_token + tc, {*t.dma_out}});
  }
  return outputs;
}

}  // namespace aimcsim::workloads
