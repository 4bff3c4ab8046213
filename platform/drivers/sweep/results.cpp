#include "platform/drivers/sweep/results.h"

#include "platform/drivers/sweep/pareto.h"

#include <set>

#include "models/sim/errors.h"
#include "platform/drivers/output.h"
#include "platform/drivers/sweep/point.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

namespace aimcsim::sweep {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

void add_unique(std::vector<std::string>& list, const std::string& name) {
  if (std::find(list.begin(), list.end(), name) == list.end()) list.push_back(name);
}

std::string read_all(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The first line where two texts differ, for the "different spec" message.
std::string first_difference(const std::string& a, const std::string& b) {
  std::istringstream sa(a), sb(b);
  std::string la, lb;
  for (int line = 1;; ++line) {
    const bool ga = static_cast<bool>(std::getline(sa, la));
    const bool gb = static_cast<bool>(std::getline(sb, lb));
    if (!ga && !gb) return "";
    if (!ga || !gb || la != lb)
      return fmt::format("line {}: '{}' there, '{}' now", line, ga ? la : "", gb ? lb : "");
  }
}

// RFC 4180: quote a field that holds a comma, quote or line break.
std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string q = "\"";
  for (char c : text) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

std::string csv_value(const json& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return csv_field(v.get<std::string>());
  return v.dump();
}

}  // namespace

ResultsDir::ResultsDir(std::string dir, const Spec& spec, const std::string& platform_yaml)
    : dir_(std::move(dir)), spec_(spec) {
  for (const auto& part : spec.parts) {
    for (const auto& a : part.axes) add_unique(value_columns_, a.path);
    for (const auto& m : metric_names(part.run)) add_unique(metric_columns_, m);
    if (part.computes_values())
      for (const auto& m : value_metric_names()) add_unique(metric_columns_, m);
  }
  const std::string text = spec.effective_yaml();
  std::error_code ec;
  if (fs::exists(path("spec.yaml"), ec)) {
    const std::string there = read_all(path("spec.yaml"));
    if (there != text)
      throw sim::UserError(fmt::format(
          "--out {}: holds results of a different spec ({}: {}); use another --out directory "
          "or remove it",
          dir_, path("spec.yaml"), first_difference(there, text)));
    if (fs::exists(path("platform.yaml"), ec)) {
      const std::string platform_there = read_all(path("platform.yaml"));
      if (platform_there != platform_yaml)
        throw sim::UserError(fmt::format(
            "--out {}: holds results of another platform configuration ({}: {}); use another "
            "--out directory or remove it",
            dir_, path("platform.yaml"), first_difference(platform_there, platform_yaml)));
    }
    platform::write_file(path("platform.yaml"), platform_yaml);
    read_journal();
    return;
  }
  if (fs::exists(path("results.jsonl"), ec))
    throw sim::UserError(fmt::format(
        "--out {}: holds results.jsonl but no spec.yaml, so its rows cannot be matched to this "
        "spec; use another --out directory or remove it",
        dir_));
  fs::create_directories(dir_, ec);
  if (ec)
    throw sim::UserError(
        fmt::format("--out {}: cannot create the directory: {}", dir_, ec.message()));
  platform::write_file(path("platform.yaml"), platform_yaml);
  platform::write_file(path("spec.yaml"), text);
}

void ResultsDir::read_journal() {
  const std::string file = path("results.jsonl");
  std::error_code ec;
  if (!fs::exists(file, ec)) return;
  std::string text = read_all(file);
  const std::size_t whole = text.rfind('\n') == std::string::npos ? 0 : text.rfind('\n') + 1;
  if (whole < text.size()) {  // a row torn by an interruption: drop it, it will be rerun
    fs::resize_file(file, whole);
    text.resize(whole);
  }
  std::istringstream in(text);
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    const json row = json::parse(line, nullptr, false);
    const auto bad = [&](const std::string& why) {
      return sim::UserError(
          fmt::format("{}:{}: {}; use another --out directory or remove it", file, n, why));
    };
    if (row.is_discarded() || !row.is_object() || !row.contains("point") ||
        !row["point"].is_number_unsigned())
      throw bad("not a result row");
    const std::size_t index = row["point"].get<std::size_t>();
    if (index >= spec_.points()) throw bad(fmt::format("point {} is not in this spec", index));
    const Point point = point_at(spec_, index);
    json values = json::object();
    for (const auto& [p, v] : point.swept) values[p] = v;
    if (row.value("values", json()) != values ||
        row.value("part", "") != spec_.parts[point.part].name)
      throw bad(fmt::format("point {} has other values than this spec gives it", index));
    if (!finished(index)) keep(index, row);  // a duplicate keeps the first row
  }
}

