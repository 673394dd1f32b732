#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "adapters/postgres/pg_append_notifier.hpp"
#include "core/clock.hpp"
#include "core/event_store.hpp"
#include "core/run_loop.hpp"

namespace waymark::cli {

// The units `project` runs, and `serve` beside its API: the read-model feed
// (from the event store, or with `brokers` the Kafka topic as consumer group
// waymark-projectors), the policies and the durable timers, each under its
// PostgreSQL leader lock where one process at a time must do it; with
// `brokers` and `relay` (serve --kafka: one process runs everything) also the
// relay that publishes the store to the topic, under the relay's lock.
// `store` and `clock` must outlive it; `log` must be thread-safe.
class ProjectUnits {
 public:
  // Appends wake the units at once (LISTEN/NOTIFY); timers are checked at
  // least this often (RunOptions::idle_wait).
  static constexpr std::chrono::milliseconds kTimerCheck{1000};

  // Throws std::runtime_error when the relay cannot be made (its Kafka settings).
  ProjectUnits(const std::string& conninfo, const std::string& brokers, const std::string& topic,
               EventStore& store, Clock& clock, std::function<void(const std::string&)> log,
               bool relay = false);
  ~ProjectUnits();

  std::span<const WorkUnit> units() const;
  Wakeup& wakeup();
  // What was done, for the closing line.
  std::string Summary() const;

 private:
  struct Parts;
  std::unique_ptr<Parts> parts_;
};

}  // namespace waymark::cli
