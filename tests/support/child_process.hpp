#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace waymark::testing {

// A program running beside the test, its standard output and error going to
// `log_path`. Killed with SIGKILL when the object goes, if still running.
class ChildProcess {
 public:
  ChildProcess(const std::vector<std::string>& argv, const std::vector<std::string>& env,
               const std::string& log_path);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  void Kill(int signal);
  int Wait();  // exit code, or 128 + signal
  bool Running();
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  bool reaped_ = false;
  int status_ = 0;
};

std::string ReadFile(const std::string& path);

}  // namespace waymark::testing
