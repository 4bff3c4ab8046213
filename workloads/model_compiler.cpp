#include "workloads/model_compiler.h"

#include "models/sim/checked.h"
#include "models/sim/errors.h"
#include "models/sim/units.h"
#include "workloads/tcdm_plan.h"

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <set>

#include <fmt/format.h>

namespace aimcsim::workloads {

cluster::Kernel kernel_of(const Op& op) {
  cluster::Kernel k;
  switch (op.kind) {
    case OpKind::norm:
    case OpKind::activation:
      if (cluster::parse_kernel(op.type, k)) return k;
      break;
    case OpKind::add:
    case OpKind::mul:
    case OpKind::rope:
      if (cluster::parse_kernel(to_string(op.kind), k)) return k;  // named like the operator
      break;
    default:
      break;
  }
  throw std::logic_error("no core kernel for " + std::string(to_string(op.kind)) + " " + op.type);
}

namespace {

constexpr std::uint64_t kActivationBytes = 2;  // FP16 activations between operators

// An operator's output, as token chunks in order, and the tasks that produce each. In count
// mode only its width and chunk size are known.
struct Produced {
  std::vector<ChunkOutput> chunks;
  std::vector<TaskId> all;  // every chunk's tasks (or one join of them)
  std::uint64_t width = 0;
  std::uint64_t chunk = 0;  // tokens in its first chunk
  void add(ChunkOutput c) {
    if (chunks.empty()) chunk = c.end - c.first;
    all.insert(all.end(), c.tasks.begin(), c.tasks.end());
    chunks.push_back(std::move(c));
  }
};

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

class Lowering {
 public:
  // count_only: plan every operator exactly as for lowering but build no task; tasks()
  // then gives how many the graph would hold.
  Lowering(const ModelDescription& model, const LoraSpec& lora, const ModelMapping& mapping,
           const PlatformShape& shape, const PipelineStrategy& strategy,
           const ModelSchedule& schedule, bool with_lora, bool names, bool count_only)
      : model_(model),
        lora_(lora),
        mapping_(mapping),
        shape_(shape),
        strategy_(strategy),
        schedule_(schedule),
        with_lora_(with_lora),
        count_only_(count_only),
        placer_(shape.clusters, shape.estimate, shape.cluster_group, mapping.cluster_load_ps) {
    out_.graph = TaskGraph(names);
    const std::uint64_t resident =
        *std::max_element(mapping.resident_bytes.begin(), mapping.resident_bytes.end());
    digital_capacity_ = shape.layer.tcdm_capacity - resident;
  }

  CompiledModel run() {
    std::map<std::string, Produced> tensors;
    tensors["input"] = embeddings();
    Produced x = section(model_.prologue, -1, std::move(tensors));
    for (std::uint64_t b = 0; b < model_.blocks; ++b) {
      std::map<std::string, Produced> t;
      t["x"] = std::move(x);
      x = section(model_.block, static_cast<int>(b), std::move(t));
    }
    return std::move(out_);
  }

  std::uint64_t tasks() const { return count_only_ ? counted_ : out_.graph.size(); }

  // The model input: each token's embedding row, fetched from the embedding table into the
  // activations' level by a system transfer (no cluster engine) when the table lives
  // elsewhere, in chunks of the first linear's; otherwise taken to be there already.
  Produced embeddings() {
    Produced input;
    input.width = model_.input_dim;
    const Endpoint from = shape_.memory.endpoint(mapping_.memory.level_of(TensorClass::embeddings));
    if (model_.vocab == 0 || from == home()) return input;
    const std::uint64_t tokens = schedule_.tokens();
    const std::uint64_t chunk =
        std::min(tokens, mapping_.linears.empty() || mapping_.linears[0].chunk == 0
                             ? tokens
                             : mapping_.linears[0].chunk);
    if (count_only_) return counted(input.width, chunk, sim::ceil_div(tokens, chunk));
    for (std::uint64_t first = 0, ci = 0; first < tokens; first += chunk, ++ci) {
      const std::uint64_t tc = std::min(chunk, tokens - first);
      const TaskId t = out_.graph.add(
          Task::stream(from, home(), tc * model_.input_dim * kActivationBytes), {},
          [ci] { return fmt::format("embeddings chunk {} to {}", ci, "activations"); });
      input.add(ChunkOutput{first, first + tc, {t}});
    }
    return input;
  }
  void reserve(std::uint64_t tasks) { out_.graph.reserve(tasks); }

