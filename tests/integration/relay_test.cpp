// The Kafka relay against the real PostgreSQL and the dev broker.

#include "adapters/kafka/relay.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <thread>

#include "adapters/postgres/pg_checkpoint_store.hpp"
#include "adapters/postgres/pg_event_store.hpp"
#include "adapters/postgres/pg_leader_lock.hpp"
#include "tests/support/event_load.hpp"
#include "tests/support/kafka_topic.hpp"
#include "tests/support/pg_schema.hpp"
#include "tests/support/store_and_topic.hpp"

namespace waymark::testing {
namespace {

class RelayTest : public StoreAndTopicTest {
 protected:
  RelayTest() : StoreAndTopicTest("relay") {}

  std::unique_ptr<kafka::Relay> NewRelay() {
    auto relay =
        kafka::Relay::Create(*store_, *checkpoints_, clock_, {TestKafkaBrokers(), topic_, 100});
    EXPECT_TRUE(relay) << relay.error().message;
    return relay ? std::move(*relay) : nullptr;
  }

  std::size_t PublishAll(kafka::Relay& relay) {
    auto n = relay.PublishPending(never_);
    EXPECT_TRUE(n) << n.error().message;
    return n ? *n : 0;
  }

  void ExpectTopicMatchesStore(std::size_t events) {
    ExpectTopicHoldsStore(*store_, topic_, events, /*max_duplicates=*/0);
  }

  std::atomic<bool> never_{false};
};

TEST_F(RelayTest, PublishesEveryEventInOrderKeyedByNetworkWithHeaders) {
  ASSERT_EQ(AppendLoad(*store_, 750, 12), 750u);
  auto relay = NewRelay();
  ASSERT_TRUE(relay);
  EXPECT_EQ(PublishAll(*relay), 750u);
  EXPECT_EQ(relay->stats().produced.load(), 750u);
  ExpectTopicMatchesStore(750);

  // The message for a non-network stream is keyed by the network in its first event.
  const auto messages = ReadTopic(topic_);
  bool saw_assessment = false;
  for (const auto& m : messages) {
    if (m.headers.at("stream").starts_with("assessment-load3-")) {
      EXPECT_EQ(m.key, "load3");
      saw_assessment = true;
    }
  }
  EXPECT_TRUE(saw_assessment);

  // The checkpoint is at the last event: nothing more to publish.
  auto cursor = checkpoints_->Load(relay->checkpoint_name());
  ASSERT_TRUE(cursor);
  auto after = store_->ReadAll(*cursor, 10);
  ASSERT_TRUE(after);
  EXPECT_TRUE(after->empty());
  EXPECT_EQ(PublishAll(*relay), 0u);
}

TEST_F(RelayTest, ANewRelayResumesFromTheCheckpoint) {
  AppendLoad(*store_, 120, 4, 5, "first");
  EXPECT_EQ(PublishAll(*NewRelay()), 120u);
  AppendLoad(*store_, 80, 4, 5, "second");
  EXPECT_EQ(PublishAll(*NewRelay()), 80u);
  ExpectTopicMatchesStore(200);
}

TEST_F(RelayTest, WaitsOutATenSecondBrokerOutageAndLosesNothing) {
  AppendLoad(*store_, 100, 5, 5, "before");
  auto relay = NewRelay();
  std::atomic<bool> stop{false};
  std::atomic<std::size_t> published{0};
  std::thread follower([&] {
    while (!stop) {
      if (auto n = relay->PublishPending(stop)) published += *n;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  });
  for (int i = 0; i < 200 && published < 100; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ASSERT_EQ(published.load(), 100u);

  BrokerControl("down 1");
  const auto down_at = std::chrono::steady_clock::now();
  AppendLoad(*store_, 300, 5, 5, "during");
  // The relay reads the new events and waits on the broker for them.
  const auto read_deadline = down_at + std::chrono::seconds(10);
  while (relay->stats().lag_events.load() == 0 && std::chrono::steady_clock::now() < read_deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ASSERT_GT(relay->stats().lag_events.load(), 0) << "the relay never tried the new events";
  // For the ten seconds of the outage nothing of them is confirmed.
  while (std::chrono::steady_clock::now() < down_at + std::chrono::seconds(10)) {
    ASSERT_EQ(published.load(), 100u) << "events were confirmed while the broker was down";
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  BrokerControl("up 1");
  for (int i = 0; i < 600 && published < 400; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  stop = true;
  follower.join();
  EXPECT_EQ(published.load(), 400u);
  ExpectTopicMatchesStore(400);
}

TEST_F(RelayTest, RetriesProduceRequestErrorsWithoutDuplicatesOrReordering) {
  AppendLoad(*store_, 400, 6);
  // Produce is API key 0; 7 = REQUEST_TIMED_OUT, 6 = NOT_LEADER_FOR_PARTITION: both retriable.
  BrokerControl("errors 0 7 3");
  BrokerControl("errors 0 6 3");  // applied when it returns
  auto relay = NewRelay();
  EXPECT_EQ(PublishAll(*relay), 400u);
  ExpectTopicMatchesStore(400);
}

TEST_F(RelayTest, AtMostOneRelayHoldsLeadershipAndAnotherTakesOver) {
  auto first = std::make_unique<postgres::LeaderLock>(schema_.conninfo(), "relay:" + topic_);
  postgres::LeaderLock second(schema_.conninfo(), "relay:" + topic_);
  postgres::LeaderLock other_topic(schema_.conninfo(), "relay:other");
  EXPECT_TRUE(first->TryAcquire());
  EXPECT_FALSE(second.TryAcquire());
  EXPECT_TRUE(first->TryAcquire()) << "the holder keeps it";
  EXPECT_TRUE(other_topic.TryAcquire()) << "another topic has a relay of its own";
  first.reset();  // the process died: its connection closed
  bool taken = false;
  for (int i = 0; i < 50 && !taken; ++i) {
    taken = second.TryAcquire();
    if (!taken) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(taken);
}

TEST_F(RelayTest, RefusesToStartWithoutBrokers) {
  auto relay = kafka::Relay::Create(*store_, *checkpoints_, clock_, {"", topic_, 100});
  ASSERT_FALSE(relay);
  EXPECT_NE(relay.error().message.find("WAYMARK_KAFKA"), std::string::npos);
}

}  // namespace
}  // namespace waymark::testing
