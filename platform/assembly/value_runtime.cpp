#include "platform/assembly/value_runtime.h"

#include "models/sim/errors.h"
#include "models/sim/random.h"
#include "models/sim/units.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace aimcsim::platform {

using cluster::ValueFormat;
using Eigen::Index;
using Eigen::MatrixXf;
using workloads::ValueKind;
using workloads::ValueOperator;
using workloads::ValueTag;

namespace {

Index ix(std::uint64_t v) {
  return static_cast<Index>(v);
}

float layernorm_eps(const std::string& model_type) {
  return model_type == "bert" || model_type == "mobilebert" ? 1e-12f : 1e-5f;
}

// The column offsets of q, k and v in their tensors: one fused tensor (GPT-2's c_attn) holds
// q, then k, then v.
struct QkvOffsets {
  Index q = 0, k = 0, v = 0;
};
QkvOffsets qkv_offsets(const ValueOperator& op, const workloads::AttentionShape& a) {
  QkvOffsets o;
  const Index q_width = ix(a.heads * a.head_dim), kv_width = ix(a.kv_heads * a.head_dim);
  if (op.in[1] == op.in[0]) o.k = q_width;
  if (op.in[2] == op.in[1])
    o.v = o.k + kv_width;
  else if (op.in[2] == op.in[0])
    o.v = q_width;
  return o;
}

// Per query row: the index within keys [lo, ...) of the last key it may see.
Eigen::VectorXi key_limits(std::uint64_t first, std::uint64_t end, std::uint64_t lo,
                           std::uint64_t seq, bool causal) {
  Eigen::VectorXi limit(ix(end - first));
  for (std::uint64_t t = first; t < end; ++t) {
    const std::uint64_t s0 = t - t % seq;
    limit(ix(t - first)) = causal ? static_cast<int>(static_cast<std::int64_t>(t - s0) -
                                                     static_cast<std::int64_t>(lo - s0))
                                  : cluster::kNoMask;
  }
  return limit;
}

cluster::NormParams norm_params(const workloads::NormValues& v, const ValueSettings& s) {
  cluster::NormParams p;
  p.gamma = v.gamma;
  p.beta = v.beta;
  p.eps = layernorm_eps(s.model_type);
  return p;
}

// An element-wise, norm or rope operator on tokens [first, end), columns [lo, hi).
MatrixXf operator_values(ValueModel& m, std::uint32_t op_index, const ValueOperator& op,
                         const std::vector<MatrixXf>& t, std::uint64_t first, std::uint64_t end,
                         std::uint64_t lo, std::uint64_t hi, ValueFormat fmt) {
  const Index rows = ix(end - first), c0 = ix(lo), cols = ix(hi - lo);
  const auto in = [&](std::size_t k) { return t[op.in.at(k)].block(ix(first), c0, rows, cols); };
  switch (op.op.kind) {
    case workloads::OpKind::norm: {
      auto& nv = m.norm(op_index, op, t[op.in[0]].cols());
      return cluster::norm_values(op.op.type, in(0), norm_params(nv, m.settings()), lo, fmt);
    }
    case workloads::OpKind::activation:
      return cluster::elementwise_values(op.op.type, in(0), nullptr, fmt);
    case workloads::OpKind::add:
    case workloads::OpKind::mul: {
      const MatrixXf b = in(1);
      return cluster::elementwise_values(workloads::to_string(op.op.kind), in(0), &b, fmt);
    }
    case workloads::OpKind::rope: {
      Eigen::VectorXi positions(rows);
      for (Index r = 0; r < rows; ++r)
        positions(r) = static_cast<int>((first + static_cast<std::uint64_t>(r)) % m.settings().seq);
      const MatrixXf full = cluster::rope_values(t[op.in[0]].middleRows(ix(first), rows), positions,
                                                 m.settings().attention.head_dim, fmt);
      return full.middleCols(c0, cols);
    }
    default:
      throw std::logic_error("operator_values: not an element-wise operator");
  }
}

// The FP32 output of linear i on input x (its post operator applied, residual the add's other
// operand), with or without its LoRA branch.
MatrixXf linear_reference(ValueModel& m, std::size_t i, const MatrixXf& x, bool with_lora,
                          const std::string& post, const MatrixXf* residual) {
  const ValueModel::Linear& l = m.linear(i);
  MatrixXf y = x * l.w.w;
  if (l.w.bias.size() > 0) y.rowwise() += l.w.bias.transpose();
  if (with_lora && l.lora.a.size() > 0) y += (x * l.lora.a) * l.lora.b;
  if (post == "relu") y = y.cwiseMax(0.0f);
  if (post == "add") y += *residual;
  return y;
}

}  // namespace

