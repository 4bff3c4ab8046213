// Builds a platform from YAML text (defaults for everything not given) and runs task graphs
// on it. One platform per test process: SystemC elaborates once.
#pragma once

#include "platform/assembly/platform.h"
#include "platform/assembly/runtime.h"

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
    auto& aimc = platform->aimc();
    for (const auto& t : graph.tasks())
      if (t.kind == workloads::TaskKind::mvm)
        aimc.require_tiles(t.first_tile() + sim::ceil_div(t.d_in(), aimc.rows()) *
                                                sim::ceil_div(t.d_out(), aimc.cols()),
                           "test graph");
    platform->reset_stats();
    last = platform::run_graph(*platform, graph);
    return last.makespan_ps() / 1000.0;
  }
  double task_ns(std::size_t i) const { return (last.tasks.at(i).end_ps - last.start_ps) / 1000.0; }
  sim::Config config;
  std::unique_ptr<platform::Platform> platform;
  platform::RunResult last;
};

// MVMs of `tokens` vectors on tile 0, using rows x cols of it.
inline workloads::Task mvm_task(std::uint64_t rows, std::uint64_t cols, std::uint64_t tokens) {
  return workloads::Task::mvm(0, rows, cols, tokens);
}

// "l2", "aimc" or "clusterN".
inline workloads::Endpoint endpoint_named(const std::string& name) {
  if (name == "l2") return workloads::Endpoint::l2();
  if (name == "aimc") return workloads::Endpoint::aimc();
  return workloads::Endpoint::cluster(static_cast<unsigned>(std::stoul(name.substr(7))));
}

// A stream, or a DMA transfer by cluster 0's DMA engine.
inline workloads::Task transfer_task(workloads::TaskKind kind, const std::string& src,
                                     const std::string& dst, std::uint64_t bytes) {
  return kind == workloads::TaskKind::dma
             ? workloads::Task::dma(0, endpoint_named(src), endpoint_named(dst), bytes)
             : workloads::Task::stream(endpoint_named(src), endpoint_named(dst), bytes);
}

inline workloads::Task redmule_task(std::uint64_t m, std::uint64_t n, std::uint64_t k) {
  return workloads::Task::gemm(0, m, n, k, cluster::Precision::fp16);
}

}  // namespace aimcsim::test
