#include "workloads/model_description.h"

#include "models/sim/errors.h"
#include "models/sim/input.h"
#include "workloads/hf_import.h"

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <fmt/format.h>

namespace aimcsim::workloads {

const char* to_string(OpKind kind) {
  switch (kind) {
    case OpKind::linear:
      return "linear";
    case OpKind::attention:
      return "attention";
    case OpKind::norm:
      return "norm";
    case OpKind::activation:
      return "activation";
    case OpKind::add:
      return "add";
    case OpKind::mul:
      return "mul";
    case OpKind::rope:
      return "rope";
  }
  return "?";
}

bool Op::operator==(const Op& o) const {
  return kind == o.kind && name == o.name && type == o.type && in == o.in && out == o.out &&
         d_in == o.d_in && d_out == o.d_out;
}
bool AttentionShape::operator==(const AttentionShape& o) const {
  return heads == o.heads && kv_heads == o.kv_heads && head_dim == o.head_dim && causal == o.causal;
}
bool ModelDescription::operator==(const ModelDescription& o) const {
  return name == o.name && model_type == o.model_type && blocks == o.blocks &&
         input_dim == o.input_dim && max_positions == o.max_positions && vocab == o.vocab &&
         attention == o.attention && prologue == o.prologue && block == o.block;
}

std::uint64_t ModelDescription::static_linears() const {
  std::uint64_t per_block = 0, once = 0;
  for (const auto& op : block) per_block += op.kind == OpKind::linear;
  for (const auto& op : prologue) once += op.kind == OpKind::linear;
  return once + blocks * per_block;
}

namespace {

const std::vector<std::string> kOpKinds{"linear", "attention", "norm", "activation",
                                        "add",    "mul",       "rope"};
const std::vector<std::string> kNormTypes{"layernorm", "rmsnorm", "nonorm"};
const std::vector<std::string> kActivationTypes{"relu", "gelu", "silu"};

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
  return s;
}

// Strict reading of one YAML mapping: each key is read once, unknown keys are errors.
class MapReader {
 public:
  MapReader(const YAML::Node& node, std::string origin, std::string path)
      : node_(node), origin_(std::move(origin)), path_(std::move(path)) {
    if (!node_.IsMap()) fail(node_, path_, "expected a mapping");
  }

  [[noreturn]] void fail(const YAML::Node& at, const std::string& key,
                         const std::string& what) const {
    throw sim::UserError(fmt::format("{}:{}: {}: {}", origin_, at.Mark().line + 1,
                                     key.empty() ? "<root>" : key, what));
  }
  std::string key_path(const std::string& key) const {
    return path_.empty() ? key : path_ + "." + key;
  }
  YAML::Node required(const std::string& key) {
    read_.insert(key);
    const YAML::Node n = node_[key];
    if (!n) fail(node_, key_path(key), "missing (required)");
    return n;
  }
  // A name: non-empty printable ASCII (what to_yaml can write back unchanged).
  std::string text(const std::string& key) {
    const YAML::Node n = required(key);
    if (!n.IsScalar() || n.Scalar().empty()) fail(n, key_path(key), "expected a non-empty string");
    for (const char c : n.Scalar())
      if (c < 0x20 || c > 0x7e)
        fail(n, key_path(key), "expected printable ASCII text (letters, digits, '.', '_', ...)");
    return n.Scalar();
  }
  // A positive integer of at most `limit`.
  std::uint64_t positive(const std::string& key, std::uint64_t limit = kMaxDimension) {
    const YAML::Node n = required(key);
    const std::string s = n.IsScalar() ? n.Scalar() : "";
    if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos || s.size() > 12 ||
        std::stoull(s) == 0)
      fail(n, key_path(key), fmt::format("expected a positive integer, got '{}'", s));
    if (std::stoull(s) > limit)
      fail(n, key_path(key), fmt::format("{} is more than the limit of {}", s, limit));
    return std::stoull(s);
  }
  bool has(const std::string& key) const { return static_cast<bool>(node_[key]); }
  bool boolean(const std::string& key) {
    const YAML::Node n = required(key);
    if (n.IsScalar() && (n.Scalar() == "true" || n.Scalar() == "false"))
      return n.Scalar() == "true";
    fail(n, key_path(key), "expected true or false");
  }
  std::string choice(const std::string& key, const std::vector<std::string>& choices) {
    const std::string s = text(key);
    for (const auto& c : choices)
      if (c == s) return s;
    fail(node_[key], key_path(key), fmt::format("'{}' is not one of {}", s, join(choices)));
  }
  std::vector<std::string> names(const std::string& key) {
    const YAML::Node n = required(key);
    if (!n.IsSequence() || n.size() == 0)
      fail(n, key_path(key), "expected a non-empty list of tensor names");
    std::vector<std::string> v;
    for (const auto& e : n) {
      if (!e.IsScalar() || e.Scalar().empty())
        fail(e, key_path(key), "expected a list of tensor names");
      v.push_back(e.Scalar());
    }
    return v;
  }
  void done() const {
    for (const auto& kv : node_) {
      const std::string key = kv.first.Scalar();
      if (!read_.count(key)) fail(kv.first, key_path(key), "unknown key");
    }
  }

