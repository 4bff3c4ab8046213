#include "models/interconnect/hop.h"

#include "models/sim/checked.h"

#include <algorithm>

namespace aimcsim::interconnect {

TransferTail& tail_of(tlm::tlm_generic_payload& trans, const sc_core::sc_time& delay) {
  TransferTail* tail = trans.get_extension<TransferTail>();
  if (!tail) {
    tail = new TransferTail;
    tail->tail_ps = (sc_core::sc_time_stamp() + delay).value();
    trans.set_extension(tail);  // owned by the payload, freed with it
  }
  return *tail;
}

void cross_hop(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay,
               sim::OccupancyResource& resource, const HopTiming& timing) {
  TransferTail& tail = tail_of(trans, delay);
  const char* what = "a transfer's time through a link or memory port (width, latency, clock)";
  const std::uint64_t now = sc_core::sc_time_stamp().value();
  const std::uint64_t arrive = sim::add(now, delay.value(), what);
  const std::uint64_t occupancy =
      sim::mul(sim::ceil_div(payload_bytes(trans), timing.width.value), timing.period.ps, what);
  const std::uint64_t latency = sim::mul(timing.latency.value, timing.period.ps, what);
  const std::uint64_t start = resource.reserve(arrive, occupancy);
  tail.tail_ps = sim::add(std::max(start + occupancy, tail.tail_ps), latency, what);
  delay = sc_core::sc_time::from_value(sim::add(start, latency, what) - now);
  trans.set_response_status(tlm::TLM_OK_RESPONSE);
}

}  // namespace aimcsim::interconnect
