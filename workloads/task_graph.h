// The compiler's output and the runtime's input: operators bound to platform units, with the
// dependencies that the chosen schedule imposes (data, buffer reuse, ordering).
// Compact by design, since a whole LLaMA forward pass is millions of tasks: a task is 48
// bytes of ids, enums and four operands; dependencies live in one flat edge array; names
// (for traces) are built only when the graph is asked to keep them. A dependency list that
// several tasks share is one zero-time join task, not a copy per task.
#pragma once

#include "models/cluster/precision.h"
#include "models/cluster/redmule.h"
#include "models/cluster/worker_cores.h"

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

namespace aimcsim::workloads {

enum class TaskKind : std::uint8_t {
  mvm,           // analog MVMs of `tokens` vectors on a layer's tiles
  stream,        // a transfer the tile array's streamer issues (no DMA involved)
  dma,           // a cluster DMA transfer
  gemm_redmule,  // a GEMM on a cluster's RedMulE
  core_kernel,   // a software kernel on a cluster's worker cores
  join,          // no work: completes the moment its dependencies have (a shared dep list)
};
const char* to_string(TaskKind kind);

// An interconnect endpoint, numbered as the platform adds them: L2, the tile array, then
// cluster k.
struct Endpoint {
  std::uint16_t index = 0;
  static constexpr Endpoint l2() { return {0}; }
  static constexpr Endpoint aimc() { return {1}; }
  static Endpoint cluster(unsigned k) { return {static_cast<std::uint16_t>(2 + k)}; }
  friend bool operator==(Endpoint a, Endpoint b) { return a.index == b.index; }
  friend bool operator!=(Endpoint a, Endpoint b) { return a.index != b.index; }
};
std::string to_string(Endpoint e);  // "l2", "aimc", "cluster3"

using TaskId = std::uint32_t;

struct Task {
  TaskKind kind = TaskKind::join;
  cluster::Precision precision = cluster::Precision::fp16;
  cluster::Kernel kernel = cluster::Kernel::add;  // core_kernel: which kernel
  std::uint16_t cluster = 0;                      // dma, gemm_redmule, core_kernel
  Endpoint src, dst;                              // stream, dma
  std::uint64_t op[4] = {0, 0, 0, 0};             // operands, by kind (accessors below)

  // Analog MVMs of `tokens` vectors for a d_in -> d_out layer whose weights occupy the tiles
  // from first_tile on in row-major blocks of the platform's tile size.
  // residual: the tiles' local digital unit adds a residual to every output.
  static Task mvm(std::uint64_t first_tile, std::uint64_t d_in, std::uint64_t d_out,
                  std::uint64_t tokens, bool residual = false);
  // A transfer issued by the tile array's streamer.
  static Task stream(Endpoint src, Endpoint dst, std::uint64_t bytes);
  // A transfer by cluster's DMA engine.
  static Task dma(unsigned cluster, Endpoint src, Endpoint dst, std::uint64_t bytes);
  // Z(m x k) = X(m x n) . W(n x k) (+ Z for a GEMM op) on cluster's RedMulE.
  static Task gemm(unsigned cluster, std::uint64_t m, std::uint64_t n, std::uint64_t k,
                   cluster::Precision precision, cluster::GemmOp gemm_op = cluster::GemmOp::gemm);
  // A worker-core kernel over elements in rows (row-wise kernels reduce over each row).
  static Task kernel_task(unsigned cluster, cluster::Kernel kernel, std::uint64_t elements,
                          std::uint64_t rows, cluster::Precision precision);
  // Z(m x k) = X(m x n) . W(n x k) on cluster's worker cores.
  static Task core_gemm(unsigned cluster, std::uint64_t m, std::uint64_t n, std::uint64_t k,
                        cluster::Precision precision);

  std::uint64_t first_tile() const { return op[0]; }  // mvm
  std::uint64_t d_in() const { return op[1]; }
  std::uint64_t d_out() const { return op[2]; }
  std::uint64_t tokens() const { return op[3]; }
  bool tile_residual() const { return cluster != 0; }  // mvm (no cluster is involved)
  std::uint64_t bytes() const { return op[0]; }        // stream, dma
  std::uint64_t m() const { return op[0]; }            // gemm_redmule, core gemm
  std::uint64_t n() const { return op[1]; }
  std::uint64_t k() const { return op[2]; }
  cluster::GemmOp gemm_op() const { return static_cast<cluster::GemmOp>(op[3]); }  // gemm_redmule
  std::uint64_t elements() const { return op[0]; }                                 // core_kernel
  std::uint64_t rows() const { return op[1]; }
};

// What a task computes when the graph also carries values (functional co-simulation,
// platform/assembly/value_runtime.h); kept, like names, only when the graph is asked to. `op` is the
// operator instance (CompiledModel::ops; 0 for a single layer), tokens [first, end) are rows
// of its tensors, [lo, hi) a slice: output columns, an input slice of A, or attention keys
// (tokens of the key and value tensors); head is a query head. Transfers carry no tag: values
// do not change on the way (every tensor is stored in the format it travels in).
enum class ValueKind : std::uint8_t {
  none,
  tile_mvm,         // the layer's tiles: tile outputs (partial sums per row block)
  lora_a,           // t (+)= x[lo, hi) . A[lo, hi)   (sliced: accumulates over input slices)
  lora_b,           // z[lo, hi) = t . B[:, lo, hi)
  sum,              // y[lo, hi) = sum of the row blocks' outputs (+ z)
  store,            // the layer's output [lo, hi) leaves for its tensor
  kernel,           // an element-wise or row-wise operator on columns [lo, hi)
  scores,           // S = Q_head . K[lo, hi)^T
  softmax,          // P = softmax(S / sqrt(head_dim)) (causal: masked)
  partial_softmax,  // the online softmax of one key block (running max and sum)
  partial_scale,    // O *= exp(m_old - m_new)
  context,          // O (+)= P . V[lo, hi)
  final_scale,      // O /= l
  head_out,         // O leaves for the output tensor, head's columns
};

struct ValueTag {
  ValueKind kind = ValueKind::none;
  std::uint32_t head = 0;
  std::uint32_t op = 0;
  std::uint32_t first = 0, end = 0;
  std::uint32_t lo = 0, hi = 0;
};

// A view of a task's dependencies.
class DepList {
 public:
  DepList() = default;
  DepList(const TaskId* begin, const TaskId* end) : begin_(begin), end_(end) {}
  const TaskId* begin() const { return begin_; }
  const TaskId* end() const { return end_; }
  std::size_t size() const { return static_cast<std::size_t>(end_ - begin_); }

