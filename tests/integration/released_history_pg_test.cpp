// A store written with the shapes released at schema version 1 — every
// history of tests/fixtures/<kind>_events_v1.json as a stream, imported into
// PostgreSQL as an export of an older Waymark would be — migrated and read by
// this build: every stream folds, the projector applies every event, and a
// rebuild from that history matches the read models.

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <fstream>
#include <sstream>

#include "adapters/postgres/pg_event_store.hpp"
#include "adapters/postgres/pg_read_model_store.hpp"
#include "core/command_handler.hpp"
#include "core/hash_chain.hpp"
#include "core/id_generator.hpp"
#include "projections/projector.hpp"
#include "projections/rebuild.hpp"
#include "tests/support/pg_schema.hpp"
#include "workflows/registry.hpp"

namespace waymark::testing {
namespace {

std::vector<RecordedEvent> ReleasedHistories() {
  std::vector<RecordedEvent> out;
  Timestamp at = *ParseRfc3339("2026-01-05T09:00:00Z");
  std::int64_t position = 0;
  for (const Workflow* workflow : workflows::AllWorkflows()) {
    const std::string kind(workflow->kind());
    std::ifstream file(std::string(WAYMARK_FIXTURES_DIR) + "/" + kind + "_events_v1.json");
    EXPECT_TRUE(file) << kind;
    std::stringstream text;
    text << file.rdbuf();
    const auto fixture = boost::json::parse(text.str()).as_object();
    int n = 0;
    for (const auto& history : fixture.at("histories").as_array()) {
      const std::string stream = kind + "-v1h" + std::to_string(++n);
      std::string previous;
      std::int64_t version = 0;
      for (const auto& e : history.at("events").as_array()) {
        RecordedEvent r;
        r.stream = stream;
        r.version = ++version;
        r.position = ++position;
        r.type = std::string(e.at("type").as_string());
        r.schema_version = static_cast<int>(e.at("schema_version").as_int64());
        r.data = e.at("data").as_object();
        r.metadata = {
            "olivia", "officer", "c" + std::to_string(position), "c" + std::to_string(position),
            "",       at};
        at += std::chrono::hours(1);
        r.hash = ChainHash(previous, r);
        previous = r.hash;
        out.push_back(std::move(r));
      }
    }
  }
  return out;
}

TEST(ReleasedHistory, AStoreWrittenWithVersionOneShapesFoldsProjectsAndRebuilds) {
  PgSchema schema;
  auto clock = MakeSystemClock();
  auto store = postgres::MakePostgresEventStore(schema.conninfo(), *clock);
  const auto history = ReleasedHistories();
  ASSERT_GT(history.size(), 40u);
  auto imported = store->Import(history);
  ASSERT_TRUE(imported) << imported.error().message;

  // Every stream folds with this build's workflows.
  auto ids = MakeRandomIdGenerator();
  CommandHandler handler(*store, workflows::TheDomain(), *clock, *ids);
  std::set<std::string> streams;
  for (const auto& e : history) streams.insert(e.stream);
  for (const auto& stream : streams) {
    auto folded = handler.Load(stream);
    ASSERT_TRUE(folded) << stream << ": " << folded.error().message;
    EXPECT_GT(folded->version, 0) << stream;
  }

  // The read models take every event, and a rebuild from history agrees.
  auto read_models = postgres::MakePostgresReadModelStore(schema.conninfo());
  projections::Projector projector(*read_models, *store, workflows::AllWorkflows());
  auto all = store->ReadAll({}, 10000);
  ASSERT_TRUE(all);
  auto applied = projector.Apply(*all);
  ASSERT_TRUE(applied) << applied.error().message;
  EXPECT_EQ(applied->applied, history.size());
  auto check =
      projections::Rebuild(*read_models, *store, workflows::AllWorkflows(), {{}, true, {}});
  ASSERT_TRUE(check) << check.error().message;
  EXPECT_TRUE(check->differences.empty()) << check->differences.front().examples.front();
  EXPECT_EQ(schema.Exec("SELECT status FROM rm_plans WHERE plan_id = 'v1h1'"), "completed")
      << "a plan completed under version 1's rules stays completed";
}

}  // namespace
}  // namespace waymark::testing
