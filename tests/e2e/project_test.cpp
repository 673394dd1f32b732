// `waymark project` as an operator runs it, against the real PostgreSQL: the
// policies draft a plan from an approved assessment, the durable timer marks
// a milestone overdue, and running again changes nothing.

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <csignal>
#include <filesystem>
#include <thread>

#include "tests/support/child_process.hpp"
#include "tests/support/pg_schema.hpp"
#include "tests/support/run_command.hpp"
#include "workflows/assessment/assessment_workflow.hpp"

namespace waymark::testing {
namespace {

class Project : public ::testing::Test {
 protected:
  std::vector<std::string> Env() { return {"WAYMARK_PG=" + schema_.conninfo()}; }
  CommandResult Waymark(std::vector<std::string> args) {
    args.insert(args.begin(), WaymarkBinary());
    return RunCommand(args, Env());
  }
  void Do(const std::string& stream, const std::string& type, const std::string& data,
          std::vector<std::string> actor = {"--actor", "olivia", "--role", "officer"}) {
    std::vector<std::string> args{"command", stream, type, "--data", data};
    args.insert(args.end(), actor.begin(), actor.end());
    auto r = Waymark(args);
    ASSERT_EQ(r.exit_code, 0) << type << ": " << r.err << r.out;
  }
  boost::json::object State(const std::string& stream) {
    auto r = Waymark({"replay", stream});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.exit_code == 0 ? boost::json::parse(r.out).at("state").as_object()
                            : boost::json::object{};
  }
  std::string Count() { return schema_.Exec("SELECT count(*) FROM events"); }

  // Network ne with assessment a1 approved: connectivity scored 2, the rest 4.
  void ApproveAnAssessment() {
    const std::vector<std::string> nadia{"--actor", "nadia",     "--role",
                                         "network", "--network", "ne"};
    Do("network-ne", "RegisterNetwork", R"({"name":"Northside","region":"North"})");
    Do("assessment-a1", "StartAssessment", R"({"network_id":"ne","period":"2026"})");
    for (auto d : workflows::kDimensions) {
      Do("assessment-a1", "ScoreDimension",
         R"({"dimension":")" + std::string(d) + R"(","score":)" +
             (d == "connectivity" ? "2" : "4") + R"(,"note":"survey"})",
         nadia);
    }
    Do("assessment-a1", "SubmitAssessment", "{}", nadia);
    Do("assessment-a1", "ApproveAssessment", "{}");
  }

  PgSchema schema_;
};

TEST_F(Project, OnceDraftsThePlanFiresDueTimersAndChangesNothingTheSecondTime) {
  ApproveAnAssessment();
  auto first = Waymark({"project", "--once"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.out.find("applied 3 commands (0 refused)"), std::string::npos) << first.out;
  auto plan = State("plan-a1");
  EXPECT_EQ(plan.at("state").as_string(), "draft");
  ASSERT_EQ(plan.at("actions").as_array().size(), 1u);
  EXPECT_EQ(plan.at("actions").as_array()[0].at("theme").as_string(), "information_flow");
  EXPECT_EQ(State("network-ne").at("last_assessment").at("assessment_id").as_string(), "a1");

  // A milestone due long ago: the timer set for it is due at once.
  Do("milestone-m1", "ScheduleMilestone",
     R"({"plan_id":"a1","network_id":"ne","action_id":"connectivity","title":"Newsletter","due":"2026-01-15"})");
  auto second = Waymark({"project", "--once"});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(second.out.find("timers fired 1"), std::string::npos) << second.out;
  EXPECT_EQ(State("milestone-m1").at("state").as_string(), "overdue");
  EXPECT_EQ(State("plan-a1").at("milestones").at("m1").as_string(), "open");
  auto history = Waymark({"history", "milestone-m1"});
  EXPECT_NE(history.out.find("waymark/milestone-overdue (system)  MilestoneOverdue"),
            std::string::npos)
      << history.out;

  const std::string events = Count();
  auto third = Waymark({"project", "--once"});
  ASSERT_EQ(third.exit_code, 0) << third.err;
  EXPECT_NE(third.out.find("reacted to 0 events, applied 0 commands (0 refused); timers fired 0"),
            std::string::npos)
      << third.out;
  EXPECT_EQ(Count(), events);
  EXPECT_EQ(schema_.Exec("SELECT count(*) FROM waymark_timers"), "0");
}

TEST_F(Project, FollowingKeepsReadModelsAndPoliciesUpToDateUntilStopped) {
  const std::string log =
      (std::filesystem::temp_directory_path() / ("waymark-project-" + schema_.name() + ".log"))
          .string();
  ChildProcess project({WaymarkBinary(), "project"}, Env(), log);
  ApproveAnAssessment();
  std::string drafted;
  for (int i = 0; i < 100 && drafted != "1"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    drafted = schema_.Exec("SELECT count(*) FROM events WHERE type = 'PlanDrafted'");
  }
  EXPECT_EQ(drafted, "1") << ReadFile(log);
  // The read models follow too, the plan the policy drafted included.
  std::string plan;
  for (int i = 0; i < 100 && plan != "draft"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    plan = schema_.Exec("SELECT status FROM rm_plans WHERE plan_id = 'a1'");
  }
  EXPECT_EQ(plan, "draft") << ReadFile(log);
  project.Kill(SIGTERM);
  EXPECT_EQ(project.Wait(), 0) << ReadFile(log);
  EXPECT_NE(ReadFile(log).find("project: read models applied"), std::string::npos);
}

TEST_F(Project, HelpSaysWhatItRuns) {
  auto help = Waymark({"project", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--once"), std::string::npos) << help.out;
  auto bad = Waymark({"project", "--sometimes"});
  EXPECT_EQ(bad.exit_code, 2);
}

}  // namespace
}  // namespace waymark::testing
