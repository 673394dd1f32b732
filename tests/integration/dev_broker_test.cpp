// The Kafka-protocol development broker started by ops/test, checked with a
// client nobody here wrote (kcat).

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "tests/support/run_command.hpp"

namespace waymark::testing {
namespace {

std::string Bootstrap() {
  const char* env = std::getenv("WAYMARK_TEST_KAFKA");
  if (!env || !*env) throw std::runtime_error("WAYMARK_TEST_KAFKA is not set: run ops/test");
  return env;
}

TEST(DevBroker, ServesTheWaymarkEventsTopicToKcat) {
  auto r = RunCommand({"/usr/bin/kcat", "-b", Bootstrap(), "-L", "-t", "waymark.events"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("topic \"waymark.events\" with 6 partitions"), std::string::npos) << r.out;
}

TEST(DevBroker, CarriesAMessageWithKeyAndHeadersBetweenKcatClients) {
  const std::string topic = "waymark.devbroker.test";
  auto produce = RunCommand({"/usr/bin/kcat", "-b", Bootstrap(), "-P", "-t", topic, "-K", "|", "-H",
                             "event_type=NetworkRegistered", "-p", "0"},
                            {}, "network-n1|{\"stream\":\"network-n1\"}\n");
  ASSERT_EQ(produce.exit_code, 0) << produce.err;
  auto consume = RunCommand({"/usr/bin/kcat", "-b", Bootstrap(), "-C", "-t", topic, "-p", "0", "-o",
                             "beginning", "-c", "1", "-e", "-f", "%k|%h|%s\n"});
  ASSERT_EQ(consume.exit_code, 0) << consume.err;
  EXPECT_EQ(consume.out, "network-n1|event_type=NetworkRegistered|{\"stream\":\"network-n1\"}\n");
}

}  // namespace
}  // namespace waymark::testing
