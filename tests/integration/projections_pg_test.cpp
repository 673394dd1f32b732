// The read models on the real PostgreSQL: what each says after the
// development cycle, exactly-once application (redelivery, from the same
// events again and through Kafka from a reset group; gaps), and
// rebuilds that prove them (alignment to a projector part-way, tampering,
// swapping in).

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "adapters/kafka/kafka_event_source.hpp"
#include "adapters/kafka/relay.hpp"
#include "adapters/postgres/pg_checkpoint_store.hpp"
#include "adapters/postgres/pg_event_store.hpp"
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
    return projections::Projector(schema_.conninfo(), *store_, workflows::AllWorkflows(), {});
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
    return projections::Rebuild(schema_.conninfo(), *store_, workflows::AllWorkflows(),
                                {{}, true, {}});
  }

  PgSchema schema_;
  ManualClock clock_{*ParseRfc3339("2026-11-26T09:00:00Z")};
  std::unique_ptr<EventStore> store_ = postgres::MakePostgresEventStore(schema_.conninfo(), clock_);
  std::vector<RecordedEvent> events_;
};

TEST_F(ReadModels, SayWhatTheDevelopmentCycleDid) {
  auto projector = Live();
  for (std::size_t i = 0; i < events_.size(); i += 7) {  // small batches, many transactions
    std::span<const RecordedEvent> batch(events_.data() + i,
                                         std::min<std::size_t>(7, events_.size() - i));
    auto applied = projector.Apply(batch);
    ASSERT_TRUE(applied) << applied.error().message;
  }
  EXPECT_EQ(schema_.Exec("SELECT concat_ws(' ', status, stage, members, active_members, "
                         "latest_assessment_id, latest_scores->>'influence', open_milestones, "
                         "overdue_milestones) FROM rm_networks WHERE network_id = 'ne'"),
            "development development 42 30 a1 1 0 0");
  EXPECT_EQ(schema_.Exec("SELECT concat_ws(' ', status, submitted_by, approved_by, scored, "
                         "connectivity, influence, membership) FROM rm_assessments"),
            "approved nadia olivia 10 2 1 4");
  EXPECT_EQ(schema_.Exec("SELECT concat_ws(' ', status, action_count, agreed_by_officer, "
                         "agreed_by_network, milestones_total, milestones_achieved, "
                         "milestones_open) FROM rm_plans WHERE plan_id = 'a1'"),
            "completed 2 olivia nadia 3 2 0");
  EXPECT_EQ(schema_.Exec("SELECT string_agg(milestone_id || ':' || status || ':' || due || ':' || "
                         "reschedules, ' ' ORDER BY milestone_id) FROM rm_milestones"),
            "m1:achieved:2026-12-15:0 m2:achieved:2027-01-31:1 m3:cancelled:2026-12-31:0");
  EXPECT_EQ(schema_.Exec("SELECT concat_ws(' ', status, kind, cycles, plan_id) FROM rm_steps"),
            "planned income 1 a1");
  EXPECT_EQ(schema_.Exec("SELECT count(*) FROM rm_audit_log"), std::to_string(events_.size()));
  EXPECT_EQ(schema_.Exec("SELECT concat_ws(' ', actor, role, network_id, summary) FROM "
                         "rm_audit_log WHERE type = 'MilestoneOverdue'"),
            "waymark/milestone-overdue system ne detected_at: 2026-12-21T09:00:01.000000Z; due: "
            "2026-12-20");
  EXPECT_EQ(schema_.Exec("SELECT max(version) FROM waymark_projected_versions WHERE stream = "
                         "'plan-a1'"),
            schema_.Exec("SELECT max(version) FROM events WHERE stream = 'plan-a1'"));
}

