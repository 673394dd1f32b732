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

// argv and envp for posix_spawn: `argv` as given, this process's environment
// plus `extra` (later entries win). The vectors point into the strings, so
// keep the SpawnArgs alive until the spawn returns.
struct SpawnArgs {
  SpawnArgs(const std::vector<std::string>& argv, const std::vector<std::string>& extra);
  std::vector<std::string> env_strings;
  std::vector<char*> argv;
  std::vector<char*> envp;
};

// The waymark binary under test: $WAYMARK_BIN.
std::string WaymarkBinary();

}  // namespace waymark::testing
