#include "core/network_key.hpp"

#include "core/stream_name.hpp"

namespace waymark {

std::string NetworkKeyOf(std::string_view stream, std::string_view first_network_id) {
  if (auto name = ParseStreamName(stream); name && name->kind == kNetworkKind) {
    return std::string(name->id);
  }
  return std::string(first_network_id.empty() ? stream : first_network_id);
}

std::string NetworkKeyOf(const RecordedEvent& first) {
  const auto* id = first.data.if_contains(kNetworkField);
  return NetworkKeyOf(first.stream, id && id->is_string() ? std::string_view(id->get_string())
                                                          : std::string_view{});
}

}  // namespace waymark
