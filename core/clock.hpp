#pragma once

#include <atomic>
#include <chrono>
#include <memory>

#include "core/time.hpp"

namespace waymark {

// The source of "now". Workflows never read the wall clock; they are handed
// times by whoever holds a Clock. Implementations are thread-safe and never fail.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp Now() = 0;
  // A reading that never goes back, for measuring how long something took
  // (Now may jump when the wall clock is set). The system clock's is
  // std::chrono::steady_clock's.
  virtual std::chrono::nanoseconds Monotonic() {
    return std::chrono::steady_clock::now().time_since_epoch();
  }
};

// The system's UTC clock, truncated to microseconds.
std::unique_ptr<Clock> MakeSystemClock();

// A clock that moves only when told to: for tests and deterministic replays.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Timestamp start) : now_(start.time_since_epoch().count()) {}
  Timestamp Now() override { return Timestamp{std::chrono::microseconds{now_.load()}}; }
  // Moves with Now only: a duration measured on a manual clock is what the test set.
  std::chrono::nanoseconds Monotonic() override { return std::chrono::microseconds{now_.load()}; }
  void Set(Timestamp t) { now_.store(t.time_since_epoch().count()); }
  void Advance(std::chrono::microseconds d) { now_.fetch_add(d.count()); }

 private:
  std::atomic<long long> now_;
};

}  // namespace waymark
