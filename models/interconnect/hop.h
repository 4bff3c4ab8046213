// Timing of one hop (a link, a memory port) that a TLM-2.0 transfer crosses. A transfer of B
// bytes occupies a hop of width W bytes/cycle for ceil(B/W) cycles, first come first served
// (arbitration by arrival order), and adds the hop's latency to both the head and the tail of
// the data. Hops are cut-through: the annotated delay carries the head, the TransferTail
// extension carries the time the last byte has passed, so an uncontended path costs
// sum(latencies) + ceil(B / narrowest width) rather than one serialisation per hop.
#pragma once

#include "models/sim/resource.h"
#include "models/sim/units.h"

#include <systemc>
#include <tlm>

#include <cstdint>

namespace aimcsim::interconnect {

struct TransferTail : tlm::tlm_extension<TransferTail> {
  std::uint64_t tail_ps = 0;  // absolute time the last byte has left the latest hop
  // The transfer's size: the payload's own data length is 32-bit, a transfer may be larger.
  std::uint64_t bytes = 0;
  tlm::tlm_extension_base* clone() const override { return new TransferTail(*this); }
  void copy_from(const tlm::tlm_extension_base& other) override {
    tail_ps = static_cast<const TransferTail&>(other).tail_ps;
    bytes = static_cast<const TransferTail&>(other).bytes;
  }
};

// The bytes trans moves (its TransferTail's size when it carries one).
inline std::uint64_t payload_bytes(const tlm::tlm_generic_payload& trans) {
  const TransferTail* tail = trans.get_extension<TransferTail>();
  return tail && tail->bytes ? tail->bytes : trans.get_data_length();
}

// Hop parameters: width, latency and the clock they count in.
struct HopTiming {
  sim::BytesPerCycle width;
  sim::Cycles latency;
  sim::Time period;
};

// Books resource for trans arriving after delay; advances delay (head) and the tail.
void cross_hop(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay,
               sim::OccupancyResource& resource, const HopTiming& timing);

// The tail extension of trans, created at the head's arrival time when absent.
TransferTail& tail_of(tlm::tlm_generic_payload& trans, const sc_core::sc_time& delay);

}  // namespace aimcsim::interconnect