cluster::ValueFormat ValueSettings::activations() const {
  return ideal ? ValueFormat::fp32 : ValueFormat::fp16;
}

ValueError ValueError::of(const MatrixXf& got, const MatrixXf& reference) {
  ValueError e;
  const double ref = static_cast<double>(reference.cast<double>().norm());
  const double err = static_cast<double>((got - reference).cast<double>().norm());
  e.rel_rms = ref > 0 ? err / ref : (err > 0 ? INFINITY : 0.0);
  e.snr_db = err > 0 ? 20.0 * std::log10(ref / err) : INFINITY;
  return e;
}

nlohmann::ordered_json ValueError::json() const {
  // JSON has no infinity: an exact result has no SNR (null) and error 0.
  nlohmann::ordered_json j;
  j["rel_rms_error"] = std::isfinite(rel_rms) ? nlohmann::ordered_json(rel_rms) : nullptr;
  j["snr_db"] = std::isfinite(snr_db) ? nlohmann::ordered_json(snr_db) : nullptr;
  return j;
}

ValueModel::ValueModel(ValueSettings settings, const workloads::ModelWeights& weights,
                       std::vector<LinearSite> linears)
    : s_(std::move(settings)),
      weights_(weights),
      sites_(std::move(linears)),
      tiles_(s_.ideal ? s_.tiles.idealised() : s_.tiles),
      programmed_(sites_.size()) {}

const ValueModel::Linear& ValueModel::linear(std::size_t i) {
  if (programmed_.at(i)) return *programmed_[i];
  const LinearSite& site = sites_[i];
  auto l = std::make_unique<Linear>();
  l->w = site.block == -1 && site.module == "layer"
             ? weights_.named_linear(site.label, site.d_in, site.d_out)
             : weights_.linear(site.block, site.module, site.d_in, site.d_out);
  if (site.lora && s_.lora_rank > 0)
    l->lora = site.block == -1 && site.module == "layer"
                  ? weights_.named_lora(site.label, site.d_in, site.d_out, s_.lora_rank)
                  : weights_.lora(site.block, site.module, site.d_in, site.d_out, s_.lora_rank);
  const aimc::TileArithmetic& a = tiles_.arithmetic();
  const std::uint64_t R = a.rows, C = a.cols;
  l->row_blocks = sim::ceil_div(site.d_in, R);
  l->col_blocks = sim::ceil_div(site.d_out, C);
  const std::uint64_t seed = sim::stream_seed(weights_.seed(), "program/" + site.label);
  const aimc::DeviceDraws draws = aimc::DeviceDraws::draw(
      site.d_in, site.d_out, seed, a.pcm.programming_noise && !a.ideal, a.pcm.drift && !a.ideal);
  const bool single_plane = l->row_blocks == 1 && l->col_blocks == 1;
  for (std::uint64_t r = 0; r < l->row_blocks; ++r)
    for (std::uint64_t c = 0; c < l->col_blocks; ++c) {
      const std::uint64_t rows = std::min(R, site.d_in - r * R);
      const std::uint64_t cols = std::min(C, site.d_out - c * C);
      const std::uint64_t row0 = single_plane ? site.row_offset : 0;
      const std::uint64_t col0 = single_plane ? site.col_offset : 0;
      const std::uint64_t tile = site.first_tile + r * l->col_blocks + c;
      // No two blocks may share cells of one tile and tier: the mapping's promise.
      auto& taken = occupied_[{tile, site.tier}];
      for (const Rect& o : taken)
        if (row0 < o.r1 && o.r0 < row0 + rows && col0 < o.c1 && o.c0 < col0 + cols)
          throw std::logic_error(fmt::format("mapping error: {} and {} overlap on tile {} tier {}",
                                             site.label, sites_[o.linear].label, tile, site.tier));
      taken.push_back(Rect{row0, row0 + rows, col0, col0 + cols, i});
      l->blocks.push_back(tiles_.program(
          l->w.w.block(ix(r * R), ix(c * C), ix(rows), ix(cols)), row0, col0, draws, r * R, c * C,
          sim::stream_seed(sim::stream_seed(weights_.seed(), "adc/" + site.label),
                           r * l->col_blocks + c)));
    }
  programmed_[i] = std::move(l);
  return *programmed_[i];
}

