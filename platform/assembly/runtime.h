// Executes a task graph on a platform: a task is dispatched to its unit the moment its last
// dependency completes; the unit returns when it will start and end the task (from the
// next-free state of the resources it books) and the completion queue wakes the runtime at
// the end. The runtime records every task's dispatch time, the time its unit actually started
// it (after queueing behind earlier work) and its end time. A tile stream has no engine of
// its own (it is pipelined through the interconnect's hops): it starts when dispatched.
#pragma once

#include "platform/assembly/platform.h"
#include "workloads/task_graph.h"

#include <cstdint>
#include <string>
#include <vector>

namespace aimcsim::platform {

struct TaskTiming {
  std::uint64_t ready_ps = 0;  // dispatched: its last dependency completed
  std::uint64_t start_ps = 0;  // its unit started it (ready_ps <= start_ps <= end_ps)
  std::uint64_t end_ps = 0;
};

struct RunResult {
  std::uint64_t start_ps = 0, end_ps = 0;
  std::vector<TaskTiming> tasks;
  // With record_energy: the unit types of the platform, the dynamic energy each task spent in
  // each of them (tasks x units, pJ) and each unit type's leakage power (W).
  std::vector<std::string> energy_units;
  std::vector<double> task_energy_pj;
  std::vector<double> static_power_w;
  std::uint64_t makespan_ps() const { return end_ps - start_ps; }
};

// Runs graph to completion with sc_start and returns its timing. Starts at the next multiple
// of the platform's run alignment (a whole microsecond on a multiple of every clock period)
// with every unit idle, so that runs do not see each other.
// With record_energy, also each task's energy (one platform-wide energy reading before and after
// each task: for traces, not for speed).
RunResult run_graph(Platform& platform, const workloads::TaskGraph& graph,
                    bool record_energy = false);

}  // namespace aimcsim::platform
