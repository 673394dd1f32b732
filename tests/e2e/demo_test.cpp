// `waymark demo` on a fresh schema: the programme it seeds through the
// command handler, with the engine's policies and timers run between steps.

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <set>

#include "tests/support/pg_schema.hpp"
#include "tests/support/run_command.hpp"

namespace waymark::testing {
namespace {

CommandResult Waymark(const PgSchema& schema, std::vector<std::string> args) {
  args.insert(args.begin(), WaymarkBinary());
  return RunCommand(args, {"WAYMARK_PG=" + schema.conninfo()});
}

std::set<std::string> Column(const PgSchema& schema, const std::string& sql) {
  std::set<std::string> out;
  const std::string all = schema.Exec("SELECT string_agg(v, ',') FROM (" + sql + ") q(v)");
  std::size_t start = 0;
  while (start <= all.size() && !all.empty()) {
    const auto comma = all.find(',', start);
    out.insert(all.substr(start, comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

TEST(Demo, SeedsALivingProgrammeOnceAndTheSameForASeed) {
  PgSchema schema;
  auto demo = Waymark(schema, {"demo", "--seed", "7"});
  ASSERT_EQ(demo.exit_code, 0) << demo.err << demo.out;
  auto project = Waymark(schema, {"project", "--once"});
  ASSERT_EQ(project.exit_code, 0) << project.err;

  auto networks = Waymark(schema, {"networks", "--format", "json"});
  ASSERT_EQ(networks.exit_code, 0) << networks.err;
  const auto rows = boost::json::parse(networks.out).as_array();
  EXPECT_GE(rows.size(), 8u);
  std::set<std::string> officers, regions, stages;
  for (const auto& r : rows) {
    officers.insert(std::string(r.at("officer").as_string()));
    regions.insert(std::string(r.at("region").as_string()));
    stages.insert(std::string(r.at("stage").as_string()));
  }
  EXPECT_EQ(officers, (std::set<std::string>{"olivia", "oscar", "priya"}));
  EXPECT_GE(regions.size(), 8u);
  EXPECT_GE(stages.size(), 3u);
  // Milestones in every state the queue and the report show; the overdue ones by the timer.
  EXPECT_EQ(Column(schema, "SELECT DISTINCT status FROM rm_milestones"),
            (std::set<std::string>{"achieved", "at_risk", "cancelled", "in_progress", "overdue",
                                   "planned"}));
  EXPECT_EQ(schema.Exec("SELECT DISTINCT metadata->>'actor' FROM events WHERE type = "
                        "'MilestoneOverdue'"),
            "waymark/milestone-overdue");
  EXPECT_NE(schema.Exec("SELECT count(*) FROM rm_milestones WHERE on_time = false"), "0");
  EXPECT_NE(schema.Exec("SELECT count(*) FROM events WHERE type = 'EvidenceRejected'"), "0");
  EXPECT_NE(schema.Exec("SELECT count(*) FROM events WHERE type = 'MilestoneRescheduled'"), "0");
  // Plans drafted by the policy, one returned, agreed and active, one completed, one abandoned.
  EXPECT_EQ(schema.Exec("SELECT DISTINCT metadata->>'actor' FROM events WHERE type = "
                        "'PlanDrafted'"),
            "waymark/assessment-approved");
  EXPECT_NE(schema.Exec("SELECT count(*) FROM events WHERE type = 'PlanReturned'"), "0");
  EXPECT_EQ(Column(schema, "SELECT DISTINCT status FROM rm_plans"),
            (std::set<std::string>{"abandoned", "active", "completed", "draft"}));
  // Two rounds for most networks, one returned for changes; steps reviewed; the outcomes.
  EXPECT_GE(std::stoi(schema.Exec("SELECT count(*) FROM rm_assessments WHERE status = "
                                  "'approved'")),
            15);
  EXPECT_EQ(schema.Exec("SELECT count(*) FROM events WHERE type = 'AssessmentReturned'"), "1");
  EXPECT_NE(schema.Exec("SELECT count(*) FROM events WHERE type = 'StepReviewed'"), "0");
  EXPECT_EQ(Column(schema, "SELECT DISTINCT outcome FROM rm_outcomes"),
            (std::set<std::string>{"opportunity", "referral", "representation"}));

  // A store that holds events is refused, and nothing is added.
  const std::string held = schema.Exec("SELECT count(*) FROM events");
  auto again = Waymark(schema, {"demo"});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.err.find("already holds"), std::string::npos) << again.err;
  EXPECT_EQ(schema.Exec("SELECT count(*) FROM events"), held);

  // The same seed, the same programme.
  PgSchema other;
  ASSERT_EQ(Waymark(other, {"demo", "--seed", "7"}).exit_code, 0);
  const std::string shape =
      "SELECT md5(string_agg(stream || ':' || version || ':' || type || ':' || "
      "(data - 'submitted_at' - 'detected_at' - 'submitted_by' - 'verified_by')::text, ',' "
      "ORDER BY stream, version)) FROM (SELECT stream, version, type, data::jsonb AS data FROM "
      "events) e";
  EXPECT_EQ(other.Exec(shape), schema.Exec(shape));
}

}  // namespace
}  // namespace waymark::testing
