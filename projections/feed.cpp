#include "projections/feed.hpp"

namespace waymark::projections {
namespace {
constexpr std::size_t kBatch = 5000;
// Batches in a row before a step gives the other units of the run loop a turn.
constexpr int kBatchesPerStep = 20;
}  // namespace

Feed::Feed(Projector& projector, OpenSource open, bool positioned, std::chrono::milliseconds wait)
    : projector_(projector), open_(std::move(open)), positioned_(positioned), wait_(wait) {}

std::expected<BatchResult, Error> Feed::ApplyNext(std::chrono::milliseconds wait) {
  if (!source_) {
    auto opened = open_();
    if (!opened) return std::unexpected(opened.error());
    source_ = std::move(*opened);
  }
  auto batch = source_->Poll(kBatch, wait);
  if (!batch) {
    source_.reset();
    return std::unexpected(batch.error());
  }
  if (batch->empty()) return BatchResult{};
  std::optional<GlobalCursor> cursor;
  if (positioned_) cursor = batch->back().cursor();
  auto applied = projector_.Apply(*batch, cursor);
  if (!applied) {
    source_.reset();  // reopen from the durable position: the batch comes again
    return std::unexpected(applied.error());
  }
  if (auto committed = source_->Commit(); !committed) {
    source_.reset();  // redelivered later, and deduplicated
    return std::unexpected(committed.error());
  }
  totals_.applied += applied->applied;
  totals_.duplicates += applied->duplicates;
  return *applied;
}

std::expected<StepResult, Error> Feed::Step(const std::atomic<bool>& stop) {
  StepResult result;
  for (int i = 0; i < kBatchesPerStep && !stop; ++i) {
    auto applied = ApplyNext(wait_);
    if (!applied) return std::unexpected(applied.error());
    if (applied->applied == 0 && applied->duplicates == 0) break;
    result.busy = true;
  }
  result.caught_up = CaughtUp();
  if (!result.caught_up) {
    result.waiting_for =
        "the event source has not reached its end yet (Kafka: joining the group, "
        "or not at the end of every partition)";
  }
  return result;
}

}  // namespace waymark::projections