 private:
  Produced section(const std::vector<Op>& ops, int block, std::map<std::string, Produced> t) {
    std::string last = t.begin()->first;  // an empty section passes its input through
    for (std::size_t i = 0; i < ops.size(); ++i) {
      const Op& op = ops[i];
      std::vector<const Produced*> in;
      for (const auto& name : op.in) in.push_back(&t.at(name));
      OpSpan span;
      span.label = block < 0 ? "prologue." + op.name : fmt::format("block{}.{}", block, op.name);
      span.kind = op.kind;
      span.block = block;
      span.first_task = out_.graph.size();
      Produced p;
      if (op.kind == OpKind::linear) {
        const Op* post = tile_post_op(ops, i);
        const Produced* residual = nullptr;
        if (post != nullptr && post->kind == OpKind::add)
          residual = &t.at(post->in[0] == op.out ? post->in[1] : post->in[0]);
        bool fused = false;
        p = linear(*in[0], span, post, residual, fused);
        if (fused) {  // the next operator is done on the tiles: record it, no tasks
          span.end_task = out_.graph.size();
          if (!count_only_) out_.ops.push_back(span);
          OpSpan on_tile;
          on_tile.label =
              block < 0 ? "prologue." + post->name : fmt::format("block{}.{}", block, post->name);
          on_tile.kind = post->kind;
          on_tile.block = block;
          on_tile.first_task = on_tile.end_task = out_.graph.size();
          on_tile.chunk = span.chunk;
          on_tile.on_tile = true;
          if (!count_only_) out_.ops.push_back(std::move(on_tile));
          if (!schedule_.streaming && !count_only_) p.all = out_.graph.shared(std::move(p.all));
          t[post->out] = std::move(p);
          last = post->out;
          ++i;
          continue;
        }
      } else if (op.kind == OpKind::attention)
        p = attention(*in[0], *in[1], *in[2], span);
      else
        p = elementwise(op, in, span);
      // Layer by layer, every consumer chunk waits for all of it: one join, not a copy each.
      if (!schedule_.streaming && !count_only_) p.all = out_.graph.shared(std::move(p.all));
      span.end_task = out_.graph.size();
      if (!count_only_) out_.ops.push_back(std::move(span));
      t[op.out] = std::move(p);
      last = op.out;
    }
    return std::move(t.at(last));
  }

  std::vector<TaskId> deps(const Produced& p, std::uint64_t first, std::uint64_t end) const {
    if (count_only_) return {};
    if (!schedule_.streaming) return p.all;
    std::vector<TaskId> d;
    auto it = std::lower_bound(p.chunks.begin(), p.chunks.end(), first,
                               [](const ChunkOutput& c, std::uint64_t v) { return c.end <= v; });
    for (; it != p.chunks.end() && it->first < end; ++it)
      d.insert(d.end(), it->tasks.begin(), it->tasks.end());
    return d;
  }

  std::uint64_t preferred_chunk(const Produced& p, std::uint64_t cap) const {
    const std::uint64_t c = schedule_.chunk ? schedule_.chunk : p.chunk ? p.chunk : cap;
    return std::min(c, cap);
  }

  // The cluster of an operator's unit `unit`, whose compute on cluster k is work(k).
  unsigned cluster_for(std::uint64_t unit, const std::function<std::vector<Task>(unsigned)>& work) {
    const unsigned k = placer_.place(unit, work);
    if (placer_.earliest()) placed_.insert(k);
    return k;
  }

