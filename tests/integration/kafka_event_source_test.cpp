// The Kafka consumer-group source, fed by the relay, against Apache Kafka
// (the shared test broker; a broker of the test's own for the faults). A
// stand-in projector applies events to a table, deduplicating by stream
// version, and commits offsets after its transaction, as projectors do.

#include "adapters/kafka/kafka_event_source.hpp"

#include <gtest/gtest.h>

#include <pqxx/pqxx>
#include <thread>

#include "adapters/kafka/relay.hpp"
#include "adapters/postgres/pg_checkpoint_store.hpp"
#include "adapters/postgres/pg_event_store.hpp"
#include "tests/support/event_load.hpp"
#include "tests/support/kafka_cluster.hpp"
#include "tests/support/kafka_topic.hpp"
#include "tests/support/pg_schema.hpp"
#include "tests/support/store_and_topic.hpp"

namespace waymark::testing {
namespace {

class KafkaSourceTest : public StoreAndTopicTest {
 protected:
  KafkaSourceTest() : StoreAndTopicTest("source") {}

  void SetUp() override {
    schema_.Exec(
        "CREATE TABLE applied (stream text, version bigint, position bigint, "
        "PRIMARY KEY (stream, version))");
  }

  // Appends `events` and relays until every one of them is on the topic. One
  // relay pass may stop short while another test holds a transaction open
  // (RelayTest.AnOpenTransactionElsewhereHoldsLaterEventsBackForTheNextPass):
  // a single pass here once left 5 of 750 events unpublished and the drain
  // waiting for them.
  void Publish(std::size_t events, const std::string& tag) {
    AppendLoad(*store_, events, 8, 5, tag);
    auto relay = kafka::Relay::Create(*store_, *checkpoints_, clock_, {brokers_, topic_, 500});
    ASSERT_TRUE(relay);
    std::atomic<bool> never{false};
    std::size_t published = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (published < events && std::chrono::steady_clock::now() < deadline) {
      auto n = (*relay)->PublishPending(never);
      ASSERT_TRUE(n) << n.error().message;
      published += *n;
      if (published < events) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ASSERT_EQ(published, events);
  }

  std::unique_ptr<EventSource> Source(const std::string& group) {
    auto source = kafka::MakeKafkaEventSource({brokers_, topic_, group, "test"});
    EXPECT_TRUE(source) << source.error().message;
    return source ? std::move(*source) : nullptr;
  }

  // Applies a batch in one transaction; returns how many rows were new.
  std::size_t Apply(const std::vector<RecordedEvent>& events) {
    pqxx::connection conn(schema_.conninfo());
    pqxx::work tx(conn);
    std::size_t fresh = 0;
    for (const auto& e : events) {
      fresh += tx.exec_params("INSERT INTO applied VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                              e.stream, e.version, e.position)
                   .affected_rows();
    }
    tx.commit();
    return fresh;
  }

  // Polls and applies until `want` rows are applied or `limit` passes.
  void Drain(EventSource& source, std::size_t want,
             std::chrono::seconds limit = std::chrono::seconds(30)) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (Count() < want && std::chrono::steady_clock::now() < deadline) {
      auto batch = source.Poll(200, std::chrono::milliseconds(500));
      ASSERT_TRUE(batch) << batch.error().message;
      Apply(*batch);
      (void)source.Commit();
    }
  }

  std::size_t Count() { return std::stoul(schema_.Exec("SELECT count(*) FROM applied")); }

  std::string brokers_ = TestKafkaBrokers();
};

TEST_F(KafkaSourceTest, DeliversEveryEventInStreamOrderAndResumesAfterCommit) {
  Publish(600, "a");
  {
    auto source = Source("g1");
    std::map<std::string, std::int64_t> last;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (Count() < 600 && std::chrono::steady_clock::now() < deadline) {
      auto batch = source->Poll(100, std::chrono::milliseconds(500));
      ASSERT_TRUE(batch) << batch.error().message;
      for (const auto& e : *batch) {
        EXPECT_EQ(e.version, last[e.stream] + 1) << e.stream;
        last[e.stream] = e.version;
      }
      EXPECT_EQ(Apply(*batch), batch->size()) << "no event came twice";
      ASSERT_TRUE(source->Commit());
    }
  }
  EXPECT_EQ(Count(), 600u);
  Publish(150, "b");
  auto again = Source("g1");
  Drain(*again, 750);
  EXPECT_EQ(Count(), 750u);
  auto nothing = again->Poll(100, std::chrono::seconds(2));
  ASSERT_TRUE(nothing);
  EXPECT_TRUE(nothing->empty()) << "committed events came again";
}

TEST_F(KafkaSourceTest, EventsNotCommittedAreDeliveredAgain) {
  Publish(200, "c");
  std::size_t seen = 0;
  {
    auto source = Source("g2");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (seen < 200 && std::chrono::steady_clock::now() < deadline) {
      auto batch = source->Poll(100, std::chrono::milliseconds(500));
      ASSERT_TRUE(batch);
      seen += batch->size();
    }
    // The consumer "crashes" before its transaction commits: no Commit().
  }
  EXPECT_EQ(seen, 200u);
  auto restarted = Source("g2");
  Drain(*restarted, 200);
  EXPECT_EQ(Count(), 200u);
}

TEST_F(KafkaSourceTest, ARebalanceMidBatchLosesNothing) {
  Publish(1200, "d");
  auto a = Source("g3");
  // A takes a batch but has not committed it when B joins the group.
  std::vector<RecordedEvent> in_flight;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (in_flight.empty() && std::chrono::steady_clock::now() < deadline) {
    auto batch = a->Poll(150, std::chrono::milliseconds(500));
    ASSERT_TRUE(batch);
    in_flight = *batch;
  }
  ASSERT_FALSE(in_flight.empty());
  auto b = Source("g3");
  // Both keep consuming; A's next polls go through the rebalance.
  for (int round = 0; round < 60 && Count() < 1200; ++round) {
    for (EventSource* s : {a.get(), b.get()}) {
      auto batch = s->Poll(150, std::chrono::milliseconds(300));
      ASSERT_TRUE(batch);
      if (s == a.get() && !in_flight.empty()) {
        batch->insert(batch->begin(), in_flight.begin(), in_flight.end());
        in_flight.clear();
      }
      Apply(*batch);
      (void)s->Commit();  // may fail for revoked partitions: they are redelivered
    }
  }
  EXPECT_EQ(Count(), 1200u);
  // Every stream's versions are all there, 1..n.
  EXPECT_EQ(schema_.Exec("SELECT count(*) FROM (SELECT stream FROM applied GROUP BY stream "
                         "HAVING max(version) <> count(*)) gaps"),
            "0");
}

TEST_F(KafkaSourceTest, ResetOffsetsRedeliverEverythingAndDedupeKeepsTheResult) {
  Publish(300, "e");
  auto first = Source("g4");
  Drain(*first, 300);
  const std::string before = schema_.Exec(
      "SELECT string_agg(stream || version, ',' ORDER BY stream, version) FROM applied");
  // A new group starts from the beginning: every event again.
  auto replay = Source("g4-reset");
  std::size_t redelivered = 0, fresh = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (redelivered < 300 && std::chrono::steady_clock::now() < deadline) {
    auto batch = replay->Poll(200, std::chrono::milliseconds(500));
    ASSERT_TRUE(batch);
    redelivered += batch->size();
    fresh += Apply(*batch);
  }
  EXPECT_EQ(redelivered, 300u);
  EXPECT_EQ(fresh, 0u);
  EXPECT_EQ(schema_.Exec(
                "SELECT string_agg(stream || version, ',' ORDER BY stream, version) FROM applied"),
            before);
}

// The broker killed with SIGKILL while the source consumes, and restarted on
// its data: the source reports the outage, then goes on from the offsets it
// committed (kept in the broker's __consumer_offsets), and every event is
// applied once.
class KafkaSourceFaultTest : public KafkaSourceTest {
 protected:
  KafkaSourceFaultTest() { brokers_ = kafka_.bootstrap(); }
  void SetUp() override {
    KafkaSourceTest::SetUp();
    kafka_.CreateTopic(topic_, 4, 1);
  }
  KafkaCluster kafka_{{.nodes = 1}};
};

TEST_F(KafkaSourceFaultTest, ABrokerKilledAndRestartedMidStreamLosesNothing) {
  Publish(1500, "k");
  auto source = Source("g5");
  // Consume part of it, committing as a projector does.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (Count() < 300 && std::chrono::steady_clock::now() < deadline) {
    auto batch = source->Poll(100, std::chrono::milliseconds(500));
    ASSERT_TRUE(batch) << batch.error().message;
    Apply(*batch);
    ASSERT_TRUE(source->Commit());
  }
  ASSERT_GE(Count(), 300u);
  kafka_.Kill(1);
  // While it is down, polls either return what was already fetched or nothing.
  for (int i = 0; i < 4; ++i) {
    if (auto batch = source->Poll(100, std::chrono::milliseconds(250))) Apply(*batch);
    (void)source->Commit();  // fails while the coordinator is gone: the events come again
  }
  kafka_.Restart(1);
  kafka_.WaitReady();
  Drain(*source, 1500, std::chrono::seconds(90));
  EXPECT_EQ(Count(), 1500u);
  EXPECT_EQ(schema_.Exec("SELECT count(*) FROM (SELECT stream FROM applied GROUP BY stream "
                         "HAVING max(version) <> count(*)) gaps"),
            "0");
}

TEST(KafkaSource, NeedsBrokersAndAGroup) {
  auto source = kafka::MakeKafkaEventSource({"", "t", "", "x"});
  ASSERT_FALSE(source);
  EXPECT_EQ(source.error().code, ErrorCode::kValidation);
}

}  // namespace
}  // namespace waymark::testing
