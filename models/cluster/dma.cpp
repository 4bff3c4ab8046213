#include "models/cluster/dma.h"

#include "models/sim/checked.h"

#include <algorithm>

namespace aimcsim::cluster {

Dma::Dma(const sc_core::sc_module_name& name, sim::ConfigNode config)
    : Component(name, config),
      // Estimate: the DMA core issues a transfer with 3-5 Xdma instructions (dmsrc, dmdst,
      // dmcpyi, ...) in snitch_cluster; 5 cycles.
      setup_(config.get<sim::Cycles>("setup", sim::Cycles{5},
                                     "DMA core cycles to issue one transfer")),
      transfers_(stats().counter("transfers", "count", "transfers")),
      bytes_(stats().counter("bytes", "B", "bytes moved")),
      busy_ns_(stats().counter("busy_time", "ns", "time from transfer start to last byte")) {}

sim::Interval Dma::run(unsigned src, unsigned dst, std::uint64_t bytes, std::uint64_t earliest_ps,
                       interconnect::Interconnect& net, sim::Time period) {
  const std::uint64_t start = std::max(earliest_ps, engine_.next_free());
  const std::uint64_t end = net.transfer(
      src, dst, bytes,
      sim::add_mul(start, setup_.value, period.ps, "the start of a DMA transfer (setup cycles)"));
  engine_.reserve(start, end - start);
  transfers_ += 1;
  bytes_ += static_cast<double>(bytes);
  busy_ns_ += static_cast<double>(end - start) / 1000.0;
  return sim::Interval{start, end};
}

void Dma::reset_stats() {
  Component::reset_stats();
  engine_.reset_stats();
}

AIMCSIM_REGISTER_MODEL("idma", "dma", Dma, "iDMA: per-transfer setup, then interconnect transfer")

}  // namespace aimcsim::cluster
