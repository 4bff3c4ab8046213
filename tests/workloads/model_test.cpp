// Whole-model descriptions, the Hugging Face importer, LoRA specifications, mapping and
// lowering: counts that follow from the published architectures, and every bad input as a
// one-line error naming what was wrong.
#include "models/sim/errors.h"
#include "workloads/hf_import.h"
#include "workloads/lora_spec.h"
#include "workloads/model_compiler.h"
#include "workloads/model_description.h"
#include "workloads/model_mapping.h"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <string>

namespace aimcsim::workloads {
namespace {

const std::string kSource = AIMCSIM_SOURCE_DIR;
const std::vector<std::string> kModels{"mobilebert", "bert-base", "bert-large", "llama-3.1-8b",
                                       "gpt2"};

std::string user_error(const std::function<void()>& f) {
  try {
    f();
  } catch (const sim::UserError& e) {
    return e.what();
  }
  return "(no error)";
}
bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

ModelDescription described(const std::string& name) {
  return load_model_description(kSource + "/workloads/models/" + name + ".yaml");
}

std::uint64_t count(const std::vector<Op>& ops, OpKind kind) {
  return static_cast<std::uint64_t>(
      std::count_if(ops.begin(), ops.end(), [&](const Op& op) { return op.kind == kind; }));
}

PlatformShape reference_shape(unsigned clusters = 1) {
  PlatformShape s;
  s.clusters = clusters;
  return s;  // 512 x 512 tiles, 128 KiB TCDM: LayerTarget's defaults
}

TEST(ModelDescriptions, CheckedInYamlEqualsWhatTheImporterDerives) {
  for (const auto& name : kModels) {
    const ModelDescription imported =
        import_hf_config(kSource + "/workloads/hf/" + name + "/config.json");
    EXPECT_EQ(imported.name, name);
    EXPECT_TRUE(described(name) == imported) << name;
    // and the text round-trips
    EXPECT_TRUE(parse_model_description(to_yaml(imported, "x"), "round trip") == imported) << name;
  }
}

TEST(ModelDescriptions, MobileBertHasItsRealStructure) {
  const ModelDescription m = described("mobilebert");
  EXPECT_EQ(m.blocks, 24u);
  EXPECT_EQ(m.input_dim, 384u);  // trigram embedding 3 x 128
  EXPECT_EQ(count(m.block, OpKind::linear), 15u);
  EXPECT_EQ(m.static_linears(), 24u * 15u + 1u);  // + the embedding transformation 384 -> 512
  EXPECT_EQ(m.prologue[0].d_in, 384u);
  EXPECT_EQ(m.prologue[0].d_out, 512u);
  EXPECT_EQ(m.attention.heads, 4u);
  EXPECT_EQ(m.attention.head_dim, 32u);
  std::map<std::pair<std::uint64_t, std::uint64_t>, int> shapes;
  for (const auto& op : m.block)
    if (op.kind == OpKind::linear) ++shapes[{op.d_in, op.d_out}];
  // 512->128: bottleneck input, shared q/k bottleneck, value, four FFN outputs;
  // 128->128: query, key, attention output; 128->512: four FFN intermediates, output bottleneck.
  EXPECT_EQ((shapes[{512, 128}]), 7);
  EXPECT_EQ((shapes[{128, 128}]), 3);
  EXPECT_EQ((shapes[{128, 512}]), 5);
  EXPECT_EQ(count(m.block, OpKind::norm), 2u + 1u + 4u + 1u);  // all NoNorm
  for (const auto& op : m.block)
    if (op.kind == OpKind::norm) {
      EXPECT_EQ(op.type, "nonorm");
    }
  EXPECT_EQ(count(m.block, OpKind::activation), 4u);  // ReLU per FFN
  EXPECT_EQ(count(m.block, OpKind::add), 6u);         // residuals
}

TEST(ModelDescriptions, LlamaHasGqaRmsNormSiluAnd832TilesPerBlock) {
  const ModelDescription m = described("llama-3.1-8b");
  EXPECT_EQ(m.blocks, 32u);
  EXPECT_EQ(m.attention.heads, 32u);
  EXPECT_EQ(m.attention.kv_heads, 8u);
  EXPECT_EQ(m.attention.head_dim, 128u);
  EXPECT_TRUE(m.attention.causal);
  EXPECT_EQ(count(m.block, OpKind::linear), 7u);
  for (const auto& op : m.block) {
    if (op.kind == OpKind::norm) {
      EXPECT_EQ(op.type, "rmsnorm");
    }
    if (op.kind == OpKind::activation) {
      EXPECT_EQ(op.type, "silu");
    }
  }
  const ModelMapping map = map_model(m, LoraSpec{}, reference_shape(), MappingPolicy{});
  // q 8x8 + k 8x2 + v 8x2 + o 8x8 + gate 8x28 + up 8x28 + down 28x8
  EXPECT_EQ(map.tiles, 32u * 832u);
  std::uint64_t block0 = 0;
  for (const auto& p : map.linears) block0 += p.block == 0 ? p.tiles : 0;
  EXPECT_EQ(block0, 832u);
}

TEST(ModelDescriptions, BertAndGpt2Shapes) {
  const ModelDescription base = described("bert-base"), large = described("bert-large");
  const ModelDescription gpt2 = described("gpt2");
  EXPECT_EQ(base.static_linears(), 12u * 6u);
  EXPECT_EQ(large.static_linears(), 24u * 6u);
  EXPECT_EQ(gpt2.static_linears(), 12u * 4u);
  EXPECT_EQ(gpt2.block[1].name, "attn.c_attn");
  EXPECT_EQ(gpt2.block[1].d_out, 3u * 768u);  // fused q, k, v
  EXPECT_EQ(map_model(base, LoraSpec{}, reference_shape(), {}).tiles,
            12u * (4u * 2u * 2u + 2u * 6u + 6u * 2u));
}

TEST(ModelDescriptions, ImporterErrorsNameTheField) {
  const auto import = [](const std::string& json) {
    return user_error([&] { import_hf_config_text(json, "c.json", "m"); });
  };
  EXPECT_EQ(import(R"({"model_type": "t5"})"),
            "c.json: field 'model_type': 't5' is not supported; expected bert, mobilebert, llama "
            "or gpt2");
  EXPECT_TRUE(contains(import(R"({"model_type": "bert", "hidden_size": 768)"),
                       "c.json: not a valid config.json:"));
  EXPECT_EQ(import(R"({"model_type": "llama", "hidden_size": 4096, "intermediate_size": 14336})"),
            "c.json: field 'num_hidden_layers': missing (required for model_type llama)");
  EXPECT_EQ(import(R"({"model_type": "gpt2", "n_embd": -1})"),
            "c.json: field 'n_embd': expected a positive integer, got -1");
  EXPECT_TRUE(contains(import(R"({"model_type": "bert", "hidden_size": 768, "intermediate_size": 1,
                                 "num_hidden_layers": 1, "num_attention_heads": 12,
                                 "hidden_act": "tanh"})"),
                       "field 'hidden_act': activation 'tanh' is not supported"));
  EXPECT_EQ(user_error([] { import_hf_config("/nonexistent/config.json"); }),
            "/nonexistent/config.json: cannot open the config.json");
}

TEST(ModelDescriptions, YamlErrorsNameLineAndKey) {
  const std::string head =
      "name: toy\nmodel_type: toy\nblocks: 2\ninput_dim: 8\n"
      "attention: {heads: 1, kv_heads: 1, head_dim: 8, causal: false}\n";
  const auto parse = [](const std::string& yaml) {
    return user_error([&] { parse_model_description(yaml, "toy.yaml"); });
  };
  EXPECT_EQ(parse(head + "block:\n  - {op: linear, name: a, in: [x], out: y, d_in: 8, d_out: 8, "
                         "bias: true}\n"),
            "toy.yaml:7: block[0].bias: unknown key");
  EXPECT_EQ(parse(head + "block:\n  - {op: conv, name: a, in: [x], out: y}\n"),
            "toy.yaml:7: block[0].op: 'conv' is not one of linear, attention, norm, activation, "
            "add, mul, rope");
  EXPECT_EQ(parse(head + "block:\n  - {op: linear, name: a, in: [z], out: y, d_in: 8, d_out: 8}\n"),
            "toy.yaml: block[0] (a): input 'z' is not produced by an earlier op");
  EXPECT_EQ(parse(head + "block:\n  - {op: linear, name: a, in: [x], out: y, d_in: 4, d_out: 8}\n"),
            "toy.yaml: block[0] (a): d_in 4 does not match the width 8 of its input 'x'");
  EXPECT_TRUE(contains(
      parse(head + "block:\n  - {op: linear, name: a, in: [x], out: y, d_in: 8, d_out: 4}\n"),
      "its last output has width 4 but the block input x has width 8"));
  EXPECT_EQ(parse("name: toy\nblocks: 0\n"), "toy.yaml:1: model_type: missing (required)");
}

TEST(LoraSpec, ParsesPeftStyleTargets) {
  const LoraSpec s = LoraSpec::parse("rank=16,targets=q_proj,v_proj,precision=fp8");
  EXPECT_EQ(s.rank, 16u);
  EXPECT_EQ(s.targets, (std::vector<std::string>{"q_proj", "v_proj"}));
  EXPECT_EQ(s.precision, cluster::Precision::fp8);
  EXPECT_TRUE(s.selects("self_attn.q_proj"));
  EXPECT_FALSE(s.selects("self_attn.k_proj"));
  EXPECT_FALSE(s.selects("self_attn.xq_proj"));  // suffix matches whole name parts only
  EXPECT_TRUE(LoraSpec::parse("targets=ffn.*.output.dense").selects("ffn.2.output.dense"));
  const LoraSpec d;
  EXPECT_EQ(d.rank, 8u);
  EXPECT_TRUE(d.selects("anything"));
  EXPECT_EQ(LoraSpec::parse(s.str()).str(), s.str());
}

TEST(LoraSpec, BadSpecificationsAreErrors) {
  EXPECT_EQ(user_error([] { LoraSpec::parse("rank=0"); }),
            "--lora 'rank=0': rank must be a positive integer, got '0'");
  EXPECT_EQ(user_error([] { LoraSpec::parse("alpha=16"); }),
            "--lora 'alpha=16': unknown key 'alpha'; expected rank, targets or precision");
  EXPECT_EQ(user_error([] { LoraSpec::parse("precision=int4"); }),
            "--lora 'precision=int4': precision 'int4': expected fp16 or fp8");
  EXPECT_EQ(user_error([] { LoraSpec::parse("rank=8,q_proj"); }),
            "--lora 'rank=8,q_proj': 'q_proj' is not key=value (only targets take a "
            "comma-separated list)");
  const std::string msg =
      user_error([] { LoraSpec::parse("targets=q_proj").check_against(described("mobilebert")); });
  EXPECT_TRUE(contains(msg,
                       "--lora targets: 'q_proj' selects no static linear of mobilebert; "
                       "its block linears are: bottleneck.input.dense"))
      << msg;
}

TEST(LoraSpec, NamedAdaptersAndRequests) {
  const auto a = parse_adapters("task=squad,rank=8;task=mnli,rank=16,targets=q_proj,v_proj");
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[1].task, "mnli");
  EXPECT_EQ(a[1].lora.rank, 16u);
  EXPECT_EQ(a[1].lora.targets, (std::vector<std::string>{"q_proj", "v_proj"}));
  EXPECT_EQ(a[0].lora.rank, 8u);
  EXPECT_TRUE(names_tasks("task=x"));
  EXPECT_FALSE(names_tasks("rank=8"));
  EXPECT_EQ(parse_requests("squad, mnli\nsquad\n", a, "f"),
            (std::vector<std::string>{"squad", "mnli", "squad"}));
  EXPECT_EQ(user_error([&] { parse_requests("squad,cola", a, "--requests 'squad,cola'"); }),
            "--requests 'squad,cola': request 'cola' names no adapter; --lora defines squad, mnli");
  EXPECT_EQ(user_error([] { parse_adapters("task=a;task=a,rank=4"); }),
            "--lora 'task=a;task=a,rank=4': task 'a' is defined twice");
  EXPECT_EQ(user_error([] { parse_adapters("task=a;rank=4"); }),
            "--lora 'task=a;rank=4': adapter 'rank=4' does not start with task=NAME (adapters "
            "are separated by ;)");
  EXPECT_EQ(user_error([&] { parse_requests(" , ", a, "r.txt"); }), "r.txt: no request given");
}

