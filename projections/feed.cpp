#include "projections/feed.hpp"

namespace waymark::projections {
namespace {
constexpr std::size_t kBatch = 5000;
}

Feed::Feed(Projector& projector, OpenSource open, bool positioned)
    : projector_(projector), open_(std::move(open)), positioned_(positioned) {}

std::expected<BatchResult, Error> Feed::Step(std::chrono::milliseconds wait) {
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
  return *applied;
}

}  // namespace waymark::projections
