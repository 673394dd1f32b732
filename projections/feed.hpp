#pragma once

#include <chrono>
#include <expected>
#include <functional>
#include <memory>

#include "core/error.hpp"
#include "core/event_source.hpp"
#include "projections/projector.hpp"

namespace waymark::projections {

// Feeds a Projector from an EventSource, a batch at a time: poll, apply in
// one transaction (with the checkpoint, for the store source), then commit
// the source's own offsets (Kafka). After a failure the source is opened
// again from what is durable, so nothing is skipped.
// Not thread-safe. `projector` must outlive the feed.
class Feed {
 public:
  using OpenSource = std::function<std::expected<std::unique_ptr<EventSource>, Error>()>;

  // `positioned`: the source is the event store, whose position the
  // projector saves with each batch (and `open` reads back).
  Feed(Projector& projector, OpenSource open, bool positioned);

  // Applies at most one batch, waiting up to `wait` for it (nothing
  // applied and no duplicates: nothing new arrived).
  std::expected<BatchResult, Error> Step(std::chrono::milliseconds wait);

  // Whether the last Step read everything there was (EventSource::CaughtUp).
  bool CaughtUp() const { return source_ && source_->CaughtUp(); }

 private:
  Projector& projector_;
  OpenSource open_;
  bool positioned_;
  std::unique_ptr<EventSource> source_;
};

// The name under which the embedded projector keeps its position.
inline constexpr const char* kProjectorCheckpoint = "projector";

}  // namespace waymark::projections
