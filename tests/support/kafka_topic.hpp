#pragma once

#include <chrono>
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
std::vector<TopicMessage> ReadTopic(const std::string& topic,
                                    std::chrono::milliseconds timeout = std::chrono::seconds(20));

// Sends one fault command to the dev broker's control FIFO
// ($WAYMARK_TEST_BROKER_CONTROL), e.g. "down 1".
// Returns once the broker has applied it (throws after 10 s).
void BrokerControl(const std::string& command);

// Creates `topic` with `partitions` partitions on the dev broker and waits
// until the broker reports it.
void CreateTopic(const std::string& topic, int partitions);

// A topic name no other test uses.
std::string UniqueTopic(const std::string& prefix);

}  // namespace waymark::testing
