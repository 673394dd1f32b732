#include "core/network_key.hpp"

#include "core/stream_name.hpp"

namespace waymark {

std::string NetworkKeyOf(const RecordedEvent& first) {
  if (auto name = ParseStreamName(first.stream); name && name->kind == "network") {
    return std::string(name->id);
  }
  if (const auto* id = first.data.if_contains("network_id"); id && id->is_string()) {
    return std::string(id->get_string());
  }
  return first.stream;
}

std::expected<std::string, Error> NetworkKeyResolver::KeyOf(const RecordedEvent& event) {
  if (auto it = keys_.find(event.stream); it != keys_.end()) return it->second;
  std::string key;
  if (event.version == 1) {
    key = NetworkKeyOf(event);
  } else {
    auto first = store_.ReadStream(event.stream, 1, 1);
    if (!first) return std::unexpected(first.error());
    key = first->empty() ? event.stream : NetworkKeyOf(first->front());
  }
  return keys_.emplace(event.stream, std::move(key)).first->second;
}

}  // namespace waymark
