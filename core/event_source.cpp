#include "core/event_source.hpp"

#include <future>
#include <optional>
#include <thread>

namespace waymark {
namespace {

using Page = std::expected<std::vector<RecordedEvent>, Error>;

// Reads the store in cursor order. While the consumer works on one page, the
// next is read in the background (the consumer's checkpoint, not this
// source, is what is durable, so reading ahead loses nothing on a crash).
class StoreEventSource final : public EventSource {
 public:
  StoreEventSource(EventStore& store, GlobalCursor start) : store_(store), cursor_(start) {}

  Page Poll(std::size_t max_events, std::chrono::milliseconds timeout) override {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      if (!next_.valid() || next_max_ != max_events) next_ = ReadFrom(cursor_, max_events);
      if (next_.wait_until(deadline) != std::future_status::ready)
        return std::vector<RecordedEvent>{};
      Page page = next_.get();
      if (!page) return page;
      caught_up_ = page->size() < max_events;
      if (!page->empty()) {
        cursor_ = page->back().cursor();
        if (!caught_up_) next_ = ReadFrom(cursor_, max_events);  // more is likely: read ahead
        return page;
      }
      if (std::chrono::steady_clock::now() >= deadline) return page;
      std::this_thread::sleep_for(std::min<std::chrono::milliseconds>(
          std::chrono::milliseconds(50), std::chrono::duration_cast<std::chrono::milliseconds>(
                                             deadline - std::chrono::steady_clock::now())));
    }
  }

  std::expected<void, Error> Commit() override { return {}; }
  bool CaughtUp() const override { return caught_up_; }

 private:
  std::future<Page> ReadFrom(GlobalCursor after, std::size_t max_events) {
    next_max_ = max_events;
    return std::async(std::launch::async,
                      [this, after, max_events] { return store_.ReadAll(after, max_events); });
  }

  EventStore& store_;
  GlobalCursor cursor_;
  bool caught_up_ = false;
  std::future<Page> next_;  // the page after cursor_, being read
  std::size_t next_max_ = 0;
};

}  // namespace

std::unique_ptr<EventSource> MakeStoreEventSource(EventStore& store, GlobalCursor start) {
  return std::make_unique<StoreEventSource>(store, start);
}

}  // namespace waymark
