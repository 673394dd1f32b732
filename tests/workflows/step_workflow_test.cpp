// The sustainability-step workflow against its table, DESIGN.md's cycle,
// its role rules, its validation and its frozen events.

#include "workflows/step/step_workflow.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <fstream>
#include <sstream>

#include "tests/workflows/refusals.hpp"
#include "tests/workflows/released_events.hpp"
#include "tests/workflows/table_walk.hpp"

namespace waymark::workflows {
namespace {

const Timestamp kNow = *ParseRfc3339("2026-11-26T09:00:00Z");

CommandRequest Valid(const std::string& type) {
  static const std::map<std::string, boost::json::object> kData = {
      {"IdentifyStep",
       {{"network_id", "ne"},
        {"plan_id", "p1"},
        {"kind", "income"},
        {"description", "Sell training to the council"}}},
      {"PlanStep", {{"target", "Two paid workshops by March"}}},
      {"EmbedStep", {{"evidence", "Workshop fees in the accounts"}}},
      {"ReviewStep", {{"outcome", "Covered a quarter of running costs"}}},
      {"DeferStep", {{"reason", "coordinator on leave"}}},
      {"DropStep", {{"reason", "council changed its procurement"}}},
  };
  auto it = kData.find(type);
  return {"step-s1",    type, it == kData.end() ? boost::json::object{} : it->second,
          std::nullopt, "",   {"olivia", "officer", ""},
          "",           ""};
}
Timestamp At(const std::string&) { return kNow; }

std::unique_ptr<WorkflowState> Replay(const std::vector<std::string>& commands) {
  return testing::Replay(StepWorkflow(), commands, Valid, At);
}

TEST(StepWorkflow, EveryCommandInEveryReachableStateDoesWhatTheTableSays) {
  const auto states = testing::WalkEveryCommandInEveryState(StepWorkflow(), Valid, At);
  EXPECT_EQ(states, (std::set<std::string>{"unidentified", "identified", "planned", "underway",
                                           "embedded", "reviewed", "deferred", "dropped"}));
}

TEST(StepWorkflow, TheTableIsTheCycleOfTheDesign) {
  std::set<std::tuple<std::string, std::string, std::string>> expected = {
      {"unidentified", "IdentifyStep", "identified"},
      {"identified", "PlanStep", "planned"},
      {"planned", "BeginStep", "underway"},
      {"underway", "EmbedStep", "embedded"},
      {"embedded", "ReviewStep", "reviewed"},
      {"reviewed", "PlanStep", "planned"},  // the next cycle
      {"deferred", "PlanStep", "planned"},  // taken up again
  };
  for (const char* s : {"identified", "planned", "underway"})
    expected.insert({s, "DeferStep", "deferred"});
  for (const char* s : {"identified", "planned", "underway", "embedded", "reviewed", "deferred"}) {
    expected.insert({s, "DropStep", "dropped"});
  }
  EXPECT_EQ(testing::Triples(StepWorkflow()), expected);
}

TEST(StepWorkflow, ACycleCountsItsReviews) {
  auto state = Replay({"IdentifyStep", "PlanStep", "BeginStep", "EmbedStep", "ReviewStep",
                       "PlanStep", "BeginStep", "EmbedStep", "ReviewStep"});
  const auto json = state->ToJson();
  EXPECT_EQ(json.at("state").as_string(), "reviewed");
  EXPECT_EQ(json.at("cycles").as_int64(), 2);
  EXPECT_EQ(json.at("kind").as_string(), "income");
  EXPECT_EQ(state->network_id(), "ne");
}

TEST(StepWorkflow, ANetworkProgressesItsStepsAndOfficersDoTheRest) {
  auto planned = Replay({"IdentifyStep", "PlanStep"});
  EXPECT_TRUE(testing::DecideAs(*planned, Valid("BeginStep"), "network", kNow));
  testing::ExpectForbidden(*planned, Valid, {{"BeginStep", "system"}, {"BeginStep", "auditor"}},
                           kNow);
}

TEST(StepWorkflow, BadDataNamesTheFieldAndWhatIsAccepted) {
  auto fresh = StepWorkflow().NewState("s1");
  auto kind = Valid("IdentifyStep");
  kind.data["kind"] = "fundraising";
  auto r = fresh->Decide(kind, kNow);
  ASSERT_FALSE(r);
  EXPECT_NE(
      r.error().message.find(
          "field 'kind' must be one of structure, income, improvement, partnership, investment"),
      std::string::npos)
      << r.error().message;
  auto no_plan = Valid("IdentifyStep");
  no_plan.data.erase("plan_id");
  auto ok = fresh->Decide(no_plan, kNow);
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_FALSE(ok->front().data.as_object().contains("plan_id"));
  auto bad_plan = Valid("IdentifyStep");
  bad_plan.data["plan_id"] = "p/1";
  EXPECT_FALSE(fresh->Decide(bad_plan, kNow));
}

TEST(StepWorkflow, EventsAsReleasedStillLoad) { testing::ExpectReleasedEventsLoad(StepWorkflow()); }

}  // namespace
}  // namespace waymark::workflows
