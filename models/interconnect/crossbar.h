// The non-blocking crossbar at the centre of the interconnect. It routes a transfer by the
// endpoint index in the top bits of its address and adds a fixed traversal latency.
// Contention is not here but on the port links on either side (see Link).
// Energy: e_byte per byte routed; leakage and area of the crossbar.
#pragma once

#include "models/interconnect/hop.h"
#include "models/sim/component.h"
#include "models/sim/energy.h"

#include <tlm_utils/multi_passthrough_initiator_socket.h>
#include <tlm_utils/multi_passthrough_target_socket.h>

namespace aimcsim::interconnect {

// Address of byte offset in endpoint index: the endpoint sits in the top 24 bits.
inline constexpr unsigned kEndpointShift = 40;
inline std::uint64_t endpoint_address(unsigned endpoint, std::uint64_t offset = 0) {
  return (static_cast<std::uint64_t>(endpoint) << kEndpointShift) | offset;
}

class Crossbar : public sim::Component {
 public:
  Crossbar(const sc_core::sc_module_name& name, sim::ConfigNode config);

  tlm_utils::multi_passthrough_target_socket<Crossbar> in;
  tlm_utils::multi_passthrough_initiator_socket<Crossbar> out;  // index = endpoint
  sim::Time period() const { return period_; }
  sim::EnergyBook& energy() { return energy_; }
  void reset_stats() override;

 private:
  void b_transport(int port, tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
  const std::uint64_t latency_ps_;
  const sim::Time period_;
  sim::EnergyBook energy_;
  sim::EnergyBook::EventId byte_events_;
  double& routed_;
};

}  // namespace aimcsim::interconnect
