// The aimcsim sub-commands. Each returns the process exit code; user errors are thrown as
// sim::UserError and turned into one line on stderr and exit code 2 by main.
#pragma once

#include "models/cluster/precision.h"
#include "platform/assembly/platform.h"

#include <cstdint>
#include <string>
#include <vector>

namespace aimcsim::platform {

struct PlatformOptions {
  // Relative paths not found here are looked up in the source tree (resolve_input_path).
  std::string platform = "configs/platforms/reference.yaml";
  std::vector<std::string> sets;  // --set path=value
  Limits limits;                  // --max-tasks, --max-tiles
};

// --functional and what goes with it (layer and run).
struct ValueOptions {
  bool functional = false, ideal = false;
  std::uint64_t seed = 1;
  std::string weights, adapter, tensor;
  std::string values_out;  // --values-out F.safetensors
};

struct LayerOptions {
  PlatformOptions platform;
  ValueOptions values;
  std::uint64_t d_in = 512, d_out = 128, rank = 8, tokens = 64, chunk = 0;
  std::string strategy = "parallel";
  std::string precision = "fp16";
  std::string json;
  std::string trace;  // Chrome/Perfetto trace-event JSON of both runs
};
int layer_command(const LayerOptions& o);

struct KernelOptions {
  PlatformOptions platform;
  std::string kernel;  // gemm or a worker-core kernel (WorkerCores::kernel_names)
  std::string engine = "redmule";
  std::uint64_t m = 64, n = 512, k = 8, elements = 8192, rows = 1;
  std::string precision = "fp16";
  std::string op = "gemm";  // RedMulE: gemm (streams Y) or matmul
  std::string json;
};
int kernel_command(const KernelOptions& o);

struct StudyOptions {
  PlatformOptions platform;
  std::vector<std::string> t_ints{"128ns", "256ns", "512ns"};  // --t-int
  std::uint64_t rank = 8, tokens = 64;
  std::string json;
};
int study_command(const StudyOptions& o);

struct RunOptions {
  PlatformOptions platform;
  ValueOptions values;
  std::string model;     // YAML description, config.json, or a name in workloads/models/
  std::string lora;      // "rank=16,targets=q_proj,v_proj,precision=fp8"; empty: the default
                         // (or named adapters: "task=a,rank=8;task=b,rank=16")
  std::string requests;  // adapter names, comma-separated, or a file of them
  std::uint64_t seq = 128, batch = 1, lora_clusters = 1;
  std::string chunk;           // tokens per job; empty: each layer's fastest alone; "search"
  std::string objective;       // of --chunk search: latency (default), energy, edp
  unsigned jobs = 0;           // worker processes of --chunk search (0: one per core)
  std::uint64_t generate = 0;  // decode steps after the prefill (0: none)
  std::string phase = "prefill";
  std::string strategy = "parallel";
  std::string pipeline;            // a pipeline mode; empty: --schedule's, else xb-pipe
  std::string attention = "auto";  // standard | flash | auto
  std::uint64_t kv_block = 0;      // flash attention's keys per block (0: the most that fit)
  std::string schedule;            // retired: streaming = xb-pipe, layer-by-layer = il-par
  bool pack_tiles = false;         // --pack-tiles: --packing diagonal
  std::string packing;             // empty: the platform's aimc.packing
  std::string tier_policy;         // empty: the platform's aimc.tier_policy
  std::string out;
  std::string trace;            // Chrome/Perfetto trace-event JSON of both runs
  bool trace_pipeline = false;  // per-tile tracks and flow arrows in the trace
};
int run_command(const RunOptions& o);

struct ImportOptions {
  std::string config_json;
  std::string out;  // empty: standard output
};
int import_command(const ImportOptions& o);

struct SweepOptions {
  std::string spec;                    // sweep spec YAML (see platform/drivers/sweep/spec.h)
  std::string out;                     // results directory; rerunning with the same one resumes
  unsigned jobs = 0;                   // worker processes; 0: one per core
  std::vector<std::string> only;       // run only these parts (the others stay to do)
  std::uint64_t max_points = 1000000;  // --max-points
  Limits limits;                       // per point: --max-tasks, --max-tiles
};
int sweep_command(const SweepOptions& o);

int list_models_command();
// Every parameter of the default platform: key path, default value, description (where a
// default comes from is in the model's source, next to it).
int list_params_command();

}  // namespace aimcsim::platform
