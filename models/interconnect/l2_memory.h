// The shared L2 scratchpad: a single-ported SRAM of `size` bytes behind the interconnect.
// Timing: every access (read or write) crosses the SRAM port as one hop (hop.h): width
// bytes per cycle, `latency` cycles, first come first served.
// Energy: e_byte per byte read or written; leakage and area per MiB of capacity.
// Simplifications: no banking inside L2; reads and writes share one port; the capacity is
// recorded but not enforced (every tensor fits), and saying so is a note to the user.
#pragma once

#include "models/interconnect/endpoint_memory.h"
#include "models/sim/energy.h"

namespace aimcsim::interconnect {

class L2Memory : public EndpointMemory {
 public:
  L2Memory(const sc_core::sc_module_name& name, sim::ConfigNode config);
  std::uint64_t size() const { return size_.value; }
  sim::Time period() const { return timing_.period; }
  sim::EnergyBook& energy() { return energy_; }
  void reset_stats() override;

 protected:
  void access(int from, tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) override;

 private:
  const sim::Bytes size_;
  const HopTiming timing_;
  sim::OccupancyResource resource_;
  sim::EnergyBook energy_;
  sim::EnergyBook::EventId byte_events_;
  double& bytes_read_;
  double& bytes_written_;
};

}  // namespace aimcsim::interconnect
