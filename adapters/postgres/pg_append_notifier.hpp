#pragma once

#include <memory>
#include <string>

#include "core/run_loop.hpp"

namespace waymark::postgres {

// Wakes a follower when events are appended (LISTEN waymark_events; the
// events table's statement trigger sends NOTIFY at commit). A wake-up says
// only "look again". Not thread-safe.
class AppendNotifier final : public Wakeup {
 public:
  explicit AppendNotifier(std::string conninfo);
  ~AppendNotifier() override;
  AppendNotifier(const AppendNotifier&) = delete;
  AppendNotifier& operator=(const AppendNotifier&) = delete;

  // Waits until an append commits or `timeout` passes. Never throws; after a
  // lost connection it sleeps out the timeout and reconnects on the next call.
  void Wait(std::chrono::milliseconds timeout) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace waymark::postgres