workloads::NormValues& ValueModel::norm(std::uint32_t op, const ValueOperator& v,
                                        std::uint64_t width) {
  const auto it = norms_.find(op);
  if (it != norms_.end()) return it->second;
  return norms_[op] = weights_.norm(v.block, v.op.name, v.op.type, width);
}

std::vector<MatrixXf> reference_values(const workloads::ValueProgram& p, ValueModel& m,
                                       bool with_lora) {
  const ValueSettings& s = m.settings();
  std::vector<MatrixXf> t(p.widths.size());
  t[p.input] = m.weights().input(s.tokens, p.widths[p.input]);
  for (std::uint32_t k = 0; k < p.ops.size(); ++k) {
    const ValueOperator& op = p.ops[k];
    if (op.on_tile) continue;  // folded into the linear before it
    MatrixXf& out = t[op.out];
    const MatrixXf& x = t[op.in.at(0)];
    switch (op.op.kind) {
      case workloads::OpKind::linear:
        out = linear_reference(m, static_cast<std::size_t>(op.linear), x, with_lora, op.post,
                               op.post == "add" ? &t[op.residual] : nullptr);
        break;
      case workloads::OpKind::attention: {
        const workloads::AttentionShape& a = s.attention;
        const QkvOffsets off = qkv_offsets(op, a);
        const Index hd = ix(a.head_dim), group = ix(a.heads / a.kv_heads);
        out = MatrixXf::Zero(ix(s.tokens), ix(a.heads * a.head_dim));
        const float scale = 1.0f / std::sqrt(static_cast<float>(hd));
        for (std::uint64_t s0 = 0; s0 < s.tokens; s0 += s.seq)
          for (Index h = 0; h < ix(a.heads); ++h) {
            const Index kvh = h / group;
            const MatrixXf q = t[op.in[0]].block(ix(s0), off.q + h * hd, ix(s.seq), hd);
            const MatrixXf kk = t[op.in[1]].block(ix(s0), off.k + kvh * hd, ix(s.seq), hd);
            const MatrixXf v = t[op.in[2]].block(ix(s0), off.v + kvh * hd, ix(s.seq), hd);
            const MatrixXf pr = cluster::softmax_values(
                q * kk.transpose(), scale, key_limits(s0, s0 + s.seq, s0, s.seq, a.causal),
                ValueFormat::fp32);
            out.block(ix(s0), h * hd, ix(s.seq), hd) = pr * v;
          }
        break;
      }
      default: {
        if (op.op.kind == workloads::OpKind::norm && op.op.type == "nonorm") {
          auto& nv = m.norm(k, op, x.cols());
          if (nv.calibrate) {  // synthetic NoNorm: unit RMS out of the reference pass
            const double rms = std::sqrt(x.cast<double>().squaredNorm() /
                                         static_cast<double>(std::max<Index>(x.size(), 1)));
            nv.gamma.setConstant(rms > 0 ? static_cast<float>(1.0 / rms) : 1.0f);
            nv.calibrate = false;
          }
        }
        out = operator_values(m, k, op, t, 0, s.tokens, 0, p.widths[op.out], ValueFormat::fp32);
      }
    }
  }
  return t;
}

