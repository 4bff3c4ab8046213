#include "models/cluster/snitch_cluster.h"

namespace aimcsim::cluster {

SnitchCluster::SnitchCluster(const sc_core::sc_module_name& name, sim::ConfigNode config)
    : Component(name, config),
      // AHWA-LoRA's reference clusters run at 1 GHz.
      period_(config.get<sim::Frequency>("clock", sim::Frequency::parse("1GHz"), "cluster clock")
                  .period()),
      has_redmule_(config.child("redmule").get<bool>(
          "present", true, "the cluster has a RedMulE (false: GEMMs run on the worker cores)")),
      tcdm_(std::make_unique<Tcdm>("tcdm", config.child("tcdm"), period_)),
      dma_(sim::ModelRegistry::instance().create<Dma>("dma", config.child("dma"), "dma", "idma")),
      redmule_(sim::ModelRegistry::instance().create<RedMulE>("redmule", config.child("redmule"),
                                                              "matrix_engine", "redmule")),
      cores_(sim::ModelRegistry::instance().create<WorkerCores>("cores", config.child("cores"),
                                                                "cores", "snitch_cores")) {
  stats().add_child(&tcdm_->stats());
  stats().add_child(&dma_->stats());
  stats().add_child(&redmule_->stats());
  stats().add_child(&cores_->stats());
  if (!has_redmule_) redmule_->energy().set_instance(sim::Power{0}, sim::Area{0});
}

std::uint64_t SnitchCluster::gemm_cycles(std::uint64_t m, std::uint64_t n, std::uint64_t k,
                                         Precision precision, GemmOp op) const {
  return has_redmule_ ? redmule_->cost(m, n, k, precision, op).total()
                      : cores_->gemm_cost(m, n, k, precision).total();
}

void SnitchCluster::reset_stats() {
  Component::reset_stats();
  tcdm_->reset_stats();
  dma_->reset_stats();
  redmule_->reset_stats();
  cores_->reset_stats();
}

AIMCSIM_REGISTER_MODEL("snitch_cluster", "cluster", SnitchCluster,
                       "Snitch-like cluster: 8 cores + DMA, TCDM, RedMulE")

}  // namespace aimcsim::cluster
