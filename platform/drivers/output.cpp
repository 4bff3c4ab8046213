#include "platform/drivers/output.h"

#include "models/sim/errors.h"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <system_error>

#include <fmt/format.h>

namespace aimcsim::platform {
namespace {

namespace fs = std::filesystem;

// The absolute, normal form of path (the path itself when the working directory is unknown).
fs::path normal(const std::string& path) {
  std::error_code ec;
  const fs::path a = fs::absolute(path, ec);
  return (ec ? fs::path(path) : a).lexically_normal();
}

// The directory a file goes into ("." for a bare name).
fs::path parent_of(const std::string& path) {
  const fs::path parent = fs::path(path).parent_path();
  return parent.empty() ? fs::path(".") : parent;
}

// Why dir cannot take new files, or "" when it can.
std::string unwritable_dir(const fs::path& dir) {
  std::error_code ec;
  const fs::file_status st = fs::status(dir, ec);
  if (!fs::exists(st)) return fmt::format("the directory {} does not exist", dir.string());
  if (!fs::is_directory(st)) return fmt::format("{} is not a directory", dir.string());
  if (::access(dir.c_str(), W_OK | X_OK) != 0)
    return fmt::format("the directory {} is not writable", dir.string());
  return "";
}

std::string write_temp(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp";
  std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out.flush()) {
    std::remove(tmp.c_str());
    throw sim::UserError(fmt::format("{}: cannot write the file", path));
  }
  return tmp;
}

}  // namespace

void write_file(const std::string& path, const std::string& text) {
  const std::string tmp = write_temp(path, text);
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    throw sim::UserError(fmt::format("{}: cannot write the file", path));
  }
}

std::string config_path_for(const std::string& json_path) {
  const std::string suffix = ".json";
  std::string stem = json_path;
  if (stem.size() > suffix.size() &&
      stem.compare(stem.size() - suffix.size(), suffix.size(), suffix) == 0)
    stem.resize(stem.size() - suffix.size());
  return stem + ".config.yaml";
}

void OutputSet::claim(const std::string& option, const std::string& path) {
  if (path.empty()) throw sim::UserError(option + ": expected a path, got an empty one");
  const fs::path mine = normal(path);
  for (const auto& f : files_)
    if (normal(f.path) == mine)
      throw sim::UserError(
          fmt::format("{} {}: the same file as {} {}", option, path, f.option, f.path));
}

void OutputSet::file(const std::string& option, const std::string& path) {
  claim(option, path);
  std::error_code ec;
  if (fs::is_directory(path, ec))
    throw sim::UserError(fmt::format("{} {}: is a directory; expected a file name", option, path));
  // A file inside a directory this command creates (run --out DIR) is checked with it.
  const fs::path parent = parent_of(path);
  bool created_here = false;
  for (const auto& [o, dir] : dirs_)
    created_here = created_here || normal(dir) == normal(parent.string());
  if (!created_here) {
    const std::string why = unwritable_dir(parent);
    if (!why.empty()) throw sim::UserError(fmt::format("{} {}: {}", option, path, why));
  }
  files_.push_back(Entry{option, path, "", false});
}

void OutputSet::directory(const std::string& option, const std::string& path) {
  if (path.empty()) throw sim::UserError(option + ": expected a directory, got an empty path");
  std::error_code ec;
  fs::path dir = normal(path);
  if (fs::exists(dir, ec)) {
    const std::string why = unwritable_dir(dir);
    if (!why.empty()) throw sim::UserError(fmt::format("{} {}: {}", option, path, why));
  } else {
    // Created at commit: the nearest existing ancestor must take it.
    fs::path up = dir.parent_path();
    while (!up.empty() && !fs::exists(up, ec) && up != up.root_path()) up = up.parent_path();
    const std::string why = unwritable_dir(up.empty() ? fs::path(".") : up);
    if (!why.empty())
      throw sim::UserError(fmt::format("{} {}: cannot be created: {}", option, path, why));
  }
  dirs_.emplace_back(option, path);
}

void OutputSet::set(const std::string& path, std::string text) {
  for (auto& f : files_) {
    if (f.path != path) continue;
    f.text = std::move(text);
    f.staged = true;
    return;
  }
  throw std::logic_error("OutputSet: " + path + " was not declared");
}

void OutputSet::commit() {
  for (const auto& [option, dir] : dirs_) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec)
      throw sim::UserError(
          fmt::format("{} {}: cannot create the directory: {}", option, dir, ec.message()));
  }
  std::vector<std::string> temps;
  try {
    for (const auto& f : files_) {
      if (!f.staged) throw std::logic_error("OutputSet: " + f.path + " was declared, not set");
      temps.push_back(write_temp(f.path, f.text));
    }
  } catch (...) {
    for (const auto& t : temps) std::remove(t.c_str());
    throw;
  }
  for (std::size_t i = 0; i < files_.size(); ++i) {
    if (std::rename(temps[i].c_str(), files_[i].path.c_str()) != 0) {
      for (std::size_t j = i; j < temps.size(); ++j) std::remove(temps[j].c_str());
      throw sim::UserError(fmt::format("{}: cannot write the file", files_[i].path));
    }
  }
}

}  // namespace aimcsim::platform
