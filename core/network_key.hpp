#pragma once

#include <string>
#include <string_view>

#include "core/event.hpp"

namespace waymark {

// The engine's tenancy rule, named here once: a tenant is a network; its own
// stream is `network-<id>`, and every other stream names its network in the
// `network_id` field of its first event.
inline constexpr std::string_view kNetworkKind = "network";
inline constexpr std::string_view kNetworkField = "network_id";

// The network a stream belongs to (RecordedEvent::network_id: who may see
// it, and the key that keeps one network's events in order on Kafka): the id
// of a `network-<id>` stream, otherwise the `network_id` in the stream's
// first event. A stream whose first event names no network is its own.
std::string NetworkKeyOf(const RecordedEvent& first_event);

// The same for a stream's first event given by its name and data.network_id.
std::string NetworkKeyOf(std::string_view stream, std::string_view first_network_id);

}  // namespace waymark
