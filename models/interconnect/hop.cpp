#include "models/interconnect/hop.h"

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
  const std::uint64_t now = sc_core::sc_time_stamp().value();
  const std::uint64_t arrive = now + delay.value();
  const std::uint64_t occupancy =
      sim::ceil_div(trans.get_data_length(), timing.width.value) * timing.period.ps;
  const std::uint64_t latency = timing.latency.value * timing.period.ps;
  const std::uint64_t start = resource.reserve(arrive, occupancy);
  tail.tail_ps = std::max(start + occupancy, tail.tail_ps) + latency;
  delay = sc_core::sc_time::from_value(start + latency - now);
  trans.set_response_status(tlm::TLM_OK_RESPONSE);
}

}  // namespace aimcsim::interconnect
