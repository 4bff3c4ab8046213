#include "models/interconnect/l2_memory.h"

namespace aimcsim::interconnect {

namespace {

bool is_dram(L2Memory::Role role) {
  return role == L2Memory::Role::dram;
}

}  // namespace

L2Memory::L2Memory(const sc_core::sc_module_name& name, sim::ConfigNode config, Role role)
    : EndpointMemory(name, config),
      size_(config.get<sim::Bytes>("size", sim::Bytes::parse(is_dram(role) ? "16GiB" : "4MiB"),
                                   "capacity (the model compiler's memory plan fills it)",
                                   sim::Bytes{1})),
      // Estimates: a 512-bit SRAM port as wide as the interconnect, 10 cycles of access
      // latency (Occamy's L2/SPM latency is not published in the material we could reach).
      // DRAM, ESTIMATE: an LPDDR4-class interface, 8 B at 400 MHz = 3.2 GB/s, and about 100 ns
      // from request to first data (40 cycles); HARP's DDR moves 800 MiB/s (harp presets).
      timing_{config.get<sim::BytesPerCycle>("width", sim::BytesPerCycle{is_dram(role) ? 8u : 64u},
                                             "port bytes per cycle", sim::BytesPerCycle{1}),
              config.get<sim::Cycles>("latency", sim::Cycles{is_dram(role) ? 40u : 10u},
                                      "access latency (estimate)"),
              config
                  .get<sim::Frequency>("clock",
                                       sim::Frequency::parse(is_dram(role) ? "400MHz" : "1GHz"),
                                       "clock of the port")
                  .period()},
      energy_(stats()),
      // Horowitz, ISSCC 2014 (45 nm; secondary transcriptions, not verified in the paper): a
      // 64-bit access of a 1 MB SRAM costs about 100 pJ, 12.5 pJ a byte. DRAM, ESTIMATE: the
      // same talk's 1.3-2.6 nJ per 64-bit DRAM access, its low end: 160 pJ a byte.
      byte_events_(energy_.event(
          "bytes",
          config.get<sim::Energy>("e_byte", sim::Energy::parse(is_dram(role) ? "160pJ" : "12.5pJ"),
                                  "energy per byte read or written"),
          "bytes read and written")),
      bytes_read_(stats().counter("bytes_read", "B", "bytes read")),
      bytes_written_(stats().counter("bytes_written", "B", "bytes written")) {
  stats().formula("busy_time", "ns", "time the SRAM port was busy",
                  [this] { return resource_.busy_ps() / 1000.0; });
  // Area: Garofalo et al., JETCAS 2022 (22 nm), 1.63 mm2 per MiB of banked SRAM (tcdm.cpp).
  // Leakage: IBM HARP's 1 MiB SRAM draws 5.45 mW (28 nm; nodes/accelerator_config.py), taken
  // as its leakage (ESTIMATE: HARP charges it while busy).
  // A DRAM is off chip: no on-chip area or leakage unless a technology preset gives them.
  sim::set_sram_instance(energy_, config, size_.value,
                         sim::Power::parse(is_dram(role) ? "0W" : "5.45mW"),
                         sim::Area::parse(is_dram(role) ? "0nm2" : "1.63mm2"));
  energy_.set_instances(1, 1);
}

void L2Memory::access(int, tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  cross_hop(trans, delay, resource_, timing_);
  (trans.is_read() ? bytes_read_ : bytes_written_) += static_cast<double>(payload_bytes(trans));
  energy_.count(byte_events_, payload_bytes(trans));
}

void L2Memory::reset_stats() {
  EndpointMemory::reset_stats();
  energy_.reset();
  resource_.reset_stats();
}

AIMCSIM_REGISTER_MODEL("l2_memory", "memory", L2Memory,
                       "shared L2 SRAM: one port, width B/cycle, latency cycles")

}  // namespace aimcsim::interconnect
