#include "workloads/compile/dependencies.h"

#include <algorithm>

namespace aimcsim::workloads::compile {

EdgeKind edge_kind(const Produced& from, int block, OpKind kind) {
  if (from.block != block) return EdgeKind::between_blocks;
  if (from.attention || kind == OpKind::attention) return EdgeKind::attention;
  return EdgeKind::within_block;
}

std::vector<TaskId> Dependencies::of(const Produced& p, std::uint64_t first,
                                     std::uint64_t end) const {
  if (count_only_) return {};
  if (!streams(p)) {
    if (!p.joined) p.joined = graph_.shared(p.all);
    return *p.joined;
  }
  std::vector<TaskId> d;
  auto it = std::lower_bound(p.chunks.begin(), p.chunks.end(), first,
                             [](const ChunkOutput& c, std::uint64_t v) { return c.end <= v; });
  for (; it != p.chunks.end() && it->first < end; ++it)
    d.insert(d.end(), it->tasks.begin(), it->tasks.end());
  return d;
}

}  // namespace aimcsim::workloads::compile
