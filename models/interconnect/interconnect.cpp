#include "models/interconnect/interconnect.h"

#include <algorithm>
#include <stdexcept>

namespace aimcsim::interconnect {

Interconnect::Interconnect(const sc_core::sc_module_name& name, sim::ConfigNode config)
    : Component(name, config),
      port_config_(config.child("port")),
      crossbar_(sim::ModelRegistry::instance().create<Crossbar>(
          "crossbar", config.child("crossbar"), "crossbar", "crossbar")),
      bytes_(stats().counter("bytes", "B", "bytes moved between endpoints")) {
  stats().add_child(&crossbar_->stats());
  payload_.set_extension(&tail_);
}

unsigned Interconnect::add_endpoint(const std::string& name, EndpointMemory& memory) {
  auto port = std::make_unique<Port>();
  port->name = name;
  // Created outside this module's constructor, so named in full to stay unique.
  const std::string base = std::string(basename()) + "_" + name;
  port->up = sim::ModelRegistry::instance().create<Link>((base + "_up").c_str(), port_config_,
                                                         "link", "axi_link");
  port->down = sim::ModelRegistry::instance().create<Link>((base + "_down").c_str(), port_config_,
                                                           "link", "axi_link");
  port->inject = std::make_unique<tlm_utils::simple_initiator_socket<Interconnect>>(
      (base + "_inject").c_str());
  port->read =
      std::make_unique<tlm_utils::simple_initiator_socket<Interconnect>>((base + "_read").c_str());
  port->inject->bind(port->up->in);
  port->up->out.bind(crossbar_->in);
  crossbar_->out.bind(port->down->in);
  port->down->out.bind(memory.port);
  port->read->bind(memory.port);
  stats().add_child(&port->up->stats());
  stats().add_child(&port->down->stats());
  ports_.push_back(std::move(port));
  return static_cast<unsigned>(ports_.size() - 1);
}

unsigned Interconnect::endpoint(const std::string& name) const {
  for (unsigned i = 0; i < ports_.size(); ++i)
    if (ports_[i]->name == name) return i;
  throw std::logic_error("interconnect: no endpoint " + name);
}

std::uint64_t Interconnect::transfer(unsigned src, unsigned dst, std::uint64_t bytes,
                                     std::uint64_t earliest_ps) {
  if (bytes == 0) return earliest_ps;
  const std::uint64_t now = sc_core::sc_time_stamp().value();
  // One payload for every transfer (transfers do not nest: b_transport returns before the
  // next starts), so a transfer allocates nothing.
  TransferTail& tail = tail_;
  tail.tail_ps = earliest_ps;
  tail.bytes = bytes;
  tlm::tlm_generic_payload& trans = payload_;
  const auto length = static_cast<unsigned>(std::min<std::uint64_t>(bytes, UINT32_MAX));
  trans.set_data_length(length);
  trans.set_streaming_width(length);
  trans.set_byte_enable_ptr(nullptr);
  trans.set_dmi_allowed(false);
  trans.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);

  if (earliest_ps < now) throw std::logic_error("interconnect: transfer in the past");
  sc_core::sc_time delay = sc_core::sc_time::from_value(earliest_ps - now);
  trans.set_command(tlm::TLM_READ_COMMAND);
  trans.set_address(endpoint_address(src));
  (*ports_.at(src)->read)->b_transport(trans, delay);

  trans.set_command(tlm::TLM_WRITE_COMMAND);
  trans.set_address(endpoint_address(dst));
  (*ports_.at(src)->inject)->b_transport(trans, delay);
  bytes_ += static_cast<double>(bytes);
  return std::max<std::uint64_t>(now + delay.value(), tail.tail_ps);
}

std::vector<sim::EnergyBook*> Interconnect::energy_books() {
  std::vector<sim::EnergyBook*> books{&crossbar_->energy()};
  for (auto& port : ports_) {
    books.push_back(&port->up->energy());
    books.push_back(&port->down->energy());
  }
  return books;
}

std::vector<sim::Time> Interconnect::periods() const {
  std::vector<sim::Time> p{crossbar_->period()};
  for (const auto& port : ports_) {
    p.push_back(port->up->timing().period);
    p.push_back(port->down->timing().period);
  }
  return p;
}

void Interconnect::reset_stats() {
  Component::reset_stats();
  crossbar_->reset_stats();
  for (auto& p : ports_) {
    p->up->reset_stats();
    p->down->reset_stats();
  }
}

AIMCSIM_REGISTER_MODEL("crossbar_interconnect", "interconnect", Interconnect,
                       "crossbar with one full-duplex link pair per endpoint")

}  // namespace aimcsim::interconnect