 private:
  YAML::Node node_;
  std::string origin_, path_;
  std::set<std::string> read_;
};

Op parse_op(const YAML::Node& node, const std::string& origin, const std::string& path) {
  MapReader r(node, origin, path);
  Op op;
  const std::string kind = r.choice("op", kOpKinds);
  for (std::size_t i = 0; i < kOpKinds.size(); ++i)
    if (kOpKinds[i] == kind) op.kind = static_cast<OpKind>(i);
  op.name = r.text("name");
  op.in = r.names("in");
  op.out = r.text("out");
  if (op.kind == OpKind::linear) {
    op.d_in = r.positive("d_in");
    op.d_out = r.positive("d_out");
  }
  if (op.kind == OpKind::norm) op.type = r.choice("type", kNormTypes);
  if (op.kind == OpKind::activation) op.type = r.choice("type", kActivationTypes);
  r.done();
  return op;
}

std::vector<Op> parse_ops(MapReader& r, const std::string& key, const std::string& origin,
                          bool required) {
  std::vector<Op> ops;
  YAML::Node list;
  if (required) {
    list = r.required(key);
  } else {
    try {
      list = r.required(key);
    } catch (const sim::UserError&) {
      return ops;
    }
  }
  if (!list.IsSequence()) r.fail(list, key, "expected a list of operators");
  if (required && list.size() == 0) r.fail(list, key, "expected at least one operator");
  if (list.size() > kMaxOpsPerSection)
    r.fail(list, key,
           fmt::format("{} operators, more than the limit of {}", list.size(), kMaxOpsPerSection));
  for (std::size_t i = 0; i < list.size(); ++i)
    ops.push_back(parse_op(list[i], origin, fmt::format("{}[{}]", key, i)));
  return ops;
}

