#include "workloads/hf_import.h"

#include "models/sim/checked.h"
#include "models/sim/errors.h"
#include "models/sim/input.h"

#include <nlohmann/json.hpp>

#include <filesystem>

#include <fmt/format.h>

namespace aimcsim::workloads {
namespace {

using json = nlohmann::json;

// Typed access to config.json fields; every failure names the file and the field.
class Fields {
 public:
  Fields(const json& j, std::string origin) : j_(j), origin_(std::move(origin)) {}

  [[noreturn]] void fail(const std::string& field, const std::string& what) const {
    throw sim::UserError(fmt::format("{}: field '{}': {}", origin_, field, what));
  }
  // A positive integer of at most limit (a dimension unless said otherwise).
  std::uint64_t positive(const std::string& field, std::uint64_t limit = kMaxDimension) const {
    if (!j_.contains(field))
      fail(field, fmt::format("missing (required for model_type {})", type()));
    const json& v = j_.at(field);
    if (!v.is_number_unsigned() || v.get<std::uint64_t>() == 0)
      fail(field, fmt::format("expected a positive integer, got {}", v.dump()));
    if (v.get<std::uint64_t>() > limit)
      fail(field, fmt::format("{} is more than the limit of {}", v.dump(), limit));
    return v.get<std::uint64_t>();
  }
  std::uint64_t positive_or(const std::string& field, std::uint64_t def,
                            std::uint64_t limit = kMaxDimension) const {
    return j_.contains(field) && !j_.at(field).is_null() ? positive(field, limit) : def;
  }
  // a x b, a derived dimension named what: at most the dimension limit.
  std::uint64_t product(const std::string& what, std::uint64_t a, std::uint64_t b) const {
    if (a > kMaxDimension || b > kMaxDimension || a * b > kMaxDimension)
      fail(what, fmt::format("{} x {} is more than the limit of {} for a dimension", a, b,
                             kMaxDimension));
    return a * b;
  }
  bool has(const std::string& field) const { return j_.contains(field) && !j_.at(field).is_null(); }
  bool flag_or(const std::string& field, bool def) const {
    if (!j_.contains(field)) return def;
    if (!j_.at(field).is_boolean()) fail(field, "expected true or false");
    return j_.at(field).get<bool>();
  }
  std::string text(const std::string& field) const {
    if (!j_.contains(field))
      fail(field, fmt::format("missing (required for model_type {})", type()));
    if (!j_.at(field).is_string()) fail(field, "expected a string");
    return j_.at(field).get<std::string>();
  }
  std::string text_or(const std::string& field, const std::string& def) const {
    return j_.contains(field) ? text(field) : def;
  }
  std::string type() const { return j_.value("model_type", std::string("?")); }
  // Hugging Face activation names to the kernels aimcsim models.
  std::string activation(const std::string& field) const {
    const std::string a = text(field);
    if (a == "relu") return "relu";
    if (a == "silu" || a == "swish") return "silu";
    if (a == "gelu" || a == "gelu_new" || a == "gelu_pytorch_tanh" || a == "gelu_fast")
      return "gelu";
    fail(field, fmt::format("activation '{}' is not supported; expected relu, gelu (gelu, "
                            "gelu_new, gelu_pytorch_tanh, gelu_fast) or silu (silu, swish)",
                            a));
  }
  void divisible(const std::string& field, std::uint64_t value, const std::string& by_field,
                 std::uint64_t by) const {
    if (value % by != 0)
      fail(field, fmt::format("{} is not a multiple of {} = {}", value, by_field, by));
  }

 private:
  const json& j_;
  std::string origin_;
};

// Appends ops to a section; each helper returns the tensor it writes.
class SectionBuilder {
 public:
  explicit SectionBuilder(std::vector<Op>& ops) : ops_(ops) {}
  std::string linear(const std::string& name, const std::string& in, std::uint64_t d_in,
                     std::uint64_t d_out) {
    Op op = make(OpKind::linear, name, {in});
    op.d_in = d_in;
    op.d_out = d_out;
    return push(op);
  }
  std::string unary(OpKind kind, const std::string& name, const std::string& type,
                    const std::string& in) {
    Op op = make(kind, name, {in});
    op.type = type;
    return push(op);
  }
  std::string binary(OpKind kind, const std::string& name, const std::string& a,
                     const std::string& b) {
    return push(make(kind, name, {a, b}));
  }
  std::string attention(const std::string& name, const std::string& q, const std::string& k,
                        const std::string& v) {
    return push(make(OpKind::attention, name, {q, k, v}));
  }

