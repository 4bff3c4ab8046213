// aimcsim command line: parses arguments and runs one sub-command. Exit codes: 0 success;
// 2 bad input, including input too large to simulate (one line on stderr naming the value
// and what was expected; nothing is written); 1 a bug ("internal error"); 130 an interrupted
// sweep (resumable).
#include "models/cluster/worker_cores.h"
#include "models/sim/errors.h"
#include "platform/drivers/cli/commands.h"
#include "platform/experiments/validate.h"

#include <CLI/CLI.hpp>
#include <systemc>

#include <cstdlib>
#include <iostream>

namespace {

// The work limits every simulating command takes (README "Limits").
void add_limit_options(CLI::App* app, aimcsim::platform::Limits& l);

// --functional and its companions; tensor: the layer command's --tensor.
void add_value_options(CLI::App* app, aimcsim::platform::ValueOptions& o, bool tensor) {
  app->add_flag("--functional", o.functional,
                "also compute values: DAC/ADC, PCM noise and drift, digital LoRA; errors "
                "against FP32 (timing is unchanged)");
  app->add_flag("--ideal", o.ideal,
                "with --functional: every non-ideality off (no noise, drift or quantisation)");
  app->add_option("--seed", o.seed, "seed of synthetic weights, inputs and noise")
      ->check(CLI::Validator(
          [](std::string& text) {
            const bool digits =
                !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
            return digits && text.size() <= 19
                       ? std::string()
                       : "must be a whole number from 0 to 10^19, got '" + text + "'";
          },
          "SEED"))
      ->capture_default_str();
  app->add_option("--weights", o.weights, "weights from a .safetensors file (Hugging Face names)");
  app->add_option("--adapter", o.adapter, "LoRA A and B from a .safetensors file (PEFT names)");
  if (tensor) app->add_option("--tensor", o.tensor, "the layer's weight tensor in --weights");
  app->add_option("--values-out", o.values_out,
                  "with --functional: write the input, both runs' outputs and the FP32 references "
                  "to this .safetensors file");
}

void add_platform_options(CLI::App* app, aimcsim::platform::PlatformOptions& o) {
  app->add_option("--platform", o.platform, "platform YAML")->capture_default_str();
  app->add_option("--set", o.sets, "override a parameter: path.to.key=value (repeatable)");
  add_limit_options(app, o.limits);
}

// CLI11 would wrap "-3" into a huge unsigned value: sizes are checked as text first.
const CLI::Validator kPositive(
    [](std::string& text) {
      const bool digits =
          !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
      if (!digits || text.find_first_not_of('0') == std::string::npos || text.size() > 12)
        return "must be a positive integer, got '" + text + "'";
      return std::string();
    },
    "POSITIVE");

void add_limit_options(CLI::App* app, aimcsim::platform::Limits& l) {
  app->add_option("--max-tasks", l.tasks,
                  "most tasks the command may simulate in all its runs (time and memory)")
      ->check(kPositive)
      ->capture_default_str();
  app->add_option("--max-tiles", l.tiles, "most AIMC tiles a workload may need (16 B each)")
      ->check(kPositive)
      ->capture_default_str();
  app->add_option("--max-functional-macs", l.functional_macs,
                  "most multiply-accumulates --functional may compute (time)")
      ->check(kPositive)
      ->capture_default_str();
}

}  // namespace

// Our own main, so that SystemC's banner is off before the kernel starts; it hands over to
// sc_main through the standard entry point.
int main(int argc, char* argv[]) {
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
  return sc_core::sc_elab_and_sim(argc, argv);
}

