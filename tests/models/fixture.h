// Builds a platform from YAML text (defaults for everything not given) and runs task graphs
// on it. One platform per test process: SystemC elaborates once.
#pragma once

#include "platform/platform.h"
#include "platform/runtime.h"

#include <memory>
#include <string>

namespace aimcsim::test {

struct TestPlatform {
  explicit TestPlatform(const std::string& yaml = "{}", const char* name = "platform")
      : config(sim::Config::from_string(yaml, "test.yaml")),
        platform(std::make_unique<platform::Platform>(name, config)) {
    config.check_all_read();
  }
  // Runs graph and returns its makespan in ns.
  double run_ns(const workloads::TaskGraph& graph) {
    for (const auto& t : graph.tasks())
      for (const auto& b : t.tiles) platform->aimc().require_tiles(b.tile + 1, "test graph");
    platform->reset_stats();
    last = platform::run_graph(*platform, graph);
    return last.makespan_ps() / 1000.0;
  }
  double task_ns(std::size_t i) const { return (last.tasks.at(i).end_ps - last.start_ps) / 1000.0; }
  sim::Config config;
  std::unique_ptr<platform::Platform> platform;
  platform::RunResult last;
};

inline workloads::Task mvm_task(std::uint64_t rows, std::uint64_t cols, std::uint64_t tokens) {
  workloads::Task t(workloads::TaskKind::mvm, "mvm", {});
  t.tiles = {workloads::TileBlock{0, rows, cols}};
  t.tokens = tokens;
  return t;
}

inline workloads::Task transfer_task(workloads::TaskKind kind, const std::string& src,
                                     const std::string& dst, std::uint64_t bytes) {
  workloads::Task t(kind, "transfer", {});
  t.src = src;
  t.dst = dst;
  t.bytes = bytes;
  return t;
}

inline workloads::Task redmule_task(std::uint64_t m, std::uint64_t n, std::uint64_t k) {
  workloads::Task t(workloads::TaskKind::gemm_redmule, "gemm", {});
  t.m = m;
  t.n = n;
  t.k = k;
  return t;
}

}  // namespace aimcsim::test
