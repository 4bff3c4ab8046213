// What an endpoint of the interconnect exposes: one TLM-2.0 target port that sources data
// (READ, the endpoint is a transfer's source) and sinks it (WRITE, its destination). Each
// implementation books its own port: the L2 SRAM, the TCDM banks, the tiles' I/O buffers.
#pragma once

#include "models/interconnect/hop.h"
#include "models/sim/component.h"

#include <tlm_utils/multi_passthrough_target_socket.h>

namespace aimcsim::interconnect {

class EndpointMemory : public sim::Component {
 public:
  EndpointMemory(const sc_core::sc_module_name& name, sim::ConfigNode config)
      : Component(name, config), port("port") {
    port.register_b_transport(this, &EndpointMemory::access);
  }
  tlm_utils::multi_passthrough_target_socket<EndpointMemory> port;

 protected:
  virtual void access(int from, tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) = 0;
};

// A buffer that moves data at the rate of the link feeding it and adds nothing: the I/O
// registers of the AIMC tiles, which the tiles' own input phase already accounts for.
class LineRateBuffer : public EndpointMemory {
 public:
  using EndpointMemory::EndpointMemory;

 protected:
  void access(int, tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) override {
    tail_of(trans, delay);
    trans.set_response_status(tlm::TLM_OK_RESPONSE);
  }
};

}  // namespace aimcsim::interconnect
