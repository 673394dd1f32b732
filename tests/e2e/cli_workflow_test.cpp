// `waymark command`, `replay` and `workflows` as people run them, against the
// real PostgreSQL.

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "tests/support/pg_schema.hpp"
#include "tests/support/run_command.hpp"

namespace waymark::testing {
namespace {

class CliWorkflow : public ::testing::Test {
 protected:
  CommandResult Waymark(std::vector<std::string> args) {
    args.insert(args.begin(), WaymarkBinary());
    return RunCommand(args, {"WAYMARK_PG=" + schema_.conninfo()});
  }
  CommandResult Officer(const std::string& type, const std::string& data = "{}",
                        std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"command", "milestone-m1", type,     "--data", data,
                                  "--actor", "olivia",       "--role", "officer"};
    args.insert(args.end(), extra.begin(), extra.end());
    return Waymark(args);
  }
  // The network, assessment and plan the milestone names.
  void SetUp() override {
    for (
        const auto& [stream, type, data] :
        {std::tuple{"network-ne", "RegisterNetwork", R"({"name":"Northside","region":"North"})"},
         std::tuple{"assessment-a1", "StartAssessment", R"({"network_id":"ne","period":"2026"})"},
         std::tuple{"plan-p1", "DraftPlan", R"({"network_id":"ne","assessment_id":"a1"})"},
         std::tuple{
             "plan-p1", "AddAction",
             R"({"action_id":"newsletter","theme":"information_flow","description":"A monthly newsletter","owner":"network"})"}}) {
      auto r = Waymark(
          {"command", stream, type, "--data", data, "--actor", "olivia", "--role", "officer"});
      ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
    }
  }
  static boost::json::object Json(const std::string& text) {
    return boost::json::parse(text).as_object();
  }