TEST(Mapping, PackingSharesTilesBetweenSmallLayers) {
  const ModelDescription m = described("mobilebert");
  MappingPolicy pack;
  pack.packing = Packing::diagonal;
  const ModelMapping plain = map_model(m, LoraSpec{}, reference_shape(), {});
  const ModelMapping packed = map_model(m, LoraSpec{}, reference_shape(), pack);
  EXPECT_EQ(plain.tiles, 361u);  // every MobileBERT linear fits one 512 x 512 tile
  // Diagonal packing: 128->128 layers (3 per block) share tiles 4 at a time (rows and
  // columns disjoint); 512->128 and 128->512 use all rows or all columns: one per tile.
  EXPECT_EQ(packed.tiles, 361u - 72u + 18u);
  const auto& q0 = packed.linears[3];  // block0 attention.self.query
  const auto& k0 = packed.linears[4];
  EXPECT_EQ(q0.module, "attention.self.query");
  EXPECT_EQ(q0.first_tile, k0.first_tile);
  EXPECT_TRUE(q0.packed);
  EXPECT_FALSE(packed.linears[0].packed);
}

// Per block: a 512->1024 linear (2 planes of 512x512) then a 512->512 one (1 plane).
ModelDescription two_plane_toy(int blocks) {
  return parse_model_description(
      fmt::format("name: toy\nmodel_type: toy\nblocks: {}\ninput_dim: 512\n"
                  "attention: {{heads: 1, kv_heads: 1, head_dim: 8, causal: false}}\n"
                  "block:\n"
                  "  - {{op: linear, name: wide, in: [x], out: y, d_in: 512, d_out: 1024}}\n"
                  "  - {{op: linear, name: narrow, in: [x], out: z, d_in: 512, d_out: 512}}\n",
                  blocks),
      "toy.yaml");
}

