#include "workloads/model_compiler.h"

#include "models/sim/checked.h"
#include "models/sim/errors.h"
#include "models/sim/units.h"
#include "workloads/compile/lowering.h"

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

using compile::Dependencies;
using compile::LoweringContext;
using compile::OpLowering;
using compile::Produced;

// Walks the model's prologue and blocks in order: each operator lowered (lowering.h) with
// what it waits for (dependencies.h), an element-wise operator its tiles apply folded into
// the linear before it, and a span recorded per operator instance.
class ModelWalk {
 public:
  ModelWalk(const LoweringContext& c, bool names, bool values)
      : c_(c), graph_(names), deps_(graph_, c.mode, c.count_only), lower_(c, graph_, deps_) {
    if (values) graph_.keep_values();
  }

  CompiledModel run() {
    std::map<std::string, Produced> tensors;
    deps_.consumer(-1, OpKind::linear);
    tensors["input"] = lower_.embeddings();
    tensors["input"].value_id = new_tensor(c_.model.input_dim);
    values_.input = tensors["input"].value_id;
    Produced x = section(c_.model.prologue, -1, std::move(tensors));
    for (std::uint64_t b = 0; b < c_.model.blocks; ++b) {
      std::map<std::string, Produced> t;
      t["x"] = std::move(x);
      x = section(c_.model.block, static_cast<int>(b), std::move(t));
    }
    values_.output = x.value_id;
    CompiledModel out;
    out.graph = std::move(graph_);
    out.ops = std::move(ops_);
    if (out.graph.has_values()) out.values = std::move(values_);
    return out;
  }

  std::uint64_t tasks() const { return c_.count_only ? lower_.counted() : graph_.size(); }
  void reserve(std::uint64_t tasks) { graph_.reserve(tasks); }

 private:
  Produced section(const std::vector<Op>& ops, int block, std::map<std::string, Produced> t) {
    std::string last = t.begin()->first;  // an empty section passes its input through
    for (std::size_t i = 0; i < ops.size(); ++i) {
      const Op& op = ops[i];
      std::vector<const Produced*> in;
      for (const auto& name : op.in) in.push_back(&t.at(name));
      OpSpan span = span_of(op, block);
      deps_.consumer(block, op.kind);
      ValueOperator value{op, block, -1, {}, 0, "", 0, false};
      for (const auto* q : in) value.in.push_back(q->value_id);
      Produced p;
      const Op* post = op.kind == OpKind::linear ? tile_post_op(ops, i) : nullptr;
      bool fused = false;
      if (op.kind == OpKind::linear) {
        const Produced* residual = nullptr;
        if (post != nullptr && post->kind == OpKind::add)
          residual = &t.at(post->in[0] == op.out ? post->in[1] : post->in[0]);
        p = lower_.linear(*in[0], span, post, residual, fused);
        value.linear = span.linear;
        if (fused) {
          value.post = post->kind == OpKind::add ? "add" : "relu";
          if (residual != nullptr) value.residual = residual->value_id;
        }
      } else if (op.kind == OpKind::attention) {
        p = lower_.attention(*in[0], *in[1], *in[2], span);
      } else {
        p = lower_.elementwise(op, in, span);
      }
      p.block = block;
      p.attention = op.kind == OpKind::attention;
      p.value_id = new_tensor(p.width);
      value.out = p.value_id;
      span.end_task = graph_.size();
      const std::uint64_t chunk = span.chunk;
      record(std::move(span), std::move(value));
      last = op.out;
      if (fused) {  // the next operator is done on the tiles: record it, no tasks
        OpSpan on_tile = span_of(*post, block);
        on_tile.first_task = on_tile.end_task = graph_.size();
        on_tile.chunk = chunk;
        on_tile.on_tile = true;
        ValueOperator applied{*post, block, -1, {}, p.value_id, "", 0, true};
        record(std::move(on_tile), std::move(applied));
        last = post->out;
        ++i;
      }
      t[last] = std::move(p);
    }
    return std::move(t.at(last));
  }

  OpSpan span_of(const Op& op, int block) const {
    OpSpan span;
    span.label = block < 0 ? "prologue." + op.name : fmt::format("block{}.{}", block, op.name);
    span.kind = op.kind;
    span.block = block;
    span.first_task = graph_.size();
    span.index = static_cast<std::uint32_t>(ops_.size());
    return span;
  }

  void record(OpSpan span, ValueOperator value) {
    if (c_.count_only) return;
    ops_.push_back(std::move(span));
    if (graph_.has_values()) values_.ops.push_back(std::move(value));
  }

  std::uint32_t new_tensor(std::uint64_t width) {
    values_.widths.push_back(width);
    return static_cast<std::uint32_t>(values_.widths.size() - 1);
  }

  // The element-wise operator after ops[i] that the tiles' local digital unit may apply: a
  // ReLU or a two-input add of ops[i]'s output, which nothing after it reads.
  const Op* tile_post_op(const std::vector<Op>& ops, std::size_t i) const {
    if (!c_.shape.elementwise_on_tile || i + 1 >= ops.size()) return nullptr;
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

  const LoweringContext& c_;
  TaskGraph graph_;
  Dependencies deps_;
  OpLowering lower_;
  std::vector<OpSpan> ops_;
  ValueProgram values_;
};

}  // namespace

CompiledModel compile_model(const ModelDescription& model, const LoraSpec& lora,
                            const ModelMapping& mapping, const PlatformShape& shape,
                            const PipelineStrategy& strategy, const ModelSchedule& schedule,
                            bool with_lora, bool names, std::uint64_t expected_tasks, bool values) {
  const auto mode = PipelineMode::make(schedule.pipeline);
  const LoweringContext c{model, lora, mapping, shape, strategy, *mode, schedule, with_lora, false};
  ModelWalk walk(c, names, values);
  walk.reserve(expected_tasks);
  return walk.run();
}

std::uint64_t count_model_tasks(const ModelDescription& model, const LoraSpec& lora,
                                const ModelMapping& mapping, const PlatformShape& shape,
                                const PipelineStrategy& strategy, const ModelSchedule& schedule,
                                bool with_lora) {
  const auto mode = PipelineMode::make(schedule.pipeline);
  const LoweringContext c{model, lora, mapping, shape, strategy, *mode, schedule, with_lora, true};
  ModelWalk counter(c, false, false);
  counter.run();
  return counter.tasks();
}

}  // namespace aimcsim::workloads
