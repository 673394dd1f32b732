#pragma once

#include <functional>
#include <string>
#include <unordered_map>

#include "core/event.hpp"
#include "core/event_store.hpp"

namespace waymark {

// The network a stream belongs to, the key that keeps one network's events
// in order on Kafka: the id of a `network-<id>` stream, otherwise the
// `network_id` in the stream's first event. A stream whose first event names
// no network is keyed by its own name.
std::string NetworkKeyOf(const RecordedEvent& first_event);

// The same for a stream's first event given by its name and data.network_id.
std::string NetworkKeyOf(std::string_view stream, std::string_view first_network_id);

// Remembers each stream's network key; looks up a stream's first event in
// `store` when it meets a stream part-way. Not thread-safe.
class NetworkKeyResolver {
 public:
  explicit NetworkKeyResolver(EventStore& store) : store_(store) {}
  std::expected<std::string, Error> KeyOf(const RecordedEvent& event);
  std::expected<std::string, Error> KeyOf(const WireEvent& event);

 private:
  std::expected<std::string, Error> Resolve(const std::string& stream, std::int64_t version,
                                            std::string_view first_network_id);

  EventStore& store_;
  std::unordered_map<std::string, std::string> keys_;
};

}  // namespace waymark
