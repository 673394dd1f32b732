#pragma once

#include <chrono>
#include <cstddef>
#include <ostream>
#include <string>

namespace waymark::cli {

// Progress of a long job on a stream (stderr): on a terminal, one line
// redrawn in place — a bar, done / total, the rate and the time left; when
// the stream is not a terminal, a plain line every few seconds. (Debian has
// no C++ progress-bar library; this is small.) Not thread-safe.
class Progress {
 public:
  Progress(std::ostream& out, bool terminal, std::string label);
  void Update(std::size_t done, std::size_t total);
  // The last line, with the elapsed time.
  void Finish(std::size_t done);

 private:
  std::string Line(std::size_t done, std::size_t total) const;

  std::ostream& out_;
  bool terminal_;
  std::string label_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_ = start_;
};

}  // namespace waymark::cli