 private:
  const TaskId* begin_ = nullptr;
  const TaskId* end_ = nullptr;
};

// Builds dependency lists without an allocation per task: one buffer, refilled for each task
// from ids, optional ids and lists. What it returns is valid until its next call, so never
// nest two calls in one expression.
class DepScratch {
 public:
  template <class... Parts>
  const std::vector<TaskId>& operator()(const Parts&... parts) {
    buffer_.clear();
    (append(parts), ...);
    return buffer_;
  }

 private:
  void append(TaskId d) { buffer_.push_back(d); }
  void append(const std::optional<TaskId>& d) {
    if (d) buffer_.push_back(*d);
  }
  void append(const std::vector<TaskId>& v) { buffer_.insert(buffer_.end(), v.begin(), v.end()); }
  std::vector<TaskId> buffer_;
};

class TaskGraph {
 public:
  // names: keep a name per task (for traces); without, name() is built from the kind.
  explicit TaskGraph(bool names = false) : names_on_(names) {}

  // Appends task after deps (earlier tasks). name is a callable returning the task's name,
  // called only when names are kept. Throws a UserError past max_tasks (the work a command
  // may do is limited before it compiles, from estimates: platform::Limits; this is the
  // backstop of a 32-bit task id).
  template <class Name>
  TaskId add(const Task& task, const std::vector<TaskId>& deps, Name&& name) {
    return add_named(task, DepList(deps.data(), deps.data() + deps.size()), name);
  }
  template <class Name>
  TaskId add(const Task& task, std::initializer_list<TaskId> deps, Name&& name) {
    return add_named(task, DepList(deps.begin(), deps.end()), name);
  }
  TaskId add(const Task& task, const std::vector<TaskId>& deps = {}) {
    return add(task, deps, [] { return std::string(); });
  }

  // deps as one dependency for several tasks: itself when it has at most two entries, else
  // a new join task that completes when all of deps have.
  std::vector<TaskId> shared(std::vector<TaskId> deps);

  // Makes room for about n tasks (an estimate: the graph grows past it if needed), so that
  // building a large graph copies nothing and never holds two copies of its arrays.
  void reserve(std::size_t n);

  std::size_t size() const { return tasks_.size(); }
  const Task& task(std::size_t i) const { return tasks_.at(i); }
  const std::vector<Task>& tasks() const { return tasks_; }
  // Task i's dependencies.
  DepList deps(std::size_t i) const;
  std::vector<TaskId> dep_list(std::size_t i) const;  // a copy, for tests
  std::size_t edges() const { return edges_.size(); }
  bool has_names() const { return names_on_; }
  // Values: tags are kept once keep_values() was called (before the first task).
  void keep_values() { values_on_ = true; }
  bool has_values() const { return values_on_; }
  // Tags task id (no effect without keep_values).
  void tag(TaskId id, const ValueTag& tag);
  // Task i's tag (kind none when untagged or without values).
  ValueTag value_tag(std::size_t i) const;
  // The name given to add(), or "<kind> <i>" when names are not kept.
  std::string name(std::size_t i) const;

  // The most tasks a graph may hold.
  void set_max_tasks(std::uint64_t n) { max_tasks_ = n ? n : kDefaultMaxTasks; }
  std::uint64_t max_tasks() const { return max_tasks_; }
  static constexpr std::uint64_t kDefaultMaxTasks = UINT32_MAX;

 private:
  template <class Name>
  TaskId add_named(const Task& task, DepList deps, Name& name) {
    const TaskId id = append(task, deps);
    if (names_on_) names_.push_back(name());
    return id;
  }
  TaskId append(const Task& task, DepList deps);

  bool names_on_;
  bool values_on_ = false;
  std::vector<ValueTag> tags_;  // with values: one per task
  std::uint64_t max_tasks_ = kDefaultMaxTasks;
  std::vector<Task> tasks_;
  std::vector<std::uint64_t> dep_end_;  // task i's deps are edges_[dep_end_[i-1], dep_end_[i])
  std::vector<TaskId> edges_;
  std::vector<std::string> names_;
};

}  // namespace aimcsim::workloads
