#include "models/aimc/tile_arithmetic.h"

#include "models/cluster/number_format.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

namespace aimcsim::aimc {

std::int64_t AdcTransfer::max_code() const {
  return std::max<std::int64_t>((std::int64_t{1} << (bits - 1)) - 1, 1);
}

double AdcTransfer::lsb() const {
  return range / static_cast<double>(max_code());
}

TileArithmetic TileArithmetic::idealised() const {
  TileArithmetic t = *this;
  t.ideal = true;
  t.pcm.programming_noise = t.pcm.drift = t.pcm.read_noise = false;
  t.adc.inl_lsb = t.adc.offset_sigma_lsb = t.adc.gain_sigma = 0.0;
  t.r_wire_ohm = 0.0;
  t.ldu_scale_bits = 0;
  t.fp16_output = false;
  return t;
}

DeviceDraws DeviceDraws::draw(std::uint64_t d_in, std::uint64_t d_out, std::uint64_t seed,
                              bool programming, bool drift) {
  DeviceDraws d;
  const auto fill = [&](Eigen::MatrixXf& m, const char* what) {
    m.resize(static_cast<Eigen::Index>(d_in), static_cast<Eigen::Index>(d_out));
    sim::Rng rng(sim::stream_seed(seed, what));
    for (Eigen::Index i = 0; i < m.rows(); ++i)  // weight order: input-major
      for (Eigen::Index j = 0; j < m.cols(); ++j) m(i, j) = static_cast<float>(rng.normal());
  };
  if (programming) {
    fill(d.prog_plus, "prog+");
    fill(d.prog_minus, "prog-");
  }
  if (drift) {
    fill(d.drift_plus, "drift+");
    fill(d.drift_minus, "drift-");
  }
  return d;
}

ProgrammedBlock TileValues::program(const Eigen::Ref<const Eigen::MatrixXf>& w, std::uint64_t row0,
                                    std::uint64_t col0, const DeviceDraws& draws,
                                    std::uint64_t draw_row, std::uint64_t draw_col,
                                    std::uint64_t adc_seed) const {
  const Eigen::Index rows = w.rows(), cols = w.cols();
  if (row0 + rows > a_.rows || col0 + cols > a_.cols)
    throw std::logic_error("a weight block does not fit its tile");
  const PcmDevice& pcm = a_.pcm;
  ProgrammedBlock b;
  b.row0 = row0;
  b.col0 = col0;
  b.g.resize(rows, cols);
  const bool noisy_read = pcm.read_noise && !a_.ideal;
  if (noisy_read) b.var.resize(rows, cols);
  RowMajorMatrix total;  // G+ + G- in uS, for the IR drop
  if (a_.r_wire_ohm > 0) total.resize(rows, cols);
  Eigen::VectorXd scale(cols);
  double sum_abs_0 = 0, sum_abs_t = 0;  // for the global drift compensation
  for (Eigen::Index j = 0; j < cols; ++j) {
    double s = 0;
    for (Eigen::Index i = 0; i < rows; ++i)
      s = std::max(s, static_cast<double>(std::fabs(w(i, j))));
    scale(j) = s > 0 ? s : 1.0;
    double col0_sum = 0, colt_sum = 0;
    for (Eigen::Index i = 0; i < rows; ++i) {
      const double wn = w(i, j) / scale(j);
      const double gp_t = pcm.g_max_us * std::max(wn, 0.0);
      const double gm_t = pcm.g_max_us * std::max(-wn, 0.0);
      const auto at = [&](const Eigen::MatrixXf& m) {
        return static_cast<double>(
            m(static_cast<Eigen::Index>(draw_row) + i, static_cast<Eigen::Index>(draw_col) + j));
      };
      double gp = gp_t, gm = gm_t;
      if (pcm.programming_noise && !a_.ideal) {
        gp = std::max(0.0, gp + pcm.sigma_programming(gp_t) * at(draws.prog_plus));
        gm = std::max(0.0, gm + pcm.sigma_programming(gm_t) * at(draws.prog_minus));
      }
      col0_sum += (gp - gm) / pcm.g_max_us;
      if (pcm.drift && !a_.ideal) {
        gp *= pcm.drift_factor(pcm.drift_exponent(gp_t, at(draws.drift_plus)));
        gm *= pcm.drift_factor(pcm.drift_exponent(gm_t, at(draws.drift_minus)));
      }
      const double g = (gp - gm) / pcm.g_max_us;
      colt_sum += g;
      b.g(i, j) = static_cast<float>(g);
      if (noisy_read) {
        const double sp = pcm.sigma_read(gp), sm = pcm.sigma_read(gm);
        b.var(i, j) = static_cast<float>((sp * sp + sm * sm) / (pcm.g_max_us * pcm.g_max_us));
      }
      if (a_.r_wire_ohm > 0) total(i, j) = static_cast<float>(gp + gm);
    }
    sum_abs_0 += std::fabs(col0_sum);
    sum_abs_t += std::fabs(colt_sum);
  }

  if (a_.r_wire_ohm > 0) {
    // Row wire: the drop at cell j is r sum_{m<=j} (current through segment m), segment m
    // carrying the cells k >= m; column wire likewise towards the last row.
    const double r = a_.r_wire_ohm * 1e-6;  // ohm x uS -> dimensionless
    Eigen::MatrixXd drop = Eigen::MatrixXd::Zero(rows, cols);
    for (Eigen::Index i = 0; i < rows; ++i) {
      double suffix = 0;
      std::vector<double> through(static_cast<std::size_t>(cols));
      for (Eigen::Index j = cols - 1; j >= 0; --j)
        through[static_cast<std::size_t>(j)] = suffix += total(i, j);
      double acc = 0;
      for (Eigen::Index j = 0; j < cols; ++j)
        drop(i, j) += acc += through[static_cast<std::size_t>(j)];
    }
    for (Eigen::Index j = 0; j < cols; ++j) {
      double prefix = 0;
      std::vector<double> through(static_cast<std::size_t>(rows));
      for (Eigen::Index i = 0; i < rows; ++i)
        through[static_cast<std::size_t>(i)] = prefix += total(i, j);
      double acc = 0;
      for (Eigen::Index i = rows - 1; i >= 0; --i)
        drop(i, j) += acc += through[static_cast<std::size_t>(i)];
    }
    for (Eigen::Index i = 0; i < rows; ++i)
      for (Eigen::Index j = 0; j < cols; ++j)
        b.g(i, j) = static_cast<float>(b.g(i, j) * std::max(0.0, 1.0 - r * drop(i, j)));
  }

  const double compensation = pcm.drift && pcm.drift_compensation && !a_.ideal && sum_abs_t > 0
                                  ? sum_abs_0 / sum_abs_t
                                  : 1.0;
  b.multiplier.resize(cols);
  double largest = 0;
  for (Eigen::Index j = 0; j < cols; ++j) largest = std::max(largest, scale(j) * compensation);
  // Block floating point: one exponent per tile, scale_bits significant bits.
  const double step =
      a_.ldu_scale_bits > 0 && largest > 0
          ? std::ldexp(1.0, std::ilogb(largest) - static_cast<int>(a_.ldu_scale_bits) + 1)
          : 0.0;
  for (Eigen::Index j = 0; j < cols; ++j) {
    const double m = scale(j) * compensation;
    b.multiplier(j) = static_cast<float>(step > 0 ? std::nearbyint(m / step) * step : m);
  }
  if (!a_.ideal && (a_.adc.gain_sigma > 0 || a_.adc.offset_sigma_lsb > 0)) {
    sim::Rng rng(adc_seed);
    b.adc_gain.resize(cols);
    b.adc_offset.resize(cols);
    for (Eigen::Index j = 0; j < cols; ++j) {
      b.adc_gain(j) = static_cast<float>(1.0 + a_.adc.gain_sigma * rng.normal());
      b.adc_offset(j) = static_cast<float>(a_.adc.offset_sigma_lsb * rng.normal());
    }
  }
  return b;
}

double TileValues::convert(const ProgrammedBlock& b, std::uint64_t j, double u) const {
  if (a_.ideal) return u;
  const AdcTransfer& adc = a_.adc;
  const double lsb = adc.lsb();
  if (b.adc_gain.size() > 0) {
    const auto col = static_cast<Eigen::Index>(j);
    u = u * b.adc_gain(col) + b.adc_offset(col) * lsb;
  }
  if (adc.inl_lsb != 0 && std::fabs(u) < adc.range) {
    const double x = u / adc.range;
    u += adc.inl_lsb * lsb * (1.0 - x * x);
  }
  const double k = static_cast<double>(adc.max_code());
  return std::clamp(std::nearbyint(u / lsb), -k, k) * lsb;
}

// u_j = sum_i x_i g_ij over the rows with a non-zero input (row order, whatever the number of
// columns: a column computes the same sum on any split), and the read-noise variance.
void TileValues::integrate(const ProgrammedBlock& b, const float* x, std::uint64_t rows,
                           sim::Rng& rng, double* u, double* noise_var) const {
  const auto cols = static_cast<std::size_t>(b.g.cols());
  std::fill(u, u + cols, 0.0);
  const bool noisy = b.var.size() > 0;
  if (noisy) std::fill(noise_var, noise_var + cols, 0.0);
  for (std::uint64_t i = 0; i < rows; ++i) {
    const float xi = x[i];
    if (xi == 0.0f) continue;
    const float* g = b.g.data() + i * cols;
    for (std::size_t j = 0; j < cols; ++j) u[j] += static_cast<double>(xi * g[j]);
    if (noisy) {
      const float* v = b.var.data() + i * cols;
      const float x2 = xi * xi;
      for (std::size_t j = 0; j < cols; ++j) noise_var[j] += static_cast<double>(x2 * v[j]);
    }
  }
  if (noisy)
    for (std::size_t j = 0; j < cols; ++j) u[j] += std::sqrt(noise_var[j]) * rng.normal();
}

Eigen::MatrixXf TileValues::mvm(const ProgrammedBlock& b,
                                const Eigen::Ref<const Eigen::MatrixXf>& x,
                                std::uint64_t noise_seed, std::uint64_t first_token) const {
  const Eigen::Index tokens = x.rows(), rows = b.g.rows(), cols = b.g.cols();
  if (x.cols() != rows) throw std::logic_error("an MVM input does not match its block");
  Eigen::MatrixXf out(tokens, cols);
  const double levels =
      static_cast<double>(std::max<std::uint64_t>((std::uint64_t{1} << (a_.dac_bits - 1)) - 1, 1));
  std::vector<float> xn(static_cast<std::size_t>(rows)), plane(static_cast<std::size_t>(rows));
  std::vector<double> u(static_cast<std::size_t>(cols)), acc(static_cast<std::size_t>(cols)),
      var(static_cast<std::size_t>(cols));
  for (Eigen::Index t = 0; t < tokens; ++t) {
    sim::Rng rng(sim::stream_seed(noise_seed, first_token + static_cast<std::uint64_t>(t)));
    float x_max = 0;
    for (Eigen::Index i = 0; i < rows; ++i) x_max = std::max(x_max, std::fabs(x(t, i)));
    if (x_max == 0.0f) {
      out.row(t).setZero();
      continue;
    }
    for (Eigen::Index i = 0; i < rows; ++i) {
      const double v = x(t, i) / x_max;
      xn[static_cast<std::size_t>(i)] =
          static_cast<float>(a_.ideal ? v : std::nearbyint(v * levels) / levels);
    }
    if (a_.bit_serial && !a_.ideal) {
      std::fill(acc.begin(), acc.end(), 0.0);
      for (std::uint64_t bit = 0; bit + 1 < a_.dac_bits; ++bit) {
        for (Eigen::Index i = 0; i < rows; ++i) {
          const float v = xn[static_cast<std::size_t>(i)];
          const auto magnitude = static_cast<std::uint64_t>(std::nearbyint(std::fabs(v) * levels));
          plane[static_cast<std::size_t>(i)] =
              (magnitude >> bit) & 1u ? (v < 0 ? -1.0f : 1.0f) : 0.0f;
        }
        integrate(b, plane.data(), static_cast<std::uint64_t>(rows), rng, u.data(), var.data());
        for (Eigen::Index j = 0; j < cols; ++j)
          acc[static_cast<std::size_t>(j)] +=
              std::ldexp(convert(b, static_cast<std::uint64_t>(j), u[static_cast<std::size_t>(j)]),
                         static_cast<int>(bit)) /
              levels;
      }
    } else {
      integrate(b, xn.data(), static_cast<std::uint64_t>(rows), rng, u.data(), var.data());
      for (Eigen::Index j = 0; j < cols; ++j)
        acc[static_cast<std::size_t>(j)] =
            convert(b, static_cast<std::uint64_t>(j), u[static_cast<std::size_t>(j)]);
    }
    for (Eigen::Index j = 0; j < cols; ++j) {
      const auto y = static_cast<float>(acc[static_cast<std::size_t>(j)] * b.multiplier(j) * x_max);
      out(t, j) = a_.fp16_output ? cluster::round_to(cluster::ValueFormat::fp16, y) : y;
    }
  }
  return out;
}

}  // namespace aimcsim::aimc