  [[noreturn]] void no_fit(const OpSpan& span, const std::string& what) const {
    throw sim::UserError(fmt::format(
        "{}: {} does not fit the {} bytes of TCDM left for working sets (cluster TCDM {} bytes "
        "minus {} bytes of resident LoRA weights) at any chunk size",
        span.label, what, digital_capacity_, shape_.layer.tcdm_capacity,
        shape_.layer.tcdm_capacity - digital_capacity_));
  }

  // A Produced of count mode: tokens in chunks of `chunk`, nothing to depend on.
  Produced counted(std::uint64_t width, std::uint64_t chunk, std::uint64_t tasks) {
    counted_ = sim::add(counted_, tasks, "the model's task count");
    Produced p;
    p.width = width;
    p.chunk = chunk;
    return p;
  }

  // The element-wise operator after ops[i] that the tiles' local digital unit may apply: a
  // ReLU or a two-input add of ops[i]'s output, which nothing after it reads.
  const Op* tile_post_op(const std::vector<Op>& ops, std::size_t i) const {
    if (!shape_.elementwise_on_tile || i + 1 >= ops.size()) return nullptr;
    const Op& next = ops[i + 1];
    const std::string& y = ops[i].out;
    const bool relu = next.kind == OpKind::activation && next.type == "relu" &&
                      next.in.size() == 1 && next.in[0] == y;
    const bool add =
        next.kind == OpKind::add && next.in.size() == 2 && (next.in[0] == y) != (next.in[1] == y);
    if (!relu && !add) return nullptr;
    for (std::size_t j = i + 2; j < ops.size(); ++j)
      if (std::find(ops[j].in.begin(), ops[j].in.end(), y) != ops[j].in.end()) return nullptr;
    return &next;
  }

  // post: the operator after it that its tiles may apply (residual: an add's other operand);
  // fused tells whether they do.
  Produced linear(const Produced& in, OpSpan& span, const Op* post, const Produced* residual,
                  bool& fused) {
    const int index = next_linear_++;
    const LinearPlacement& p = mapping_.linears.at(index);
    std::uint64_t resident_others = 0;  // on its busiest cluster, beyond its own weights
    const std::uint64_t own =
        p.lora && p.lora_resident
            ? (p.d_in + p.d_out) * lora_.rank * cluster::element_bytes(lora_.precision)
            : 0;
    for (auto k : p.clusters)
      resident_others = std::max(resident_others, mapping_.resident_bytes[k] - own);
    LayerTarget target = p.target(shape_, shape_.layer.tcdm_capacity - resident_others);
    target.lora_source =
        shape_.memory.endpoint(mapping_.memory.level_of(TensorClass::lora_weights));
    target.activations = home();
    const bool lora_here = with_lora_ && p.lora;
    fused = post != nullptr &&
            LayerCompiler(p.spec(lora_, schedule_.tokens()), target, strategy_)
                .takes_tile_post_ops(std::min(p.chunk, schedule_.tokens()), lora_here);
    target.tile_relu = fused && post->kind == OpKind::activation;
    target.tile_residual = fused && post->kind == OpKind::add;
    const LayerCompiler c(p.spec(lora_, schedule_.tokens()), target, strategy_);
    span.linear = index;
    span.chunk = p.chunk;
    // The plan holds the layer's own A and B; resident ones are counted with the cluster's
    // resident bytes, not again in the working set.
    span.tcdm_bytes = c.tcdm_plan(p.chunk, with_lora_ && p.lora).bytes() - (with_lora_ ? own : 0);
    span.clusters = p.clusters;
    if (count_only_) {
      // Input joins: one per chunk at most (streaming inputs span few chunks, and layer by
      // layer the producer's single join is shared).
      const std::uint64_t chunks =
          sim::ceil_div(schedule_.tokens(), std::min(p.chunk, schedule_.tokens()));
      return counted(
          p.d_out, std::min(p.chunk, schedule_.tokens()),
          sim::add(c.task_count(p.chunk, with_lora_ && p.lora), chunks, "the model's task count"));
    }
    Produced out;
    out.width = p.d_out;
    for (auto& chunk : c.compile_into(
             out_.graph, p.chunk, with_lora_ && p.lora,
             [&](std::uint64_t a, std::uint64_t e) { return deps(in, a, e); },
             [&](std::uint64_t a, std::uint64_t e) { return deps(*residual, a, e); }))
      out.add(std::move(chunk));
    return out;
  }