std::vector<MatrixXf> run_values(const workloads::TaskGraph& g, const workloads::ValueProgram& p,
                                 ValueModel& m, const std::string& run) {
  const ValueSettings& s = m.settings();
  const ValueFormat act = s.activations();
  const ValueFormat lora_fmt = cluster::value_format(s.lora_precision, s.ideal);
  const ValueFormat acc = s.ideal ? ValueFormat::fp32 : ValueFormat::fp16;
  std::vector<MatrixXf> t(p.widths.size());
  for (std::size_t k = 0; k < t.size(); ++k) t[k] = MatrixXf::Zero(ix(s.tokens), ix(p.widths[k]));
  t[p.input] = m.weights().input(s.tokens, p.widths[p.input]);

  struct ChunkState {               // one linear's chunk on its cluster
    std::vector<MatrixXf> partial;  // per row block: the tile outputs
    MatrixXf t, z, sum;
    bool summed = false;
  };
  struct HeadState {  // one attention head's query chunk
    MatrixXf s, p, o;
    cluster::OnlineSoftmax online;
    bool started = false;
  };
  std::map<std::uint32_t, ChunkState> chunks;                          // by first token
  std::map<std::pair<std::uint32_t, std::uint32_t>, HeadState> heads;  // by first token, head
  std::uint32_t current = UINT32_MAX;
  for (std::size_t i = 0; i < g.size(); ++i) {
    const ValueTag tag = g.value_tag(i);
    if (tag.kind == ValueKind::none) continue;
    if (tag.op != current) {  // an operator's tasks are consecutive
      chunks.clear();
      heads.clear();
      current = tag.op;
    }
    const ValueOperator& op = p.ops.at(tag.op);
    const Index first = ix(tag.first), rows = ix(tag.end - tag.first);
    const Index lo = ix(tag.lo), width = ix(tag.hi - tag.lo);
    switch (tag.kind) {
      case ValueKind::tile_mvm: {
        const auto li = static_cast<std::size_t>(op.linear);
        const ValueModel::Linear& l = m.linear(li);
        const LinearSite& site = m.linears()[li];
        const std::uint64_t R = m.tiles().arithmetic().rows, C = m.tiles().arithmetic().cols;
        ChunkState& c = chunks[tag.first];
        c.partial.assign(l.row_blocks, MatrixXf(rows, ix(site.d_out)));
        const MatrixXf x = t[op.in[0]].middleRows(first, rows);
        const std::uint64_t seed =
            sim::stream_seed(m.weights().seed(), "read/" + run + "/" + site.label);
        for (std::uint64_t r = 0; r < l.row_blocks; ++r)
          for (std::uint64_t cb = 0; cb < l.col_blocks; ++cb) {
            const auto& b = l.blocks[r * l.col_blocks + cb];
            c.partial[r].middleCols(ix(cb * C), b.g.cols()) =
                m.tiles().mvm(b, x.middleCols(ix(r * R), b.g.rows()),
                              sim::stream_seed(seed, r * l.col_blocks + cb), tag.first);
          }
        MatrixXf& y = c.partial[0];
        if (l.w.bias.size() > 0) {  // the local digital unit's affine offset
          y.rowwise() += l.w.bias.transpose();
          cluster::round_all(act, y);
        }
        if (op.post == "relu") y = y.cwiseMax(0.0f);
        if (op.post == "add") {
          y += t[op.residual].middleRows(first, rows);
          cluster::round_all(act, y);
        }
        break;
      }
      case ValueKind::lora_a: {
        const ValueModel::Linear& l = m.linear(static_cast<std::size_t>(op.linear));
        ChunkState& c = chunks.at(tag.first);
        const MatrixXf x = t[op.in[0]].block(first, lo, rows, width);
        const MatrixXf previous = c.t;
        c.t = cluster::gemm_values(x, l.lora.a.middleRows(lo, width), lo > 0 ? &previous : nullptr,
                                   lora_fmt, acc);
        break;
      }
      case ValueKind::lora_b: {
        const ValueModel::Linear& l = m.linear(static_cast<std::size_t>(op.linear));
        ChunkState& c = chunks.at(tag.first);
        if (c.z.size() == 0) c.z = MatrixXf::Zero(rows, l.lora.b.cols());
        c.z.middleCols(lo, width) =
            cluster::gemm_values(c.t, l.lora.b.middleCols(lo, width), nullptr, lora_fmt, acc);
        break;
      }
      case ValueKind::sum: {
        ChunkState& c = chunks.at(tag.first);
        if (c.sum.size() == 0) c.sum = MatrixXf::Zero(rows, c.partial[0].cols());
        MatrixXf y = c.partial[0].middleCols(lo, width);
        const auto add = [&](const MatrixXf& b) {
          y += b;
          cluster::round_all(act, y);
        };
        for (std::size_t r = 1; r < c.partial.size(); ++r) add(c.partial[r].middleCols(lo, width));
        if (c.z.size() > 0) add(c.z.middleCols(lo, width));
        c.sum.middleCols(lo, width) = y;
        c.summed = true;
        break;
      }
      case ValueKind::store: {
        ChunkState& c = chunks.at(tag.first);
        t[op.out].block(first, lo, rows, width) =
            (c.summed ? c.sum : c.partial[0]).middleCols(lo, width);
        break;
      }
      case ValueKind::kernel:
        t[op.out].block(first, lo, rows, width) =
            operator_values(m, tag.op, op, t, tag.first, tag.end, tag.lo, tag.hi, act);
        break;
      case ValueKind::scores:
      case ValueKind::softmax:
      case ValueKind::partial_softmax:
      case ValueKind::partial_scale:
      case ValueKind::context:
      case ValueKind::final_scale:
      case ValueKind::head_out: {
        const workloads::AttentionShape& a = s.attention;
        const QkvOffsets off = qkv_offsets(op, a);
        const Index hd = ix(a.head_dim);
        const Index h = ix(tag.head), kvh = h / ix(a.heads / a.kv_heads);
        HeadState& st = heads[{tag.first, tag.head}];
        const float scale = 1.0f / std::sqrt(static_cast<float>(hd));
        const auto limits = [&] { return key_limits(tag.first, tag.end, tag.lo, s.seq, a.causal); };
        switch (tag.kind) {
          case ValueKind::scores:
            st.s = cluster::gemm_values(
                t[op.in[0]].block(first, off.q + h * hd, rows, hd),
                t[op.in[1]].block(lo, off.k + kvh * hd, width, hd).transpose(), nullptr, act, acc);
            break;
          case ValueKind::softmax:
            st.p = cluster::softmax_values(st.s, scale, limits(), act);
            break;
          case ValueKind::partial_softmax:
            st.online.block(st.s, scale, limits(), act);
            st.p = st.online.p;
            break;
          case ValueKind::partial_scale:
            st.o = (st.o.array().colwise() * st.online.alpha.array()).matrix();
            cluster::round_all(act, st.o);
            break;
          case ValueKind::context: {
            const MatrixXf previous = st.o;
            st.o = cluster::gemm_values(st.p, t[op.in[2]].block(lo, off.v + kvh * hd, width, hd),
                                        st.started ? &previous : nullptr, act, acc);
            st.started = true;
            break;
          }
          case ValueKind::final_scale:
            st.o = (st.o.array().colwise() / st.online.l.array()).matrix();
            cluster::round_all(act, st.o);
            break;
          default:  // head_out
            t[op.out].block(first, h * hd, rows, hd) = st.o;
            heads.erase({tag.first, tag.head});
        }
        break;
      }
      case ValueKind::none:
        break;
    }
  }
  return t;
}

