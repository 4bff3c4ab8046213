// The values an AIMC tile computes (functional co-simulation; the tile's timing is
// aimc_tile_array.h and never depends on them). One layer's weights W (d_in x d_out) sit on a
// tile as a block of rows x cols from (row0, col0), and an MVM of a token x:
//   mapping   channel-wise, as in AHWA-LoRA: per tile column j a scale s_j = max_i |w_ij|, the
//             weight w_ij -> the differential pair G+ = g_max max(w/s_j, 0), G- = g_max
//             max(-w/s_j, 0), each a PCM device (pcm_device.h: programming noise, drift, read
//             noise). Normalised conductance g_ij = (G+ - G-) / g_max in [-1, 1].
//   IR drop   (r_wire > 0) first order: a cell's share of its row's input is reduced by the
//             drops along its row wire from the drivers (column 0) and along its column wire to
//             the ADC (the last row), g_ij x max(0, 1 - r (sum_{m<=j} sum_{k>=m} G_ik +
//             sum_{m>=i} sum_{k<=m} G_kj)), with G = G+ + G- in S and every row driven (an
//             input-independent estimate of the trend with tile size: Amin et al.; the block's
//             own cells only)
//   DAC       per token the tile normalises its input slice by x_max = max_i |x_i| and
//             quantises it to L = 2^(dac_bits-1) - 1 signed levels: x^_i = round(L x_i/x_max)/L.
//             PWM: one integration of u_j = sum_i x^_i g_ij; bit_serial: one per magnitude bit
//             plane b (inputs sign x bit_b), each converted, combined as sum_b 2^b u_bj / L
//   read      each integration adds N(0, sum_i x^_i^2 v_ij) per column, v_ij the read-noise
//             variance of the pair (independent devices: exact in distribution)
//   ADC       per column gain (1 + N(0, gain_sigma)) and offset N(0, offset_sigma) LSB (drawn
//             once per tile column), a parabolic INL of inl_lsb at mid-scale (0 at the range
//             ends), then clipping to +-range and 2^bits - 1 symmetric levels: LSB = range / K,
//             K = 2^(bits-1) - 1. `range` is in units of one fully driven row at g = 1
//   LDU       y_j = code_j x LSB x s_j x c x x_max: the per-column multiplier s_j c (c the tile's
//             global drift compensation, sum_j |sum_i g0_ij| / sum_j |sum_i g_ij(t)| with g0 just
//             after programming) in block floating point of scale_bits significant bits (one
//             exponent per tile, the largest multiplier's); the output in FP16
// ideal: no noise, no drift, no IR drop, no ADC non-ideality, no quantisation anywhere (FP32
// out): the tile computes x.W exactly to FP32, which is what the mapping tests rely on.
#pragma once

#include "models/aimc/pcm_device.h"
#include "models/sim/random.h"

#include <Eigen/Core>

#include <cstdint>
#include <string>

namespace aimcsim::aimc {

struct AdcTransfer {
  std::uint64_t bits = 8;
  double range = 12.0;            // full scale, in fully driven rows at g = 1 (aihwkit)
  double inl_lsb = 0.0;           // integral non-linearity at mid-scale
  double offset_sigma_lsb = 0.0;  // per-column offset spread
  double gain_sigma = 0.0;        // per-column relative gain spread
  double lsb() const;
  std::int64_t max_code() const;
};

struct TileArithmetic {
  std::uint64_t rows = 512, cols = 512;  // tile size (IR drop positions)
  std::uint64_t dac_bits = 8;
  bool bit_serial = false;
  PcmDevice pcm;
  AdcTransfer adc;
  std::uint64_t ldu_scale_bits = 8;  // NMPU (1,7); 0: the multiplier exact
  double r_wire_ohm = 0.0;           // wire resistance per cell pitch; 0: no IR drop
  bool fp16_output = true;           // the tile outputs leave the LDU in FP16
  bool ideal = false;

  // The same tile with every non-ideality off (--ideal).
  TileArithmetic idealised() const;
};

using RowMajorMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// Per-device N(0,1) draws of a layer's weights (d_in x d_out each), drawn once per layer in
// weight order so that they do not depend on how the layer is split over tiles.
struct DeviceDraws {
  Eigen::MatrixXf prog_plus, prog_minus, drift_plus, drift_minus;
  static DeviceDraws draw(std::uint64_t d_in, std::uint64_t d_out, std::uint64_t seed,
                          bool programming, bool drift);
};

// One layer block as programmed on a tile.
struct ProgrammedBlock {
  std::uint64_t row0 = 0, col0 = 0;      // position on the tile
  RowMajorMatrix g;                      // normalised effective conductance, rows x cols
  RowMajorMatrix var;                    // read-noise variance per integration (empty: none)
  Eigen::VectorXf multiplier;            // per column: s_j x c, as the LDU holds it
  Eigen::VectorXf adc_gain, adc_offset;  // per column (empty: none)
};

class TileValues {
 public:
  explicit TileValues(TileArithmetic a) : a_(std::move(a)) {}
  const TileArithmetic& arithmetic() const { return a_; }

  // Programs w (rows x cols: inputs x outputs of one block) at (row0, col0) of a tile; draws
  // are the block's part of the layer's device draws (any may be empty when unused);
  // adc_seed draws the columns' ADC gain and offset.
  ProgrammedBlock program(const Eigen::Ref<const Eigen::MatrixXf>& w, std::uint64_t row0,
                          std::uint64_t col0, const DeviceDraws& draws, std::uint64_t draw_row,
                          std::uint64_t draw_col, std::uint64_t adc_seed) const;

  // The block's outputs for tokens x (tokens x rows), the read noise of token t drawn from
  // stream_seed(noise_seed, first_token + t): tokens x cols.
  Eigen::MatrixXf mvm(const ProgrammedBlock& block, const Eigen::Ref<const Eigen::MatrixXf>& x,
                      std::uint64_t noise_seed, std::uint64_t first_token) const;

  // One ADC conversion of column j (exposed for tests).
  double convert(const ProgrammedBlock& block, std::uint64_t j, double u) const;

 private:
  void integrate(const ProgrammedBlock& b, const float* x, std::uint64_t rows, sim::Rng& rng,
                 double* u, double* noise_var) const;
  TileArithmetic a_;
};

}  // namespace aimcsim::aimc
