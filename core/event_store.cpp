#include "core/event_store.hpp"

#include <boost/json/serialize.hpp>
#include <unordered_set>

#include "core/event_json.hpp"
#include "core/hash_chain.hpp"
#include "core/stream_name.hpp"

namespace waymark {

std::expected<std::size_t, Error> ForEachEvent(
    EventStore& store, std::string_view stream,
    const std::function<bool(const RecordedEvent&)>& visit, std::size_t page_size) {
  std::size_t visited = 0;
  std::int64_t next_version = 1;
  GlobalCursor cursor;
  for (;;) {
    auto page = stream.empty() ? store.ReadAll(cursor, page_size)
                               : store.ReadStream(stream, next_version, page_size);
    if (!page) return std::unexpected(page.error());
    for (const RecordedEvent& e : *page) {
      ++visited;
      if (!visit(e)) return visited;
    }
    if (page->size() < page_size) return visited;
    next_version = page->back().version + 1;
    cursor = page->back().cursor();
  }
}

WireEvent ToWireEvent(const RecordedEvent& e) {
  return {e.cursor(), e.stream,     e.version,
          e.type,     e.network_id, boost::json::serialize(EventToJson(e))};
}

std::expected<void, Error> ValidateImport(std::span<const RecordedEvent> events) {
  ChainVerifier verifier;
  std::unordered_set<std::int64_t> positions;
  for (const RecordedEvent& e : events) {
    if (auto name = ParseStreamName(e.stream); !name) return std::unexpected(name.error());
    if (!positions.insert(e.position).second) {
      return std::unexpected(
          MakeError(ErrorCode::kValidation, "position " + std::to_string(e.position) +
                                                " appears twice; an export holds each event once"));
    }
    if (auto broken = verifier.Feed(e)) {
      return std::unexpected(MakeError(
          ErrorCode::kCorrupt, "broken chain at stream " + broken->stream + " version " +
                                   std::to_string(broken->version) + ": " + broken->reason));
    }
  }
  return {};
}

}  // namespace waymark
