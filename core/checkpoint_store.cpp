#include "core/checkpoint_store.hpp"

#include <map>
#include <mutex>

namespace waymark {
namespace {

class MemoryCheckpointStore final : public CheckpointStore {
 public:
  std::expected<GlobalCursor, Error> Load(std::string_view name) override {
    std::lock_guard lock(mu_);
    auto it = cursors_.find(std::string(name));
    return it == cursors_.end() ? GlobalCursor{} : it->second;
  }
  std::expected<void, Error> Save(std::string_view name, GlobalCursor cursor) override {
    std::lock_guard lock(mu_);
    cursors_[std::string(name)] = cursor;
    return {};
  }

 private:
  std::mutex mu_;
  std::map<std::string, GlobalCursor> cursors_;  // guarded by mu_
};

}  // namespace

std::unique_ptr<CheckpointStore> MakeMemoryCheckpointStore() {
  return std::make_unique<MemoryCheckpointStore>();
}

}  // namespace waymark
