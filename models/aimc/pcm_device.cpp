#include "models/aimc/pcm_device.h"

#include <algorithm>
#include <cmath>

namespace aimcsim::aimc {
namespace {
constexpr double kMinRelative = 1e-7;  // aihwkit's _ZERO_CLIP
}

PcmDevice PcmDevice::from_config(sim::ConfigNode c) {
  PcmDevice d;
  d.g_max_us = c.get<double>("g_max_us", d.g_max_us,
                             "largest device conductance in uS (AHWA-LoRA: 25)", 1e-3, 1e6);
  d.programming_noise =
      c.get<bool>("programming_noise", true, "programming (write) noise: sigma_prog(g) per device");
  // Nandakumar et al. ICECS 2019, as aihwkit's PCMLikeNoiseModel.prog_coeff.
  d.c0 = c.get<double>("prog_c0", d.c0, "sigma_prog = c0 + c1 g/g_max + c2 (g/g_max)^2 (uS)", 0.0,
                       100.0);
  d.c1 = c.get<double>("prog_c1", d.c1, "sigma_prog's linear coefficient (uS)", -100.0, 100.0);
  d.c2 = c.get<double>("prog_c2", d.c2, "sigma_prog's quadratic coefficient (uS)", -100.0, 100.0);
  d.drift = c.get<bool>("drift", true, "conductance drift (t/t0)^-nu per device");
  d.t0_s = c.get<double>("t0_s", d.t0_s, "drift reference time in s", 1e-9, 1e12);
  d.t_since_programming_s = c.get<double>("t_since_programming_s", d.t_since_programming_s,
                                          "time from programming to inference in s", 0.0, 1e12);
  d.drift_compensation =
      c.get<bool>("drift_compensation", true,
                  "the local digital unit rescales each tile by its global drift (aihwkit's "
                  "GlobalDriftCompensation)");
  d.read_noise = c.get<bool>("read_noise", true, "1/f read noise on every MVM");
  d.t_read_s = c.get<double>("t_read_s", d.t_read_s, "duration of one read in s", 1e-12, 1.0);
  return d;
}

double PcmDevice::sigma_programming(double g_target_us) const {
  const double g = g_target_us / g_max_us;
  return std::max(c0 + c1 * g + c2 * g * g, 0.0);
}

double PcmDevice::drift_exponent(double g_target_us, double z) const {
  const double g = std::max(std::fabs(g_target_us / g_max_us), kMinRelative);
  const double mu = std::clamp(-0.0155 * std::log(g) + 0.0244, 0.049, 0.1);
  const double sigma = std::clamp(-0.0125 * std::log(g) - 0.0059, 0.008, 0.045);
  return std::fabs(mu + sigma * z);
}

double PcmDevice::drift_factor(double nu) const {
  return std::pow((t_since_programming_s + t0_s) / t0_s, -nu);
}

double PcmDevice::sigma_read(double g_now_us) const {
  const double t = t_since_programming_s + t0_s;
  const double g = std::fabs(g_now_us) / g_max_us;
  const double q_s = std::min(0.0088 / std::max(std::pow(g, 0.65), 1e-3), 0.2);
  return std::fabs(g_now_us) * q_s * std::sqrt(std::log((t + t_read_s) / (2.0 * t_read_s)));
}

}  // namespace aimcsim::aimc