// Checks one section's wiring and returns the width of its output (its last op's).
std::uint64_t check_section(const std::vector<Op>& ops, std::map<std::string, std::uint64_t> width,
                            const AttentionShape& att, const std::string& where) {
  std::set<std::string> names;
  for (std::size_t i = 0; i < ops.size(); ++i) {
    const Op& op = ops[i];
    const std::string at = fmt::format("{}[{}] ({})", where, i, op.name);
    const auto fail = [&](const std::string& what) {
      throw sim::UserError(fmt::format("{}: {}", at, what));
    };
    if (!names.insert(op.name).second) fail("the name is used twice in the section");
    const std::size_t arity = op.kind == OpKind::attention                       ? 3
                              : op.kind == OpKind::add || op.kind == OpKind::mul ? 2
                                                                                 : 1;
    if (op.in.size() != arity)
      fail(fmt::format("{} takes {} input tensor(s), got {}", to_string(op.kind), arity,
                       op.in.size()));
    std::vector<std::uint64_t> w;
    for (const auto& t : op.in) {
      const auto it = width.find(t);
      if (it == width.end()) fail(fmt::format("input '{}' is not produced by an earlier op", t));
      w.push_back(it->second);
    }
    std::uint64_t out = w[0];
    switch (op.kind) {
      case OpKind::linear:
        if (w[0] != op.d_in)
          fail(fmt::format("d_in {} does not match the width {} of its input '{}'", op.d_in, w[0],
                           op.in[0]));
        out = op.d_out;
        break;
      case OpKind::attention: {
        const std::uint64_t q = att.heads * att.head_dim, kv = att.kv_heads * att.head_dim;
        const bool fused = op.in[0] == op.in[1] && op.in[1] == op.in[2] && w[0] == q + 2 * kv;
        if (!fused && (w[0] != q || w[1] != kv || w[2] != kv))
          fail(
              fmt::format("q, k, v widths {}, {}, {} do not match heads x head_dim = {} and "
                          "kv_heads x head_dim = {} (or one fused qkv tensor of {})",
                          w[0], w[1], w[2], q, kv, q + 2 * kv));
        out = q;
        break;
      }
      case OpKind::add:
      case OpKind::mul:
        if (w[0] != w[1])
          fail(fmt::format("inputs '{}' and '{}' differ in width ({} vs {})", op.in[0], op.in[1],
                           w[0], w[1]));
        break;
      default:
        break;
    }
    if (width.count(op.out)) fail(fmt::format("output '{}' is already defined", op.out));
    width[op.out] = out;
    if (i + 1 == ops.size()) return out;
  }
  return width.begin()->second;  // empty section: its input passes through
}

}  // namespace

void ModelDescription::validate(const std::string& origin) const {
  if (attention.kv_heads > attention.heads || attention.heads % attention.kv_heads != 0)
    throw sim::UserError(fmt::format("{}: attention.kv_heads {} must divide attention.heads {}",
                                     origin, attention.kv_heads, attention.heads));
  if (attention.heads * attention.head_dim > kMaxDimension)
    throw sim::UserError(fmt::format(
        "{}: attention.heads x head_dim = {} x {} is more than the limit of {} for a dimension",
        origin, attention.heads, attention.head_dim, kMaxDimension));
  if (blocks > kMaxBlocks || prologue.size() > kMaxOpsPerSection ||
      block.size() > kMaxOpsPerSection)
    throw sim::UserError(fmt::format(
        "{}: {} blocks of {} operators (and {} in the prologue): more than the limits of {} "
        "blocks and {} operators per section",
        origin, blocks, block.size(), prologue.size(), kMaxBlocks, kMaxOpsPerSection));
  const std::string where = origin + ":";
  const std::uint64_t x =
      check_section(prologue, {{"input", input_dim}}, attention, where + " prologue");
  const std::uint64_t y = check_section(block, {{"x", x}}, attention, where + " block");
  if (y != x)
    throw sim::UserError(fmt::format(
        "{} block: its last output has width {} but the block input x has width {}; blocks "
        "repeat, so they must be equal",
        where, y, x));
}

ModelDescription parse_model_description(const std::string& yaml, const std::string& origin) {
  const YAML::Node root = sim::load_yaml(yaml, origin);
  MapReader r(root, origin, "");
  ModelDescription m;
  m.name = r.text("name");
  m.model_type = r.text("model_type");
  m.blocks = r.positive("blocks", kMaxBlocks);
  m.input_dim = r.positive("input_dim");
  if (r.has("max_positions")) m.max_positions = r.positive("max_positions", kMaxTokens);
  if (r.has("vocab")) m.vocab = r.positive("vocab", kMaxTokens);
  MapReader a(r.required("attention"), origin, "attention");
  m.attention.heads = a.positive("heads");
  m.attention.kv_heads = a.positive("kv_heads");
  m.attention.head_dim = a.positive("head_dim");
  m.attention.causal = a.boolean("causal");
  a.done();
  m.prologue = parse_ops(r, "prologue", origin, false);
  m.block = parse_ops(r, "block", origin, true);
  r.done();
  m.validate(origin);
  return m;
}

