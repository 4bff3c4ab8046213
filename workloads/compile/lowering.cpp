#include "workloads/compile/lowering.h"

#include "models/sim/checked.h"
#include "models/sim/errors.h"
#include "models/sim/units.h"
#include "workloads/tcdm_plan.h"

#include <algorithm>
#include <optional>

#include <fmt/format.h>

namespace aimcsim::workloads::compile {
namespace {

// The largest n in [1, hi] with fits(n) (fits is monotone); 0 when none.
template <class Fits>
std::uint64_t largest(std::uint64_t hi, const Fits& fits) {
  std::uint64_t lo = 0;
  while (lo < hi) {
    const std::uint64_t mid = lo + (hi - lo + 1) / 2;
    if (fits(mid))
      lo = mid;
    else
      hi = mid - 1;
  }
  return lo;
}

ValueTag value_tag(ValueKind kind, const OpSpan& span, std::uint64_t first, std::uint64_t end,
                   std::uint64_t lo, std::uint64_t hi) {
  return ValueTag{kind,
                  0,
                  span.index,
                  static_cast<std::uint32_t>(first),
                  static_cast<std::uint32_t>(end),
                  static_cast<std::uint32_t>(lo),
                  static_cast<std::uint32_t>(hi)};
}

}  // namespace

OpLowering::OpLowering(const LoweringContext& c, TaskGraph& graph, const Dependencies& deps)
    : c_(c),
      graph_(graph),
      deps_(deps),
      placer_(c.shape.clusters, c.shape.estimate, c.shape.cluster_group,
              c.mapping.cluster_load_ps) {
  const std::uint64_t resident =
      *std::max_element(c.mapping.resident_bytes.begin(), c.mapping.resident_bytes.end());
  digital_capacity_ = c.shape.layer.tcdm_capacity - resident;
}

// Where activations live (memory_plan.h): L2, or the SRAM when they do not fit it.
Endpoint OpLowering::home() const {
  return c_.shape.memory.endpoint(c_.mapping.memory.level_of(TensorClass::activations));
}

TcdmPlan OpLowering::plan() const {
  return TcdmPlan(digital_capacity_, c_.shape.layer.tcdm_stride);
}

// The cluster of an operator's unit `unit`, whose compute on cluster k is work(k). A mode
// that does not spread keeps every unit on the cluster of the operator's first.
unsigned OpLowering::cluster_for(std::uint64_t unit,
                                 const std::function<std::vector<Task>(unsigned)>& work) {
  if (!c_.mode.spreads() && unit > 0) return op_cluster_;
  const unsigned k = placer_.place(unit, work);
  if (placer_.earliest()) placed_.insert(k);
  op_cluster_ = k;
  return k;
}

Produced OpLowering::embeddings() {
  Produced input;
  input.width = c_.model.input_dim;
  const Endpoint from =
      c_.shape.memory.endpoint(c_.mapping.memory.level_of(TensorClass::embeddings));
  if (c_.model.vocab == 0 || from == home()) return input;
  const std::uint64_t tokens = c_.schedule.tokens();
  const std::uint64_t chunk =
      std::min(tokens, c_.mapping.linears.empty() || c_.mapping.linears[0].chunk == 0
                           ? tokens
                           : c_.mapping.linears[0].chunk);
  if (c_.count_only) return counted(input.width, chunk, sim::ceil_div(tokens, chunk));
  for (std::uint64_t first = 0, ci = 0; first < tokens; first += chunk, ++ci) {
    const std::uint64_t tc = std::min(chunk, tokens - first);
    const TaskId t =
        graph_.add(Task::stream(from, home(), tc * c_.model.input_dim * kActivationBytes), {},
                   [ci] { return fmt::format("embeddings chunk {} to {}", ci, "activations"); });
    input.add(ChunkOutput{first, first + tc, {t}});
  }
  return input;
}

std::uint64_t OpLowering::preferred_chunk(const Produced& p, std::uint64_t cap) const {
  const std::uint64_t c = c_.schedule.chunk ? c_.schedule.chunk : p.chunk ? p.chunk : cap;
  return std::min(c, cap);
}

void OpLowering::no_fit(const OpSpan& span, const std::string& what) const {
  throw sim::UserError(fmt::format(
      "{}: {} does not fit the {} bytes of TCDM left for working sets (cluster TCDM {} bytes "
      "minus {} bytes of resident LoRA weights) at any chunk size",
      span.label, what, digital_capacity_, c_.shape.layer.tcdm_capacity,
      c_.shape.layer.tcdm_capacity - digital_capacity_));
}

// A Produced of count mode: tokens in chunks of `chunk`, nothing to depend on.
Produced OpLowering::counted(std::uint64_t width, std::uint64_t chunk, std::uint64_t tasks) {
  counted_ = sim::add(counted_, tasks, "the model's task count");
  Produced p;
  p.width = width;
  p.chunk = chunk;
  return p;
}

// post: the operator after it that its tiles may apply (residual: an add's other operand);
// fused tells whether they do.
Produced OpLowering::linear(const Produced& in, OpSpan& span, const Op* post,
                            const Produced* residual, bool& fused) {
  const int index = next_linear_++;
  const LinearPlacement& p = c_.mapping.linears.at(index);
  std::uint64_t resident_others = 0;  // on its busiest cluster, beyond its own weights
  const std::uint64_t own =
      p.lora && p.lora_resident
          ? (p.d_in + p.d_out) * c_.lora.rank * cluster::element_bytes(c_.lora.precision)
          : 0;
  for (auto k : p.clusters)
    resident_others = std::max(resident_others, c_.mapping.resident_bytes[k] - own);
  LayerTarget target = p.target(c_.shape, c_.shape.layer.tcdm_capacity - resident_others);
  target.lora_source =
      c_.shape.memory.endpoint(c_.mapping.memory.level_of(TensorClass::lora_weights));
  target.activations = home();
  target.value_op = span.index;
  const bool lora_here = c_.with_lora && p.lora;
  fused = post != nullptr &&
          LayerCompiler(p.spec(c_.lora, c_.schedule.tokens()), target, c_.strategy)
              .takes_tile_post_ops(std::min(p.chunk, c_.schedule.tokens()), lora_here);
  target.tile_relu = fused && post->kind == OpKind::activation;
  target.tile_residual = fused && post->kind == OpKind::add;
  const LayerCompiler c(p.spec(c_.lora, c_.schedule.tokens()), target, c_.strategy);
  span.linear = index;
  span.chunk = p.chunk;
  // The plan holds the layer's own A and B; resident ones are counted with the cluster's
  // resident bytes, not again in the working set.
  span.tcdm_bytes = c.tcdm_plan(p.chunk, c_.with_lora && p.lora).bytes() - (c_.with_lora ? own : 0);
  span.clusters = p.clusters;
  if (c_.count_only) {
    // Input joins: one per chunk at most (streamed inputs span few chunks, and behind a
    // barrier the producer's single join is shared).
    const std::uint64_t chunks =
        sim::ceil_div(c_.schedule.tokens(), std::min(p.chunk, c_.schedule.tokens()));
    return counted(
        p.d_out, std::min(p.chunk, c_.schedule.tokens()),
        sim::add(c.task_count(p.chunk, c_.with_lora && p.lora), chunks, "the model's task count"));
  }
  Produced out;
  out.width = p.d_out;
  for (auto& chunk : c.compile_into(
           graph_, p.chunk, c_.with_lora && p.lora,
           [&](std::uint64_t a, std::uint64_t e) { return deps_.of(in, a, e); },
           [&](std::uint64_t a, std::uint64_t e) { return deps_.of(*residual, a, e); }))
    out.add(std::move(chunk));
  return out;
}

Produced OpLowering::elementwise(const Op& op, const std::vector<const Produced*>& in,
                                 OpSpan& span) {
  const cluster::Kernel kernel = kernel_of(op);
  const bool row_wise = cluster::is_row_wise(kernel);
  const std::uint64_t width = in[0]->width, tokens = c_.schedule.tokens();
  const std::uint64_t n_in = in.size();
  const auto fits = [&](std::uint64_t c, std::uint64_t cols) {
    TcdmPlan pl = plan();
    pl.add("in", n_in * c * cols * kActivationBytes, 2);
    pl.add("out", c * cols * kActivationBytes, 2);
    return pl.fits();
  };
  // Column slices when one token's row does not fit (element-wise kernels only).
  std::uint64_t slices = 1;
  while (!fits(1, sim::ceil_div(width, slices))) {
    if (row_wise || slices >= width) no_fit(span, fmt::format("one {}-wide row", width));
    slices *= 2;
  }
  const std::uint64_t cols = sim::ceil_div(width, slices);
  slices = sim::ceil_div(width, cols);
  const std::uint64_t chunk =
      largest(preferred_chunk(*in[0], tokens), [&](std::uint64_t c) { return fits(c, cols); });
  TcdmPlan used = plan();
  used.add("in", n_in * chunk * cols * kActivationBytes, 2);
  used.add("out", chunk * cols * kActivationBytes, 2);
  span.chunk = chunk;
  span.tcdm_bytes = used.bytes();
  const std::uint64_t chunks = sim::ceil_div(tokens, chunk);
  if (c_.count_only) {
    spread(span, chunks * slices);
    // Three tasks per unit, and a join per chunk of inputs.
    return counted(width, chunk,
                   sim::add(sim::mul(3 * chunks, slices, "the model's task count"), chunks,
                            "the model's task count"));
  }

  struct Unit {
    TaskId dma_in, kernel, dma_out;
  };
  std::vector<Unit> units;
  std::vector<std::vector<std::size_t>> on_cluster(c_.shape.clusters);  // units, in order
  Produced out;
  out.width = width;
  TaskGraph& g = graph_;
  for (std::uint64_t first = 0, ci = 0; first < tokens; first += chunk, ++ci) {
    const std::uint64_t tc = std::min(chunk, tokens - first);
    ChunkOutput done{first, first + tc, {}};
    std::vector<TaskId> ready;
    for (const auto* p : in) {
      const auto d = deps_.of(*p, first, first + tc);
      ready.insert(ready.end(), d.begin(), d.end());
    }
    if (slices > 1) ready = g.shared(std::move(ready));  // read by every slice
    for (std::uint64_t si = 0; si < slices; ++si) {
      const std::uint64_t u = units.size();
      const std::uint64_t sc = std::min(cols, width - si * cols);
      const unsigned k = cluster_for(u, [&](unsigned c) {
        return std::vector<Task>{
            Task::kernel_task(c, kernel, tc * sc, tc, cluster::Precision::fp16)};
      });
      const Endpoint ep = Endpoint::cluster(k);
      const auto named = [&](const char* what) {
        return [&, what] {
          return fmt::format("{} chunk {}{} {}", span.label, ci,
                             slices > 1 ? fmt::format(" slice {}", si) : "", what);
        };
      };
      // Double buffers: the unit two before on this cluster frees them.
      const auto& mine = on_cluster[k];
      const Unit* older = mine.size() >= 2 ? &units[mine[mine.size() - 2]] : nullptr;
      const auto of_older = [&](TaskId Unit::*task) {
        return older ? std::optional<TaskId>(older->*task) : std::nullopt;
      };
      Unit unit{};
      unit.dma_in = g.add(Task::dma(k, home(), ep, n_in * tc * sc * kActivationBytes),
                          scratch_(ready, of_older(&Unit::kernel)), named("in to TCDM"));
      unit.kernel =
          g.add(Task::kernel_task(k, kernel, tc * sc, tc, cluster::Precision::fp16),
                scratch_(unit.dma_in, of_older(&Unit::dma_out)), named(cluster::to_string(kernel)));
      g.tag(unit.kernel,
            value_tag(ValueKind::kernel, span, first, first + tc, si * cols, si * cols + sc));
      unit.dma_out = g.add(Task::dma(k, ep, home(), tc * sc * kActivationBytes), {unit.kernel},
                           named("out to L2"));
      units.push_back(unit);
      on_cluster[k].push_back(u);
      done.tasks.push_back(unit.dma_out);
    }
    out.add(std::move(done));
  }
  spread(span, units.size());
  return out;
}

Produced OpLowering::attention(const Produced& q, const Produced& k, const Produced& v,
                               OpSpan& span) {
  const AttentionShape& a = c_.model.attention;
  const std::uint64_t group = a.heads / a.kv_heads, hd = a.head_dim, eb = kActivationBytes;
  const std::uint64_t seq = c_.schedule.seq;
  const std::uint64_t q_len = c_.schedule.decode ? 1 : seq;         // query tokens per sequence
  const std::uint64_t kv_max = c_.schedule.decode ? seq + 1 : seq;  // keys per sequence
  const auto plan_of = [&](std::uint64_t c, std::uint64_t b) {
    TcdmPlan pl = plan();
    pl.add("Q", group * c * hd * eb);
    pl.add("K", b * hd * eb);
    pl.add("V", b * hd * eb);
    pl.add("S", c * b * eb);
    pl.add("O", group * c * hd * eb);
    return pl;
  };
  // Query rows per job: as many as fit (RedMulE is most efficient on tall operands; without
  // causality every row waits for all keys anyway), or the requested chunk; where the mode
  // chunks attention (IL), the chunk its queries arrive in, so that the layer after it starts
  // on the first rows.
  const std::uint64_t want = c_.schedule.chunk            ? std::min(c_.schedule.chunk, q_len)
                             : c_.mode.chunks_attention() ? preferred_chunk(q, q_len)
                                                          : q_len;
  std::uint64_t chunk = largest(want, [&](std::uint64_t c) {
    return plan_of(c, std::min<std::uint64_t>(kv_max, 64)).fits();
  });
  if (chunk == 0) no_fit(span, fmt::format("one query row of a {}-head group", group));
  // standard: the scores of all keys at once (S materialised), the query chunk shrinking
  // until they fit; flash: keys in blocks with the online softmax (partial_softmax per block,
  // partial_scale of the running output before each block's P.V after the first,
  // final_scale at the end); auto: standard where S fits, flash where it does not.
  const std::string& mode = c_.schedule.attention;
  std::uint64_t block = largest(kv_max, [&](std::uint64_t b) { return plan_of(chunk, b).fits(); });
  bool flash = c_.schedule.kv_block != 0 || mode == "flash" || (mode == "auto" && block < kv_max);
  if (mode == "standard") {
    chunk = largest(want, [&](std::uint64_t c) { return plan_of(c, kv_max).fits(); });
    if (chunk == 0)
      throw sim::UserError(fmt::format(
          "{}: --attention standard: the scores of one query row over {} keys do not fit the {} "
          "bytes of TCDM left for working sets (with Q, K, V and O: {} bytes); use --attention "
          "flash or auto",
          span.label, kv_max, digital_capacity_, plan_of(1, kv_max).bytes()));
    block = kv_max;
    flash = false;
  } else if (c_.schedule.kv_block != 0) {
    block = std::min(c_.schedule.kv_block, kv_max);
    chunk = largest(chunk, [&](std::uint64_t c) { return plan_of(c, block).fits(); });
    if (chunk == 0)
      throw sim::UserError(fmt::format(
          "{}: --kv-block {}: one query row with a block of {} keys needs {} bytes of TCDM; {} "
          "are left for working sets",
          span.label, c_.schedule.kv_block, block, plan_of(1, block).bytes(), digital_capacity_));
  }
  span.attention = flash ? "flash" : "standard";
  span.kv_block = block;
  span.chunk = chunk;
  span.tcdm_bytes = plan_of(chunk, block).bytes();
  const auto kv_len_of = [&](std::uint64_t qa, std::uint64_t tc) {
    return c_.schedule.decode ? kv_max : a.causal ? qa + tc : seq;
  };
  if (c_.count_only) {
    // Per sequence, query chunk and KV head group: group Q loads, per key block a K,V load
    // and per head scores, softmax and context (flash: and a scale), group O stores.
    const char* what = "the model's task count";
    std::uint64_t per_sequence = 0;
    for (std::uint64_t qa = 0; qa < q_len; qa += chunk) {
      const std::uint64_t blocks = sim::ceil_div(kv_len_of(qa, std::min(chunk, q_len - qa)), block);
      per_sequence = sim::add(
          per_sequence,
          sim::mul(a.kv_heads,
                   sim::add(2 * group, sim::mul(blocks, 1 + (flash ? 4 : 3) * group, what), what),
                   what),
          what);
    }
    const std::uint64_t units =
        sim::mul(c_.schedule.batch * sim::ceil_div(q_len, chunk), a.kv_heads, what);
    spread(span, units);
    // and the joins of Q inputs shared by the group's heads
    return counted(a.heads * hd, std::min(chunk, q_len),
                   sim::add(sim::mul(c_.schedule.batch, per_sequence, what), units, what));
  }

  Produced out;
  out.width = a.heads * hd;
  TaskGraph& g = graph_;
  std::uint64_t unit = 0;
  for (std::uint64_t s = 0; s < c_.schedule.batch; ++s) {
    const std::uint64_t s0 = c_.schedule.decode ? s : s * seq;  // first query token
    for (std::uint64_t qa = 0; qa < q_len; qa += chunk) {
      const std::uint64_t tc = std::min(chunk, q_len - qa);
      const std::uint64_t first = s0 + qa, end = first + tc;
      const std::uint64_t kv_len = kv_len_of(qa, tc);
      ChunkOutput done{first, end, {}};
      for (std::uint64_t kvh = 0; kvh < a.kv_heads; ++kvh, ++unit) {
        // Estimated as one key block of all kv_len keys per head of the group.
        const unsigned cl = cluster_for(unit, [&](unsigned c) {
          std::vector<Task> w;
          for (std::uint64_t h = 0; h < group; ++h) {
            w.push_back(Task::gemm(c, tc, hd, kv_len, cluster::Precision::fp16));
            w.push_back(Task::kernel_task(c, cluster::Kernel::softmax, tc * kv_len, tc,
                                          cluster::Precision::fp16));
            w.push_back(Task::gemm(c, tc, kv_len, hd, cluster::Precision::fp16));
          }
          return w;
        });
        const Endpoint ep = Endpoint::cluster(cl);
        const auto named = [&](auto&& what) {
          return [&, what] {
            return fmt::format("{} seq {} rows {}-{} kv head {} {}", span.label, s, qa, qa + tc - 1,
                               kvh, what());
          };
        };
        const std::vector<TaskId> q_ready = g.shared(deps_.of(q, first, end));
        std::vector<TaskId> q_in;
        for (std::uint64_t h = 0; h < group; ++h)
          q_in.push_back(g.add(Task::dma(cl, home(), ep, tc * hd * eb), q_ready, named([&, h] {
                                 return fmt::format("Q head {} to TCDM", kvh * group + h);
                               })));
        std::vector<TaskId> last_o(group);
        std::optional<TaskId> previous;  // the last task to read the single buffers
        for (std::uint64_t p0 = 0; p0 < kv_len; p0 += block) {
          const std::uint64_t p1 = std::min(kv_len, p0 + block), lb = p1 - p0;
          std::vector<TaskId> d;
          if (!c_.schedule.decode) {
            d = deps_.of(k, s0 + p0, s0 + p1);
            const auto dv = deps_.of(v, s0 + p0, s0 + p1);
            d.insert(d.end(), dv.begin(), dv.end());
          } else if (p1 == kv_len) {  // the block with this step's new key and value
            d = deps_.of(k, s, s + 1);
            const auto dv = deps_.of(v, s, s + 1);
            d.insert(d.end(), dv.begin(), dv.end());
          }
          if (previous) d.push_back(*previous);
          // Decode reads the KV cache where it lives (the new key and value among it).
          const Endpoint kv_from =
              c_.schedule.decode
                  ? c_.shape.memory.endpoint(c_.mapping.memory.level_of(TensorClass::kv_cache))
                  : home();
          const TaskId kv =
              g.add(Task::dma(cl, kv_from, ep, 2 * lb * hd * eb), d,
                    named([&] { return fmt::format("K,V {}-{} to TCDM", p0, p1 - 1); }));
          for (std::uint64_t h = 0; h < group; ++h) {
            std::vector<TaskId> sd{kv, q_in[h]};
            if (previous) sd.push_back(*previous);  // S is single-buffered
            const auto head = [&, h](const char* what) {
              return named([&, h, what] {
                return fmt::format("head {} keys {}-{} {}", kvh * group + h, p0, p1 - 1, what);
              });
            };
            const TaskId score =
                g.add(Task::gemm(cl, tc, hd, lb, cluster::Precision::fp16), sd, head("scores"));
            const auto tagged = [&, h](TaskId id, ValueKind kind) {
              ValueTag tag = value_tag(kind, span, first, end, s0 + p0, s0 + p1);
              tag.head = static_cast<std::uint32_t>(kvh * group + h);
              g.tag(id, tag);
              return id;
            };
            tagged(score, ValueKind::scores);
            const cluster::Kernel softmax =
                flash ? cluster::Kernel::partial_softmax : cluster::Kernel::softmax;
            const TaskId soft =
                tagged(g.add(Task::kernel_task(cl, softmax, tc * lb, tc, cluster::Precision::fp16),
                             {score}, head(cluster::to_string(softmax))),
                       flash ? ValueKind::partial_softmax : ValueKind::softmax);
            std::vector<TaskId> cd{soft};
            if (flash && p0 > 0)  // the running output rescaled by exp(m_old - m_new)
              cd.push_back(tagged(g.add(Task::kernel_task(cl, cluster::Kernel::partial_scale,
                                                          tc * hd, tc, cluster::Precision::fp16),
                                        {soft, last_o[h]}, head("partial_scale")),
                                  ValueKind::partial_scale));
            last_o[h] = tagged(
                g.add(Task::gemm(cl, tc, lb, hd, cluster::Precision::fp16), cd, head("context")),
                ValueKind::context);
            previous = last_o[h];
          }
        }
        if (flash)
          for (std::uint64_t h = 0; h < group; ++h) {
            last_o[h] = g.add(Task::kernel_task(cl, cluster::Kernel::final_scale, tc * hd, tc,
                                                cluster::Precision::fp16),
                              {last_o[h]}, named([&, h] {
                                return fmt::format("head {} final_scale", kvh * group + h);
                              }));
            ValueTag tag = value_tag(ValueKind::final_scale, span, first, end, 0, 0);
            tag.head = static_cast<std::uint32_t>(kvh * group + h);
            g.tag(last_o[h], tag);
          }
        for (std::uint64_t h = 0; h < group; ++h) {
          done.tasks.push_back(
              g.add(Task::dma(cl, ep, home(), tc * hd * eb), {last_o[h]},
                    named([&, h] { return fmt::format("O head {} to L2", kvh * group + h); })));
          ValueTag tag = value_tag(ValueKind::head_out, span, first, end, 0, 0);
          tag.head = static_cast<std::uint32_t>(kvh * group + h);
          g.tag(done.tasks.back(), tag);
        }
      }
      out.add(std::move(done));
    }
  }
  spread(span, unit);
  return out;
}

void OpLowering::spread(OpSpan& span, std::uint64_t units) {
  if (placer_.earliest()) {
    span.clusters.assign(placed_.begin(), placed_.end());
    placed_.clear();
    return;
  }
  const std::uint64_t used = c_.mode.spreads() ? units : std::min<std::uint64_t>(units, 1);
  for (std::uint64_t u = 0; u < std::min<std::uint64_t>(used, c_.shape.clusters); ++u)
    span.clusters.push_back(placer_.round_robin(u));
  std::sort(span.clusters.begin(), span.clusters.end());
  placer_.next_operator();
}

}  // namespace aimcsim::workloads::compile
