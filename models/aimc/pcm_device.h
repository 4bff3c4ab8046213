// The statistical model of a phase-change memory (PCM) device that holds one half of a
// differential weight (the functional co-simulation; timing does not depend on it). It is the
// model IBM's aihwkit implements as PCMLikeNoiseModel, fitted to measurements of a million PCM
// devices (Nandakumar et al., "Phase-change memory models for deep learning training and
// inference", ICECS 2019; Joshi et al., Nature Communications 11, 2473, 2020). Conductances are
// in uS, 0 <= g <= g_max; g_rel = g_target / g_max.
//   programming  g_prog = max(0, g_target + sigma_prog(g_target) N(0,1)),
//                sigma_prog = c0 + c1 g_rel + c2 g_rel^2 (uS)
//   drift        g(t) = g_prog ((t + t0) / t0)^-nu, nu = |mu + sigma N(0,1)|,
//                mu = clamp(-0.0155 ln g_rel + 0.0244, 0.049, 0.1),
//                sigma = clamp(-0.0125 ln g_rel - 0.0059, 0.008, 0.045)
//   read noise   1/f noise accumulated up to the read at time t: per read, g(t) gets
//                |g(t)| q_s sqrt(ln((t + t_read) / (2 t_read))) N(0,1),
//                q_s = min(0.0088 / max(g_rel^0.65, 1e-3), 0.2)
// Simplifications: the noise of one read is drawn per MVM (aihwkit freezes one draw per
// evaluation); devices are independent; g_rel is clipped to 1e-7 in the logarithms.
#pragma once

#include "models/sim/config.h"

namespace aimcsim::aimc {

struct PcmDevice {
  double g_max_us = 25.0;  // AHWA-LoRA's Gmax (Li et al. 2026)
  bool programming_noise = true, drift = true, read_noise = true;
  double c0 = 0.26348, c1 = 1.9650, c2 = -1.1731;  // sigma_prog polynomial, uS
  double t0_s = 20.0;                              // reference time of the drift law
  double t_read_s = 250e-9;                        // duration of one read
  double t_since_programming_s = 3600.0;           // when the model is evaluated
  bool drift_compensation = true;                  // the local digital unit rescales (below)

  static PcmDevice from_config(sim::ConfigNode config);

  double sigma_programming(double g_target_us) const;
  // The drift exponent of a device programmed to g_target, given its N(0,1) draw.
  double drift_exponent(double g_target_us, double z) const;
  // The factor ((t + t0) / t0)^-nu at the evaluation time.
  double drift_factor(double nu) const;
  // The standard deviation of one read of a device at conductance g_now (uS).
  double sigma_read(double g_now_us) const;
};

}  // namespace aimcsim::aimc
