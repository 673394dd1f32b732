// The action plan workflow against its table, DESIGN.md's rules (two
// distinct agreements; every milestone closed before completing), roles,
// validation and its frozen events.

#include "workflows/plan/plan_workflow.hpp"

#include <gtest/gtest.h>

#include "tests/workflows/refusals.hpp"
#include "tests/workflows/released_events.hpp"
#include "tests/workflows/table_walk.hpp"
#include "workflows/assessment/assessment_workflow.hpp"

namespace waymark::workflows {
namespace {

const Timestamp kNow = *ParseRfc3339("2026-11-26T09:00:00Z");

CommandRequest Valid(const std::string& type) {
  boost::json::object data;
  Actor actor{"olivia", "officer", ""};
  if (type == "DraftPlan") data = {{"network_id", "ne"}, {"assessment_id", "a1"}};
  if (type == "AddAction") {
    data = {{"action_id", "act1"},
            {"theme", "brokering"},
            {"dimension", "connectivity"},
            {"description", "Pair each new member with an established one"},
            {"owner", "Northside coordinator"}};
  }
  if (type == "RemoveAction") data = {{"action_id", "act1"}};
  if (type == "DropAction") data = {{"action_id", "act1"}, {"reason", "the partner withdrew"}};
  if (type == "RevisePlan" || type == "AbandonPlan" || type == "ReturnPlan")
    data = {{"reason", "funding changed"}};
  if (type == "TrackMilestone") {
    data = {{"milestone_id", "m1"}, {"status", "open"}, {"action_id", "act1"}};
    actor = {"waymark/milestone-tracking", "system", ""};
  }
  return {"plan-p1", type, data, std::nullopt, "", actor, "", ""};
}
CommandRequest AsNetwork(CommandRequest c) {
  c.actor = {"nadia", "network", "ne"};
  return c;
}
CommandRequest Tracked(const std::string& milestone, const std::string& status,
                       const std::string& action = "act1") {
  auto c = Valid("TrackMilestone");
  c.data = {{"milestone_id", milestone}, {"status", status}, {"action_id", action}};
  return c;
}
Timestamp At(const std::string&) { return kNow; }

std::vector<CommandRequest> Requests(const std::vector<std::string>& types) {
  std::vector<CommandRequest> out;
  for (const auto& t : types) out.push_back(Valid(t));
  return out;
}
const std::vector<std::string> kToProposed = {"DraftPlan", "AddAction", "ProposePlan"};
std::vector<CommandRequest> ToActive() {
  auto path = Requests(kToProposed);
  path.push_back(AsNetwork(Valid("AgreePlan")));
  path.push_back(Valid("AgreePlan"));
  path.push_back(Valid("ActivatePlan"));
  return path;
}

// Proposing and removing need an action; the agreement that completes needs
// the other party's first.
std::vector<CommandRequest> Prepare(std::vector<CommandRequest> path, const Transition& row) {
  if (row.command == "ProposePlan" || row.command == "RemoveAction")
    path.push_back(Valid("AddAction"));
  if (row.command == "AgreePlan" && row.to == "agreed")
    path.push_back(AsNetwork(Valid("AgreePlan")));
  if (row.command == "CompletePlan") {  // a milestone that delivered the action
    path.push_back(Tracked("m1", "open"));
    path.push_back(Tracked("m1", "achieved"));
  }
  return path;
}

std::unique_ptr<WorkflowState> Replay(const std::vector<CommandRequest>& commands) {
  return testing::Replay(PlanWorkflow(), commands, At);
}

TEST(PlanWorkflow, EveryCommandInEveryReachableStateDoesWhatTheTableSays) {
  const auto states = testing::WalkEveryCommandInEveryState(PlanWorkflow(), Valid, At, Prepare);
  EXPECT_EQ(states, (std::set<std::string>{"undrafted", "draft", "proposed", "agreed", "active",
                                           "completed", "abandoned"}));
}

TEST(PlanWorkflow, TheTableIsThePlanOfTheDesign) {
  std::set<std::tuple<std::string, std::string, std::string>> expected = {
      {"undrafted", "DraftPlan", "draft"},
      {"draft", "AddAction", "draft"},
      {"draft", "RemoveAction", "draft"},
      {"draft", "ProposePlan", "proposed"},
      {"proposed", "AgreePlan", "proposed"},
      {"proposed", "AgreePlan", "agreed"},
      {"agreed", "ActivatePlan", "active"},
      {"active", "RevisePlan", "draft"},
      {"active", "CompletePlan", "completed"},
      {"proposed", "ReturnPlan", "draft"},  // by either party, agreements cleared
      {"active", "DropAction", "active"},
  };
  for (const char* open : {"draft", "proposed", "agreed", "active"})
    expected.insert({open, "AbandonPlan", "abandoned"});
  for (const char* s : {"draft", "proposed", "agreed", "active", "completed", "abandoned"})
    expected.insert({s, "TrackMilestone", s});
  EXPECT_EQ(testing::Triples(PlanWorkflow()), expected);
}

TEST(PlanWorkflow, AgreementNeedsTheOfficerAndTheNetworkEachOnce) {
  auto path = Requests(kToProposed);
  path.push_back(Valid("AgreePlan"));  // the officer first
  auto one = Replay(path);
  EXPECT_EQ(testing::StateOf(*one), "proposed");
  auto again = one->Decide(Valid("AgreePlan"), kNow);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kNotAllowed);
  EXPECT_NE(again.error().message.find("the officer has already agreed (olivia); the network must "
                                       "agree too"),
            std::string::npos)
      << again.error().message;
  auto other_officer = Valid("AgreePlan");
  other_officer.actor.name = "oscar";
  EXPECT_FALSE(one->Decide(other_officer, kNow)) << "two officers are not two parties";

