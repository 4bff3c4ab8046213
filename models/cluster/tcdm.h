// The cluster's tightly-coupled data memory: `banks` word-interleaved banks of bank_width
// bytes, so at most banks x bank_width bytes move per cycle, shared by the DMA, RedMulE, the
// worker cores and writes arriving from the interconnect. Timing: every initiator books its
// bytes cycle by cycle at up to its own port rate (sim::BandwidthTimeline), earlier bookings
// first; an initiator that finds the banks taken stalls. Capacity is enforced by the
// compiler's allocation against size().
// Energy: e_byte per byte read or written by any initiator; leakage and area per MiB.
// Simplification: bank conflicts are counted in aggregate bandwidth, not per bank address.
#pragma once

#include "models/interconnect/endpoint_memory.h"
#include "models/sim/energy.h"
#include "models/sim/resource.h"

namespace aimcsim::cluster {

class Tcdm : public interconnect::EndpointMemory {
 public:
  Tcdm(const sc_core::sc_module_name& name, sim::ConfigNode config, sim::Time period);

  // Books bytes from earliest_ps at up to rate bytes per cycle; returns when the last byte
  // has moved (earliest_ps when bytes is 0).
  std::uint64_t stream(std::uint64_t earliest_ps, std::uint64_t bytes, std::uint64_t rate);

  // A job of an engine that streams its operands through the TCDM: it starts when the engine
  // is free, spends setup cycles, then computes for compute cycles while booking bytes at its
  // average rate (at most max_rate); it ends when both compute and memory are done. Books the
  // engine and returns the job's [start, end).
  sim::Interval run_job(sim::OccupancyResource& engine, std::uint64_t earliest_ps,
                        std::uint64_t setup_cycles, std::uint64_t compute_cycles,
                        std::uint64_t bytes, std::uint64_t max_rate);

  std::uint64_t size() const { return size_.value; }
  std::uint64_t bytes_per_cycle() const { return timeline_.capacity(); }
  sim::EnergyBook& energy() { return energy_; }
  void reset_stats() override;

 protected:
  void access(int from, tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) override;

 private:
  const sim::Bytes size_;
  const std::uint64_t banks_;
  const sim::Bytes bank_width_;
  const sim::BytesPerCycle port_width_;
  const sim::Time period_;
  sim::BandwidthTimeline timeline_;
  sim::EnergyBook energy_;
  sim::EnergyBook::EventId bytes_;
};

}  // namespace aimcsim::cluster
