#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "core/event_store.hpp"
#include "tests/support/kafka_topic.hpp"

namespace waymark::testing {

// Appends `count` events spread over `networks` networks, each with a
// network-<n> stream and assessment and milestone streams whose first event
// names network_id "<n>"; 1 to `max_batch` events per append. Returns how
// many were appended (all of them, or the test fails).
std::size_t AppendLoad(EventStore& store, std::size_t count, int networks,
                       std::size_t max_batch = 5, const std::string& tag = "load");

// What a topic holds, checked against the store's events.
struct TopicCheck {
  std::size_t messages = 0;
  std::size_t distinct = 0;           // distinct (stream, version)
  std::size_t missing = 0;            // store events not on the topic
  std::size_t duplicates = 0;         // repeats of an event already on the topic
  std::size_t out_of_order = 0;       // a version before its predecessor, within a partition
  std::size_t bad_keys = 0;           // key is not the stream's network id
  std::size_t bad_values = 0;         // value or headers differ from the stored event
  std::vector<std::string> examples;  // a few of the problems, for the failure message
};
TopicCheck CheckTopic(EventStore& store, const std::vector<TopicMessage>& messages);

// Reads `topic` and expects every one of the store's `events` on it exactly
// in stream order, with the right keys, headers and values, and at most
// `max_duplicates` transport duplicates. Returns the check for reporting.
// `bootstrap` empty: the shared test broker.
TopicCheck ExpectTopicHoldsStore(EventStore& store, const std::string& topic, std::size_t events,
                                 std::size_t max_duplicates, const std::string& bootstrap = {});

}  // namespace waymark::testing
