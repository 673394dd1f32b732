// The development and test broker ops/test starts (Apache Kafka, KRaft),
// checked with a client nobody here wrote (kcat).

#include <gtest/gtest.h>

#include <regex>

#include "tests/support/kafka_topic.hpp"
#include "tests/support/run_command.hpp"

namespace waymark::testing {
namespace {

TEST(Broker, IsApacheKafkaServingTheWaymarkEventsTopicWithSixPartitions) {
  auto r = RunCommand({"/usr/bin/kcat", "-b", TestKafkaBrokers(), "-L", "-t", "waymark.events"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("topic \"waymark.events\" with 6 partitions"), std::string::npos) << r.out;
  // A real broker names its node id and controller (the mock cluster said neither).
  EXPECT_TRUE(
      std::regex_search(r.out, std::regex("broker 1 at 127\\.0\\.0\\.1:[0-9]+ \\(controller\\)")))
      << r.out;
}

TEST(Broker, CarriesAMessageWithKeyAndHeadersBetweenKcatClients) {
  const std::string topic = UniqueTopic("broker-test");
  CreateTopic(topic, 1);
  auto produce = RunCommand({"/usr/bin/kcat", "-b", TestKafkaBrokers(), "-P", "-t", topic, "-K",
                             "|", "-H", "event_type=NetworkRegistered", "-p", "0"},
                            {}, "network-n1|{\"stream\":\"network-n1\"}\n");
  ASSERT_EQ(produce.exit_code, 0) << produce.err;
  auto consume = RunCommand({"/usr/bin/kcat", "-b", TestKafkaBrokers(), "-C", "-t", topic, "-p",
                             "0", "-o", "beginning", "-c", "1", "-e", "-f", "%k|%h|%s\n"});
  ASSERT_EQ(consume.exit_code, 0) << consume.err;
  EXPECT_EQ(consume.out, "network-n1|event_type=NetworkRegistered|{\"stream\":\"network-n1\"}\n");
}

}  // namespace
}  // namespace waymark::testing
