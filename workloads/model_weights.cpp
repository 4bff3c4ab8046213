#include "workloads/model_weights.h"

#include "models/sim/errors.h"
#include "models/sim/random.h"
#include "workloads/model_description.h"

#include <fmt/format.h>

#include <cmath>
#include <vector>

namespace aimcsim::workloads {
namespace {

Eigen::MatrixXf normal_matrix(std::uint64_t seed, const std::string& stream, std::uint64_t rows,
                              std::uint64_t cols, double sigma) {
  sim::Rng rng(sim::stream_seed(seed, stream));
  Eigen::MatrixXf m(static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(cols));
  for (Eigen::Index i = 0; i < m.rows(); ++i)
    for (Eigen::Index j = 0; j < m.cols(); ++j) m(i, j) = static_cast<float>(sigma * rng.normal());
  return m;
}

std::string prefix(int block) {
  return block < 0 ? "prologue." : fmt::format("block{}.", block);
}

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

std::string shape_text(const std::vector<std::uint64_t>& shape) {
  std::string s = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

}  // namespace

ModelWeights::ModelWeights(std::uint64_t seed, const std::string& weights,
                           const std::string& adapter, const std::string& model_type)
    : seed_(seed), model_type_(model_type) {
  if (!weights.empty()) file_ = std::make_shared<SafeTensorsFile>(weights);
  if (!adapter.empty()) adapter_ = std::make_shared<SafeTensorsFile>(adapter);
}

std::string ModelWeights::find(const SafeTensorsFile& f, int block, const std::string& module,
                               const std::string& suffix, bool required) const {
  const std::string exact = module + "." + suffix;
  const std::string tail = block < 0 ? "." + exact : fmt::format(".{}.{}", block, exact);
  std::vector<std::string> hits;
  for (const auto& [name, t] : f.tensors())
    if (name == exact || ends_with(name, tail)) hits.push_back(name);
  if (hits.size() > 1)
    throw sim::UserError(fmt::format("{}: {} tensors end in '{}' ({} and {}); expected one",
                                     f.path(), hits.size(), tail, hits[0], hits[1]));
  if (hits.empty()) {
    if (!required) return "";
    throw sim::UserError(fmt::format("{}: no tensor for {}{} (expected a name ending in '{}')",
                                     f.path(), prefix(block), module, tail));
  }
  return hits[0];
}

Eigen::MatrixXf ModelWeights::oriented(const SafeTensorsFile& f, const std::string& name,
                                       std::uint64_t d_in, std::uint64_t d_out, bool conv1d) const {
  const SafeTensor& t = f.tensors().at(name);
  const std::vector<std::uint64_t> want =
      conv1d ? std::vector<std::uint64_t>{d_in, d_out} : std::vector<std::uint64_t>{d_out, d_in};
  if (t.shape != want)
    throw sim::UserError(fmt::format(
        "{}: tensor '{}' has shape {}; expected {} ({})", f.path(), name, shape_text(t.shape),
        shape_text(want),
        conv1d ? "[d_in, d_out], GPT-2's Conv1D" : "[d_out, d_in], as torch.nn.Linear"));
  const Eigen::MatrixXf m = f.matrix(name);
  if (conv1d) return m;
  return m.transpose();
}

LinearValues ModelWeights::linear(int block, const std::string& module, std::uint64_t d_in,
                                  std::uint64_t d_out) const {
  LinearValues v;
  if (!file_) {
    v.w = normal_matrix(seed_, "W/" + prefix(block) + module, d_in, d_out,
                        1.0 / std::sqrt(static_cast<double>(d_in)));
    return v;
  }
  const std::string name = find(*file_, block, module, "weight", true);
  v.w = oriented(*file_, name, d_in, d_out, model_type_ == "gpt2");
  const std::string bias = find(*file_, block, module, "bias", false);
  if (!bias.empty()) {
    const SafeTensor& t = file_->tensors().at(bias);
    if (t.shape != std::vector<std::uint64_t>{d_out})
      throw sim::UserError(fmt::format("{}: tensor '{}' has shape {}; expected [{}]", file_->path(),
                                       bias, shape_text(t.shape), d_out));
    v.bias = file_->matrix(bias).col(0);
  }
  return v;
}

LoraValues ModelWeights::lora(int block, const std::string& module, std::uint64_t d_in,
                              std::uint64_t d_out, std::uint64_t rank) const {
  LoraValues v;
  if (!adapter_) {
    const std::string s = prefix(block) + module;
    v.a = normal_matrix(seed_, "A/" + s, d_in, rank, 1.0 / std::sqrt(static_cast<double>(d_in)));
    v.b = normal_matrix(seed_, "B/" + s, rank, d_out, 0.1 / std::sqrt(static_cast<double>(rank)));
    return v;
  }
  // lora_A.weight is [r, d_in] (a Linear d_in -> r), lora_B.weight [d_out, r].
  v.a =
      oriented(*adapter_, find(*adapter_, block, module, "lora_A.weight", true), d_in, rank, false);
  v.b = oriented(*adapter_, find(*adapter_, block, module, "lora_B.weight", true), rank, d_out,
                 false);
  return v;
}

NormValues ModelWeights::norm(int block, const std::string& module, const std::string& kind,
                              std::uint64_t width) const {
  NormValues v;
  const auto n = static_cast<Eigen::Index>(width);
  if (!file_) {
    v.gamma = Eigen::VectorXf::Ones(n);
    if (kind != "rmsnorm") v.beta = Eigen::VectorXf::Zero(n);
    v.calibrate = kind == "nonorm";
    return v;
  }
  const auto vector = [&](const std::string& name) {
    const SafeTensor& t = file_->tensors().at(name);
    if (t.shape != std::vector<std::uint64_t>{width})
      throw sim::UserError(fmt::format("{}: tensor '{}' has shape {}; expected [{}]", file_->path(),
                                       name, shape_text(t.shape), width));
    return Eigen::VectorXf(file_->matrix(name).col(0));
  };
  v.gamma = vector(find(*file_, block, module, "weight", true));
  if (kind != "rmsnorm") v.beta = vector(find(*file_, block, module, "bias", true));
  return v;
}

void ModelWeights::check(const ModelDescription& model, std::uint64_t rank,
                         const std::vector<std::pair<int, std::string>>& lora_linears) const {
  const auto shape_is = [](const SafeTensorsFile& f, const std::string& name,
                           const std::vector<std::uint64_t>& want, const char* layout) {
    const SafeTensor& t = f.tensors().at(name);
    if (t.shape != want)
      throw sim::UserError(fmt::format("{}: tensor '{}' has shape {}; expected {} ({})", f.path(),
                                       name, shape_text(t.shape), shape_text(want), layout));
  };
  const bool conv1d = model_type_ == "gpt2";
  const auto section = [&](const std::vector<Op>& ops, int block) {
    for (const auto& op : ops) {
      if (op.kind == OpKind::linear && file_) {
        shape_is(*file_, find(*file_, block, op.name, "weight", true),
                 conv1d ? std::vector<std::uint64_t>{op.d_in, op.d_out}
                        : std::vector<std::uint64_t>{op.d_out, op.d_in},
                 conv1d ? "[d_in, d_out], GPT-2's Conv1D" : "[d_out, d_in], as torch.nn.Linear");
        const std::string bias = find(*file_, block, op.name, "bias", false);
        if (!bias.empty()) shape_is(*file_, bias, {op.d_out}, "[d_out]");
      }
      if (op.kind == OpKind::norm && file_) {  // widths: checked when read (norm())
        find(*file_, block, op.name, "weight", true);
        if (op.type != "rmsnorm") find(*file_, block, op.name, "bias", true);
      }
      if (op.kind == OpKind::linear && adapter_) {
        bool lora = false;
        for (const auto& [b, m] : lora_linears) lora = lora || (b == block && m == op.name);
        if (lora) {
          shape_is(*adapter_, find(*adapter_, block, op.name, "lora_A.weight", true),
                   {rank, op.d_in}, "[r, d_in], PEFT's lora_A");
          shape_is(*adapter_, find(*adapter_, block, op.name, "lora_B.weight", true),
                   {op.d_out, rank}, "[d_out, r], PEFT's lora_B");
        }
      }
    }
  };
  section(model.prologue, -1);
  for (std::uint64_t b = 0; b < model.blocks; ++b) section(model.block, static_cast<int>(b));
}

Eigen::MatrixXf ModelWeights::input(std::uint64_t tokens, std::uint64_t width) const {
  return normal_matrix(seed_, "input", tokens, width, 1.0);
}

LinearValues ModelWeights::named_linear(const std::string& tensor, std::uint64_t d_in,
                                        std::uint64_t d_out) const {
  if (!file_) return linear(-1, "layer", d_in, d_out);
  std::string name = tensor;
  if (name.empty()) {
    for (const auto& [n, t] : file_->tensors())
      if (t.shape == std::vector<std::uint64_t>{d_out, d_in}) {
        if (!name.empty())
          throw sim::UserError(fmt::format(
              "{}: several tensors of shape [{}, {}] ({} and {}); name one with --tensor",
              file_->path(), d_out, d_in, name, n));
        name = n;
      }
    if (name.empty())
      throw sim::UserError(fmt::format("{}: no tensor of shape [{}, {}] (--d-out, --d-in)",
                                       file_->path(), d_out, d_in));
  } else if (!file_->has(name)) {
    throw sim::UserError(fmt::format("{}: no tensor '{}' (--tensor)", file_->path(), name));
  }
  LinearValues v;
  v.w = oriented(*file_, name, d_in, d_out, false);
  return v;
}

LoraValues ModelWeights::named_lora(const std::string& tensor, std::uint64_t d_in,
                                    std::uint64_t d_out, std::uint64_t rank) const {
  if (!adapter_) return lora(-1, "layer", d_in, d_out, rank);
  // The adapter of the named layer ("x.weight" -> "x.lora_A.weight"), or the only pair.
  std::string stem = tensor;
  if (ends_with(stem, ".weight")) stem.resize(stem.size() - 7);
  std::string a, b;
  for (const auto& [n, t] : adapter_->tensors()) {
    if (!stem.empty() && n.find(stem) == std::string::npos) continue;
    if (ends_with(n, "lora_A.weight")) {
      if (!a.empty())
        throw sim::UserError(
            fmt::format("{}: several lora_A tensors ({} and {}); name the layer "
                        "with --tensor",
                        adapter_->path(), a, n));
      a = n;
    } else if (ends_with(n, "lora_B.weight")) {
      b = n;
    }
  }
  if (a.empty() || b.empty())
    throw sim::UserError(fmt::format("{}: no lora_A.weight and lora_B.weight pair{}",
                                     adapter_->path(),
                                     stem.empty() ? std::string() : " for " + stem));
  LoraValues v;
  v.a = oriented(*adapter_, a, d_in, rank, false);
  v.b = oriented(*adapter_, b, rank, d_out, false);
  return v;
}

}  // namespace aimcsim::workloads
