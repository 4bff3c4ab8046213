#include "platform/experiments/adapter_experiment.h"

#include "models/sim/checked.h"
#include "platform/assembly/runtime.h"

#include <fmt/format.h>

namespace aimcsim::platform {
namespace {

AdapterRun run_of(const std::string& task, const workloads::LoraSpec& lora, const ModelOutcome& o) {
  AdapterRun r;
  r.task = task;
  r.lora = lora;
  r.t_analog_ns = o.t_analog_ns();
  r.t_hybrid_ns = o.t_hybrid_ns();
  r.e_hybrid_nj = sim::to_nj(o.cost_hybrid.total_aj());
  return r;
}

// Loads an adapter's resident LoRA weights into the clusters holding them, all at once.
double simulate_switch(Platform& platform, const ModelOutcome& o, AdapterRun& run) {
  workloads::TaskGraph g;
  const workloads::Endpoint from = lora_home(platform, o);
  for (unsigned k = 0; k < o.mapping.resident_bytes.size(); ++k) {
    const std::uint64_t bytes = o.mapping.resident_bytes[k];
    if (bytes == 0) continue;
    run.switch_bytes += bytes;
    g.add(workloads::Task::dma(k, from, workloads::Endpoint::cluster(k), bytes));
  }
  if (g.size() == 0) return 0;
  platform.reset_stats();
  return static_cast<double>(run_graph(platform, g).makespan_ps()) / 1000.0;
}

}  // namespace

AdapterOutcome run_adapters(Platform& platform, const ModelRequest& base,
                            const std::vector<workloads::TaskAdapter>& adapters,
                            const std::vector<std::string>& requests, const ModelOutcome& first) {
  AdapterOutcome out;
  out.requests = requests;
  out.tokens_per_request = base.schedule.tokens();
  for (std::size_t i = 0; i < adapters.size(); ++i) {
    const auto& a = adapters[i];
    AdapterRun run;
    if (i == 0) {
      run = run_of(a.task, a.lora, first);
      run.switch_ns = simulate_switch(platform, first, run);
    } else {
      ModelRequest r = base;
      r.lora = a.lora;
      r.keep_graphs = false;
      r.validate();
      const ModelOutcome o = run_model(platform, r);
      run = run_of(a.task, a.lora, o);
      run.switch_ns = simulate_switch(platform, o, run);
    }
    out.adapters.push_back(run);
  }
  const auto find = [&](const std::string& task) -> const AdapterRun& {
    for (const auto& a : out.adapters)
      if (a.task == task) return a;
    throw std::logic_error("request names no adapter: " + task);
  };
  std::string loaded = requests.front();  // the first request finds its weights loaded
  for (const auto& task : requests) {
    const AdapterRun& a = find(task);
    if (task != loaded) out.sequence_ns += a.switch_ns;
    out.sequence_ns += a.t_hybrid_ns;
    loaded = task;
  }
  const auto& aimc = platform.aimc();
  out.reprogram_ns =
      static_cast<double>(aimc.rows()) * static_cast<double>(aimc.t_program_row().ps) / 1000.0;
  const auto mvm = aimc.phases(aimc.rows(), aimc.cols());
  out.mvm_ns = static_cast<double>(mvm.input.ps + mvm.integration.ps + mvm.output.ps) / 1000.0;
  out.reprogram_published_ns = {
      kProgramRowInMvms[0] * static_cast<double>(aimc.rows()) * out.mvm_ns,
      kProgramRowInMvms[1] * static_cast<double>(aimc.rows()) * out.mvm_ns};
  return out;
}

nlohmann::ordered_json adapters_report(const AdapterOutcome& o) {
  nlohmann::ordered_json j;
  nlohmann::ordered_json tasks = nlohmann::ordered_json::array();
  for (const auto& a : o.adapters)
    tasks.push_back({{"task", a.task},
                     {"lora", a.lora.str()},
                     {"t_analog_ns", a.t_analog_ns},
                     {"t_hybrid_ns", a.t_hybrid_ns},
                     {"overhead", a.t_hybrid_ns / a.t_analog_ns - 1.0},
                     {"e_hybrid_nj", a.e_hybrid_nj},
                     {"switch_bytes", a.switch_bytes},
                     {"switch_ns", a.switch_ns}});
  j["tasks"] = tasks;
  // switch_ns[from][to]: loading `to`'s resident weights (nothing when from == to).
  nlohmann::ordered_json pairs;
  for (const auto& from : o.adapters)
    for (const auto& to : o.adapters)
      pairs[from.task][to.task] = from.task == to.task ? 0.0 : to.switch_ns;
  j["switch_ns"] = pairs;
  j["requests"] = o.requests;
  j["sequence_ns"] = o.sequence_ns;
  j["requests_per_s"] = o.sequence_ns > 0 ? o.requests.size() / (o.sequence_ns * 1e-9) : 0.0;
  j["tokens_per_s"] = o.sequence_ns > 0
                          ? static_cast<double>(o.requests.size()) *
                                static_cast<double>(o.tokens_per_request) / (o.sequence_ns * 1e-9)
                          : 0.0;
  j["reprogram_analog_ns"] = o.reprogram_ns;
  // The same from the published ratio: a row written in 20 to 30 MVM times of this tile.
  j["reprogram_analog_published_ns"] = {{"low", o.reprogram_published_ns[0]},
                                        {"high", o.reprogram_published_ns[1]},
                                        {"mvm_ns", o.mvm_ns},
                                        {"source", kProgramRowSource}};
  return j;
}

std::string adapters_summary(const AdapterOutcome& o) {
  std::string s =
      "\nadapters         task           hybrid us  overhead   switch-in us  resident KiB\n";
  for (const auto& a : o.adapters)
    s += fmt::format("                 {:<12}{:>12.1f}{:>+9.1f}%{:>15.2f}{:>14.1f}\n", a.task,
                     a.t_hybrid_ns / 1000.0, (a.t_hybrid_ns / a.t_analog_ns - 1.0) * 100.0,
                     a.switch_ns / 1000.0, a.switch_bytes / 1024.0);
  s += fmt::format(
      "requests         {} in {:.1f} us ({:.1f} requests/s); reprogramming the analog weights "
      "instead takes {:.1f} us per switch (aimc.t_program_row x rows), {:.1f} to {:.1f} us at "
      "the published 20-30 MVMs ({:.0f} ns) a row\n",
      o.requests.size(), o.sequence_ns / 1000.0,
      o.sequence_ns > 0 ? o.requests.size() / (o.sequence_ns * 1e-9) : 0.0, o.reprogram_ns / 1000.0,
      o.reprogram_published_ns[0] / 1000.0, o.reprogram_published_ns[1] / 1000.0, o.mvm_ns);
  return s;
}

}  // namespace aimcsim::platform
