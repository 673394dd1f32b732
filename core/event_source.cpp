#include "core/event_source.hpp"

#include <thread>

namespace waymark {
namespace {

class StoreEventSource final : public EventSource {
 public:
  StoreEventSource(EventStore& store, GlobalCursor start) : store_(store), cursor_(start) {}

  std::expected<std::vector<RecordedEvent>, Error> Poll(
      std::size_t max_events, std::chrono::milliseconds timeout) override {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      auto page = store_.ReadAll(cursor_, max_events);
      if (!page) return page;
      caught_up_ = page->size() < max_events;
      if (!page->empty()) {
        cursor_ = page->back().cursor();
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
  EventStore& store_;
  GlobalCursor cursor_;
  bool caught_up_ = false;
};

}  // namespace

std::unique_ptr<EventSource> MakeStoreEventSource(EventStore& store, GlobalCursor start) {
  return std::make_unique<StoreEventSource>(store, start);
}

}  // namespace waymark
