// The EventStore contract and PostgreSQL-specific guarantees, against the
// real PostgreSQL started by ops/test.

#include "adapters/postgres/pg_event_store.hpp"

#include <barrier>
#include <future>
#include <pqxx/pqxx>
#include <thread>

#include "adapters/postgres/migrations.hpp"
#include "core/network_key.hpp"
#include "tests/core/event_store_contract.hpp"
#include "tests/support/pg_schema.hpp"

namespace waymark::testing {
namespace {

struct PostgresStore final : StoreUnderTest {
  explicit PostgresStore(Clock& clock)
      : store_(postgres::MakePostgresEventStore(schema_.conninfo(), clock)) {}
  EventStore& store() override { return *store_; }
  PgSchema schema_;
  std::unique_ptr<EventStore> store_;
};

INSTANTIATE_TEST_SUITE_P(Postgres, EventStoreContract,
                         ::testing::Values(StoreFactory{
                             "Postgres",
                             [](Clock& clock) -> std::unique_ptr<StoreUnderTest> {
                               return std::make_unique<PostgresStore>(clock);
                             }}),
                         PrintStoreName);

class PgEventStore : public ::testing::Test {
 protected:
  ManualClock clock_{kT0};
  PgSchema schema_;
  std::unique_ptr<EventStore> store_ =
      postgres::MakePostgresEventStore(schema_.conninfo(), clock_, 12);
};

TEST_F(PgEventStore, MigrateIsSafeToRunTwice) {
  auto again = postgres::Migrate(schema_.conninfo());
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_TRUE(again->applied.empty());
  EXPECT_EQ(again->schema_version, postgres::LatestSchemaVersion());
  EXPECT_EQ(schema_.Exec("SELECT count(*) FROM waymark_schema_migrations"),
            std::to_string(postgres::LatestSchemaVersion()));
}

TEST(PgMigrations, EventsStoredBeforeTheyCarriedTheirNetworkGetItByTheRule) {
  PgSchema schema(/*migrate=*/false);
  ASSERT_TRUE(postgres::Migrate(schema.conninfo(), 11));  // where the release before left it
  const auto insert = [&](const std::string& stream, int version, const std::string& data) {
    schema.Exec(
        "INSERT INTO events (stream, version, type, schema_version, data, metadata, recorded_at, "
        "hash) VALUES ('" +
        stream + "', " + std::to_string(version) + ", 'Something', 1, '" + data +
        "', '{}', now(), 'x')");
  };
  insert("network-ne", 1, R"({"name":"Northside"})");
  insert("plan-p1", 1, R"({"network_id":"ne"})");
  insert("network-ne", 2, R"({"network_id":"elsewhere"})");  // only a first event decides
  insert("plan-p1", 2, R"({})");
  insert("step-s1", 1, R"({"network_id":7})");  // not a string: the stream is its own
  insert("step-s2", 1, R"({"network_id":""})");
  auto migrated = postgres::Migrate(schema.conninfo(), 12);
  ASSERT_TRUE(migrated) << migrated.error().message;
  EXPECT_EQ(migrated->applied, std::vector<std::string>{"12 events carry their network"});
  EXPECT_EQ(schema.Exec("SELECT string_agg(stream || '@' || version || '=' || network_id, ' ' "
                        "ORDER BY position) FROM events"),
            "network-ne@1=ne plan-p1@1=ne network-ne@2=ne plan-p1@2=ne step-s1@1=step-s1 "
            "step-s2@1=step-s2");
  // The same rule as every append's, and the store reads by it.
  EXPECT_EQ(NetworkKeyOf("step-s1", ""), "step-s1");
  ManualClock clock{kT0};
  auto store = postgres::MakePostgresEventStore(schema.conninfo(), clock);
  auto streams = store->StreamsOfNetwork("ne");
  ASSERT_TRUE(streams);
  EXPECT_EQ(*streams, (std::vector<std::string>{"network-ne", "plan-p1"}));
  // The append-only guard is back on.
  EXPECT_THROW(schema.Exec("UPDATE events SET network_id = 'nw'"), pqxx::sql_error);
}

TEST_F(PgEventStore, EightWritersAtOneExpectedVersionExactlyOneWinsEachVersion) {
  constexpr int kThreads = 8;
  constexpr int kRounds = 40;
  std::barrier sync(kThreads);
  std::atomic<int> wins{0}, conflicts{0}, other{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < kRounds; ++round) {
        sync.arrive_and_wait();  // everyone appends at expected version `round` at once
        auto r = store_->Append(Request(
            "plan-race", round,
            {NewEvent{"ActionAdded", 1, boost::json::object{{"writer", t}, {"round", round}}}}));
        if (r) {
          ++wins;
        } else if (r.error().code == ErrorCode::kConflict) {
          ++conflicts;
        } else {
          ++other;
        }
        sync.arrive_and_wait();  // the round is over before the next one starts
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(wins.load(), kRounds);
  EXPECT_EQ(conflicts.load(), kRounds * (kThreads - 1));
  EXPECT_EQ(other.load(), 0);
  auto events = store_->ReadStream("plan-race", 1, 1000);
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), static_cast<std::size_t>(kRounds));
  ChainVerifier verifier;
  for (int v = 0; v < kRounds; ++v) {
    EXPECT_EQ((*events)[v].version, v + 1);
    EXPECT_EQ((*events)[v].data.at("round").as_int64(), v);
    EXPECT_FALSE(verifier.Feed((*events)[v]));
  }
  EXPECT_EQ(schema_.Exec("SELECT count(*) FROM events"), std::to_string(kRounds));
}

TEST_F(PgEventStore, ConcurrentAppendsWithoutExpectedVersionAllLandInOrder) {
  constexpr int kThreads = 8, kEach = 25;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        if (!store_->Append(Request(
                "network-busy", std::nullopt,
                {NewEvent{"MembershipRecorded", 1, boost::json::object{{"t", t}, {"i", i}}}}))) {
          ++failures;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  auto events = store_->ReadStream("network-busy", 1, 1000);
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), static_cast<std::size_t>(kThreads * kEach));
  ChainVerifier verifier;
  for (const auto& e : *events) EXPECT_FALSE(verifier.Feed(e));
}

