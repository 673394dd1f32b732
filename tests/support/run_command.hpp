#pragma once

#include <string>
#include <vector>

namespace waymark::testing {

struct CommandResult {
  int exit_code = -1;
  std::string out;  // standard output
  std::string err;  // standard error
};

// Runs `argv` (argv[0] is the program) with `env` added to the environment
// and `input` on standard input; waits for it and captures both outputs.
CommandResult RunCommand(const std::vector<std::string>& argv,
                         const std::vector<std::string>& env = {}, const std::string& input = {});

// The waymark binary under test: $WAYMARK_BIN.
std::string WaymarkBinary();

}  // namespace waymark::testing