  PgSchema schema_;
  const std::string schedule_ =
      R"({"plan_id":"p1","network_id":"ne","action_id":"newsletter","title":"Launch the newsletter","due":"2026-12-31"})";
};

TEST_F(CliWorkflow, CommandsRunThroughTheHandlerAndPrintTheResult) {
  auto scheduled = Officer("ScheduleMilestone", schedule_, {"--idempotency-key", "schedule-m1"});
  ASSERT_EQ(scheduled.exit_code, 0) << scheduled.err << scheduled.out;
  auto result = Json(scheduled.out);
  EXPECT_EQ(result.at("version").as_int64(), 1);
  EXPECT_EQ(result.at("events").as_array()[0].at("type").as_string(), "MilestoneScheduled");
  EXPECT_EQ(result.at("events").as_array()[0].at("metadata").at("actor").as_string(), "olivia");

  auto again = Officer("ScheduleMilestone", schedule_, {"--idempotency-key", "schedule-m1"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_TRUE(Json(again.out).at("replayed").as_bool());

  auto started = Waymark({"command", "milestone-m1", "StartMilestone", "--actor", "nadia", "--role",
                          "network", "--network", "ne"});
  ASSERT_EQ(started.exit_code, 0) << started.err << started.out;
  EXPECT_EQ(schema_.Exec("SELECT count(*) FROM events WHERE stream = 'milestone-m1'"), "2");
}

TEST_F(CliWorkflow, RefusalsPrintAProblemAndExitOne) {
  ASSERT_EQ(Officer("ScheduleMilestone", schedule_).exit_code, 0);
  auto early = Officer("VerifyMilestone");
  EXPECT_EQ(early.exit_code, 1);
  auto problem = Json(early.out);
  EXPECT_EQ(problem.at("status").as_int64(), 422);
  EXPECT_EQ(
      problem.at("allowed"),
      boost::json::parse(
          R"(["StartMilestone","MarkMilestoneOverdue","RescheduleMilestone","CancelMilestone"])"));
  EXPECT_NE(early.err.find("VerifyMilestone is not allowed while the milestone is planned"),
            std::string::npos)
      << early.err;

  auto bad = Officer("CancelMilestone", R"({"reason":""})");
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_EQ(Json(bad.out).at("status").as_int64(), 400);
  EXPECT_NE(bad.err.find("field 'reason' must be a text of 1-1000 characters"), std::string::npos);

  auto stale = Officer("StartMilestone", "{}", {"--expected-version", "0"});
  EXPECT_EQ(stale.exit_code, 1);
  EXPECT_EQ(Json(stale.out).at("status").as_int64(), 409);

  auto no_plan = Waymark(
      {"command", "milestone-m2", "ScheduleMilestone", "--data",
       R"({"plan_id":"p9","network_id":"ne","action_id":"x","title":"T","due":"2026-12-31"})",
       "--actor", "olivia", "--role", "officer"});
  EXPECT_EQ(no_plan.exit_code, 1);
  EXPECT_EQ(Json(no_plan.out).at("status").as_int64(), 404);
  EXPECT_NE(no_plan.err.find("field 'plan_id' names plan-p9, which does not exist"),
            std::string::npos)
      << no_plan.err;

  auto other_network = Waymark({"command", "milestone-m1", "StartMilestone", "--actor", "sam",
                                "--role", "network", "--network", "sw"});
  EXPECT_EQ(other_network.exit_code, 1);
  EXPECT_EQ(Json(other_network.out).at("status").as_int64(), 404);  // existence never leaks
  EXPECT_EQ(schema_.Exec("SELECT count(*) FROM events WHERE stream = 'milestone-m1'"), "1");
}

TEST_F(CliWorkflow, BadUsageExitsTwo) {
  auto no_role = Waymark({"command", "milestone-m1", "StartMilestone", "--actor", "olivia"});
  EXPECT_EQ(no_role.exit_code, 2);
  EXPECT_NE(no_role.err.find("--role"), std::string::npos) << no_role.err;
  auto no_network = Waymark(
      {"command", "milestone-m1", "StartMilestone", "--actor", "nadia", "--role", "network"});
  EXPECT_EQ(no_network.exit_code, 2);
  EXPECT_NE(no_network.err.find("--network"), std::string::npos);
  auto not_json = Officer("CancelMilestone", "reason=none");
  EXPECT_EQ(not_json.exit_code, 2);
  EXPECT_NE(not_json.err.find("--data must be a JSON object"), std::string::npos);
}

TEST_F(CliWorkflow, ReplayFoldsTheStreamAsOfAVersionOrATime) {
  ASSERT_EQ(Officer("ScheduleMilestone", schedule_).exit_code, 0);
  ASSERT_EQ(Officer("StartMilestone").exit_code, 0);
  auto now = Waymark({"replay", "milestone-m1"});
  ASSERT_EQ(now.exit_code, 0) << now.err;
  EXPECT_EQ(Json(now.out).at("state").at("state").as_string(), "in_progress");
  auto first = Waymark({"replay", "milestone-m1", "--to-version", "1"});
  ASSERT_EQ(first.exit_code, 0);
  EXPECT_EQ(Json(first.out).at("state").at("state").as_string(), "planned");
  EXPECT_EQ(Json(first.out).at("state").at("title").as_string(), "Launch the newsletter");
  auto before = Waymark({"replay", "milestone-m1", "--as-of", "2000-01-01T00:00:00Z"});
  EXPECT_EQ(before.exit_code, 1);
  EXPECT_EQ(Json(before.out).at("status").as_int64(), 404);
  auto unknown = Waymark({"replay", "milestone-nowhere"});
  EXPECT_EQ(unknown.exit_code, 1);
  auto bad_time = Waymark({"replay", "milestone-m1", "--as-of", "yesterday"});
  EXPECT_EQ(bad_time.exit_code, 2);
}

TEST_F(CliWorkflow, ReplayANetworkFoldsEachOfItsStreamsAsOfATime) {
  const std::string before = schema_.Exec(
      "SELECT to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') "
      "FROM events WHERE stream = 'plan-p1'");
  ASSERT_EQ(Officer("ScheduleMilestone", schedule_).exit_code, 0);
  auto now = Waymark({"replay", "--network", "ne"});
  ASSERT_EQ(now.exit_code, 0) << now.err;
  auto network = Json(now.out);
  EXPECT_EQ(network.at("network").at("state").at("name").as_string(), "Northside");
  EXPECT_EQ(network.at("assessments").as_array().size(), 1u);
  EXPECT_EQ(network.at("plans").as_array()[0].at("stream").as_string(), "plan-p1");
  EXPECT_EQ(network.at("milestones").as_array().size(), 1u);
  auto then = Waymark({"replay", "--network", "ne", "--as-of", before});
  ASSERT_EQ(then.exit_code, 0) << then.err;
  EXPECT_TRUE(Json(then.out).at("milestones").as_array().empty()) << then.out;
  EXPECT_EQ(Json(then.out).at("as_of").as_string(), before);
  auto unknown = Waymark({"replay", "--network", "nowhere"});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_EQ(Json(unknown.out).at("status").as_int64(), 404);
  EXPECT_EQ(Waymark({"replay", "network-ne", "--network", "ne"}).exit_code, 2);
  EXPECT_EQ(Waymark({"replay", "--network", "ne", "--to-version", "2"}).exit_code, 2);
}

TEST_F(CliWorkflow, WorkflowsPrintsDiagramsFromTheTransitionTable) {
  auto dot = Waymark({"workflows", "milestone"});
  ASSERT_EQ(dot.exit_code, 0);
  EXPECT_NE(dot.out.find("digraph milestone {"), std::string::npos);
  EXPECT_NE(dot.out.find("evidence_submitted -> achieved [label=\"VerifyMilestone\"];"),
            std::string::npos)
      << dot.out;
  auto mermaid = Waymark({"workflows", "--format", "mermaid"});
  ASSERT_EQ(mermaid.exit_code, 0);
  EXPECT_NE(mermaid.out.find("stateDiagram-v2"), std::string::npos);
  EXPECT_NE(mermaid.out.find("overdue --> in_progress : RescheduleMilestone"), std::string::npos);
  auto unknown = Waymark({"workflows", "spaceship"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("known: network, assessment, plan, milestone, step"),
            std::string::npos)
      << unknown.err;
}

}  // namespace
}  // namespace waymark::testing
