// The read-model contract on the in-memory store: the projector's logic
// without a database.

#include "core/memory_event_store.hpp"
#include "projections/memory_read_model_store.hpp"
#include "tests/projections/read_model_contract.hpp"

namespace waymark::testing {
namespace {

// Another store object on the same tables: here, the same store.
class SameStore final : public projections::ReadModelStore {
 public:
  explicit SameStore(projections::ReadModelStore& inner) : inner_(inner) {}
  std::expected<void, Error> Apply(const std::set<std::string>& streams,
                                   const projections::DecideWrite& decide) override {
    return inner_.Apply(streams, decide);
  }
  std::expected<GlobalCursor, Error> Checkpoint() override { return inner_.Checkpoint(); }
  std::expected<std::unique_ptr<projections::ReadModelShadow>, Error> OpenShadow(
      std::vector<const projections::ReadModel*> models, bool check) override {
    return inner_.OpenShadow(std::move(models), check);
  }

 private:
  projections::ReadModelStore& inner_;
};

class MemoryFixture final : public ReadModelFixture {
 public:
  explicit MemoryFixture(ManualClock& clock) : events_(MakeMemoryEventStore(clock)) {}
  EventStore& events() override { return *events_; }
  CheckpointStore& checkpoints() override { return *checkpoints_; }
  TimerStore& timers() override { return *timers_; }
  projections::ReadModelStore& store() override { return store_; }
  projections::ReadModelQueries& queries() override { return queries_; }
  std::unique_ptr<projections::ReadModelStore> Another() override {
    return std::make_unique<SameStore>(store_);
  }
  std::vector<boost::json::object> Rows(const std::string& table) override {
    return store_.Rows(table);
  }
  void SetText(const std::string& table, const std::string& key_column, const std::string& key,
               const std::string& column, const std::string& value) override {
    for (auto row : store_.Rows(table)) {
      if (row.at(key_column).as_string() != key) continue;
      row[column] = value;
      store_.Tamper(table, key, row);
    }
  }
  void DeleteFirstAuditRow() override {
    const auto rows = store_.Rows("rm_audit_log");
    ASSERT_FALSE(rows.empty());
    store_.Tamper("rm_audit_log", std::to_string(rows.front().at("position").as_int64()),
                  std::nullopt);
  }
  std::size_t ShadowTablesLeft() override { return 0; }  // a shadow lives in its object

 private:
  std::unique_ptr<EventStore> events_;
  std::unique_ptr<CheckpointStore> checkpoints_ = MakeMemoryCheckpointStore();
  std::unique_ptr<TimerStore> timers_ = MakeMemoryTimerStore();
  projections::MemoryReadModelStore store_;
  projections::MemoryReadModelQueries queries_{store_};
};

INSTANTIATE_TEST_SUITE_P(Memory, ReadModelContract, ::testing::Values([](ManualClock& clock) {
                           return std::make_unique<MemoryFixture>(clock);
                         }));

TEST(MemoryReadModelStore, AnUnreachableStoreWritesNothingAndTheProjectorGoesOnAfter) {
  ManualClock clock{*ParseRfc3339("2026-11-26T09:00:00Z")};
  auto events = MakeMemoryEventStore(clock);
  auto checkpoints = MakeMemoryCheckpointStore();
  auto timers = MakeMemoryTimerStore();
  DevelopmentCycle(*events, *checkpoints, *timers, clock).Run();
  auto all = events->ReadAll({}, 10000);
  ASSERT_TRUE(all);
  projections::MemoryReadModelStore store;
  projections::Projector projector(store, *events, workflows::AllWorkflows());
  store.FailNextWrites(1);
  auto failed = projector.Apply(*all, all->back().cursor());
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, ErrorCode::kUnavailable);
  EXPECT_TRUE(store.Rows("rm_audit_log").empty());
  EXPECT_EQ(*store.Checkpoint(), GlobalCursor{});
  auto retried = projector.Apply(*all, all->back().cursor());
  ASSERT_TRUE(retried) << retried.error().message;
  EXPECT_EQ(retried->applied, all->size());
  EXPECT_EQ(store.Rows("rm_audit_log").size(), all->size());
}

}  // namespace
}  // namespace waymark::testing
