#include "models/sim/input.h"

#include "models/sim/errors.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <vector>

#include <fmt/format.h>

namespace aimcsim::sim {

std::string read_input_file(const std::string& file, const std::string& what) {
  std::error_code ec;
  if (std::filesystem::is_directory(file, ec))
    throw UserError(fmt::format("{}: is a directory; expected a {}", file, what));
  std::ifstream in(file, std::ios::binary);
  if (!in) throw UserError(fmt::format("{}: cannot open the {}", file, what));
  std::string text;
  char buf[65536];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    text.append(buf, static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxInputBytes)
      throw UserError(fmt::format("{}: the {} is larger than the limit of {} MiB for input files",
                                  file, what, kMaxInputBytes >> 20));
  }
  if (in.bad()) throw UserError(fmt::format("{}: cannot read the {}", file, what));
  return text;
}

namespace {

int line_of(const YAML::Node& n) {
  return n.Mark().line + 1;
}

const char* kind_of(const YAML::Node& n) {
  if (n.IsSequence()) return "a list";
  if (n.IsMap()) return "a mapping";
  return "nothing";
}

// Walks every node once per path to it, depth first, checking mapping keys.
void check_keys(const YAML::Node& root, const std::string& origin) {
  std::vector<YAML::Node> todo{root};
  std::uint64_t visited = 0;
  while (!todo.empty()) {
    const YAML::Node node = todo.back();
    todo.pop_back();
    if (++visited > kMaxYamlNodes)
      throw UserError(fmt::format(
          "{}: the document has more than {} nodes (counting each use of an alias); expected a "
          "configuration, not a data set",
          origin, kMaxYamlNodes));
    if (node.IsSequence()) {
      for (const auto& child : node) todo.push_back(child);
    } else if (node.IsMap()) {
      std::map<std::string, int> seen;
      for (const auto& kv : node) {
        if (!kv.first.IsScalar())
          throw UserError(fmt::format("{}:{}: a mapping key is {}; expected a name", origin,
                                      line_of(kv.first), kind_of(kv.first)));
        const auto [it, fresh] = seen.emplace(kv.first.Scalar(), line_of(kv.first));
        if (!fresh)
          throw UserError(
              fmt::format("{}:{}: key '{}' is given twice in one mapping (first on "
                          "line {}); expected each key once",
                          origin, line_of(kv.first), kv.first.Scalar(), it->second));
        todo.push_back(kv.second);
      }
    }
  }
}

}  // namespace

YAML::Node load_yaml(const std::string& text, const std::string& origin) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw UserError(fmt::format("{}:{}: YAML syntax error: {}", origin, e.mark.line + 1, e.msg));
  }
  check_keys(root, origin);
  return root;
}

}  // namespace aimcsim::sim
