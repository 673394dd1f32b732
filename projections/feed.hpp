#pragma once

#include <chrono>
#include <expected>
#include <functional>
#include <memory>

#include "core/error.hpp"
#include "core/event_source.hpp"
#include "core/run_loop.hpp"
#include "projections/projector.hpp"

namespace waymark::projections {

// Feeds a Projector from an EventSource, a batch at a time: poll, apply in
// one transaction (with the checkpoint, for the store source), then commit
// the source's own offsets (Kafka). After a failure the source is opened
// again from what is durable, so nothing is skipped. As a run-loop Work, a
// step applies up to 20 batches.
// Not thread-safe. `projector` must outlive the feed.
class Feed final : public Work {
 public:
  using OpenSource = std::function<std::expected<std::unique_ptr<EventSource>, Error>()>;

  // `positioned`: the source is the event store, whose position the
  // projector saves with each batch (and `open` reads back). `wait`: how long
  // a poll waits for events (0 for the store, which is woken by appends).
  Feed(Projector& projector, OpenSource open, bool positioned,
       std::chrono::milliseconds wait = std::chrono::milliseconds(0));

  // Applies at most one batch, waiting up to `wait` for it (nothing
  // applied and no duplicates: nothing new arrived).
  std::expected<BatchResult, Error> ApplyNext(std::chrono::milliseconds wait);

  std::expected<StepResult, Error> Step(const std::atomic<bool>& stop) override;

  // Whether the last poll read everything there was (EventSource::CaughtUp).
  bool CaughtUp() const { return source_ && source_->CaughtUp(); }

  // Everything applied so far.
  const BatchResult& totals() const { return totals_; }

 private:
  Projector& projector_;
  OpenSource open_;
  bool positioned_;
  std::chrono::milliseconds wait_;
  std::unique_ptr<EventSource> source_;
  BatchResult totals_;
};

}  // namespace waymark::projections
