// A point-to-point link of the interconnect: a TLM-2.0 pass-through (target socket in,
// initiator socket out) with a width in bytes per cycle, a latency in cycles, and
// first-come-first-served arbitration between the transfers that share it. Timing: see hop.h.
// Energy: e_byte per byte carried (one hop); leakage and area per link.
// Simplification: one direction of data per Link; a full-duplex port is two Links.
#pragma once

#include "models/interconnect/hop.h"
#include "models/sim/component.h"
#include "models/sim/energy.h"

#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

namespace aimcsim::interconnect {

class Link : public sim::Component {
 public:
  Link(const sc_core::sc_module_name& name, sim::ConfigNode config);

  tlm_utils::simple_target_socket<Link> in;
  tlm_utils::simple_initiator_socket<Link> out;

  const HopTiming& timing() const { return timing_; }
  sim::EnergyBook& energy() { return energy_; }
  void reset_stats() override;

 private:
  void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);

  const HopTiming timing_;
  sim::OccupancyResource resource_;
  sim::EnergyBook energy_;
  sim::EnergyBook::EventId byte_events_;
  double& transfers_;
  double& bytes_;
};

}  // namespace aimcsim::interconnect
