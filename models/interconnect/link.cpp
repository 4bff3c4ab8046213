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
      transfers_(stats().counter("transfers", "count", "transfers carried")),
      bytes_(stats().counter("bytes", "B", "bytes carried")) {
  in.register_b_transport(this, &Link::b_transport);
  stats().formula("busy_time", "ns", "time spent carrying data",
                  [this] { return resource_.busy_ps() / 1000.0; });
  stats().formula("wait_time", "ns", "time transfers waited for the link (contention)",
                  [this] { return resource_.waited_ps() / 1000.0; });
}

void Link::b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  cross_hop(trans, delay, resource_, timing_);
  transfers_ += 1;
  bytes_ += static_cast<double>(payload_bytes(trans));
  out->b_transport(trans, delay);
}

void Link::reset_stats() {
  Component::reset_stats();
  resource_.reset_stats();
}

AIMCSIM_REGISTER_MODEL("axi_link", "link", Link,
                       "TLM-2.0 link: width B/cycle, latency cycles, FCFS arbitration")

}  // namespace aimcsim::interconnect
