#include "platform/runtime.h"

#include <algorithm>
#include <functional>
#include <stdexcept>

namespace aimcsim::platform {
namespace {

constexpr std::uint64_t kAlignPs = 1000000;  // runs start on a whole microsecond

class Executor {
 public:
  Executor(Platform& platform, const workloads::TaskGraph& graph)
      : platform_(platform),
        graph_(graph),
        waiting_(graph.tasks().size(), 0),
        dependents_(graph.tasks().size()) {
    result_.tasks.resize(graph.tasks().size());
    for (std::size_t i = 0; i < graph.tasks().size(); ++i) {
      waiting_[i] = graph.tasks()[i].deps.size();
      for (auto d : graph.tasks()[i].deps) dependents_[d].push_back(i);
    }
  }

  RunResult run() {
    result_.start_ps = sim::CompletionQueue::now_ps();
    result_.end_ps = result_.start_ps;
    for (std::size_t i = 0; i < waiting_.size(); ++i)
      if (waiting_[i] == 0) dispatch(i);
    sc_core::sc_start();  // returns when no event is left
    if (finished_ != waiting_.size()) throw std::logic_error("task graph did not complete");
    return result_;
  }

 private:
  void dispatch(std::size_t i) {
    const workloads::Task& t = graph_.tasks()[i];
    const std::uint64_t now = sim::CompletionQueue::now_ps();
    const sim::Interval busy = execute(t, now);
    result_.tasks[i] = TaskTiming{now, busy.start_ps, busy.end_ps};
    platform_.events().at(busy.end_ps, [this, i] { complete(i); });
  }

  sim::Interval execute(const workloads::Task& t, std::uint64_t now) {
    using workloads::TaskKind;
    switch (t.kind) {
      case TaskKind::mvm: {
        // From the first tile's first input phase to the last tile's last output phase.
        sim::Interval all{UINT64_MAX, now};
        for (const auto& b : t.tiles) {
          const sim::Interval one =
              platform_.aimc().run_mvms(b.tile, 1, b.rows, b.cols, t.tokens, now);
          all.start_ps = std::min(all.start_ps, one.start_ps);
          all.end_ps = std::max(all.end_ps, one.end_ps);
        }
        all.start_ps = std::min(all.start_ps, all.end_ps);
        return all;
      }
      case TaskKind::stream:
        return sim::Interval{
            now, platform_.net().transfer(platform_.endpoint(t.src), platform_.endpoint(t.dst),
                                          t.bytes, now)};
      case TaskKind::dma:
        return platform_.cluster(t.cluster).run_dma(
            platform_.endpoint(t.src), platform_.endpoint(t.dst), t.bytes, now, platform_.net());
      case TaskKind::gemm_redmule:
        return platform_.cluster(t.cluster).run_gemm_redmule(t.m, t.n, t.k, t.precision, now);
      case TaskKind::core_kernel: {
        auto& cluster = platform_.cluster(t.cluster);
        if (t.kernel == "gemm")
          return cluster.run_kernel(cluster.cores().gemm_cost(t.m, t.n, t.k, t.precision), now);
        return cluster.run_kernel(
            cluster.cores().kernel_cost(t.kernel, t.elements, t.rows, t.precision), now);
      }
    }
    throw std::logic_error("unknown task kind");
  }

  void complete(std::size_t i) {
    ++finished_;
    result_.end_ps = std::max(result_.end_ps, result_.tasks[i].end_ps);
    for (auto d : dependents_[i])
      if (--waiting_[d] == 0) dispatch(d);
  }

  Platform& platform_;
  const workloads::TaskGraph& graph_;
  std::vector<std::size_t> waiting_;
  std::vector<std::vector<std::size_t>> dependents_;
  std::size_t finished_ = 0;
  RunResult result_;
};

}  // namespace

RunResult run_graph(Platform& platform, const workloads::TaskGraph& graph) {
  const std::uint64_t now = sim::CompletionQueue::now_ps();
  const std::uint64_t start = (now / kAlignPs + 1) * kAlignPs;
  sc_core::sc_start(sc_core::sc_time::from_value(start - now));
  Executor executor(platform, graph);
  return executor.run();
}

}  // namespace aimcsim::platform
