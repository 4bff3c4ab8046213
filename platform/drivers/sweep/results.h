// A sweep's output directory. results.jsonl is the journal: one line per finished point,
// kept in memory as its text (a few hundred bytes a row, so a million-point sweep fits),
// appended with a single write, so an interrupted sweep leaves only whole rows (a torn last
// line is dropped on reopening). results.csv is rewritten whole (temporary file + rename)
// from the rows, in point order. spec.yaml holds the effective spec and platform.yaml the
// platform file's effective configuration; reopening a directory where either differs is an
// error, so rows of different sweeps never mix.
#pragma once

#include "platform/drivers/sweep/spec.h"

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

namespace aimcsim::sweep {

class ResultsDir {
 public:
  // Creates dir and writes spec.yaml and platform.yaml, or checks those there and reads the
  // finished rows; throws UserError when dir holds results of another spec or platform.
  ResultsDir(std::string dir, const Spec& spec, const std::string& platform_yaml);

  std::size_t rows() const { return rows_.size(); }
  bool finished(std::size_t point) const { return rows_.count(point) > 0; }
  // A finished point's row: its status and its error (empty when ok).
  bool ok(std::size_t point) const { return rows_.at(point).ok; }
  std::string error(std::size_t point) const;

  // The journal row of a point: its index, part and swept values, then the outcome
  // (status, metrics, error) as the worker returned it.
  nlohmann::ordered_json make_row(const Point& point, const nlohmann::ordered_json& outcome) const;
  // Appends row to results.jsonl (one write of one line).
  void append(const nlohmann::ordered_json& row);
  // Rewrites results.csv from the rows, in point order.
  void write_csv() const;
  // Rewrites results.jsonl in point order (a complete sweep's journal is then deterministic).
  void write_jsonl() const;

  const std::string& dir() const { return dir_; }
  std::string path(const std::string& file) const { return dir_ + "/" + file; }

 private:
  void read_journal();

  std::string dir_;
  const Spec& spec_;
  std::vector<std::string> value_columns_, metric_columns_;
  struct Row {
    std::string line;  // the journal line, without its line break
    bool ok = false;
  };
  void keep(std::size_t point, const nlohmann::ordered_json& row);
  std::map<std::size_t, Row> rows_;
};

}  // namespace aimcsim::sweep
