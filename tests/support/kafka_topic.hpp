#pragma once

#include <librdkafka/rdkafka.h>

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace waymark::testing {

struct TopicMessage {
  int partition = 0;
  long long offset = 0;
  std::string key;
  std::map<std::string, std::string> headers;
  std::string value;
};

// $WAYMARK_TEST_KAFKA, or an exception.
std::string TestKafkaBrokers();

// Every message of `topic` from the beginning, partition by partition in
// offset order, read with a plain librdkafka consumer (assigned partitions, no committed offsets).
// Waits up to `timeout` for the topic to exist.
// `bootstrap` empty: the shared test broker.
std::vector<TopicMessage> ReadTopic(const std::string& topic,
                                    std::chrono::milliseconds timeout = std::chrono::seconds(20),
                                    const std::string& bootstrap = {});

// Creates `topic` on the brokers at `bootstrap` (Kafka's admin API) and
// waits until every partition has a leader. A topic already there is kept.
void CreateTopicOn(const std::string& bootstrap, const std::string& topic, int partitions,
                   int replication);
// The same on the shared test broker ($WAYMARK_TEST_KAFKA), one replica.
void CreateTopic(const std::string& topic, int partitions);

// Fresh metadata from the brokers at `bootstrap`, given to `check` until it
// returns true (then true) or `limit` passes (then false).
bool UntilMetadata(const std::string& bootstrap, std::chrono::milliseconds limit,
                   const std::function<bool(const rd_kafka_metadata_t&)>& check);

// A topic name no other test uses.
std::string UniqueTopic(const std::string& prefix);

}  // namespace waymark::testing
