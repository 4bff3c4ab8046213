// The two-block toy model of the value tests: 64 wide, two heads of 32; its attention half,
// and the feed-forward half whose 64 -> 320 and 320 -> 64 linears split on small tiles.
#pragma once

namespace aimcsim::test {

inline constexpr const char* kToyAttention =
    "name: toy\nmodel_type: bert\nblocks: 2\ninput_dim: 64\n"
    "attention: {heads: 2, kv_heads: 2, head_dim: 32, causal: false}\n"
    "prologue:\n"
    "  - {op: linear, name: embed, in: [input], out: t1, d_in: 64, d_out: 64}\n"
    "block:\n"
    "  - {op: linear, name: q, in: [x], out: t1, d_in: 64, d_out: 64}\n"
    "  - {op: linear, name: k, in: [x], out: t2, d_in: 64, d_out: 64}\n"
    "  - {op: linear, name: v, in: [x], out: t3, d_in: 64, d_out: 64}\n"
    "  - {op: attention, name: attn, in: [t1, t2, t3], out: t4}\n"
    "  - {op: linear, name: o, in: [t4], out: t5, d_in: 64, d_out: 64}\n"
    "  - {op: add, name: res1, in: [t5, x], out: t6}\n"
    "  - {op: norm, name: ln1, type: layernorm, in: [t6], out: t7}\n";

inline constexpr const char* kToyFeedForward =
    "  - {op: linear, name: up, in: [t7], out: t8, d_in: 64, d_out: 320}\n"
    "  - {op: activation, name: act, type: relu, in: [t8], out: t9}\n"
    "  - {op: linear, name: down, in: [t9], out: t10, d_in: 320, d_out: 64}\n"
    "  - {op: add, name: res2, in: [t10, t7], out: t11}\n"
    "  - {op: norm, name: ln2, type: layernorm, in: [t11], out: t12}\n";

}  // namespace aimcsim::test
