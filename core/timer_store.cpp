#include "core/timer_store.hpp"

#include <algorithm>
#include <map>
#include <mutex>

namespace waymark {
namespace {

bool SameTimer(const Timer& a, const Timer& b) {
  return a.fire_at == b.fire_at && a.command.stream == b.command.stream &&
         a.command.idempotency_key == b.command.idempotency_key;
}

class MemoryTimerStore final : public TimerStore {
 public:
  std::expected<void, Error> Schedule(const Timer& timer) override {
    std::lock_guard lock(mutex_);
    timers_[timer.key] = timer;
    return {};
  }
  std::expected<void, Error> Cancel(std::string_view key) override {
    std::lock_guard lock(mutex_);
    timers_.erase(std::string(key));
    return {};
  }
  std::expected<std::vector<Timer>, Error> Due(Timestamp now, std::size_t max) override {
    std::lock_guard lock(mutex_);
    std::vector<Timer> due;
    for (const auto& [key, t] : timers_) {
      if (t.fire_at <= now) due.push_back(t);
    }
    std::stable_sort(due.begin(), due.end(),
                     [](const Timer& a, const Timer& b) { return a.fire_at < b.fire_at; });
    if (due.size() > max) due.resize(max);
    return due;
  }
  std::expected<void, Error> Remove(const Timer& fired) override {
    std::lock_guard lock(mutex_);
    auto it = timers_.find(fired.key);
    if (it != timers_.end() && SameTimer(it->second, fired)) timers_.erase(it);
    return {};
  }

 private:
  std::mutex mutex_;
  std::map<std::string, Timer> timers_;
};

}  // namespace

std::unique_ptr<TimerStore> MakeMemoryTimerStore() { return std::make_unique<MemoryTimerStore>(); }

}  // namespace waymark
