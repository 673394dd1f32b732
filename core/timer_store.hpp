#pragma once

#include <cstddef>
#include <expected>
#include <memory>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/policy.hpp"

namespace waymark {

// Where durable timers wait: they survive restarts of the process that
// fires them. Thread-safety: all methods may be called concurrently.
// Failure: kUnavailable when the backing store fails; nothing is changed.
class TimerStore {
 public:
  virtual ~TimerStore() = default;
  // Sets the timer, replacing one with the same key.
  virtual std::expected<void, Error> Schedule(const Timer& timer) = 0;
  // Drops the timer with this key, if any.
  virtual std::expected<void, Error> Cancel(std::string_view key) = 0;
  // Timers whose fire_at is at or before `now`, earliest first, at most `max`.
  virtual std::expected<std::vector<Timer>, Error> Due(Timestamp now, std::size_t max) = 0;
  // Drops `fired` unless it was replaced meanwhile (another fire_at or command).
  virtual std::expected<void, Error> Remove(const Timer& fired) = 0;
};

std::unique_ptr<TimerStore> MakeMemoryTimerStore();

}  // namespace waymark