json ResultsDir::make_row(const Point& point, const json& outcome) const {
  json row;
  row["point"] = point.index;
  row["part"] = spec_.parts[point.part].name;
  json values = json::object();
  for (const auto& [p, v] : point.swept) values[p] = v;
  row["values"] = values;
  row["status"] = outcome.value("status", "failed");
  row["metrics"] = outcome.value("metrics", json::object());
  if (outcome.contains("error")) row["error"] = outcome["error"];
  return row;
}

void ResultsDir::append(const json& row) {
  const std::string line = row.dump() + "\n";
  const std::string file = path("results.jsonl");
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (fd < 0)
    throw sim::UserError(fmt::format("{}: cannot write the file: {}", file, std::strerror(errno)));
  const ssize_t n = ::write(fd, line.data(), line.size());
  ::close(fd);
  if (n != static_cast<ssize_t>(line.size()))
    throw sim::UserError(fmt::format("{}: cannot write the file", file));
  keep(row["point"].get<std::size_t>(), row);
}

void ResultsDir::keep(std::size_t point, const json& row) {
  rows_.emplace(point, Row{row.dump(), row.value("status", std::string()) == "ok"});
}

std::string ResultsDir::error(std::size_t point) const {
  return json::parse(rows_.at(point).line).value("error", std::string());
}

void ResultsDir::write_csv() const {
  std::string out = "point,part";
  for (const auto& c : value_columns_) out += "," + csv_field(c);
  out += ",status";
  for (const auto& c : metric_columns_) out += "," + c;
  out += ",pareto,error\n";
  // The Pareto front of (latency, energy, area) among the finished points of each part.
  std::map<std::string, std::vector<std::pair<std::size_t, Objectives>>> by_part;
  for (const auto& [index, kept] : rows_) {
    if (!kept.ok) continue;
    const json row = json::parse(kept.line);
    const json& m = row["metrics"];
    if (!m.contains("t_hybrid_ns") || !m.contains("e_hybrid_nj") || !m.contains("area_mm2"))
      continue;
    by_part[row["part"].get<std::string>()].push_back(
        {index, Objectives{m["t_hybrid_ns"].get<double>(), m["e_hybrid_nj"].get<double>(),
                           m["area_mm2"].get<double>()}});
  }
  std::set<std::size_t> on_front;
  for (const auto& [part, points] : by_part) {
    std::vector<Objectives> objectives;
    for (const auto& p : points) objectives.push_back(p.second);
    const std::vector<bool> on = pareto_front(objectives);
    for (std::size_t i = 0; i < points.size(); ++i)
      if (on[i]) on_front.insert(points[i].first);
  }
  for (const auto& [index, kept] : rows_) {
    const json row = json::parse(kept.line);
    out += fmt::format("{},{}", index, csv_field(row["part"].get<std::string>()));
    for (const auto& c : value_columns_) out += "," + csv_value(row["values"].value(c, json()));
    out += "," + row["status"].get<std::string>();
    for (const auto& c : metric_columns_) out += "," + csv_value(row["metrics"].value(c, json()));
    out += kept.ok ? (on_front.count(index) ? ",1" : ",0") : ",";
    out += "," + csv_value(row.value("error", json())) + "\n";
  }
  platform::write_file(path("results.csv"), out);
}

void ResultsDir::write_jsonl() const {
  std::string out;
  for (const auto& [index, row] : rows_) out += row.line + "\n";
  platform::write_file(path("results.jsonl"), out);
}

}  // namespace aimcsim::sweep
