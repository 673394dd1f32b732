#pragma once

#include <expected>
#include <memory>
#include <string>

#include "core/event_source.hpp"

namespace waymark::kafka {

struct KafkaSourceOptions {
  std::string brokers;
  std::string topic = "waymark.events";
  std::string group_id;  // consumers sharing it split the partitions
  std::string client_id = "waymark-projector";
};

// An EventSource reading the relay's topic as a member of a consumer group.
// Offsets are committed only by Commit(), i.e. after the consumer's own
// transaction committed; a partition revoked in a rebalance before that is
// not committed by this member, so its new owner gets those events again
// (deduplicated by stream version downstream): nothing is lost.
std::expected<std::unique_ptr<EventSource>, Error> MakeKafkaEventSource(KafkaSourceOptions options);

}  // namespace waymark::kafka