  // Where activations live (memory_plan.h): L2, or the SRAM when they do not fit it.
  Endpoint home() const {
    return shape_.memory.endpoint(mapping_.memory.level_of(TensorClass::activations));
  }

  TcdmPlan plan() const { return TcdmPlan(digital_capacity_, shape_.layer.tcdm_stride); }

  Produced elementwise(const Op& op, const std::vector<const Produced*>& in, OpSpan& span) {
    const cluster::Kernel kernel = kernel_of(op);
    const bool row_wise = cluster::is_row_wise(kernel);
    const std::uint64_t width = in[0]->width, tokens = schedule_.tokens();
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
    if (count_only_) {
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
    std::vector<std::vector<std::size_t>> on_cluster(shape_.clusters);  // units, in order
    Produced out;
    out.width = width;
    TaskGraph& g = out_.graph;
    for (std::uint64_t first = 0, ci = 0; first < tokens; first += chunk, ++ci) {
      const std::uint64_t tc = std::min(chunk, tokens - first);
      ChunkOutput done{first, first + tc, {}};
      std::vector<TaskId> ready;
      for (const auto* p : in) {
        const auto d = deps(*p, first, first + tc);
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
        unit.kernel = g.add(Task::kernel_task(k, kernel, tc * sc, tc, cluster::Precision::fp16),
                            scratch_(unit.dma_in, of_older(&Unit::dma_out)),
                            named(cluster::to_string(kernel)));
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

  Produced attention(const Produced& q, const Produced& k, const Produced& v, OpSpan& span) {
    const AttentionShape& a = model_.attention;
    const std::uint64_t group = a.heads / a.kv_heads, hd = a.head_dim, eb = kActivationBytes;
    const std::uint64_t seq = schedule_.seq;
    const std::uint64_t q_len = schedule_.decode ? 1 : seq;         // query tokens per sequence
    const std::uint64_t kv_max = schedule_.decode ? seq + 1 : seq;  // keys per sequence
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
    // causality every row waits for all keys anyway), or the requested chunk.
    const std::uint64_t chunk = largest(
        schedule_.chunk ? std::min(schedule_.chunk, q_len) : q_len,
        [&](std::uint64_t c) { return plan_of(c, std::min<std::uint64_t>(kv_max, 64)).fits(); });
    if (chunk == 0) no_fit(span, fmt::format("one query row of a {}-head group", group));
    const std::uint64_t block =
        largest(kv_max, [&](std::uint64_t b) { return plan_of(chunk, b).fits(); });
    span.chunk = chunk;
    span.tcdm_bytes = plan_of(chunk, block).bytes();
    const auto kv_len_of = [&](std::uint64_t qa, std::uint64_t tc) {
      return schedule_.decode ? kv_max : a.causal ? qa + tc : seq;
    };
    if (count_only_) {
      // Per sequence, query chunk and KV head group: group Q loads, per key block a K,V load
      // and per head scores, softmax and context, group O stores.
      const char* what = "the model's task count";
      std::uint64_t per_sequence = 0;
      for (std::uint64_t qa = 0; qa < q_len; qa += chunk) {
        const std::uint64_t blocks =
            sim::ceil_div(kv_len_of(qa, std::min(chunk, q_len - qa)), block);
        per_sequence = sim::add(
            per_sequence,
            sim::mul(a.kv_heads, sim::add(2 * group, sim::mul(blocks, 1 + 3 * group, what), what),
                     what),
            what);
      }
      const std::uint64_t units =
          sim::mul(schedule_.batch * sim::ceil_div(q_len, chunk), a.kv_heads, what);
      spread(span, units);
      // and the joins of Q inputs shared by the group's heads
      return counted(a.heads * hd, std::min(chunk, q_len),
                     sim::add(sim::mul(schedule_.batch, per_sequence, what), units, what));
    }

    Produced out;
    out.width = a.heads * hd;
    TaskGraph& g = out_.graph;
    std::uint64_t unit = 0;
    for (std::uint64_t s = 0; s < schedule_.batch; ++s) {
      const std::uint64_t s0 = schedule_.decode ? s : s * seq;  // first query token
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
              return fmt::format("{} seq {} rows {}-{} kv head {} {}", span.label, s, qa,
                                 qa + tc - 1, kvh, what());
            };
          };
          const std::vector<TaskId> q_ready = g.shared(deps(q, first, end));
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
            if (!schedule_.decode) {
              d = deps(k, s0 + p0, s0 + p1);
              const auto dv = deps(v, s0 + p0, s0 + p1);
              d.insert(d.end(), dv.begin(), dv.end());
            } else if (p1 == kv_len) {  // the block with this step's new key and value
              d = deps(k, s, s + 1);
              const auto dv = deps(v, s, s + 1);
              d.insert(d.end(), dv.begin(), dv.end());
            }
            if (previous) d.push_back(*previous);
            // Decode reads the KV cache where it lives (the new key and value among it).
            const Endpoint kv_from =
                schedule_.decode
                    ? shape_.memory.endpoint(mapping_.memory.level_of(TensorClass::kv_cache))
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
              const TaskId soft = g.add(Task::kernel_task(cl, cluster::Kernel::softmax, tc * lb, tc,
                                                          cluster::Precision::fp16),
                                        {score}, head("softmax"));
              last_o[h] = g.add(Task::gemm(cl, tc, lb, hd, cluster::Precision::fp16), {soft},
                                head("context"));
              previous = last_o[h];
            }
          }
          for (std::uint64_t h = 0; h < group; ++h)
            done.tasks.push_back(
                g.add(Task::dma(cl, ep, home(), tc * hd * eb), {last_o[h]},
                      named([&, h] { return fmt::format("O head {} to L2", kvh * group + h); })));
        }
        out.add(std::move(done));
      }
    }
    spread(span, unit);
    return out;
  }