std::vector<std::pair<std::uint64_t, std::uint64_t>> slots(const ModelMapping& m) {
  std::vector<std::pair<std::uint64_t, std::uint64_t>> s;
  for (const auto& p : m.linears) s.emplace_back(p.first_tile, p.tier);
  return s;
}

TEST(Mapping, TierPoliciesPlaceByHand) {
  // Items of 2, 1, 2, 1, 2, 1 planes (9 in all) on tiles of 2 tiers.
  const ModelDescription m = two_plane_toy(3);
  PlatformShape shape = reference_shape();
  shape.tiers.tiers = 2;
  MappingPolicy policy;
  using Slots = std::vector<std::pair<std::uint64_t, std::uint64_t>>;
  // latency: tier 0 only, one item after the other: 9 tiles.
  ModelMapping latency = map_model(m, LoraSpec{}, shape, policy);
  EXPECT_EQ(slots(latency), (Slots{{0, 0}, {2, 0}, {3, 0}, {5, 0}, {6, 0}, {8, 0}}));
  EXPECT_EQ(latency.tiles, 9u);
  EXPECT_EQ(latency.tiers, 1u);
  // area: at least max(2, ceil(9 / 2)) = 5 tiles; the least-filled tier (fills 0,0) takes
  // each item: 2@t0 [2,0]; 1@t1 [2,1]; 2@t1 from 1 [2,3]; 1@t0 from 2 [3,3]; 2@t0 from 3
  // [5,3]; 1@t1 from 3 [5,4]: 5 tiles, consecutive linears on the same tiles.
  policy.tier_policy = TierPolicy::area;
  ModelMapping area = map_model(m, LoraSpec{}, shape, policy);
  EXPECT_EQ(slots(area), (Slots{{0, 0}, {0, 1}, {1, 1}, {2, 0}, {3, 0}, {3, 1}}));
  EXPECT_EQ(area.tiles, 5u);
  EXPECT_EQ(area.tiers, 2u);
  EXPECT_EQ(area.planes, 9u);
  // balance, no fixed count: the same 5 tiles, tier 0 first (0, 2, 3), then tier 1.
  policy.tier_policy = TierPolicy::balance;
  ModelMapping balance = map_model(m, LoraSpec{}, shape, policy);
  EXPECT_EQ(slots(balance), (Slots{{0, 0}, {2, 0}, {3, 0}, {0, 1}, {1, 1}, {3, 1}}));
  EXPECT_EQ(balance.tiles, 5u);
  // balance on a fixed 8 tiles: tier 0 holds 8 planes (items 0-4), the last goes to tier 1.
  shape.tiers.fixed_tiles = 8;
  balance = map_model(m, LoraSpec{}, shape, policy);
  EXPECT_EQ(slots(balance), (Slots{{0, 0}, {2, 0}, {3, 0}, {5, 0}, {6, 0}, {0, 1}}));
  EXPECT_EQ(balance.tiles, 8u);
  EXPECT_EQ(balance.tiers, 2u);
}