TEST_F(ReadModels, ARedeliveredEventChangesNothing) {
  auto projector = Live();
  ASSERT_TRUE(projector.Apply(events_));
  const std::string before = Snapshot();
  auto again = Live().Apply(events_);  // a fresh projector: no folded state kept
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->applied, 0u);
  EXPECT_EQ(again->duplicates, events_.size());
  EXPECT_EQ(Snapshot(), before);
}

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
      auto step = feed.Step(std::chrono::milliseconds(500));
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

TEST_F(ReadModels, AGapIsRefusedAndNothingIsWritten) {
  auto projector = Live();
  ASSERT_TRUE(projector.Apply(std::span(events_).first(3)));
  const std::string before = Snapshot();
  // A good event (the plan's first), then the assessment's third without its second.
  std::vector<RecordedEvent> gapped;
  for (const auto& e : events_) {
    if (e.stream == "plan-a1" && e.version == 1) gapped.insert(gapped.begin(), e);
    if (e.stream == "assessment-a1" && e.version == 3) gapped.push_back(e);
  }
  ASSERT_EQ(gapped.size(), 2u);
  auto refused = projector.Apply(gapped);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kCorrupt);
  EXPECT_NE(refused.error().message.find("gap in stream assessment-a1: the read models hold "
                                         "version 1 and the next event delivered is 3"),
            std::string::npos)
      << refused.error().message;
  EXPECT_EQ(Snapshot(), before);
}

TEST_F(ReadModels, ACheckMatchesAProjectorStoppedPartWayAndNamesATamperedRow) {
  auto projector = Live();
  ASSERT_TRUE(projector.Apply(std::span(events_).first(events_.size() / 2)));
  // The rebuild folds the whole history, then meets the projector where it is.
  auto check = Check();
  ASSERT_TRUE(check) << check.error().message;
  EXPECT_EQ(check->events, events_.size());
  EXPECT_TRUE(check->differences.empty()) << check->differences.front().examples.front();
  ASSERT_TRUE(projector.Apply(events_));
  ASSERT_TRUE(Check()->differences.empty());

  schema_.Exec("UPDATE rm_milestones SET status = 'achieved' WHERE milestone_id = 'm3'");
  schema_.Exec(
      "DELETE FROM rm_audit_log WHERE position = (SELECT min(position) FROM rm_audit_log)");
  auto tampered = Check();
  ASSERT_TRUE(tampered);
  ASSERT_EQ(tampered->differences.size(), 2u);
  const auto& milestones = tampered->differences[0];  // in the order of AllReadModels
  const auto& audit = tampered->differences[1];
  EXPECT_EQ(milestones.table, "rm_milestones");
  EXPECT_EQ(milestones.live_only, 1u);
  EXPECT_EQ(milestones.rebuilt_only, 1u);
  ASSERT_EQ(milestones.examples.size(), 2u);
  EXPECT_NE(milestones.examples[0].find("live: {\"milestone_id\":\"m3\""), std::string::npos);
  EXPECT_NE(milestones.examples[0].find("\"status\":\"achieved\""), std::string::npos);
  EXPECT_NE(milestones.examples[1].find("\"status\":\"cancelled\""), std::string::npos);
  EXPECT_EQ(audit.table, "rm_audit_log");
  EXPECT_EQ(audit.live_only, 0u);
  EXPECT_EQ(audit.rebuilt_only, 1u);

  // A rebuild swaps in what the history says.
  auto rebuilt =
      projections::Rebuild(schema_.conninfo(), *store_, workflows::AllWorkflows(), {{}, false, {}});
  ASSERT_TRUE(rebuilt) << rebuilt.error().message;
  EXPECT_TRUE(Check()->differences.empty());
  EXPECT_EQ(schema_.Exec("SELECT status FROM rm_milestones WHERE milestone_id = 'm3'"),
            "cancelled");
  EXPECT_EQ(schema_.Exec("SELECT count(*) FROM pg_tables WHERE tablename LIKE '%\\_\\_%'"), "0")
      << "no shadow table is left behind";
}

}  // namespace
}  // namespace waymark::testing
