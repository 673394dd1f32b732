// `waymark networks` and `waymark milestones`: an officer's caseload from the
// read models, filtered, in three formats; bad filters refused with what is
// accepted.

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "tests/support/pg_schema.hpp"
#include "tests/support/run_command.hpp"

namespace waymark::testing {
namespace {

class Caseload : public ::testing::Test {
 protected:
  CommandResult Waymark(std::vector<std::string> args) {
    args.insert(args.begin(), WaymarkBinary());
    return RunCommand(args, {"WAYMARK_PG=" + schema_.conninfo()});
  }
  void Do(const std::string& stream, const std::string& type, const std::string& data) {
    auto r = Waymark(
        {"command", stream, type, "--data", data, "--actor", "olivia", "--role", "officer"});
    ASSERT_EQ(r.exit_code, 0) << type << " on " << stream << ": " << r.err << r.out;
  }
  // Three networks in two caseloads; a plan with milestones in three states.
  void SetUp() override {
    Do("network-ne", "RegisterNetwork", R"({"name":"Northside","region":"North"})");
    Do("network-ne", "AssignOfficer", R"({"officer":"olivia"})");
    Do("network-fi", "RegisterNetwork",
       R"({"name":"Fife LSEN","region":"Fife","stage":"participation","basis":"joint contracts"})");
    Do("network-fi", "AssignOfficer", R"({"officer":"olivia"})");
    Do("network-bo", "RegisterNetwork", R"({"name":"Borders, \"East\"","region":"Borders"})");
    Do("network-bo", "AssignOfficer", R"({"officer":"oscar"})");
    Do("assessment-a1", "StartAssessment", R"({"network_id":"ne","period":"2026"})");
    Do("plan-p1", "DraftPlan", R"({"network_id":"ne","assessment_id":"a1"})");
    Do("plan-p1", "AddAction",
       R"({"action_id":"news","theme":"information_flow","description":"A newsletter","owner":"network"})");
    for (const auto& [id, due] : {std::pair{"m1", "2026-12-01"}, std::pair{"m2", "2027-02-01"},
                                  std::pair{"m3", "2027-03-01"}}) {
      Do(std::string("milestone-") + id, "ScheduleMilestone",
         std::string(R"({"plan_id":"p1","network_id":"ne","action_id":"news","title":"Issue )") +
             id + R"(","due":")" + due + R"("})");
    }
    Do("milestone-m2", "StartMilestone", "{}");
    Do("milestone-m3", "CancelMilestone", R"({"reason":"merged"})");
    auto project = Waymark({"project", "--once"});
    ASSERT_EQ(project.exit_code, 0) << project.err;
  }
  PgSchema schema_;
};

TEST_F(Caseload, NetworksFilteredByOfficerStageAndRegionInThreeFormats) {
  auto mine = Waymark({"networks", "--officer", "olivia", "--format", "json"});
  ASSERT_EQ(mine.exit_code, 0) << mine.err;
  const auto rows = boost::json::parse(mine.out).as_array();
  ASSERT_EQ(rows.size(), 2u);  // by name: Fife, Northside
  EXPECT_EQ(rows[0].at("network_id").as_string(), "fi");
  EXPECT_EQ(rows[0].at("stage").as_string(), "participation");
  EXPECT_EQ(rows[1].at("network_id").as_string(), "ne");
  EXPECT_EQ(rows[1].at("open_milestones").as_int64(), 2);

  auto stage = Waymark({"networks", "--stage", "startup", "--format", "json"});
  ASSERT_EQ(stage.exit_code, 0) << stage.err;
  EXPECT_EQ(boost::json::parse(stage.out).as_array().size(), 2u);  // Borders, Northside
  auto region = Waymark({"networks", "--region", "Fife", "--format", "json"});
  EXPECT_EQ(boost::json::parse(region.out).as_array().size(), 1u);

  auto table = Waymark({"networks", "--officer", "oscar"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_EQ(table.out.rfind("network_id  name", 0), 0u) << table.out;
  EXPECT_NE(table.out.find("Borders, \"East\""), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("(1 row)"), std::string::npos) << table.out;

  auto csv = Waymark({"networks", "--officer", "oscar", "--format", "csv"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_EQ(csv.out.substr(0, csv.out.find("\r\n")),
            "network_id,name,region,stage,status,officer,members,active_members,open_milestones,"
            "overdue_milestones,latest_assessment_id");
  EXPECT_NE(csv.out.find("bo,\"Borders, \"\"East\"\"\",Borders,startup,startup,oscar"),
            std::string::npos)
      << csv.out;
}

TEST_F(Caseload, MilestonesFilteredByNetworkStatusAndDueDate) {
  auto all = Waymark({"milestones", "--network", "ne", "--format", "json"});
  ASSERT_EQ(all.exit_code, 0) << all.err;
  const auto rows = boost::json::parse(all.out).as_array();
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].at("milestone_id").as_string(), "m1");  // by due date
  EXPECT_EQ(rows[0].at("action_id").as_string(), "news");
  EXPECT_EQ(rows[0].at("original_due").as_string(), "2026-12-01");

  auto started = Waymark({"milestones", "--status", "in_progress", "--format", "json"});
  ASSERT_EQ(started.exit_code, 0) << started.err;
  const auto in_progress = boost::json::parse(started.out).as_array();
  ASSERT_EQ(in_progress.size(), 1u);
  EXPECT_EQ(in_progress[0].at("milestone_id").as_string(), "m2");

  auto soon = Waymark(
      {"milestones", "--officer", "olivia", "--due-before", "2027-02-15", "--format", "json"});
  ASSERT_EQ(soon.exit_code, 0) << soon.err;
  EXPECT_EQ(boost::json::parse(soon.out).as_array().size(), 2u);  // m1, m2
  auto none = Waymark({"milestones", "--officer", "oscar", "--format", "json"});
  EXPECT_TRUE(boost::json::parse(none.out).as_array().empty());
}

TEST_F(Caseload, BadFiltersAreRefusedNamingWhatIsAccepted) {
  auto status = Waymark({"milestones", "--status", "late"});
  EXPECT_EQ(status.exit_code, 2);
  EXPECT_NE(status.err.find("--status 'late' is not one of planned, in_progress"),
            std::string::npos)
      << status.err;
  EXPECT_NE(status.err.find("overdue"), std::string::npos) << status.err;
  auto date = Waymark({"milestones", "--due-before", "next week"});
  EXPECT_EQ(date.exit_code, 2);
  EXPECT_NE(date.err.find("expected YYYY-MM-DD"), std::string::npos) << date.err;
  auto stage = Waymark({"networks", "--stage", "mature"});
  EXPECT_EQ(stage.exit_code, 2);
  EXPECT_NE(stage.err.find("not one of startup, development, participation, growth"),
            std::string::npos)
      << stage.err;
  auto format = Waymark({"networks", "--format", "xml"});
  EXPECT_EQ(format.exit_code, 2);
  EXPECT_NE(format.err.find("table, json or csv"), std::string::npos) << format.err;
}

}  // namespace
}  // namespace waymark::testing
