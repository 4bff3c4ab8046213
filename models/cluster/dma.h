// The cluster's DMA engine (iDMA driven by the DMA core). A transfer costs `setup` cycles of
// the DMA core issuing it, then moves through the interconnect as a TLM-2.0 transfer (and,
// at the cluster end, through the TCDM banks), ending no earlier than the engine's own data
// path allows (`width` bytes a cycle after the setup). Transfers are served one at a time in issue
// order: the engine is busy from a transfer's start until its last byte has landed.
// Energy: e_transfer per transfer (the DMA core issuing it, the engine's set-up) and e_byte per
// byte through the engine (the links and memories charge their own); leakage and area.
// Simplification: no overlap of consecutive transfers' setup with the previous data phase.
#pragma once

#include "models/interconnect/interconnect.h"
#include "models/sim/component.h"
#include "models/sim/energy.h"
#include "models/sim/resource.h"

namespace aimcsim::cluster {

class Dma : public sim::Component {
 public:
  Dma(const sc_core::sc_module_name& name, sim::ConfigNode config);

  // Moves bytes from endpoint src to endpoint dst no earlier than earliest_ps; returns from
  // when the engine took the transfer (setup included) to when its last byte landed.
  sim::Interval run(unsigned src, unsigned dst, std::uint64_t bytes, std::uint64_t earliest_ps,
                    interconnect::Interconnect& net, sim::Time period);

  std::uint64_t setup_cycles() const { return setup_.value; }
  sim::EnergyBook& energy() { return energy_; }
  void reset_stats() override;

 private:
  const sim::Cycles setup_;
  const sim::BytesPerCycle width_;
  sim::OccupancyResource engine_;
  sim::EnergyBook energy_;
  sim::EnergyBook::EventId transfer_events_, byte_events_;
  double& transfers_;
  double& bytes_;
  double& busy_ns_;
};

}  // namespace aimcsim::cluster
