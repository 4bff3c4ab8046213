#include "models/interconnect/link.h"

namespace aimcsim::interconnect {

Link::Link(const sc_core::sc_module_name& name, sim::ConfigNode config)
    : Component(name, config),
      in("in"),
      out("out"),
      // Occamy's wide interconnect is 512 bit (64 B/cycle) with registered crossbar ports.
      timing_{config.get<sim::BytesPerCycle>("width", sim::BytesPerCycle{64}, "bytes per cycle",
                                             sim::BytesPerCycle{1}),
              config.get<sim::Cycles>("latency", sim::Cycles{2},
                                      "cycles from head in to head out (estimate)"),
              config.get<sim::Frequency>("clock", sim::Frequency::parse("1GHz"), "link clock")
                  .period()},
      energy_(stats()),
      // FlooNoC (Fischer et al., arXiv 2409.17606; 12 nm, 0.8 V): 0.15 pJ per byte per hop
      // on its 512-bit AXI links, router included.
      byte_events_(energy_.event("bytes",
                                 config.get<sim::Energy>("e_byte", sim::Energy::parse("0.15pJ"),
                                                         "energy per byte carried over the link"),
                                 "bytes carried")),
      transfers_(stats().counter("transfers", "count", "transfers carried")),
      bytes_(stats().counter("bytes", "B", "bytes carried")) {
  in.register_b_transport(this, &Link::b_transport);
  // ESTIMATES: FlooNoC's router and links are 3.5 % of a compute tile's area; one link of a
  // 0.5 mm2 cluster's port about 0.01 mm2; leakage 0.1 mW (IBM HARP's link is 13 mW of power,
  // charged while busy, 28 nm).
  energy_.set_instance(
      config.get<sim::Power>("p_static", sim::Power::parse("0.1mW"), "leakage power of the link"),
      config.get<sim::Area>("area", sim::Area::parse("0.01mm2"), "area of the link"));
  stats().formula("busy_time", "ns", "time spent carrying data",
                  [this] { return resource_.busy_ps() / 1000.0; });
  stats().formula("wait_time", "ns", "time transfers waited for the link (contention)",
                  [this] { return resource_.waited_ps() / 1000.0; });
}

void Link::b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  cross_hop(trans, delay, resource_, timing_);
  transfers_ += 1;
  bytes_ += static_cast<double>(payload_bytes(trans));
  energy_.count(byte_events_, payload_bytes(trans));
  energy_.set_instances(1, 1);
  out->b_transport(trans, delay);
}

void Link::reset_stats() {
  Component::reset_stats();
  energy_.reset();
  energy_.set_instances(1, 0);
  resource_.reset_stats();
}

AIMCSIM_REGISTER_MODEL("axi_link", "link", Link,
                       "TLM-2.0 link: width B/cycle, latency cycles, FCFS arbitration")

}  // namespace aimcsim::interconnect
