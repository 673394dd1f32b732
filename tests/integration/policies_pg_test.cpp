// Durable timers and the policies on the real PostgreSQL: the timer store's
// contract, and DESIGN.md's development cycle end to end on the PostgreSQL
// event store, checkpoints and timers.

#include <gtest/gtest.h>

#include "adapters/postgres/pg_checkpoint_store.hpp"
#include "adapters/postgres/pg_event_store.hpp"
#include "adapters/postgres/pg_timer_store.hpp"
#include "tests/core/timer_store_contract.hpp"
#include "tests/support/pg_schema.hpp"
#include "tests/workflows/development_cycle.hpp"

namespace waymark::testing {
namespace {

TEST(PgTimerStore, KeepsTheTimerStoreContract) {
  PgSchema schema;
  auto timers = postgres::MakePostgresTimerStore(schema.conninfo());
  ExpectTimerStoreContract(*timers);
}

TEST(PgTimerStore, ARefusedConnectionIsUnavailable) {
  auto timers = postgres::MakePostgresTimerStore("host=127.0.0.1 port=1 connect_timeout=2");
  auto due = timers->Due(*ParseRfc3339("2026-01-01T00:00:00Z"), 10);
  ASSERT_FALSE(due);
  EXPECT_EQ(due.error().code, ErrorCode::kUnavailable);
}

TEST(DevelopmentCycleOnPostgres, FromRegistrationToACompletedPlan) {
  PgSchema schema;
  ManualClock clock(*ParseRfc3339("2026-11-26T09:00:00Z"));
  auto store = postgres::MakePostgresEventStore(schema.conninfo(), clock);
  auto checkpoints = postgres::MakePostgresCheckpointStore(schema.conninfo());
  auto timers = postgres::MakePostgresTimerStore(schema.conninfo());
  DevelopmentCycle(*store, *checkpoints, *timers, clock).Run();
  EXPECT_EQ(schema.Exec("SELECT count(*) FROM waymark_timers"), "0");
  EXPECT_EQ(schema.Exec("SELECT count(*) FROM events WHERE metadata->>'role' = 'system'"), "14")
      << "outcome, draft, 2 actions, 8 milestone trackings (4 open, 2 achieved, 2 cancelled), "
         "1 overdue, 1 milestone cancelled with its abandoned plan";
}

}  // namespace
}  // namespace waymark::testing
