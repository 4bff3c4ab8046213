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
      energy_(stats()),
      // ESTIMATE: one more router hop of FlooNoC (0.15 pJ/B/hop, 12 nm, arXiv 2409.17606).
      byte_events_(energy_.event(
          "bytes",
          config.get<sim::Energy>("e_byte", sim::Energy::parse("0.15pJ"), "energy per byte routed"),
          "bytes routed")),
      routed_(stats().counter("transfers", "count", "transfers routed")) {
  in.register_b_transport(this, &Crossbar::b_transport);
  // ESTIMATES: 0.5 mW leakage and 0.05 mm2 for a crossbar of a few 512-bit ports.
  energy_.set_instance(
      config.get<sim::Power>("p_static", sim::Power::parse("0.5mW"),
                             "leakage power of the crossbar"),
      config.get<sim::Area>("area", sim::Area::parse("0.05mm2"), "area of the crossbar"));
}

void Crossbar::reset_stats() {
  Component::reset_stats();
  energy_.reset();
  energy_.set_instances(1, 1);  // always part of the platform's data path
}

void Crossbar::b_transport(int, tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  const auto target = static_cast<unsigned>(trans.get_address() >> kEndpointShift);
  if (target >= out.size()) throw std::logic_error("crossbar: no endpoint for address");
  TransferTail& tail = tail_of(trans, delay);
  const char* what = "a transfer's time through the crossbar";
  tail.tail_ps = sim::add(tail.tail_ps, latency_ps_, what);
  delay = sc_core::sc_time::from_value(sim::add(delay.value(), latency_ps_, what));
  routed_ += 1;
  energy_.count(byte_events_, payload_bytes(trans));
  out[target]->b_transport(trans, delay);
}

AIMCSIM_REGISTER_MODEL("crossbar", "crossbar", Crossbar,
                       "non-blocking crossbar: routes by endpoint, fixed latency")

}  // namespace aimcsim::interconnect