ModelDescription load_model_description(const std::string& file) {
  return parse_model_description(sim::read_input_file(file, "model description"), file);
}

namespace {

// name as a YAML scalar that reads back as exactly name: plain when it is an identifier,
// else double-quoted (names are printable ASCII, so escaping '"' and '\' is enough).
std::string scalar(const std::string& name) {
  static const std::set<std::string> special{"null", "Null",  "NULL",  "~",     "true", "True",
                                             "TRUE", "false", "False", "FALSE", "yes",  "no",
                                             "on",   "off",   "y",     "n"};
  const bool plain = !name.empty() && !special.count(name) && name[0] != '-' && name[0] != '.' &&
                     name.find_first_not_of(
                         "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                         "0123456789_.-") == std::string::npos;
  if (plain) return name;
  std::string q = "\"";
  for (const char c : name) {
    if (c == '"' || c == '\\') q += '\\';
    q += c;
  }
  return q + "\"";
}

std::string op_yaml(const Op& op) {
  std::string in;
  for (const auto& t : op.in) in += (in.empty() ? "" : ", ") + scalar(t);
  std::string s = fmt::format("  - {{op: {}, name: {}", to_string(op.kind), scalar(op.name));
  if (!op.type.empty()) s += fmt::format(", type: {}", op.type);
  s += fmt::format(", in: [{}], out: {}", in, scalar(op.out));
  if (op.kind == OpKind::linear) s += fmt::format(", d_in: {}, d_out: {}", op.d_in, op.d_out);
  return s + "}\n";
}

}  // namespace

std::string to_yaml(const ModelDescription& m, const std::string& header_comment) {
  std::string s;
  std::istringstream lines(header_comment);
  for (std::string line; std::getline(lines, line);) s += "# " + line + "\n";
  s += fmt::format("name: {}\nmodel_type: {}\nblocks: {}\ninput_dim: {}\n", scalar(m.name),
                   scalar(m.model_type), m.blocks, m.input_dim);
  if (m.max_positions) s += fmt::format("max_positions: {}\n", m.max_positions);
  if (m.vocab) s += fmt::format("vocab: {}\n", m.vocab);
  s += fmt::format("attention: {{heads: {}, kv_heads: {}, head_dim: {}, causal: {}}}\n",
                   m.attention.heads, m.attention.kv_heads, m.attention.head_dim,
                   m.attention.causal ? "true" : "false");
  s += "prologue:";
  s += m.prologue.empty() ? " []\n" : "\n";
  for (const auto& op : m.prologue) s += op_yaml(op);
  s += "block:\n";
  for (const auto& op : m.block) s += op_yaml(op);
  return s;
}

ModelDescription load_model(const std::string& path_or_name) {
  namespace fs = std::filesystem;
  const fs::path p(path_or_name);
  if (p.extension() == ".json") return import_hf_config(path_or_name);
  if (p.extension() == ".yaml" || p.extension() == ".yml")
    return load_model_description(path_or_name);
  if (path_or_name.find('/') == std::string::npos) {  // a name: here, then in the source tree
    for (const fs::path& root : {fs::path("."), fs::path(AIMCSIM_SOURCE_DIR)}) {
      const fs::path named = root / "workloads/models" / (path_or_name + ".yaml");
      std::error_code ec;  // a name the file system refuses (too long, ...) is not there
      if (fs::exists(named, ec)) return load_model_description(named.lexically_normal().string());
    }
  }
  throw sim::UserError(fmt::format(
      "--model '{}': expected a description (.yaml), a Hugging Face config.json (.json) or "
      "the name of a file in workloads/models/ (mobilebert, bert-base, bert-large, "
      "llama-3.1-8b, gpt2)",
      path_or_name));
}

}  // namespace aimcsim::workloads
