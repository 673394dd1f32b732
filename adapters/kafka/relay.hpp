#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <expected>
#include <memory>
#include <string>

#include "core/checkpoint_store.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/event_store.hpp"
#include "core/run_loop.hpp"

namespace waymark::kafka {

struct RelayOptions {
  std::string brokers;  // bootstrap servers
  std::string topic = "waymark.events";
  std::size_t page_size = 5000;  // events read and checkpointed together
};

// Counters for the relay's log lines (and, later, metrics). Updated by the relay's
// thread, readable from any thread.
struct RelayStats {
  std::atomic<std::uint64_t> produced{0};   // events confirmed by the broker
  std::atomic<std::uint64_t> errors{0};     // failed deliveries and store/broker errors
  std::atomic<std::int64_t> lag_events{0};  // events read but not yet confirmed
  std::atomic<double> lag_seconds{0};       // how long the oldest unconfirmed page has waited
};

// Publishes committed events, in store order, to a Kafka topic: key = the
// event's network id, value = the event's wire JSON, headers event_type and
// stream. The producer is idempotent (no duplicates or reordering from its
// own retries). Up to 16 pages are on their way at once; the checkpoint
// (named "relay:<topic>") moves past a page only when the broker confirmed
// it and every page before it, so a crash can repeat the unconfirmed pages,
// never lose an event.
//
// As a run-loop Work, a step publishes everything pending.
// Not thread-safe: one thread drives a Relay. `store`, `checkpoints` and
// `clock` must outlive it.
class Relay : public Work {
 public:
  static std::expected<std::unique_ptr<Relay>, Error> Create(EventStore& store,
                                                             CheckpointStore& checkpoints,
                                                             Clock& clock, RelayOptions options);
  virtual ~Relay() = default;

  // Publishes everything committed after the checkpoint, page by page, until
  // caught up or `stop` becomes true. While the broker is unreachable it
  // waits (librdkafka retries) rather than skipping. Returns how many events
  // were confirmed; on error the checkpoint stays at the last confirmed page.
  virtual std::expected<std::size_t, Error> PublishPending(const std::atomic<bool>& stop) = 0;

  std::expected<StepResult, Error> Step(const std::atomic<bool>& stop) override {
    auto published = PublishPending(stop);
    if (!published) return std::unexpected(published.error());
    published_ += *published;
    return StepResult{*published > 0, true, {}};
  }
  // Events published by the steps so far.
  std::size_t published() const { return published_; }

  virtual const RelayStats& stats() const = 0;
  virtual std::string checkpoint_name() const = 0;

 private:
  std::size_t published_ = 0;
};

}  // namespace waymark::kafka