TEST(Mapping, TooFewTileTiersIsAnErrorNamingTheCount) {
  PlatformShape shape = reference_shape();
  shape.tiers = TierGrid{2, 4};  // 8 tile-tiers for 9 planes
  MappingPolicy policy;
  policy.tier_policy = TierPolicy::area;
  EXPECT_EQ(user_error([&] { map_model(two_plane_toy(3), LoraSpec{}, shape, policy); }),
            "the model needs 9 tile-tiers (5 tiles x 2 tiers under tier policy area); the "
            "platform has 4 tiles x 2 tiers = 8 (aimc.tiles, aimc.tiers)");
  shape.tiers = TierGrid{2, 5};  // enough for area, not for one tier per tile
  policy.tier_policy = TierPolicy::latency;
  EXPECT_EQ(user_error([&] { map_model(two_plane_toy(3), LoraSpec{}, shape, policy); }),
            "the model needs 9 tiles with one tier each (tier policy latency); the platform has "
            "5 tiles x 2 tiers (aimc.tiles, aimc.tiers); aimc.tier_policy area or balance may "
            "fit it");
}

TEST(Mapping, DensePackingPutsRectanglesOnShelves) {
  // Four each of 512->128, 128->128 and 128->512 on 512x512 planes.
  std::string block;
  int n = 0;
  for (const char* shape :
       {"in: [x], out: y{}, d_in: 512, d_out: 128", "in: [y0], out: y{}, d_in: 128, d_out: 128",
        "in: [y0], out: y{}, d_in: 128, d_out: 512"})
    for (int i = 0; i < 4; ++i, ++n)
      block += fmt::format("  - {{op: linear, name: l{}, {}}}\n", n, fmt::format(shape, n));
  const ModelDescription m = parse_model_description(
      "name: toy\nmodel_type: toy\nblocks: 1\ninput_dim: 512\n"
      "attention: {heads: 1, kv_heads: 1, head_dim: 8, causal: false}\nblock:\n" +
          block,
      "toy.yaml");
  MappingPolicy policy;
  EXPECT_EQ(map_model(m, LoraSpec{}, reference_shape(), policy).planes, 12u);
  // Diagonal: each 512->128 uses every row, each 128->512 every column (4 planes each); the
  // four 128->128 share one: 9.
  policy.packing = Packing::diagonal;
  EXPECT_EQ(map_model(m, LoraSpec{}, reference_shape(), policy).planes, 9u);
  // Dense: plane 0 one 512-row shelf of four 512->128; plane 1 a 128-row shelf of four
  // 128->128, then three 128-row shelves of one 128->512 each; the fourth 128->512 opens
  // plane 2: 3 planes.
  policy.packing = Packing::dense;
  const ModelMapping dense = map_model(m, LoraSpec{}, reference_shape(), policy);
  EXPECT_EQ(dense.planes, 3u);
  EXPECT_EQ(dense.linears[0].first_tile, 0u);
  EXPECT_EQ(dense.linears[3].first_tile, 0u);
  EXPECT_EQ(dense.linears[4].first_tile, 1u);
  EXPECT_EQ(dense.linears[10].first_tile, 1u);
  EXPECT_EQ(dense.linears[11].first_tile, 2u);
  EXPECT_TRUE(dense.linears[10].packed);
  EXPECT_FALSE(dense.linears[11].packed);
}