TEST_F(PgEventStore, ConcurrentRepeatsOfOneIdempotencyKeyWriteOnce) {
  constexpr int kThreads = 8;
  std::barrier sync(kThreads);
  std::vector<std::future<std::expected<AppendResult, Error>>> results;
  for (int t = 0; t < kThreads; ++t) {
    results.push_back(std::async(std::launch::async, [&] {
      sync.arrive_and_wait();
      return store_->Append(
          Request("network-once", std::nullopt, {Registered()}, Officer("same-key")));
    }));
  }
  int written = 0;
  std::int64_t position = 0;
  for (auto& f : results) {
    auto r = f.get();
    ASSERT_TRUE(r) << r.error().message;
    if (!r->replayed) ++written;
    if (position == 0) position = r->events.at(0).position;
    EXPECT_EQ(r->events.at(0).position, position);
  }
  EXPECT_EQ(written, 1);
  EXPECT_EQ(schema_.Exec("SELECT count(*) FROM events"), "1");
}

TEST_F(PgEventStore, AMultiEventAppendIsAllOrNothingInTheDatabase) {
  // A trigger that fails the third row makes PostgreSQL itself abort mid-append.
  schema_.Exec(R"sql(
    CREATE FUNCTION fail_marked() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.data::jsonb ? 'fail_here' THEN RAISE EXCEPTION 'injected failure'; END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER fail_marked BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION fail_marked();
  )sql");
  auto r =
      store_->Append(Request("plan-p1", 0,
                             {NewEvent{"PlanDrafted", 1, boost::json::object{{"n", 1}}},
                              NewEvent{"ActionAdded", 1, boost::json::object{{"n", 2}}},
                              NewEvent{"ActionAdded", 1, boost::json::object{{"fail_here", true}}}},
                             Officer("draft-p1")));
  ASSERT_FALSE(r);
  // A trigger's exception is no outage: an internal failure, its text kept for the log.
  EXPECT_EQ(r.error().code, ErrorCode::kInternal);
  EXPECT_NE(r.error().message.find("injected failure"), std::string::npos) << r.error().message;
  EXPECT_EQ(schema_.Exec("SELECT count(*) FROM events"), "0");
  EXPECT_EQ(schema_.Exec("SELECT count(*) FROM event_idempotency"), "0");
  // The key was not burnt: the same command succeeds once the fault is gone.
  schema_.Exec("DROP TRIGGER fail_marked ON events");
  auto retry = store_->Append(Request("plan-p1", 0,
                                      {NewEvent{"PlanDrafted", 1, boost::json::object{{"n", 1}}}},
                                      Officer("draft-p1")));
  ASSERT_TRUE(retry) << retry.error().message;
  EXPECT_FALSE(retry->replayed);
}

