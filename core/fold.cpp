#include "core/fold.hpp"

#include "core/stream_name.hpp"

namespace waymark {

std::expected<FoldedStream, Error> FoldStream(EventStore& store, const Workflow& workflow,
                                              std::string_view stream,
                                              std::optional<std::int64_t> to_version,
                                              std::optional<Timestamp> as_of) {
  auto name = ParseStreamName(stream);
  if (!name) return std::unexpected(name.error());
  FoldedStream folded{workflow.NewState(name->id), 0};
  std::optional<Error> failure;
  auto read = ForEachEvent(store, stream, [&](const RecordedEvent& e) {
    if ((to_version && e.version > *to_version) || (as_of && e.metadata.recorded_at > *as_of)) {
      return false;
    }
    if (auto applied = folded.state->Apply(e); !applied) {
      failure = applied.error();
      return false;
    }
    folded.version = e.version;
    return true;
  });
  if (!read) return std::unexpected(read.error());
  if (failure) return std::unexpected(*failure);
  return folded;
}

}  // namespace waymark