  path.push_back(AsNetwork(Valid("AgreePlan")));
  auto both = Replay(path);
  EXPECT_EQ(testing::StateOf(*both), "agreed");
  const auto agreements = both->ToJson().at("agreements").as_object();
  EXPECT_EQ(agreements.at("officer").as_string(), "olivia");
  EXPECT_EQ(agreements.at("network").as_string(), "nadia");
}

TEST(PlanWorkflow, CompletingNeedsMilestonesClosedOneAchievedAndEveryActionDeliveredOrDropped) {
  auto path = ToActive();  // one action, act1
  auto refused_empty = Replay(path)->Decide(Valid("CompletePlan"), kNow);
  ASSERT_FALSE(refused_empty);
  EXPECT_NE(refused_empty.error().message.find("no milestone of the plan was achieved"),
            std::string::npos)
      << refused_empty.error().message;
  path.push_back(Tracked("m1", "open"));
  path.push_back(Tracked("m2", "open"));
  path.push_back(Tracked("m2", "achieved"));
  auto state = Replay(path);
  auto refused = state->Decide(Valid("CompletePlan"), kNow);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("achieved or cancelled first; still open: m1"),
            std::string::npos)
      << refused.error().message;
  path.push_back(Tracked("m1", "cancelled"));
  EXPECT_TRUE(Replay(path)->Decide(Valid("CompletePlan"), kNow)) << "m2 delivered act1";

  // A second action that no achieved milestone delivers holds completion
  // until it is dropped with a reason.
  auto two = ToActive();
  two.insert(two.begin() + 2, [] {
    auto c = Valid("AddAction");
    c.data["action_id"] = "act2";
    return c;
  }());
  two.push_back(Tracked("m1", "open"));
  two.push_back(Tracked("m1", "achieved"));
  two.push_back(Tracked("m2", "open", "act2"));
  two.push_back(Tracked("m2", "cancelled", "act2"));
  auto undelivered = Replay(two)->Decide(Valid("CompletePlan"), kNow);
  ASSERT_FALSE(undelivered);
  EXPECT_NE(undelivered.error().message.find("delivered by an achieved milestone or dropped with "
                                             "a reason (DropAction); not yet: act2"),
            std::string::npos)
      << undelivered.error().message;
  auto drop = Valid("DropAction");
  drop.data["action_id"] = "act2";
  two.push_back(drop);
  auto dropped = Replay(two);
  EXPECT_TRUE(dropped->Decide(Valid("CompletePlan"), kNow));
  EXPECT_EQ(dropped->ToJson().at("dropped_actions").at("act2").as_string(), "the partner withdrew");
}

