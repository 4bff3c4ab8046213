// The unit parsers of models/sim/units.h. The first byte picks the parser ('0' Time,
// '1' Frequency, '2' Bytes, '3' BytesPerCycle, '4' Cycles, '5' Energy, '6' Power, '7' Area;
// any byte b: (b - '0') mod 8), the
// rest is the text. A value that parses must print (str()) to text that parses back to the same
// value. These parsers report bad text with sim::UnitError (ConfigNode::get turns it into a
// ConfigError naming the key), so here UnitError is the expected outcome.
#include "fuzz_common.h"
#include "models/sim/units.h"

namespace {

template <class T>
void round_trip(const std::string& text) {
  T value;
  try {
    value = T::parse(text);
  } catch (const aimcsim::sim::UnitError&) {
    return;
  }
  const std::string printed = value.str();
  T again;
  try {
    again = T::parse(printed);
  } catch (const aimcsim::sim::UnitError& e) {
    aimcsim::fuzz::invariant_failed("'" + text + "' parses but its str() '" + printed +
                                    "' does not: " + e.what());
  }
  if (!(again == value))
    aimcsim::fuzz::invariant_failed("'" + text + "' -> '" + printed + "' -> '" + again.str() +
                                    "': str() does not parse back to the same value");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  namespace sim = aimcsim::sim;
  const std::string text = aimcsim::fuzz::text(data + 1, size - 1);
  aimcsim::fuzz::expect_user_errors([&] {
    switch (static_cast<std::uint8_t>(data[0] - '0') % 8) {
      case 0:
        round_trip<sim::Time>(text);
        break;
      case 1: {
        round_trip<sim::Frequency>(text);
        try {
          (void)sim::Frequency::parse(text).period();
        } catch (const sim::UnitError&) {
        }
        break;
      }
      case 2:
        round_trip<sim::Bytes>(text);
        break;
      case 3:
        round_trip<sim::BytesPerCycle>(text);
        break;
      case 4:
        round_trip<sim::Cycles>(text);
        break;
      case 5:
        round_trip<sim::Energy>(text);
        break;
      case 6:
        round_trip<sim::Power>(text);
        break;
      case 7:
        round_trip<sim::Area>(text);
        break;
    }
  });
  return 0;
}