ValueReport compare_values(const workloads::ValueProgram& p, ValueModel& m,
                           const std::vector<MatrixXf>& analog, const std::vector<MatrixXf>& hybrid,
                           const std::vector<MatrixXf>& reference_analog,
                           const std::vector<MatrixXf>& reference_hybrid) {
  ValueReport r;
  for (const auto& op : p.ops) {
    if (op.op.kind != workloads::OpKind::linear) continue;
    const auto li = static_cast<std::size_t>(op.linear);
    const auto layer = [&](const std::vector<MatrixXf>& t, bool with_lora) {
      const MatrixXf ref = linear_reference(m, li, t[op.in[0]], with_lora, op.post,
                                            op.post == "add" ? &t[op.residual] : nullptr);
      return ValueError::of(t[op.out], ref);
    };
    r.layers.push_back(
        ValueReport::Layer{m.linears()[li].label, layer(hybrid, true), layer(analog, false)});
  }
  r.output = ValueError::of(hybrid[p.output], reference_hybrid[p.output]);
  r.output_analog = ValueError::of(analog[p.output], reference_analog[p.output]);
  r.tensors = {{"input", hybrid[p.input]},
               {"hybrid", hybrid[p.output]},
               {"fully_analog", analog[p.output]},
               {"reference", reference_hybrid[p.output]},
               {"reference_no_lora", reference_analog[p.output]}};
  return r;
}

nlohmann::ordered_json ValueReport::json() const {
  nlohmann::ordered_json j;
  const auto pair = [](const ValueError& with, const ValueError& without) {
    nlohmann::ordered_json e = with.json();
    const nlohmann::ordered_json n = without.json();
    e["rel_rms_error_no_lora"] = n["rel_rms_error"];
    e["snr_db_no_lora"] = n["snr_db"];
    return e;
  };
  j["output"] = pair(output, output_analog);
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  for (const auto& l : layers) {
    nlohmann::ordered_json row = {{"name", l.label}};
    row.update(pair(l.hybrid, l.analog));
    rows.push_back(row);
  }
  j["layers"] = rows;
  return j;
}

}  // namespace aimcsim::platform
