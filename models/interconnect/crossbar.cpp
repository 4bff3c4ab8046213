#include "models/interconnect/crossbar.h"

#include <stdexcept>

namespace aimcsim::interconnect {

Crossbar::Crossbar(const sc_core::sc_module_name& name, sim::ConfigNode config)
    : Component(name, config),
      in("in"),
      out("out"),
      latency_ps_(
          config
              .get<sim::Cycles>("latency", sim::Cycles{1},
                                "crossbar traversal cycles (registered ports)")
              .value *
          config.get<sim::Frequency>("clock", sim::Frequency::parse("1GHz"), "crossbar clock")
              .period()
              .ps),
      routed_(stats().counter("transfers", "count", "transfers routed")) {
  in.register_b_transport(this, &Crossbar::b_transport);
}

void Crossbar::b_transport(int, tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  const auto target = static_cast<unsigned>(trans.get_address() >> kEndpointShift);
  if (target >= out.size()) throw std::logic_error("crossbar: no endpoint for address");
  TransferTail& tail = tail_of(trans, delay);
  tail.tail_ps += latency_ps_;
  delay += sc_core::sc_time::from_value(latency_ps_);
  routed_ += 1;
  out[target]->b_transport(trans, delay);
}

AIMCSIM_REGISTER_MODEL("crossbar", "crossbar", Crossbar,
                       "non-blocking crossbar: routes by endpoint, fixed latency")

}  // namespace aimcsim::interconnect
