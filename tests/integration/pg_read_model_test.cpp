// The read-model contract on PostgreSQL: the same suite as in memory, in
// real tables, transactions and locks.

#include <boost/json/parse.hpp>

#include "adapters/postgres/pg_checkpoint_store.hpp"
#include "adapters/postgres/pg_event_store.hpp"
#include "adapters/postgres/pg_read_model_queries.hpp"
#include "adapters/postgres/pg_read_model_store.hpp"
#include "adapters/postgres/pg_timer_store.hpp"
#include "tests/projections/read_model_contract.hpp"
#include "tests/support/pg_schema.hpp"

namespace waymark::testing {
namespace {

class PostgresFixture final : public ReadModelFixture {
 public:
  explicit PostgresFixture(ManualClock& clock)
      : events_(postgres::MakePostgresEventStore(schema_.conninfo(), clock)) {}
  EventStore& events() override { return *events_; }
  CheckpointStore& checkpoints() override { return *checkpoints_; }
  TimerStore& timers() override { return *timers_; }
  projections::ReadModelStore& store() override { return *store_; }
  projections::ReadModelQueries& queries() override { return *queries_; }
  std::unique_ptr<projections::ReadModelStore> Another() override {
    return postgres::MakePostgresReadModelStore(schema_.conninfo());
  }
  std::vector<boost::json::object> Rows(const std::string& table) override {
    const auto* model = projections::FindReadModel(table);
    const std::string text =
        schema_.Exec("SELECT coalesce(json_agg(row_to_json(t) ORDER BY t." +
                     std::string(model->key) + "), '[]') FROM " + table + " t");
    const boost::json::value parsed = boost::json::parse(text);
    std::vector<boost::json::object> rows;
    for (const auto& row : parsed.as_array()) rows.push_back(row.as_object());
    return rows;
  }
  void SetText(const std::string& table, const std::string& key_column, const std::string& key,
               const std::string& column, const std::string& value) override {
    // Test-made names and values ([a-z0-9_]); quoted all the same.
    schema_.Exec("UPDATE " + table + " SET " + column + " = '" + value + "' WHERE " + key_column +
                 " = '" + key + "'");
  }
  void DeleteFirstAuditRow() override {
    schema_.Exec(
        "DELETE FROM rm_audit_log WHERE position = (SELECT min(position) FROM rm_audit_log)");
  }
  std::size_t ShadowTablesLeft() override {
    return std::stoul(
        schema_.Exec("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND "
                     "(tablename LIKE '%\\_\\_rebuild' OR tablename LIKE '%\\_\\_check')"));
  }

 private:
  PgSchema schema_;
  std::unique_ptr<EventStore> events_;
  std::unique_ptr<CheckpointStore> checkpoints_ =
      postgres::MakePostgresCheckpointStore(schema_.conninfo());
  std::unique_ptr<TimerStore> timers_ = postgres::MakePostgresTimerStore(schema_.conninfo());
  std::unique_ptr<projections::ReadModelStore> store_ =
      postgres::MakePostgresReadModelStore(schema_.conninfo());
  std::unique_ptr<projections::ReadModelQueries> queries_ =
      postgres::MakePostgresReadModelQueries(schema_.conninfo(), 2);
};

INSTANTIATE_TEST_SUITE_P(Postgres, ReadModelContract, ::testing::Values([](ManualClock& clock) {
                           return std::make_unique<PostgresFixture>(clock);
                         }));

}  // namespace
}  // namespace waymark::testing
