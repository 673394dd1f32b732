#pragma once

#include <memory>
#include <string>

namespace waymark::postgres {

// Wakes a follower when events are appended (LISTEN waymark_events; the
// events table's statement trigger sends NOTIFY at commit). A wake-up says
// only "look again". Not thread-safe.
class AppendNotifier {
 public:
  explicit AppendNotifier(std::string conninfo);
  ~AppendNotifier();
  AppendNotifier(const AppendNotifier&) = delete;
  AppendNotifier& operator=(const AppendNotifier&) = delete;

  // Waits until an append commits or `timeout_ms` pass. Never throws; after a
  // lost connection it sleeps out the timeout and reconnects on the next call.
  void Wait(long timeout_ms);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace waymark::postgres
