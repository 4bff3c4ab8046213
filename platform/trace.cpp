#include "platform/trace.h"

#include <fmt/format.h>

#include <map>

namespace aimcsim::platform {
namespace {

std::string track_of(const workloads::Task& t) {
  using workloads::TaskKind;
  switch (t.kind) {
    case TaskKind::mvm:
      return "aimc tiles";
    case TaskKind::stream:
      return "interconnect (tile streams)";
    case TaskKind::dma:
      return fmt::format("cluster{} dma", t.cluster);
    case TaskKind::gemm_redmule:
      return fmt::format("cluster{} redmule", t.cluster);
    case TaskKind::core_kernel:
      return fmt::format("cluster{} cores", t.cluster);
  }
  return "?";
}

}  // namespace

nlohmann::ordered_json trace_events(const std::vector<TracedRun>& runs) {
  using json = nlohmann::ordered_json;
  json events = json::array();
  for (std::size_t pid = 0; pid < runs.size(); ++pid) {
    const auto& r = runs[pid];
    events.push_back(
        json{{"name", "process_name"}, {"ph", "M"}, {"pid", pid}, {"args", {{"name", r.name}}}});
    std::map<std::string, std::size_t> tracks;  // sorted names give a stable track order
    for (const auto& t : r.graph->tasks()) tracks.emplace(track_of(t), 0);
    std::size_t tid = 0;
    for (auto& [name, id] : tracks) {
      id = tid++;
      events.push_back(json{{"name", "thread_name"},
                            {"ph", "M"},
                            {"pid", pid},
                            {"tid", id},
                            {"args", {{"name", name}}}});
    }
    const auto& tasks = r.graph->tasks();
    for (std::size_t i = 0; i < tasks.size(); ++i) {
      const auto& timing = r.run->tasks[i];
      events.push_back(json{{"name", tasks[i].name},
                            {"ph", "X"},
                            {"pid", pid},
                            {"tid", tracks.at(track_of(tasks[i]))},
                            {"ts", (timing.start_ps - r.run->start_ps) / 1e6},
                            {"dur", (timing.end_ps - timing.start_ps) / 1e6}});
    }
  }
  return json{{"displayTimeUnit", "ns"}, {"traceEvents", events}};
}

}  // namespace aimcsim::platform
