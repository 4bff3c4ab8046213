#include "models/cluster/tcdm.h"

#include "models/sim/checked.h"

#include <algorithm>

namespace aimcsim::cluster {

Tcdm::Tcdm(const sc_core::sc_module_name& name, sim::ConfigNode config, sim::Time period)
    : EndpointMemory(name, config),
      // snitch_cluster cfg/default: 128 KiB in 32 banks of 64 bit.
      size_(
          config.get<sim::Bytes>("size", sim::Bytes::parse("128KiB"), "capacity", sim::Bytes{64})),
      banks_(config.get<std::uint64_t>("banks", 32, "interleaved banks", 1, 1024)),
      bank_width_(config.get<sim::Bytes>("bank_width", sim::Bytes{8}, "bytes per bank per cycle",
                                         sim::Bytes{1})),
      // The cluster's wide AXI port (512 bit) into the TCDM.
      port_width_(config.get<sim::BytesPerCycle>("port_width", sim::BytesPerCycle{64},
                                                 "bytes per cycle from the interconnect port",
                                                 sim::BytesPerCycle{1})),
      period_(period),
      timeline_(banks_ * bank_width_.value),
      energy_(stats()),
      // Horowitz, ISSCC 2014 (45 nm; secondary transcriptions): a 64-bit read of an 8 KB SRAM
      // costs about 10 pJ, 1.25 pJ a byte; a TCDM bank is 4 KiB. Not scaled to 22 nm.
      bytes_(energy_.event("bytes",
                           config.get<sim::Energy>("e_byte", sim::Energy::parse("1.25pJ"),
                                                   "energy per byte read or written"),
                           "bytes read and written")) {
  // Garofalo et al., JETCAS 2022 (22 nm): 512 kB of TCDM is about 1/3 of a 2.5 mm2 cluster,
  // 1.63 mm2 per MiB with its banking. Leakage: ESTIMATE, 2 mW per MiB (no published figure).
  sim::set_sram_instance(energy_, config, size_.value, sim::Power::parse("2mW"),
                         sim::Area::parse("1.63mm2"));
  stats().formula("bytes", "B", "bytes read and written by all initiators",
                  [this] { return static_cast<double>(timeline_.bytes_booked()); });
  stats().formula("stall_cycles", "cycles", "cycles an initiator got less than its port rate",
                  [this] { return static_cast<double>(timeline_.stalled_cycles()); });
}

std::uint64_t Tcdm::stream(std::uint64_t earliest_ps, std::uint64_t bytes, std::uint64_t rate) {
  if (bytes == 0) return earliest_ps;
  const std::uint64_t now_cycle = sc_core::sc_time_stamp().value() / period_.ps;
  timeline_.retire_before(now_cycle);
  const std::uint64_t first = sim::ceil_div(earliest_ps, period_.ps);
  energy_.count(bytes_, bytes);
  energy_.set_instances(1, 1);
  return sim::mul(timeline_.reserve(first, bytes, rate), period_.ps,
                  "the end of a TCDM transfer (cycles x cluster clock period)");
}

sim::Interval Tcdm::run_job(sim::OccupancyResource& engine, std::uint64_t earliest_ps,
                            std::uint64_t setup_cycles, std::uint64_t compute_cycles,
                            std::uint64_t bytes, std::uint64_t max_rate) {
  const char* what = "the end of a cluster job (setup and compute cycles x clock period)";
  const std::uint64_t start = std::max(earliest_ps, engine.next_free());
  const std::uint64_t body_start = sim::add_mul(start, setup_cycles, period_.ps, what);
  // At the average rate ceil(bytes / rate) <= compute_cycles: an uncontended job is memory-
  // bound only when max_rate (its port) or the TCDM's width is below that average.
  const std::uint64_t rate =
      std::min(max_rate, sim::ceil_div(bytes, std::max<std::uint64_t>(1, compute_cycles)));
  const std::uint64_t memory_end = stream(body_start, bytes, rate);
  const std::uint64_t end =
      std::max(sim::add_mul(body_start, compute_cycles, period_.ps, what), memory_end);
  engine.reserve(start, end - start);
  return sim::Interval{start, end};
}

void Tcdm::access(int, tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  interconnect::TransferTail& tail = interconnect::tail_of(trans, delay);
  const std::uint64_t head = sc_core::sc_time_stamp().value() + delay.value();
  const std::uint64_t end = stream(head, interconnect::payload_bytes(trans), port_width_.value);
  tail.tail_ps = std::max(tail.tail_ps, end);
  trans.set_response_status(tlm::TLM_OK_RESPONSE);
}

void Tcdm::reset_stats() {
  EndpointMemory::reset_stats();
  energy_.reset();
  energy_.set_instances(1, 0);
  timeline_.reset_stats();
}

}  // namespace aimcsim::cluster