 private:
  static Op make(OpKind kind, const std::string& name, std::vector<std::string> in) {
    Op op;
    op.kind = kind;
    op.name = name;
    op.in = std::move(in);
    return op;
  }
  std::string push(Op op) {
    op.out = "t" + std::to_string(ops_.size() + 1);
    ops_.push_back(op);
    return op.out;
  }
  std::vector<Op>& ops_;
};

void bert(const Fields& f, ModelDescription& m) {
  const std::uint64_t h = f.positive("hidden_size"), ff = f.positive("intermediate_size");
  m.blocks = f.positive("num_hidden_layers", kMaxBlocks);
  m.max_positions = f.positive_or("max_position_embeddings", 0, kMaxTokens);
  m.vocab = f.positive_or("vocab_size", 0, kMaxTokens);
  m.attention.heads = m.attention.kv_heads = f.positive("num_attention_heads");
  f.divisible("hidden_size", h, "num_attention_heads", m.attention.heads);
  m.attention.head_dim = h / m.attention.heads;
  m.input_dim = h;
  const std::string act = f.activation("hidden_act");
  SectionBuilder pro(m.prologue);
  pro.unary(OpKind::norm, "embeddings.LayerNorm", "layernorm", "input");
  SectionBuilder b(m.block);
  const auto q = b.linear("attention.self.query", "x", h, h);
  const auto k = b.linear("attention.self.key", "x", h, h);
  const auto v = b.linear("attention.self.value", "x", h, h);
  const auto ctx = b.attention("attention.self", q, k, v);
  const auto ao = b.linear("attention.output.dense", ctx, h, h);
  const auto r1 = b.binary(OpKind::add, "attention.output.residual", ao, "x");
  const auto a = b.unary(OpKind::norm, "attention.output.LayerNorm", "layernorm", r1);
  const auto i = b.linear("intermediate.dense", a, h, ff);
  const auto ia = b.unary(OpKind::activation, "intermediate.act", act, i);
  const auto o = b.linear("output.dense", ia, ff, h);
  const auto r2 = b.binary(OpKind::add, "output.residual", o, a);
  b.unary(OpKind::norm, "output.LayerNorm", "layernorm", r2);
}

void mobilebert(const Fields& f, ModelDescription& m) {
  const std::uint64_t h = f.positive("hidden_size"), ff = f.positive("intermediate_size");
  const std::uint64_t inner = f.positive("intra_bottleneck_size");
  const std::uint64_t emb = f.positive("embedding_size");
  // Each stacked FFN adds five operators to the block.
  const std::uint64_t ffns = f.positive("num_feedforward_networks", kMaxOpsPerSection / 5 - 4);
  m.blocks = f.positive("num_hidden_layers", kMaxBlocks);
  m.max_positions = f.positive_or("max_position_embeddings", 0, kMaxTokens);
  m.vocab = f.positive_or("vocab_size", 0, kMaxTokens);
  m.attention.heads = m.attention.kv_heads = f.positive("num_attention_heads");
  if (!f.flag_or("use_bottleneck", true))
    f.fail("use_bottleneck", "only MobileBERT with bottlenecks (true) is supported");
  if (f.flag_or("use_bottleneck_attention", false))
    f.fail("use_bottleneck_attention", "only false (as in google/mobilebert-uncased) is supported");
  const bool shared = f.flag_or("key_query_shared_bottleneck", true);
  f.divisible("intra_bottleneck_size", inner, "num_attention_heads", m.attention.heads);
  m.attention.head_dim = inner / m.attention.heads;
  m.input_dim = f.flag_or("trigram_input", true)
                    ? f.product("embedding_size (x 3, trigram_input)", 3, emb)
                    : emb;
  const std::string act = f.activation("hidden_act");
  const std::string norm_field = f.text_or("normalization_type", "no_norm");
  if (norm_field != "no_norm" && norm_field != "layer_norm")
    f.fail("normalization_type", fmt::format("'{}': expected no_norm or layer_norm", norm_field));
  const std::string norm = norm_field == "no_norm" ? "nonorm" : "layernorm";

  SectionBuilder pro(m.prologue);
  const auto e = pro.linear("embeddings.embedding_transformation", "input", m.input_dim, h);
  pro.unary(OpKind::norm, "embeddings.LayerNorm", norm, e);

  SectionBuilder b(m.block);
  const auto li = b.unary(OpKind::norm, "bottleneck.input.LayerNorm", norm,
                          b.linear("bottleneck.input.dense", "x", h, inner));
  std::string qk_in = li, v_in = li;
  if (shared) {
    qk_in = b.unary(OpKind::norm, "bottleneck.attention.LayerNorm", norm,
                    b.linear("bottleneck.attention.dense", "x", h, inner));
    v_in = "x";
  }
  const auto q = b.linear("attention.self.query", qk_in, inner, inner);
  const auto k = b.linear("attention.self.key", qk_in, inner, inner);
  const auto v = b.linear("attention.self.value", v_in, shared ? h : inner, inner);
  const auto ctx = b.attention("attention.self", q, k, v);
  const auto ao = b.linear("attention.output.dense", ctx, inner, inner);
  std::string a = b.unary(OpKind::norm, "attention.output.LayerNorm", norm,
                          b.binary(OpKind::add, "attention.output.residual", ao, li));
  // num_feedforward_networks - 1 stacked FFNs, then the block's own intermediate/output.
  const auto ffn = [&](const std::string& prefix) {
    const auto i = b.linear(prefix + "intermediate.dense", a, inner, ff);
    const auto o =
        b.linear(prefix + "output.dense",
                 b.unary(OpKind::activation, prefix + "intermediate.act", act, i), ff, inner);
    a = b.unary(OpKind::norm, prefix + "output.LayerNorm", norm,
                b.binary(OpKind::add, prefix + "output.residual", o, a));
  };
  for (std::uint64_t n = 0; n + 1 < ffns; ++n) ffn(fmt::format("ffn.{}.", n));
  ffn("");
  const auto out = b.linear("output.bottleneck.dense", a, inner, h);
  b.unary(OpKind::norm, "output.bottleneck.LayerNorm", norm,
          b.binary(OpKind::add, "output.bottleneck.residual", out, "x"));
}

void llama(const Fields& f, ModelDescription& m) {
  const std::uint64_t h = f.positive("hidden_size"), ff = f.positive("intermediate_size");
  m.blocks = f.positive("num_hidden_layers", kMaxBlocks);
  m.max_positions = f.positive_or("max_position_embeddings", 0, kMaxTokens);
  m.vocab = f.positive_or("vocab_size", 0, kMaxTokens);
  m.attention.heads = f.positive("num_attention_heads");
  m.attention.kv_heads = f.positive_or("num_key_value_heads", m.attention.heads);
  f.divisible("num_attention_heads", m.attention.heads, "num_key_value_heads",
              m.attention.kv_heads);
  f.divisible("hidden_size", h, "num_attention_heads", m.attention.heads);
  m.attention.head_dim = f.positive_or("head_dim", h / m.attention.heads);
  m.attention.causal = true;
  m.input_dim = h;
  const std::string act = f.activation("hidden_act");
  const std::uint64_t q_dim =
      f.product("num_attention_heads x head_dim", m.attention.heads, m.attention.head_dim);
  const std::uint64_t kv_dim =
      f.product("num_key_value_heads x head_dim", m.attention.kv_heads, m.attention.head_dim);

  SectionBuilder b(m.block);
  const auto n1 = b.unary(OpKind::norm, "input_layernorm", "rmsnorm", "x");
  const auto q = b.linear("self_attn.q_proj", n1, h, q_dim);
  const auto k = b.linear("self_attn.k_proj", n1, h, kv_dim);
  const auto v = b.linear("self_attn.v_proj", n1, h, kv_dim);
  const auto qr = b.unary(OpKind::rope, "self_attn.rotary_q", "", q);
  const auto kr = b.unary(OpKind::rope, "self_attn.rotary_k", "", k);
  const auto ctx = b.attention("self_attn", qr, kr, v);
  const auto o = b.linear("self_attn.o_proj", ctx, q_dim, h);
  const auto r1 = b.binary(OpKind::add, "self_attn.residual", o, "x");
  const auto n2 = b.unary(OpKind::norm, "post_attention_layernorm", "rmsnorm", r1);
  const auto g = b.linear("mlp.gate_proj", n2, h, ff);
  const auto u = b.linear("mlp.up_proj", n2, h, ff);
  const auto gu =
      b.binary(OpKind::mul, "mlp.gate_mul", b.unary(OpKind::activation, "mlp.act", act, g), u);
  const auto d = b.linear("mlp.down_proj", gu, ff, h);
  b.binary(OpKind::add, "mlp.residual", d, r1);
}

// GPT-2's FFN width: n_inner, or 4 x n_embd when it is null or absent.
std::uint64_t j_inner(const Fields& f, std::uint64_t h) {
  return f.has("n_inner") ? f.positive("n_inner") : f.product("n_embd x 4 (n_inner)", 4, h);
}

void gpt2(const Fields& f, ModelDescription& m) {
  const std::uint64_t h = f.positive("n_embd");
  const std::uint64_t ff = j_inner(f, h);
  m.blocks = f.positive("n_layer", kMaxBlocks);
  m.max_positions = f.positive_or("n_positions", f.positive_or("n_ctx", 0, kMaxTokens), kMaxTokens);
  m.vocab = f.positive_or("vocab_size", 0, kMaxTokens);
  f.product("n_embd x 3 (attn.c_attn)", 3, h);
  m.attention.heads = m.attention.kv_heads = f.positive("n_head");
  f.divisible("n_embd", h, "n_head", m.attention.heads);
  m.attention.head_dim = h / m.attention.heads;
  m.attention.causal = true;
  m.input_dim = h;
  const std::string act = f.activation("activation_function");

  SectionBuilder b(m.block);
  const auto n1 = b.unary(OpKind::norm, "ln_1", "layernorm", "x");
  const auto qkv = b.linear("attn.c_attn", n1, h, 3 * h);
  const auto ctx = b.attention("attn", qkv, qkv, qkv);
  const auto r1 = b.binary(OpKind::add, "attn.residual", b.linear("attn.c_proj", ctx, h, h), "x");
  const auto n2 = b.unary(OpKind::norm, "ln_2", "layernorm", r1);
  const auto fc = b.unary(OpKind::activation, "mlp.act", act, b.linear("mlp.c_fc", n2, h, ff));
  b.binary(OpKind::add, "mlp.residual", b.linear("mlp.c_proj", fc, ff, h), r1);
}

}  // namespace

ModelDescription import_hf_config_text(const std::string& text, const std::string& origin,
                                       const std::string& name) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::exception& e) {  // syntax, and numbers out of range (5e455)
    throw sim::UserError(fmt::format("{}: not a valid config.json: {}", origin, e.what()));
  }
  if (!j.is_object())
    throw sim::UserError(origin + ": not a valid config.json: expected an object");
  const Fields f(j, origin);
  ModelDescription m;
  m.name = name;
  if (!j.contains("model_type"))
    f.fail("model_type", "missing; expected bert, mobilebert, llama or gpt2");
  m.model_type = f.text("model_type");
  if (m.model_type == "bert")
    bert(f, m);
  else if (m.model_type == "mobilebert")
    mobilebert(f, m);
  else if (m.model_type == "llama")
    llama(f, m);
  else if (m.model_type == "gpt2")
    gpt2(f, m);
  else
    f.fail("model_type", fmt::format("'{}' is not supported; expected bert, mobilebert, llama "
                                     "or gpt2",
                                     m.model_type));
  m.validate(origin);
  return m;
}

ModelDescription import_hf_config(const std::string& file) {
  const std::string text = sim::read_input_file(file, "config.json");
  namespace fs = std::filesystem;
  const fs::path p(file);
  std::string name = p.stem().string();
  std::error_code ec;
  if (name == "config" && p.has_parent_path()) {
    const fs::path absolute = fs::absolute(p, ec);
    if (!ec) name = absolute.parent_path().filename();
  }
  for (char& c : name)  // a model name is printable ASCII (see model_description.h)
    if (c < 0x20 || c > 0x7e) c = '_';
  if (name.empty()) name = "model";
  return import_hf_config_text(text, file, name);
}

}  // namespace aimcsim::workloads
