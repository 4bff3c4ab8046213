// Errors caused by the user's input (configuration, command line, workload). The CLI
// prints what() on one line and exits with kUserErrorExitCode; anything else is a bug.
#pragma once

#include <stdexcept>
#include <string>

namespace aimcsim::sim {

inline constexpr int kUserErrorExitCode = 2;

class UserError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A configuration value that is unknown, mistyped, unparsable or out of range. The message
// names the origin (file:line or --set), the key path and what was expected.
class ConfigError : public UserError {
 public:
  using UserError::UserError;
};

}  // namespace aimcsim::sim
