#include "adapters/cli/progress.hpp"

#include <cstdio>

namespace waymark::cli {
namespace {

constexpr int kBarWidth = 30;
constexpr auto kTerminalEvery = std::chrono::milliseconds(100);
constexpr auto kPlainEvery = std::chrono::seconds(5);

std::string Thousands(std::size_t n) {
  std::string digits = std::to_string(n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

}  // namespace

Progress::Progress(std::ostream& out, bool terminal, std::string label)
    : out_(out), terminal_(terminal), label_(std::move(label)) {}

std::string Progress::Line(std::size_t done, std::size_t total) const {
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double rate = seconds > 0 ? done / seconds : 0;
  const double fraction = total ? static_cast<double>(done) / total : 1.0;
  std::string line = label_ + ": ";
  if (terminal_) {
    const int filled = static_cast<int>(fraction * kBarWidth);
    line += "[" + std::string(filled, '#') + std::string(kBarWidth - filled, '.') + "] ";
  }
  char tail[128];
  std::snprintf(tail, sizeof tail, "%3d%%  %s / %s events  %s/s  %.0f s left",
                static_cast<int>(fraction * 100), Thousands(done).c_str(), Thousands(total).c_str(),
                Thousands(static_cast<std::size_t>(rate)).c_str(),
                rate > 0 ? (total > done ? (total - done) / rate : 0.0) : 0.0);
  return line + tail;
}

void Progress::Update(std::size_t done, std::size_t total) {
  const auto now = std::chrono::steady_clock::now();
  if (now - last_ <
      (terminal_ ? std::chrono::duration_cast<std::chrono::steady_clock::duration>(kTerminalEvery)
                 : std::chrono::duration_cast<std::chrono::steady_clock::duration>(kPlainEvery))) {
    return;
  }
  last_ = now;
  if (terminal_) {
    out_ << "\r" << Line(done, total) << "\x1b[K" << std::flush;
  } else {
    out_ << Line(done, total) << "\n" << std::flush;
  }
}

void Progress::Finish(std::size_t done) {
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  char line[160];
  std::snprintf(line, sizeof line, "%s: %s event%s in %.1f s (%s/s)", label_.c_str(),
                Thousands(done).c_str(), done == 1 ? "" : "s", seconds,
                Thousands(seconds > 0 ? static_cast<std::size_t>(done / seconds) : done).c_str());
  out_ << (terminal_ ? "\r" : "") << line << (terminal_ ? "\x1b[K\n" : "\n") << std::flush;
}

}  // namespace waymark::cli