int sc_main(int argc, char* argv[]) {
  using namespace aimcsim::platform;
  CLI::App app{"aimcsim: hybrid AIMC + RISC-V accelerator simulator for LoRA transformers"};
  app.require_subcommand(0, 1);
  bool list_models = false;
  app.add_flag("--list-models", list_models, "list the model types the YAML 'type:' keys accept");
  bool list_params = false;
  app.add_flag("--list-params", list_params,
               "list every parameter of the reference platform with its default and description");

  LayerOptions layer;
  CLI::App* layer_cmd = app.add_subcommand("layer", "one linear layer: fully-analog vs hybrid");
  add_platform_options(layer_cmd, layer.platform);
  layer_cmd->add_option("--d-in", layer.d_in, "layer input size")
      ->check(kPositive)
      ->capture_default_str();
  layer_cmd->add_option("--d-out", layer.d_out, "layer output size")
      ->check(kPositive)
      ->capture_default_str();
  layer_cmd->add_option("--rank", layer.rank, "LoRA rank")->check(kPositive)->capture_default_str();
  layer_cmd->add_option("--tokens", layer.tokens, "token vectors")
      ->check(kPositive)
      ->capture_default_str();
  layer_cmd->add_option("--strategy", layer.strategy, "serial | parallel | pipelined")
      ->capture_default_str();
  layer_cmd->add_option("--chunk", layer.chunk, "tokens per LoRA job (default: fastest fit)")
      ->check(kPositive);
  layer_cmd->add_option("--precision", layer.precision, "LoRA precision: fp16 | fp8")
      ->capture_default_str();
  layer_cmd->add_option("--json", layer.json, "write the result as JSON");
  layer_cmd->add_option("--trace", layer.trace, "write a Chrome/Perfetto trace of both runs here");
  add_value_options(layer_cmd, layer.values, true);

  KernelOptions kernel;
  CLI::App* kernel_cmd = app.add_subcommand("kernel", "cycles of one digital kernel job");
  std::vector<std::string> kernels{"gemm"};
  for (const auto& k : aimcsim::cluster::WorkerCores::kernel_names()) kernels.push_back(k);
  kernel_cmd->add_option("kernel", kernel.kernel, "gemm | add | relu | softmax | layernorm | ...")
      ->required()
      ->check(CLI::IsMember(kernels));
  add_platform_options(kernel_cmd, kernel.platform);
  kernel_cmd->add_option("--engine", kernel.engine, "redmule | cores")->capture_default_str();
  kernel_cmd
      ->add_option("--op", kernel.op,
                   "RedMulE operation: gemm (Z = X.W + Y, streams Y) | matmul (Z = X.W)")
      ->check(CLI::IsMember({"gemm", "matmul"}))
      ->capture_default_str();
  kernel_cmd->add_option("--m", kernel.m, "rows of X and Z")
      ->check(kPositive)
      ->capture_default_str();
  kernel_cmd->add_option("--n", kernel.n, "columns of X, rows of W")
      ->check(kPositive)
      ->capture_default_str();
  kernel_cmd->add_option("--k", kernel.k, "columns of W and Z")
      ->check(kPositive)
      ->capture_default_str();
  kernel_cmd->add_option("--elements", kernel.elements, "elements (core kernels)")
      ->check(kPositive)
      ->capture_default_str();
  kernel_cmd->add_option("--rows", kernel.rows, "rows of a row-wise kernel (softmax, norms)")
      ->check(kPositive)
      ->capture_default_str();
  kernel_cmd->add_option("--precision", kernel.precision, "fp16 | fp8")->capture_default_str();
  kernel_cmd->add_option("--json", kernel.json, "write the result as JSON");

  StudyOptions study;
  CLI::App* study_cmd = app.add_subcommand(
      "study", "default layer study: MobileBERT shapes x t_int 128/256/512 ns x strategies");
  add_platform_options(study_cmd, study.platform);
  study_cmd
      ->add_option("--t-int", study.t_ints,
                   "integration times to study (repeatable; replaces the default three)")
      ->capture_default_str();
  study_cmd->add_option("--rank", study.rank, "LoRA rank")->check(kPositive)->capture_default_str();
  study_cmd->add_option("--tokens", study.tokens, "token vectors")
      ->check(kPositive)
      ->capture_default_str();
  study_cmd->add_option("--json", study.json, "write all points as JSON");

  RunOptions run;
  CLI::App* run_cmd =
      app.add_subcommand("run",
                         "a whole transformer: fully-analog vs hybrid, per layer and "
                         "end to end");
  add_platform_options(run_cmd, run.platform);
  add_value_options(run_cmd, run.values, false);
  run_cmd
      ->add_option("--model", run.model,
                   "model: a description (.yaml), a Hugging Face config.json, or a name in "
                   "workloads/models/ (mobilebert, bert-base, bert-large, llama-3.1-8b, gpt2)")
      ->required();
  run_cmd->add_option("--lora", run.lora,
                      "LoRA: rank=R,targets=P1,P2,...,precision=fp16|fp8 (default rank 8, every "
                      "static linear, fp16)");
  run_cmd->add_option("--seq", run.seq, "sequence length (decode: KV cache length)")
      ->check(kPositive)
      ->capture_default_str();
  run_cmd->add_option("--batch", run.batch, "sequences")->check(kPositive)->capture_default_str();
  run_cmd->add_option("--phase", run.phase, "prefill | decode")->capture_default_str();
  run_cmd->add_option("--strategy", run.strategy, "serial | parallel | pipelined (per layer)")
      ->capture_default_str();
  run_cmd->add_option(
      "--pipeline", run.pipeline,
      "serial | il-par | il-pipe | xl-pipe | il+xl-pipe | xb-pipe (default): what may run "
      "concurrently across operators and blocks (README: pipeline modes)");
  run_cmd
      ->add_option("--generate", run.generate,
                   "generate N tokens after the prefill of --seq (decoder models): TTFT, "
                   "per-token latency, tokens/s, energy per token, LoRA overhead per phase")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1000000}));
  run_cmd
      ->add_option("--attention", run.attention,
                   "standard (all keys at once) | flash (key blocks, online softmax) | auto: "
                   "standard where the scores fit the TCDM")
      ->capture_default_str();
  run_cmd->add_option("--kv-block", run.kv_block, "flash attention's keys per block")
      ->check(kPositive);
  run_cmd->add_option("--schedule", run.schedule,
                      "retired alias: streaming = --pipeline xb-pipe, layer-by-layer = il-par");
  run_cmd->add_option("--chunk", run.chunk,
                      "tokens per job, capped per layer to what fits (default: each layer's "
                      "fastest alone), or search: the whole model end to end over candidates");
  run_cmd->add_option("--objective", run.objective,
                      "what --chunk search minimises in the hybrid run: latency (default) | "
                      "energy | edp");
  run_cmd
      ->add_option("-j,--jobs", run.jobs,
                   "worker processes of --chunk search (default: one "
                   "per core)")
      ->check(kPositive);
  run_cmd->add_option("--requests", run.requests,
                      "adapter names in request order (comma-separated, or a file), with "
                      "--lora 'task=a,rank=8;task=b,...'");
  run_cmd->add_flag("--pack-tiles", run.pack_tiles, "--packing diagonal");
  run_cmd->add_option("--packing", run.packing,
                      "none | diagonal | dense: small layers share a tile's weight plane (and "
                      "its MVM slot); default: the platform's aimc.packing");
  run_cmd->add_option("--tier-policy", run.tier_policy,
                      "latency | area | balance: how weight planes fill the tiles' tiers "
                      "(aimc.tiers); default: the platform's aimc.tier_policy");
  run_cmd
      ->add_option("--lora-clusters", run.lora_clusters,
                   "clusters one layer's LoRA work is distributed over")
      ->check(kPositive)
      ->capture_default_str();
  run_cmd->add_option("--out", run.out, "output directory (report.json, config.yaml)")->required();
  run_cmd->add_option("--trace", run.trace, "write a Chrome/Perfetto trace of both runs here");
  run_cmd->add_flag("--trace-pipeline", run.trace_pipeline,
                    "in the trace: every tile its own track, and flow arrows from each chunk's "
                    "producer to its consumer");

  SweepOptions sweep;
  CLI::App* sweep_cmd = app.add_subcommand(
      "sweep", "run the cartesian product of a sweep spec in parallel; resumable");
  sweep_cmd->add_option("spec", sweep.spec, "sweep spec YAML (e.g. configs/studies/ahwa-lora.yaml)")
      ->required();
  sweep_cmd
      ->add_option("--out", sweep.out,
                   "results directory (results.csv, results.jsonl, spec.yaml); rerun to resume")
      ->required();
  sweep_cmd->add_option("-j,--jobs", sweep.jobs, "worker processes (default: one per core)")
      ->check(kPositive);
  sweep_cmd->add_option(
      "--only", sweep.only,
      "run only the points of these parts (a later run without it adds the rest)");
  sweep_cmd->add_option("--max-points", sweep.max_points, "most points a spec may expand to")
      ->check(kPositive)
      ->capture_default_str();
  add_limit_options(sweep_cmd, sweep.limits);

  aimcsim::platform::ValidateOptions validate;
  CLI::App* validate_cmd = app.add_subcommand(
      "validate",
      "simulate the published reference points (configs/validation/*.yaml) and compare; exit 1 "
      "when one is outside its tolerance");
  validate_cmd->add_option("tables", validate.tables,
                           "validation tables (default: every configs/validation/*.yaml)");
  validate_cmd->add_option("--json", validate.json, "write every point's result as JSON");

  ImportOptions import;
  CLI::App* import_cmd = app.add_subcommand(
      "import", "print the model description derived from a Hugging Face config.json");
  import_cmd->add_option("config_json", import.config_json, "config.json")->required();
  import_cmd->add_option("--out", import.out, "write the description here instead");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "aimcsim: " << e.what() << "\n";
    return aimcsim::sim::kUserErrorExitCode;
  }

  try {
    if (list_models) return list_models_command();
    if (list_params) return list_params_command();
    if (*layer_cmd) return layer_command(layer);
    if (*kernel_cmd) return kernel_command(kernel);
    if (*study_cmd) return study_command(study);
    if (*run_cmd) return run_command(run);
    if (*import_cmd) return import_command(import);
    if (*sweep_cmd) return sweep_command(sweep);
    if (*validate_cmd) return aimcsim::platform::validate_command(validate);
    std::cout << app.help();
    return aimcsim::sim::kUserErrorExitCode;
  } catch (const aimcsim::sim::UserError& e) {
    std::cerr << "aimcsim: " << e.what() << "\n";
    return aimcsim::sim::kUserErrorExitCode;
  } catch (const std::bad_alloc&) {  // the limits should have refused this input up front
    std::cerr << "aimcsim: internal error: out of memory; the input passed the work limits "
                 "but did not fit in memory (please report it with the command)\n";
    return 1;
  } catch (const std::exception& e) {  // a bug, not bad input: say so instead of aborting
    std::cerr << "aimcsim: internal error: " << e.what() << "\n";
    return 1;
  }
}