TEST(PlanWorkflow, EitherPartyReturnsAProposalAndTheAgreementsAreCleared) {
  auto path = Requests(kToProposed);
  path.push_back(Valid("AgreePlan"));  // the officer agreed
  auto returned = AsNetwork(Valid("ReturnPlan"));
  returned.data["reason"] = "our members want a mentoring action";
  path.push_back(returned);
  auto state = Replay(path);
  EXPECT_EQ(testing::StateOf(*state), "draft");
  const auto json = state->ToJson();
  EXPECT_TRUE(json.at("agreements").as_object().empty());
  EXPECT_EQ(json.at("return_reason").as_string(), "our members want a mentoring action");
  // The network reshapes its own draft and proposes it again.
  auto add = AsNetwork(Valid("AddAction"));
  add.data["action_id"] = "mentoring";
  add.data.erase("dimension");  // optional
  EXPECT_TRUE(state->Decide(add, kNow)) << "the network adds actions to its draft plan";
  EXPECT_TRUE(state->Decide(AsNetwork(Valid("RemoveAction")), kNow));
  EXPECT_TRUE(state->Decide(AsNetwork(Valid("ProposePlan")), kNow));
}

TEST(PlanWorkflow, ActionsAreUniqueAndAProposalHasOne) {
  auto drafted = Replay(Requests({"DraftPlan"}));
  auto empty = drafted->Decide(Valid("ProposePlan"), kNow);
  ASSERT_FALSE(empty);
  EXPECT_NE(empty.error().message.find("at least one action"), std::string::npos);
  auto missing = drafted->Decide(Valid("RemoveAction"), kNow);
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("no action act1; its actions are: none"),
            std::string::npos);
  auto with_one = Replay(Requests({"DraftPlan", "AddAction"}));
  auto twice = with_one->Decide(Valid("AddAction"), kNow);
  ASSERT_FALSE(twice);
  EXPECT_NE(twice.error().message.find("already has an action act1"), std::string::npos);
}

TEST(PlanWorkflow, ARevisionIsAgreedAfresh) {
  auto path = ToActive();
  path.push_back(Valid("RevisePlan"));
  auto revised = Replay(path);
  EXPECT_EQ(testing::StateOf(*revised), "draft");
  EXPECT_TRUE(revised->ToJson().at("agreements").as_object().empty());
  EXPECT_EQ(revised->ToJson().at("revisions").as_int64(), 1);
  EXPECT_EQ(revised->ToJson().at("actions").as_array().size(), 1u);
}

TEST(PlanWorkflow, EachRoleMayIssueOnlyItsCommands) {
  auto proposed = Replay(Requests(kToProposed));
  EXPECT_TRUE(testing::DecideAs(*proposed, Valid("AgreePlan"), "network", kNow));
  testing::ExpectForbidden(*proposed, Valid,
                           {{"AbandonPlan", "network"},
                            {"AgreePlan", "system"},
                            {"AbandonPlan", "system"},
                            {"TrackMilestone", "officer"}},
                           kNow);
  auto fresh = PlanWorkflow().NewState("p1");
  EXPECT_TRUE(testing::DecideAs(*fresh, Valid("DraftPlan"), "system", kNow));  // the policy
  testing::ExpectForbidden(*fresh, Valid, {{"DraftPlan", "network"}}, kNow);
}

TEST(PlanWorkflow, BadDataNamesTheFieldAndWhatIsAccepted) {
  using V = boost::json::value;
  auto drafted = Replay(Requests({"DraftPlan"}));
  testing::ExpectValidationRefusals(
      *drafted, Valid("AddAction"),
      {{"theme", V("outreach"),
        "field 'theme' must be one of information_flow, brokering, influence, "
        "continuous_improvement"},
       {"dimension", V("reach"), "field 'dimension' must be one of membership, connectivity"},
       {"owner", V(""), "field 'owner' must be a text of 1-200 characters"},
       {"action_id", V("a/1"), "field 'action_id' must be an id"}},
      kNow);
  auto fresh = PlanWorkflow().NewState("p1");
  testing::ExpectValidationRefusals(*fresh, Valid("DraftPlan"),
                                    {{"assessment_id", V(nullptr), "field 'assessment_id'"}}, kNow);
}

TEST(PlanWorkflow, EveryDimensionMapsToOneOfTheFourThemes) {
  for (auto d : kDimensions) {
    EXPECT_NE(std::find(kThemes.begin(), kThemes.end(), ThemeOfDimension(d)), kThemes.end()) << d;
  }
  EXPECT_EQ(ThemeOfDimension("influence"), "influence");
}

TEST(PlanWorkflow, EveryReleasedEventStillLoads) {
  testing::ExpectReleasedEventsLoad(PlanWorkflow());
}

}  // namespace
}  // namespace waymark::workflows