  // Records the clusters an op's units used and moves the next op's first unit along.
  void spread(OpSpan& span, std::uint64_t units) {
    if (placer_.earliest()) {
      span.clusters.assign(placed_.begin(), placed_.end());
      placed_.clear();
      return;
    }
    for (std::uint64_t u = 0; u < std::min<std::uint64_t>(units, shape_.clusters); ++u)
      span.clusters.push_back(placer_.round_robin(u));
    std::sort(span.clusters.begin(), span.clusters.end());
    placer_.next_operator();
  }

  const ModelDescription& model_;
  const LoraSpec& lora_;
  const ModelMapping& mapping_;
  const PlatformShape& shape_;
  const PipelineStrategy& strategy_;
  const ModelSchedule& schedule_;
  const bool with_lora_;
  const bool count_only_;
  std::uint64_t digital_capacity_ = 0;
  std::uint64_t counted_ = 0;
  DepScratch scratch_;
  ClusterPlacer placer_;
  std::set<unsigned> placed_;  // earliest finish: the clusters the current operator got
  int next_linear_ = 0;
  CompiledModel out_;
};

}  // namespace

CompiledModel compile_model(const ModelDescription& model, const LoraSpec& lora,
                            const ModelMapping& mapping, const PlatformShape& shape,
                            const PipelineStrategy& strategy, const ModelSchedule& schedule,
                            bool with_lora, bool names, std::uint64_t expected_tasks) {
  Lowering lowering(model, lora, mapping, shape, strategy, schedule, with_lora, names, false);
  lowering.reserve(expected_tasks);
  return lowering.run();
}

std::uint64_t count_model_tasks(const ModelDescription& model, const LoraSpec& lora,
                                const ModelMapping& mapping, const PlatformShape& shape,
                                const PipelineStrategy& strategy, const ModelSchedule& schedule,
                                bool with_lora) {
  Lowering counter(model, lora, mapping, shape, strategy, schedule, with_lora, false, true);
  counter.run();
  return counter.tasks();
}

}  // namespace aimcsim::workloads
