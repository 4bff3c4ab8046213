// The compiler's output and the runtime's input: operators bound to platform units, with the
// dependencies that the chosen schedule imposes (data, buffer reuse, ordering).
#pragma once

#include "models/cluster/precision.h"

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace aimcsim::workloads {

enum class TaskKind {
  mvm,           // analog MVMs of `tokens` vectors on a layer's tiles
  stream,        // a transfer the tile array's streamer issues (no DMA involved)
  dma,           // a cluster DMA transfer
  gemm_redmule,  // a GEMM on a cluster's RedMulE
  core_kernel,   // a software kernel on a cluster's worker cores
};

struct TileBlock {  // one tile of a layer and the part of it in use
  std::uint64_t tile, rows, cols;
};

struct Task {
  Task() = default;
  Task(TaskKind kind_, std::string name_, std::vector<std::size_t> deps_)
      : kind(kind_), name(std::move(name_)), deps(std::move(deps_)) {}

  // A DMA transfer by cluster's DMA engine between two endpoints.
  static Task dma(std::string name, std::vector<std::size_t> deps, unsigned cluster,
                  std::string src, std::string dst, std::uint64_t bytes) {
    Task t{TaskKind::dma, std::move(name), std::move(deps)};
    t.cluster = cluster;
    t.src = std::move(src);
    t.dst = std::move(dst);
    t.bytes = bytes;
    return t;
  }
  // Z(m x k) = X(m x n) . W(n x k) on cluster's RedMulE.
  static Task gemm(std::string name, std::vector<std::size_t> deps, unsigned cluster,
                   std::uint64_t m, std::uint64_t n, std::uint64_t k,
                   cluster::Precision precision) {
    Task t{TaskKind::gemm_redmule, std::move(name), std::move(deps)};
    t.cluster = cluster;
    t.m = m;
    t.n = n;
    t.k = k;
    t.precision = precision;
    return t;
  }

  TaskKind kind{};
  std::string name;  // "chunk 3 lora_a", for traces and errors
  std::vector<std::size_t> deps;
  // mvm
  std::vector<TileBlock> tiles;
  std::uint64_t tokens = 0;
  // stream, dma: endpoint names ("l2", "aimc", "cluster0")
  std::string src, dst;
  std::uint64_t bytes = 0;
  // gemm_redmule, core_kernel
  unsigned cluster = 0;
  std::string kernel;  // core kernel name: add, softmax, gemm, ... (WorkerCores::kernel_names)
  std::uint64_t m = 0, n = 0, k = 0, elements = 0;
  std::uint64_t rows = 0;  // rows of a row-wise kernel (softmax, norms)
  cluster::Precision precision = cluster::Precision::fp16;
};

class TaskGraph {
 public:
  std::size_t add(Task task) {
    for (auto d : task.deps)
      if (d >= tasks_.size()) throw std::logic_error("task depends on a later task");
    tasks_.push_back(std::move(task));
    return tasks_.size() - 1;
  }
  Task& operator[](std::size_t i) { return tasks_.at(i); }
  const std::vector<Task>& tasks() const { return tasks_; }

 private:
  std::vector<Task> tasks_;
};

}  // namespace aimcsim::workloads
