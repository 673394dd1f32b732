#pragma once

#include <chrono>
#include <cstdint>
#include <expected>
#include <memory>
#include <vector>

#include "core/error.hpp"
#include "core/event.hpp"
#include "core/event_store.hpp"

namespace waymark {

// Committed events for a consumer such as a projector, from the event store
// (embedded mode) or from Kafka. Delivery is at least once: after a crash or
// a rebalance, events already handed out may come again, so consumers
// deduplicate by (stream, version). Within a stream, events come in version
// order.
//
// Thread-safety: one consumer thread per source. Failure: kUnavailable when
// the backing system fails; Poll may then be retried.
class EventSource {
 public:
  virtual ~EventSource() = default;

  // Up to `max_events` events, waiting at most `timeout` for the first one.
  // An empty result means nothing new arrived in time.
  virtual std::expected<std::vector<RecordedEvent>, Error> Poll(
      std::size_t max_events, std::chrono::milliseconds timeout) = 0;

  // Records that every event returned by Poll so far is durably processed
  // (call after the consumer's own transaction committed). Events returned
  // but not yet committed are delivered again after a restart.
  virtual std::expected<void, Error> Commit() = 0;

  // True when the last Poll handed out everything there was to read at that
  // moment (a Kafka member: it had partitions and was at the end of each).
  virtual bool CaughtUp() const = 0;
};

// The embedded source: reads `store` in cursor order after `start` (the
// consumer's own checkpoint). Commit is a no-op: the consumer keeps its
// checkpoint with its writes. `store` must outlive the source.
std::unique_ptr<EventSource> MakeStoreEventSource(EventStore& store, GlobalCursor start);

}  // namespace waymark
