#include "models/cluster/dma.h"

#include "models/sim/checked.h"

#include <algorithm>

namespace aimcsim::cluster {

Dma::Dma(const sc_core::sc_module_name& name, sim::ConfigNode config)
    : Component(name, config),
      // snitch_cluster sw/snRuntime dma.h: the DMA core issues a 1-D transfer with 3 Xdma
      // instructions (dmsrc, dmdst, dmcpyi) and a 2-D one with 5 (+ dmstr, dmrep); ESTIMATE:
      // 2 more cycles for the descriptor to reach iDMA's backend (its launch latency is not
      // published in the iDMA documentation): 5 cycles. iDMA's legalizer cuts bursts at 4 KiB
      // page boundaries (at most 256 beats); the backend keeps several bursts outstanding, so
      // the cuts add no gap here.
      setup_(config.get<sim::Cycles>("setup", sim::Cycles{5},
                                     "DMA core cycles to issue one transfer")),
      // snitch_cluster cfg: dma_data_width 512 bits; IBM HARP's PMCA DMA moves 8 B/cycle.
      width_(config.get<sim::BytesPerCycle>("width", sim::BytesPerCycle{64},
                                            "bytes per cluster cycle the engine moves at most",
                                            sim::BytesPerCycle{1})),
      energy_(stats()),
      // ESTIMATES (the iDMA papers publish area, not energy): a transfer is the DMA core's few
      // issuing instructions and the engine's descriptor set-up, about 20 pJ; the engine's
      // buffers and data path about 0.1 pJ a byte.
      transfer_events_(
          energy_.event("transfers",
                        config.get<sim::Energy>("e_transfer", sim::Energy::parse("20pJ"),
                                                "energy to issue and set up one transfer"),
                        "transfers issued")),
      byte_events_(energy_.event("bytes",
                                 config.get<sim::Energy>("e_byte", sim::Energy::parse("0.1pJ"),
                                                         "energy per byte through the engine"),
                                 "bytes moved")),
      transfers_(stats().counter("transfers", "count", "transfers")),
      bytes_(stats().counter("bytes", "B", "bytes moved")),
      busy_ns_(stats().counter("busy_time", "ns", "time from transfer start to last byte")) {
  // ESTIMATES: iDMA adds about 1 % area to its system (Benz et al., IEEE TC 2024): 0.005 mm2
  // of a 0.5 mm2 cluster; leakage 0.1 mW.
  energy_.set_instance(
      config.get<sim::Power>("p_static", sim::Power::parse("0.1mW"), "leakage power of the engine"),
      config.get<sim::Area>("area", sim::Area::parse("0.005mm2"), "area of the engine"));
}

sim::Interval Dma::run(unsigned src, unsigned dst, std::uint64_t bytes, std::uint64_t earliest_ps,
                       interconnect::Interconnect& net, sim::Time period) {
  const std::uint64_t start = std::max(earliest_ps, engine_.next_free());
  const char* what = "the end of a DMA transfer (setup, then bytes / width cycles)";
  const std::uint64_t issued = sim::add_mul(start, setup_.value, period.ps, what);
  // The engine moves at most width bytes a cycle, whatever the interconnect could take.
  const std::uint64_t engine_end =
      sim::add_mul(issued, sim::ceil_div(bytes, width_.value), period.ps, what);
  const std::uint64_t end = std::max(net.transfer(src, dst, bytes, issued), engine_end);
  engine_.reserve(start, end - start);
  transfers_ += 1;
  bytes_ += static_cast<double>(bytes);
  energy_.count(transfer_events_, 1);
  energy_.count(byte_events_, bytes);
  energy_.set_instances(1, 1);
  busy_ns_ += static_cast<double>(end - start) / 1000.0;
  return sim::Interval{start, end};
}

void Dma::reset_stats() {
  Component::reset_stats();
  energy_.reset();
  energy_.set_instances(1, 0);
  engine_.reset_stats();
}

AIMCSIM_REGISTER_MODEL("idma", "dma", Dma, "iDMA: per-transfer setup, then interconnect transfer")

}  // namespace aimcsim::cluster
