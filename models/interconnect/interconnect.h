// The system interconnect: a crossbar with one full-duplex port per endpoint (the L2, the AIMC
// tile array, each cluster). A transfer of B bytes from endpoint S to endpoint D is a READ of
// S's memory, then a WRITE that crosses S's up link, the crossbar and D's down link into D's
// memory: every hop is a TLM-2.0 b_transport with annotated delay, and two transfers that
// share a link or a memory port queue on it. Payloads carry timing only, no data.
// Initiators call transfer() from method context: no target on the path ever calls wait().
#pragma once

#include "models/interconnect/crossbar.h"
#include "models/interconnect/endpoint_memory.h"
#include "models/interconnect/link.h"

#include <tlm_utils/simple_initiator_socket.h>

#include <memory>
#include <string>
#include <vector>

namespace aimcsim::interconnect {

class Interconnect : public sim::Component {
 public:
  Interconnect(const sc_core::sc_module_name& name, sim::ConfigNode config);

  // Adds an endpoint during elaboration; returns its index.
  unsigned add_endpoint(const std::string& name, EndpointMemory& memory);
  unsigned endpoint(const std::string& name) const;
  const std::string& endpoint_name(unsigned index) const { return ports_.at(index)->name; }

  // Moves bytes from src to dst starting no earlier than earliest_ps; returns when the last
  // byte has arrived at dst.
  std::uint64_t transfer(unsigned src, unsigned dst, std::uint64_t bytes,
                         std::uint64_t earliest_ps);

  void reset_stats() override;
  // The energy books of its crossbar and links.
  std::vector<sim::EnergyBook*> energy_books();
  // The clock periods of its crossbar and links.
  std::vector<sim::Time> periods() const;

 private:
  struct Port {
    std::string name;
    std::unique_ptr<Link> up, down;  // endpoint -> crossbar, crossbar -> endpoint
    std::unique_ptr<tlm_utils::simple_initiator_socket<Interconnect>> inject, read;
  };
  // The payload every transfer reuses, with its tail extension (released at destruction: the
  // payload must not delete a member).
  struct Payload : tlm::tlm_generic_payload {
    ~Payload() { clear_extension<TransferTail>(); }
  };
  TransferTail tail_;
  Payload payload_;
  sim::ConfigNode port_config_;
  std::unique_ptr<Crossbar> crossbar_;
  std::vector<std::unique_ptr<Port>> ports_;
  double& bytes_;
};

}  // namespace aimcsim::interconnect
