// The shared L2 scratchpad: a single-ported SRAM of `size` bytes behind the interconnect.
// Timing: every access (read or write) crosses the SRAM port as one hop (hop.h): width
// bytes per cycle, `latency` cycles, first come first served.
// Energy: e_byte per byte read or written; leakage and area per MiB of capacity.
// The same model serves the optional levels below L2 (platform.h): an on-chip SRAM and an
// off-chip DRAM (role dram: defaults of an LPDDR4-class interface, no on-chip area or
// leakage). The capacity of each level is enforced by the model compiler's memory plan
// (workloads/memory_plan.h), not here.
// Simplifications: no banking; reads and writes share one port; a DRAM has no row-buffer,
// refresh or bank model: a fixed latency, then its bandwidth.
#pragma once

#include "models/interconnect/endpoint_memory.h"
#include "models/sim/energy.h"

namespace aimcsim::interconnect {

class L2Memory : public EndpointMemory {
 public:
  enum class Role { l2, sram, dram };
  L2Memory(const sc_core::sc_module_name& name, sim::ConfigNode config, Role role = Role::l2);
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
