#include "models/interconnect/crossbar.h"

#include "models/sim/checked.h"

#include <stdexcept>

namespace aimcsim::interconnect {
namespace {

sim::Time clock_of(sim::ConfigNode& config) {
  return config.get<sim::Frequency>("clock", sim::Frequency::parse("1GHz"), "crossbar clock")
      .period();
}

}  // namespace

Crossbar::Crossbar(const sc_core::sc_module_name& name, sim::ConfigNode config)
    : Component(name, config),
      in("in"),
      out("out"),
      latency_ps_([&config] {  // read latency, then clock: the effective configuration's order
        const sim::Cycles latency = config.get<sim::Cycles>(
            "latency", sim::Cycles{1}, "crossbar traversal cycles (registered ports)");
        return sim::mul(latency.value, clock_of(config).ps,
                        "interconnect.crossbar.latency x its clock period");
      }()),
      period_(clock_of(config)),
      routed_(stats().counter("transfers", "count", "transfers routed")) {
  in.register_b_transport(this, &Crossbar::b_transport);
}

void Crossbar::b_transport(int, tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  const auto target = static_cast<unsigned>(trans.get_address() >> kEndpointShift);
  if (target >= out.size()) throw std::logic_error("crossbar: no endpoint for address");
  TransferTail& tail = tail_of(trans, delay);
  const char* what = "a transfer's time through the crossbar";
  tail.tail_ps = sim::add(tail.tail_ps, latency_ps_, what);
  delay = sc_core::sc_time::from_value(sim::add(delay.value(), latency_ps_, what));
  routed_ += 1;
  out[target]->b_transport(trans, delay);
}

AIMCSIM_REGISTER_MODEL("crossbar", "crossbar", Crossbar,
                       "non-blocking crossbar: routes by endpoint, fixed latency")

}  // namespace aimcsim::interconnect