TEST(Mapping, LoraWeightsStayResidentWhileTheyFit) {
  ModelDescription m = parse_model_description(
      "name: toy\nmodel_type: toy\nblocks: 6\ninput_dim: 512\n"
      "attention: {heads: 1, kv_heads: 1, head_dim: 8, causal: false}\n"
      "block:\n  - {op: linear, name: dense, in: [x], out: y, d_in: 512, d_out: 512}\n",
      "toy.yaml");
  const auto strategy = PipelineStrategy::make("parallel");
  ModelMapping map = map_model(m, LoraSpec{}, reference_shape(), {});
  for (auto& p : map.linears) p.chunk = 16;
  assign_residency(map, LoraSpec{}, 64, reference_shape(), *strategy);
  // Working set at chunk 16: A 8 KiB + B 8 + x 16 + t 0.25 + z 16 + tile_out 16 = 64.25 KiB.
  // While a layer still streams its weights, resident weights get 128 - 64.25 KiB: three
  // layers' A + B (3 x 16 KiB); a fourth would leave the streamed layers 0.25 KiB short.
  int resident = 0;
  for (const auto& p : map.linears) resident += p.lora_resident;
  EXPECT_EQ(resident, 3);
  EXPECT_TRUE(map.linears[2].lora_resident);
  EXPECT_FALSE(map.linears[3].lora_resident);
  EXPECT_EQ(map.resident_bytes[0], 3u * 16u * 1024u);
}

