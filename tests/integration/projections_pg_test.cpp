// The read models on the real PostgreSQL fed through Kafka: the same events
// twice, from a reset consumer group, change nothing. (Rows, dedupe, gaps,
// checkpoints and rebuilds are the read-model contract:
// tests/projections/read_model_contract.hpp, run here by pg_read_model_test.cpp.)

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "adapters/kafka/kafka_event_source.hpp"
#include "adapters/kafka/relay.hpp"
#include "adapters/postgres/pg_checkpoint_store.hpp"
#include "adapters/postgres/pg_event_store.hpp"
#include "adapters/postgres/pg_read_model_store.hpp"
#include "adapters/postgres/pg_timer_store.hpp"
#include "projections/feed.hpp"
#include "projections/projector.hpp"
#include "projections/rebuild.hpp"
#include "tests/support/kafka_topic.hpp"
#include "tests/support/pg_schema.hpp"
#include "tests/workflows/development_cycle.hpp"

namespace waymark::testing {
namespace {

class ReadModels : public ::testing::Test {
 protected:
  void SetUp() override {
    auto checkpoints = postgres::MakePostgresCheckpointStore(schema_.conninfo());
    auto timers = postgres::MakePostgresTimerStore(schema_.conninfo());
    DevelopmentCycle(*store_, *checkpoints, *timers, clock_).Run();
    GlobalCursor after;
    for (;;) {
      auto page = store_->ReadAll(after, 1000);
      ASSERT_TRUE(page);
      if (page->empty()) break;
      for (auto& e : *page) events_.push_back(e);
      after = page->back().cursor();
    }
  }
  projections::Projector Live() {
    return projections::Projector(*read_models_, *store_, workflows::AllWorkflows());
  }
  // Every read model's content, as one text, to see that nothing changed.
  std::string Snapshot() {
    std::string all;
    for (const auto& m : projections::AllReadModels()) {
      all += schema_.Exec("SELECT coalesce(string_agg(t::text, '|' ORDER BY t::text), '') FROM " +
                          std::string(m.table) + " t") +
             "\n";
    }
    return all;
  }
  std::expected<projections::RebuildReport, Error> Check() {
    return projections::Rebuild(*read_models_, *store_, workflows::AllWorkflows(), {{}, true, {}});
  }

  PgSchema schema_;
  ManualClock clock_{*ParseRfc3339("2026-11-26T09:00:00Z")};
  std::unique_ptr<EventStore> store_ = postgres::MakePostgresEventStore(schema_.conninfo(), clock_);
  std::unique_ptr<projections::ReadModelStore> read_models_ =
      postgres::MakePostgresReadModelStore(schema_.conninfo());
  std::vector<RecordedEvent> events_;
};

TEST_F(ReadModels, TheSameEventsFedTwiceThroughKafkaChangeNothing) {
  const std::string topic = UniqueTopic("read-models");
  auto checkpoints = postgres::MakePostgresCheckpointStore(schema_.conninfo());
  auto relay =
      kafka::Relay::Create(*store_, *checkpoints, clock_, {TestKafkaBrokers(), topic, 1000});
  ASSERT_TRUE(relay) << relay.error().message;
  std::atomic<bool> stop{false};
  ASSERT_EQ(*(*relay)->PublishPending(stop), events_.size());

  // Each pass is a new consumer group: it starts from the topic's beginning,
  // as after an offset reset.
  auto pass = [&](const std::string& group) {
    auto projector = Live();
    projections::Feed feed(
        projector,
        [&] {
          return kafka::MakeKafkaEventSource({TestKafkaBrokers(), topic, group, "test"});
        },
        false);
    projections::BatchResult total;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (!feed.CaughtUp() && std::chrono::steady_clock::now() < deadline) {
      auto step = feed.ApplyNext(std::chrono::milliseconds(500));
      EXPECT_TRUE(step) << step.error().message;
      if (!step) break;
      total.applied += step->applied;
      total.duplicates += step->duplicates;
    }
    EXPECT_TRUE(feed.CaughtUp()) << "the group never reached the end of the topic";
    return total;
  };
  auto first = pass(UniqueTopic("group"));
  EXPECT_EQ(first.applied, events_.size());
  const std::string after_first = Snapshot();
  ASSERT_TRUE(Check()->differences.empty());
  auto second = pass(UniqueTopic("group"));
  EXPECT_EQ(second.applied, 0u);
  EXPECT_EQ(second.duplicates, events_.size());
  EXPECT_EQ(Snapshot(), after_first);
}

}  // namespace
}  // namespace waymark::testing
