#include "core/network_key.hpp"

#include "core/stream_name.hpp"

namespace waymark {

std::string NetworkKeyOf(std::string_view stream, std::string_view first_network_id) {
  if (auto name = ParseStreamName(stream); name && name->kind == "network") {
    return std::string(name->id);
  }
  return std::string(first_network_id.empty() ? stream : first_network_id);
}

std::string NetworkKeyOf(const RecordedEvent& first) {
  const auto* id = first.data.if_contains("network_id");
  return NetworkKeyOf(first.stream, id && id->is_string() ? std::string_view(id->get_string())
                                                          : std::string_view{});
}

std::expected<std::string, Error> NetworkKeyResolver::KeyOf(const RecordedEvent& event) {
  const auto* id = event.data.if_contains("network_id");
  return Resolve(event.stream, event.version,
                 id && id->is_string() ? std::string_view(id->get_string()) : std::string_view{});
}

std::expected<std::string, Error> NetworkKeyResolver::KeyOf(const WireEvent& event) {
  return Resolve(event.stream, event.version, event.first_network_id);
}

std::expected<std::string, Error> NetworkKeyResolver::Resolve(const std::string& stream,
                                                              std::int64_t version,
                                                              std::string_view first_network_id) {
  if (auto it = keys_.find(stream); it != keys_.end()) return it->second;
  std::string key;
  if (version == 1) {
    key = NetworkKeyOf(stream, first_network_id);
  } else {
    auto first = store_.ReadStream(stream, 1, 1);
    if (!first) return std::unexpected(first.error());
    key = first->empty() ? stream : NetworkKeyOf(first->front());
  }
  return keys_.emplace(stream, std::move(key)).first->second;
}

}  // namespace waymark