TEST_F(PgEventStore, ReadAllNeverSkipsAnAppendThatCommitsAfterALaterOne) {
  // An append whose data says {"hold": true} blocks inside its INSERT (after
  // its position is drawn) until the test releases an advisory lock, so its
  // transaction stays open while later appends commit.
  schema_.Exec(R"sql(
    CREATE FUNCTION hold_marked() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.data::jsonb ? 'hold' THEN PERFORM pg_advisory_xact_lock(4242); END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER hold_marked BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION hold_marked();
  )sql");
  ASSERT_TRUE(store_->Append(Request("network-before", 0, {Registered()})));

  pqxx::connection blocker(schema_.conninfo());
  pqxx::work lock_tx(blocker);
  lock_tx.exec("SELECT pg_advisory_xact_lock(4242)");

  auto slow = std::async(std::launch::async, [&] {
    return store_->Append(
        Request("network-slow", 0,
                {NewEvent{"NetworkRegistered", 1, boost::json::object{{"hold", true}}}}));
  });
  // Wait until the slow append has drawn its position (its row is in flight).
  const std::string held_position = [&] {
    for (int i = 0; i < 500; ++i) {
      const auto p = schema_.Exec(
          "SELECT max(last_value) FROM pg_sequences WHERE schemaname = current_schema() "
          "AND sequencename LIKE 'events_position%'");
      if (p == "2") return p;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return std::string("never");
  }();
  ASSERT_EQ(held_position, "2");

  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(store_->Append(Request("network-fast" + std::to_string(i), 0, {Registered()})));
  }
  // The later appends are committed and visible to a plain query...
  EXPECT_EQ(schema_.Exec("SELECT count(*) FROM events WHERE position > 2"), "5");
  // ...but the reader stops before the open append instead of passing it.
  auto during = store_->ReadAll({}, 100);
  ASSERT_TRUE(during) << during.error().message;
  ASSERT_EQ(during->size(), 1u);
  EXPECT_EQ(during->at(0).stream, "network-before");
  const GlobalCursor checkpoint = during->back().cursor();

  lock_tx.commit();  // releases the advisory lock: the slow append commits
  auto slow_result = slow.get();
  ASSERT_TRUE(slow_result) << slow_result.error().message;

  auto after = store_->ReadAll(checkpoint, 100);
  ASSERT_TRUE(after) << after.error().message;
  ASSERT_EQ(after->size(), 6u);
  EXPECT_EQ(after->at(0).stream, "network-slow");
  EXPECT_EQ(after->at(0).position, 2);
  for (std::size_t i = 1; i < after->size(); ++i) {
    EXPECT_EQ(after->at(i).stream, "network-fast" + std::to_string(i - 1));
  }
}

TEST_F(PgEventStore, ReadAllOrdersTransactionsAsNumbersNotText) {
  // Transaction ids 9 and 10 sort differently as text ("10" < "9"); a reader
  // that sorted them as text would deliver a later commit first.
  ASSERT_TRUE(store_->Append(Request("network-ten", 0, {Registered()})));
  ASSERT_TRUE(store_->Append(Request("network-nine", 0, {Registered()})));
  schema_.Exec(
      "SET session_replication_role = replica; "
      "UPDATE events SET transaction_id = '10' WHERE stream = 'network-ten'; "
      "UPDATE events SET transaction_id = '9' WHERE stream = 'network-nine'");
  auto all = store_->ReadAll({}, 10);
  ASSERT_TRUE(all) << all.error().message;
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ(all->at(0).stream, "network-nine");
  EXPECT_EQ(all->at(0).commit, 9u);
  EXPECT_EQ(all->at(1).stream, "network-ten");
  auto rest = store_->ReadAll(all->at(0).cursor(), 10);
  ASSERT_TRUE(rest);
  ASSERT_EQ(rest->size(), 1u);
  EXPECT_EQ(rest->at(0).stream, "network-ten");
}

TEST_F(PgEventStore, TheEventsTableRefusesUpdatesAndDeletes) {
  ASSERT_TRUE(store_->Append(Request("network-n1", 0, {Registered()})));
  EXPECT_THROW(schema_.Exec("UPDATE events SET type = 'X'"), pqxx::sql_error);
  EXPECT_THROW(schema_.Exec("DELETE FROM events"), pqxx::sql_error);
  EXPECT_THROW(schema_.Exec("TRUNCATE events"), pqxx::sql_error);
  EXPECT_EQ(schema_.Exec("SELECT type FROM events"), "NetworkRegistered");
}

TEST_F(PgEventStore, AStoredRowThatNoLongerDecodesIsReportedAsCorrupt) {
  ASSERT_TRUE(store_->Append(Request("network-n1", 0, {Registered()})));
  schema_.Exec(
      "SET session_replication_role = replica; "
      "UPDATE events SET recorded_at = recorded_at + interval '1 day'");
  auto read = store_->ReadStream("network-n1", 1, 10);
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code, ErrorCode::kCorrupt);
  EXPECT_NE(read.error().message.find("network-n1 version 1"), std::string::npos);
}

TEST_F(PgEventStore, AnUnreachableDatabaseIsUnavailableNotACrash) {
  auto store = postgres::MakePostgresEventStore("host=127.0.0.1 port=1 connect_timeout=2", clock_);
  auto r = store->Append(Request("network-n1", 0, {Registered()}));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(r.error().message.find("unreachable"), std::string::npos) << r.error().message;
}

}  // namespace
}  // namespace waymark::testing
