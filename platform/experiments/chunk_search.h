// The whole-model chunk search (`run --chunk search`): instead of each linear's fastest chunk
// in isolation (`auto`), candidates simulated end to end, each in its own worker process:
//   1. coarse   `auto` and one global chunk for every linear: 1, 2, 4, ... up to the tokens
//               (and the tokens themselves), each capped per layer to what fits its TCDM
//   2. fine     from the best so far, per layer shape {d_in, d_out}: its chunk halved and
//               doubled, the others kept; then every shape's better neighbour together
// The winner is the candidate with the least objective of the hybrid run (latency, energy or
// their product), the earliest among equals; it is never worse than `auto`, which is a
// candidate. Attention and element-wise operators follow their inputs' chunks as always.
#pragma once

#include "platform/experiments/model_experiment.h"
#include "platform/assembly/platform.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace aimcsim::platform {

enum class Objective { latency, energy, edp };
Objective parse_objective(const std::string& text);  // UserError naming --objective
const char* to_string(Objective o);

using ShapeChunks = std::map<std::pair<std::uint64_t, std::uint64_t>, std::uint64_t>;

struct ChunkCandidate {
  std::string stage;        // "coarse", "fine"
  std::uint64_t chunk = 0;  // global chunk (0: auto)
  ShapeChunks by_shape;     // per shape, over chunk
  bool ok = false;
  std::string why;  // when not ok
  double t_analog_ns = 0, t_hybrid_ns = 0, e_analog_nj = 0, e_hybrid_nj = 0;
  ShapeChunks used;  // the chunk each shape's linears ran at
  std::string label() const;
  double score(Objective o) const;
};

struct ChunkSearchOutcome {
  Objective objective = Objective::latency;
  std::vector<ChunkCandidate> tried;
  std::size_t winner = 0;
  std::size_t auto_index = 0;
};

// load builds the platform (called in each worker process, never in this one); base is the
// request whose chunk choice is searched.
ChunkSearchOutcome search_chunks(const std::function<LoadedPlatform()>& load,
                                 const ModelRequest& base, Objective objective, unsigned jobs);

nlohmann::ordered_json chunk_search_report(const ChunkSearchOutcome& outcome);
std::string chunk_search_summary(const ChunkSearchOutcome& outcome);

}  // namespace aimcsim::platform
