#pragma once

#include <expected>
#include <memory>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/event.hpp"

namespace waymark {

// Durable named cursors for processes that follow the event store (the Kafka
// relay). A consumer whose checkpoint must move with its own writes (a
// projector) keeps it in that write's transaction instead.
//
// Thread-safety: all methods may be called concurrently. Failure: kUnavailable
// when the backing store fails; a Save that fails leaves the old checkpoint.
class CheckpointStore {
 public:
  virtual ~CheckpointStore() = default;
  // The saved cursor, or the start ({0, 0}) when none was saved.
  virtual std::expected<GlobalCursor, Error> Load(std::string_view name) = 0;
  virtual std::expected<void, Error> Save(std::string_view name, GlobalCursor cursor) = 0;
};

std::unique_ptr<CheckpointStore> MakeMemoryCheckpointStore();

}  // namespace waymark
