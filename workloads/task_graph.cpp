#include "workloads/task_graph.h"

#include "models/sim/errors.h"

#include <stdexcept>

#include <fmt/format.h>

namespace aimcsim::workloads {

static_assert(sizeof(Task) == 48, "a task is 48 bytes (task_graph.h): keep it compact");

const char* to_string(TaskKind kind) {
  switch (kind) {
    case TaskKind::mvm:
      return "mvm";
    case TaskKind::stream:
      return "stream";
    case TaskKind::dma:
      return "dma";
    case TaskKind::gemm_redmule:
      return "gemm";
    case TaskKind::core_kernel:
      return "kernel";
    case TaskKind::join:
      return "join";
  }
  return "?";
}

std::string to_string(Endpoint e) {
  if (e == Endpoint::l2()) return "l2";
  if (e == Endpoint::aimc()) return "aimc";
  return fmt::format("cluster{}", e.index - 2);
}

Task Task::mvm(std::uint64_t first_tile, std::uint64_t d_in, std::uint64_t d_out,
               std::uint64_t tokens, bool residual) {
  Task t;
  t.kind = TaskKind::mvm;
  t.cluster = residual ? 1 : 0;
  t.op[0] = first_tile;
  t.op[1] = d_in;
  t.op[2] = d_out;
  t.op[3] = tokens;
  return t;
}

Task Task::stream(Endpoint src, Endpoint dst, std::uint64_t bytes) {
  Task t;
  t.kind = TaskKind::stream;
  t.src = src;
  t.dst = dst;
  t.op[0] = bytes;
  return t;
}

Task Task::dma(unsigned cluster, Endpoint src, Endpoint dst, std::uint64_t bytes) {
  Task t = stream(src, dst, bytes);
  t.kind = TaskKind::dma;
  t.cluster = static_cast<std::uint16_t>(cluster);
  return t;
}

Task Task::gemm(unsigned cluster, std::uint64_t m, std::uint64_t n, std::uint64_t k,
                cluster::Precision precision, cluster::GemmOp gemm_op) {
  Task t;
  t.kind = TaskKind::gemm_redmule;
  t.cluster = static_cast<std::uint16_t>(cluster);
  t.precision = precision;
  t.op[0] = m;
  t.op[1] = n;
  t.op[2] = k;
  t.op[3] = static_cast<std::uint64_t>(gemm_op);
  return t;
}

Task Task::kernel_task(unsigned cluster, cluster::Kernel kernel, std::uint64_t elements,
                       std::uint64_t rows, cluster::Precision precision) {
  Task t;
  t.kind = TaskKind::core_kernel;
  t.cluster = static_cast<std::uint16_t>(cluster);
  t.kernel = kernel;
  t.precision = precision;
  t.op[0] = elements;
  t.op[1] = rows;
  return t;
}

Task Task::core_gemm(unsigned cluster, std::uint64_t m, std::uint64_t n, std::uint64_t k,
                     cluster::Precision precision) {
  Task t = gemm(cluster, m, n, k, precision);
  t.kind = TaskKind::core_kernel;
  t.kernel = cluster::Kernel::gemm;
  return t;
}

TaskId TaskGraph::append(const Task& task, DepList deps) {
  if (tasks_.size() >= max_tasks_)
    throw sim::UserError(
        fmt::format("the task graph would exceed the limit of {} tasks per graph", max_tasks_));
  const auto id = static_cast<TaskId>(tasks_.size());
  for (const TaskId d : deps) {
    if (d >= id) throw std::logic_error("task depends on a later task");
    edges_.push_back(d);
  }
  tasks_.push_back(task);
  dep_end_.push_back(edges_.size());
  return id;
}

void TaskGraph::reserve(std::size_t n) {
  tasks_.reserve(n);
  dep_end_.reserve(n);
  edges_.reserve(2 * n);  // about two dependencies a task
  if (names_on_) names_.reserve(n);
}

std::vector<TaskId> TaskGraph::shared(std::vector<TaskId> deps) {
  if (deps.size() <= 2) return deps;
  const TaskId join = add(Task{}, deps, [] { return std::string("join"); });
  return {join};
}

DepList TaskGraph::deps(std::size_t i) const {
  const std::uint64_t begin = i == 0 ? 0 : dep_end_.at(i - 1);
  return DepList(edges_.data() + begin, edges_.data() + dep_end_.at(i));
}

std::vector<TaskId> TaskGraph::dep_list(std::size_t i) const {
  const DepList d = deps(i);
  return std::vector<TaskId>(d.begin(), d.end());
}

void TaskGraph::tag(TaskId id, const ValueTag& tag) {
  if (!values_on_) return;
  if (tags_.size() <= id) tags_.resize(static_cast<std::size_t>(id) + 1);
  tags_[id] = tag;
}

ValueTag TaskGraph::value_tag(std::size_t i) const {
  return values_on_ && i < tags_.size() ? tags_[i] : ValueTag{};
}

std::string TaskGraph::name(std::size_t i) const {
  if (names_on_) return names_.at(i);
  return fmt::format("{} {}", to_string(tasks_.at(i).kind), i);
}

}  // namespace aimcsim::workloads
