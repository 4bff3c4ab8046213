#include "workloads/lora_spec.h"

#include "models/sim/errors.h"

#include <fnmatch.h>

#include <fmt/format.h>

namespace aimcsim::workloads {
namespace {

bool pattern_selects(const std::string& pattern, const std::string& name) {
  if (pattern.find_first_of("*?[") != std::string::npos)
    return fnmatch(pattern.c_str(), name.c_str(), 0) == 0;
  return name == pattern ||
         (name.size() > pattern.size() &&
          name.compare(name.size() - pattern.size(), pattern.size(), pattern) == 0 &&
          name[name.size() - pattern.size() - 1] == '.');
}

}  // namespace

LoraSpec LoraSpec::parse(const std::string& text) {
  LoraSpec s;
  std::string key;  // the key the current item belongs to (targets take several items)
  std::size_t pos = 0;
  while (pos <= text.size()) {
    const std::size_t comma = std::min(text.find(',', pos), text.size());
    const std::string item = text.substr(pos, comma - pos);
    pos = comma + 1;
    if (item.empty()) throw sim::UserError(fmt::format("--lora '{}': empty item", text));
    const std::size_t eq = item.find('=');
    std::string value = item;
    if (eq != std::string::npos) {
      key = item.substr(0, eq);
      value = item.substr(eq + 1);
      if (key != "rank" && key != "targets" && key != "precision")
        throw sim::UserError(fmt::format(
            "--lora '{}': unknown key '{}'; expected rank, targets or precision", text, key));
      if (key == "targets") s.targets.clear();
    } else if (key != "targets") {
      throw sim::UserError(fmt::format(
          "--lora '{}': '{}' is not key=value (only targets take a comma-separated list)", text,
          item));
    }
    if (value.empty()) throw sim::UserError(fmt::format("--lora '{}': {} has no value", text, key));
    if (key == "rank") {
      if (value.find_first_not_of("0123456789") != std::string::npos || value.size() > 9 ||
          std::stoull(value) == 0)
        throw sim::UserError(
            fmt::format("--lora '{}': rank must be a positive integer, got '{}'", text, value));
      s.rank = std::stoull(value);
    } else if (key == "precision") {
      if (!cluster::parse_precision(value, s.precision))
        throw sim::UserError(
            fmt::format("--lora '{}': precision '{}': expected fp16 or fp8", text, value));
    } else {
      s.targets.push_back(value);
    }
  }
  return s;
}

bool LoraSpec::selects(const std::string& module_name) const {
  if (targets.empty()) return true;
  for (const auto& p : targets)
    if (pattern_selects(p, module_name)) return true;
  return false;
}

void LoraSpec::check_against(const ModelDescription& model) const {
  for (const auto& p : targets) {
    bool any = false;
    for (const auto* section : {&model.prologue, &model.block})
      for (const auto& op : *section)
        any |= op.kind == OpKind::linear && pattern_selects(p, op.name);
    if (!any) {
      std::string names;
      for (const auto& op : model.block)
        if (op.kind == OpKind::linear) names += (names.empty() ? "" : ", ") + op.name;
      throw sim::UserError(fmt::format(
          "--lora targets: '{}' selects no static linear of {}; its block linears are: {}", p,
          model.name, names));
    }
  }
}

std::string LoraSpec::str() const {
  std::string t;
  for (const auto& p : targets) t += (t.empty() ? "" : ",") + p;
  return fmt::format("rank={},targets={},precision={}", rank, t.empty() ? "*" : t,
                     cluster::to_string(precision));
}

bool names_tasks(const std::string& text) {
  return text.rfind("task=", 0) == 0 || text.find(";task=") != std::string::npos;
}

std::vector<TaskAdapter> parse_adapters(const std::string& text) {
  std::vector<TaskAdapter> out;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    const std::size_t semi = std::min(text.find(';', pos), text.size());
    const std::string item = text.substr(pos, semi - pos);
    pos = semi + 1;
    if (item.rfind("task=", 0) != 0)
      throw sim::UserError(fmt::format(
          "--lora '{}': adapter '{}' does not start with task=NAME (adapters are separated by ;)",
          text, item));
    const std::size_t comma = std::min(item.find(','), item.size());
    TaskAdapter a;
    a.task = item.substr(5, comma - 5);
    if (a.task.empty() || a.task.find_first_of(" \t\n=") != std::string::npos)
      throw sim::UserError(
          fmt::format("--lora '{}': task name '{}' must be a non-empty word", text, a.task));
    for (const auto& other : out)
      if (other.task == a.task)
        throw sim::UserError(fmt::format("--lora '{}': task '{}' is defined twice", text, a.task));
    if (comma < item.size()) a.lora = LoraSpec::parse(item.substr(comma + 1));
    out.push_back(std::move(a));
  }
  return out;
}

std::vector<std::string> parse_requests(const std::string& text,
                                        const std::vector<TaskAdapter>& adapters,
                                        const std::string& origin) {
  std::vector<std::string> out;
  std::string name;
  const auto flush = [&] {
    const auto first = name.find_first_not_of(" \t\r");
    const auto last = name.find_last_not_of(" \t\r");
    name = first == std::string::npos ? "" : name.substr(first, last - first + 1);
    if (name.empty()) return;
    bool known = false;
    for (const auto& a : adapters) known = known || a.task == name;
    if (!known) {
      std::string names;
      for (const auto& a : adapters) names += (names.empty() ? "" : ", ") + a.task;
      throw sim::UserError(
          fmt::format("{}: request '{}' names no adapter; --lora defines {}", origin, name, names));
    }
    out.push_back(name);
    name.clear();
  };
  for (const char c : text) {
    if (c == ',' || c == '\n') {
      flush();
      name.clear();
    } else {
      name += c;
    }
  }
  flush();
  if (out.empty()) throw sim::UserError(fmt::format("{}: no request given", origin));
  return out;
}

}  // namespace aimcsim::workloads
