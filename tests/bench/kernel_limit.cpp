// The floor under aimcsim's speed: a bare SystemC kernel that processes N timed events and
// does nothing else. One SC_METHOD, sensitive to one sc_event, re-notifies that event with a
// delay on each activation, N times: the least work the kernel does per event of an aimcsim
// run (whose completion queue is exactly such a method). scripts/bench-kernel-limit.sh runs
// it with the event count an aimcsim run reports and prints the ratio of the wall times.
//   bench_kernel_limit N
#include <systemc>

#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <string>

namespace {

struct Ticker : sc_core::sc_module {
  SC_HAS_PROCESS(Ticker);
  Ticker(const sc_core::sc_module_name& name, std::uint64_t events)
      : sc_core::sc_module(name), left(events) {
    SC_METHOD(tick);
    sensitive << wake;
    dont_initialize();
  }
  void start() { wake.notify(sc_core::sc_time::from_value(1000)); }
  void tick() {
    ++fired;
    if (--left > 0) wake.notify(sc_core::sc_time::from_value(1000));  // 1 ns later
  }
  sc_core::sc_event wake;
  std::uint64_t left, fired = 0;
};

}  // namespace

int sc_main(int argc, char* argv[]) {
  if (argc != 2 || std::string(argv[1]).find_first_not_of("0123456789") != std::string::npos ||
      std::string(argv[1]).empty() || std::stoull(argv[1]) == 0) {
    std::cerr << "usage: bench_kernel_limit EVENTS   (a positive integer)\n";
    return 2;
  }
  Ticker ticker("ticker", std::stoull(argv[1]));
  ticker.start();
  sc_core::sc_start();
  std::cout << ticker.fired << " events\n";
  return 0;
}

int main(int argc, char* argv[]) {
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
  return sc_core::sc_elab_and_sim(argc, argv);
}