TEST(Lowering, OperatorsPerBlockAndStreamingDependencies) {
  const ModelDescription m = described("bert-base");
  ModelSchedule sched;
  sched.seq = 64;
  const auto strategy = PipelineStrategy::make("parallel");
  ModelMapping map = map_model(m, LoraSpec{}, reference_shape(), {});
  for (auto& p : map.linears) p.chunk = 3;  // 768->3072 fits 3 tokens at a time
  assign_residency(map, LoraSpec{}, sched.tokens(), reference_shape(), *strategy);
  const CompiledModel c =
      compile_model(m, LoraSpec{}, map, reference_shape(), *strategy, sched, true);
  EXPECT_EQ(c.ops.size(), 1u + 12u * m.block.size());
  std::uint64_t mvms = 0, softmax_rows = 0;
  for (const auto& t : c.graph.tasks()) {
    mvms += t.kind == TaskKind::mvm ? t.tokens() : 0;
    softmax_rows +=
        t.kind == TaskKind::core_kernel && t.kernel == cluster::Kernel::softmax ? t.rows() : 0;
  }
  EXPECT_EQ(mvms, 12u * 6u * 64u);           // every token through every linear
  EXPECT_EQ(softmax_rows, 12u * 12u * 64u);  // every head, every query row (one key block)

  // Streaming: the first chunk of block0's query projection waits only for the chunk of the
  // prologue LayerNorm that holds its tokens; layer by layer it waits for all of them.
  sched.pipeline = "il-par";
  const CompiledModel barrier =
      compile_model(m, LoraSpec{}, map, reference_shape(), *strategy, sched, true);
  // The tasks a task waits for, through joins (a join stands for its dependencies).
  const auto inputs_of = [](const CompiledModel& cm, std::size_t task) {
    std::set<std::size_t> found;
    std::vector<std::size_t> todo{task};
    while (!todo.empty()) {
      const std::size_t t = todo.back();
      todo.pop_back();
      for (const TaskId d : cm.graph.deps(t)) {
        if (cm.graph.task(d).kind == TaskKind::join)
          todo.push_back(d);
        else
          found.insert(d);
      }
    }
    return found;
  };
  const auto first_inputs = [&](const CompiledModel& cm, int op) {
    return inputs_of(cm, cm.ops[op].first_task).size();
  };
  EXPECT_EQ(first_inputs(c, 1), 1u);        // the LayerNorm chunk holding tokens 0-2
  EXPECT_EQ(first_inputs(barrier, 1), 4u);  // all of its 4 chunks (21 tokens fit at a time)
  // ... through one join that every chunk of the query projection shares, not a copy each
  // (made when the first of them asks, so it opens the operator's tasks).
  const std::size_t first = barrier.ops[1].first_task;
  EXPECT_EQ(barrier.graph.task(first).kind, TaskKind::join);
  for (std::size_t t = first + 1; t < barrier.ops[1].end_task; ++t)
    for (const TaskId d : barrier.graph.deps(t)) {
      if (barrier.graph.task(d).kind == TaskKind::join) {
        EXPECT_EQ(d, first);
      }
    }
  EXPECT_LT(barrier.graph.edges(), 4u * barrier.graph.size());  // a few edges per task
}

}  // namespace
}  // namespace aimcsim::workloads
