#include "platform/assembly/runtime.h"

#include "models/sim/checked.h"

#include <algorithm>
#include <stdexcept>

namespace aimcsim::platform {
namespace {

using workloads::TaskId;
using workloads::TaskKind;

class Executor {
 public:
  Executor(Platform& platform, const workloads::TaskGraph& graph, bool record_energy)
      : platform_(platform),
        graph_(graph),
        waiting_(graph.size(), 0),
        record_energy_(record_energy) {
    const std::size_t n = graph.size();
    result_.tasks.resize(n);
    if (record_energy_) {
      for (const auto& u : platform_.cost().units) result_.energy_units.push_back(u.unit);
      result_.task_energy_pj.assign(n * result_.energy_units.size(), 0.0);
    }
    // Dependents as one flat array (CSR), each task's in ascending order: the order in which
    // the tasks that a completion makes ready are dispatched.
    first_dependent_.assign(n + 1, 0);
    for (std::size_t i = 0; i < n; ++i) {
      const auto deps = graph.deps(i);
      waiting_[i] = static_cast<std::uint32_t>(deps.size());
      for (const TaskId d : deps) ++first_dependent_[d + 1];
    }
    for (std::size_t i = 0; i < n; ++i) first_dependent_[i + 1] += first_dependent_[i];
    dependents_.resize(first_dependent_[n]);
    std::vector<std::uint64_t> fill(first_dependent_.begin(), first_dependent_.end() - 1);
    for (std::size_t i = 0; i < n; ++i)
      for (const TaskId d : graph.deps(i)) dependents_[fill[d]++] = static_cast<TaskId>(i);
  }

  RunResult run() {
    result_.start_ps = sim::CompletionQueue::now_ps();
    result_.end_ps = result_.start_ps;
    for (std::size_t i = 0; i < waiting_.size(); ++i)
      if (waiting_[i] == 0) {
        if (graph_.task(i).kind == TaskKind::join) throw std::logic_error("join without deps");
        dispatch(static_cast<TaskId>(i));
      }
    sc_core::sc_start();  // returns when no event is left
    platform_.events().rethrow_failure();
    if (finished_ != waiting_.size()) throw std::logic_error("task graph did not complete");
    return std::move(result_);
  }

 private:
  void dispatch(TaskId i) {
    const workloads::Task& t = graph_.task(i);
    const std::uint64_t now = sim::CompletionQueue::now_ps();
    // Every model charges a task's energy when it is dispatched (closed-form jobs), so the
    // difference of two readings is exactly that task's.
    const RunCost before = record_energy_ ? platform_.cost() : RunCost{};
    const sim::Interval busy = execute(t, now);
    if (record_energy_) {
      const RunCost after = platform_.cost();
      for (std::size_t u = 0; u < after.units.size(); ++u)
        result_.task_energy_pj[i * after.units.size() + u] =
            sim::to_pj(after.units[u].dynamic_aj - before.units[u].dynamic_aj);
    }
    result_.tasks[i] = TaskTiming{now, busy.start_ps, busy.end_ps};
    platform_.events().at(busy.end_ps, {&Executor::on_complete, this, i});
  }

  sim::Interval execute(const workloads::Task& t, std::uint64_t now) {
    switch (t.kind) {
      case TaskKind::mvm:
        return platform_.aimc().run_layer(t.first_tile(), t.d_in(), t.d_out(), t.tokens(), now,
                                          t.tile_residual());
      case TaskKind::stream:
        return sim::Interval{
            now, platform_.net().transfer(endpoint(t.src), endpoint(t.dst), t.bytes(), now)};
      case TaskKind::dma:
        return platform_.cluster(t.cluster).run_dma(endpoint(t.src), endpoint(t.dst), t.bytes(),
                                                    now, platform_.net());
      case TaskKind::gemm_redmule:
        return platform_.cluster(t.cluster).run_gemm_redmule(t.m(), t.n(), t.k(), t.precision,
                                                             t.gemm_op(), now);
      case TaskKind::core_kernel: {
        auto& cluster = platform_.cluster(t.cluster);
        if (t.kernel == cluster::Kernel::gemm)
          return cluster.run_kernel(cluster.cores().gemm_cost(t.m(), t.n(), t.k(), t.precision),
                                    now);
        return cluster.run_kernel(
            cluster.cores().kernel_cost(t.kernel, t.elements(), t.rows(), t.precision), now);
      }
      case TaskKind::join:
        break;
    }
    throw std::logic_error("a join task is never dispatched");
  }

  unsigned endpoint(workloads::Endpoint e) const {
    if (e.index >= platform_.endpoint_count())
      throw std::logic_error("task names an endpoint the platform does not have");
    return e.index;
  }

  // Marks i done at now and collects the tasks that became ready; a join among them is done
  // at once, and what it releases is collected too.
  void release(TaskId i) {
    ++finished_;
    for (std::uint64_t e = first_dependent_[i]; e < first_dependent_[i + 1]; ++e) {
      const TaskId d = dependents_[e];
      if (--waiting_[d] != 0) continue;
      if (graph_.task(d).kind == TaskKind::join) {
        const std::uint64_t now = sim::CompletionQueue::now_ps();
        result_.tasks[d] = TaskTiming{now, now, now};
        release(d);
      } else {
        ready_.push_back(d);
      }
    }
  }

  static void on_complete(void* self, std::uint64_t task) {
    static_cast<Executor*>(self)->complete(static_cast<TaskId>(task));
  }

  void complete(TaskId i) {
    result_.end_ps = std::max(result_.end_ps, result_.tasks[i].end_ps);
    ready_.clear();
    release(i);
    // In index order, as if every join's dependents depended on its inputs directly.
    std::sort(ready_.begin(), ready_.end());
    for (const TaskId d : ready_) dispatch(d);
  }

  Platform& platform_;
  const workloads::TaskGraph& graph_;
  std::vector<std::uint32_t> waiting_;
  bool record_energy_;
  std::vector<std::uint64_t> first_dependent_;
  std::vector<TaskId> dependents_;
  std::vector<TaskId> ready_;
  std::size_t finished_ = 0;
  RunResult result_;
};

}  // namespace

RunResult run_graph(Platform& platform, const workloads::TaskGraph& graph, bool record_energy) {
  const std::uint64_t now = sim::CompletionQueue::now_ps();
  const std::uint64_t align = platform.run_alignment_ps();
  const std::uint64_t start =
      sim::mul(now / align + 1, align, "the start of the next run (simulated time so far)");
  sc_core::sc_start(sc_core::sc_time::from_value(start - now));
  platform.count_simulated(graph.size());
  Executor executor(platform, graph, record_energy);
  RunResult result = executor.run();
  platform.close_run(result.makespan_ps());
  if (record_energy)
    for (const auto& u : platform.cost().units)
      result.static_power_w.push_back(static_cast<double>(u.static_power_uw) / 1e6);
  return result;
}

}  // namespace aimcsim::platform
