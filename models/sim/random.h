// Deterministic random numbers for the functional co-simulation (PCM noise, synthetic weights
// and inputs). xoshiro256** (Blackman and Vigna, 2018) seeded through splitmix64, and normal
// deviates by the Box-Muller transform: the same seed gives the same numbers with any standard
// library (std::normal_distribution is implementation-defined), on any machine whose libm gives
// the same log, sqrt and cos results (glibc on x86-64 here).
// Streams: stream_seed(seed, label) derives an independent seed per named use (a layer's
// programming noise, one token's read noise), so that what one part draws never depends on
// how many numbers another part drew, or on the order the task graph runs them in.
#pragma once

#include <cstdint>
#include <string>

namespace aimcsim::sim {

class Rng {
 public:
  explicit Rng(std::uint64_t seed);
  std::uint64_t next();
  // Uniform in (0, 1): never 0, so that log() is finite.
  double uniform();
  // Standard normal, N(0, 1).
  double normal();

 private:
  std::uint64_t s_[4];
  double spare_ = 0;
  bool has_spare_ = false;
};

// An independent seed for the stream `label` of seed (FNV-1a of the label mixed by
// splitmix64), and for one more integer index of it (a token, a row block).
std::uint64_t stream_seed(std::uint64_t seed, const std::string& label);
std::uint64_t stream_seed(std::uint64_t seed, std::uint64_t index);

}  // namespace aimcsim::sim
