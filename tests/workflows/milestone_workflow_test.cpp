// The milestone workflow, driven by its own transition table: every state it
// can reach, every command in every state, every guard and role rule.

#include "workflows/milestone/milestone_workflow.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <deque>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

#include "core/command_handler.hpp"
#include "core/memory_event_store.hpp"
#include "tests/workflows/refusals.hpp"
#include "tests/workflows/released_events.hpp"
#include "tests/workflows/table_walk.hpp"
#include "workflows/registry.hpp"

namespace waymark::workflows {
namespace {

const Timestamp kNow = *ParseRfc3339("2026-11-26T09:00:00Z");
const Timestamp kAfterDue = *ParseRfc3339("2027-01-05T09:00:00Z");  // the due below has passed

// A valid command of each type, from the role that would issue it.
CommandRequest Valid(const std::string& type) {
  static const std::map<std::string, boost::json::object> kData = {
      {"ScheduleMilestone",
       {{"plan_id", "p1"},
        {"network_id", "ne"},
        {"action_id", "membership"},
        {"title", "Launch the newsletter"},
        {"due", "2026-12-31"}}},
      {"FlagAtRisk", {{"reason", "printer quote doubled"}}},
      {"SubmitEvidence",
       {{"summary", "First issue sent"},
        {"links", boost::json::array{"https://example.org/issue-1"}}}},
      {"RejectEvidence", {{"reason", "the link is broken"}}},
      {"RescheduleMilestone", {{"due", "2027-03-31"}, {"reason", "new printer"}}},
      {"CancelMilestone", {{"reason", "merged into another milestone"}}},
  };
  auto it = kData.find(type);
  Actor actor{type == "MarkMilestoneOverdue" ? "waymark/overdue-timer" : "olivia",
              type == "MarkMilestoneOverdue" ? "system" : "officer", ""};
  if (type == "SubmitEvidence") actor = {"nadia", "network", "ne"};  // an officer verifies it
  return {"milestone-m1",
          type,
          it == kData.end() ? boost::json::object{} : it->second,
          std::nullopt,
          "",
          actor,
          "",
          ""};
}

Timestamp NowFor(const std::string& type) {
  return type == "MarkMilestoneOverdue" ? kAfterDue : kNow;
}

std::unique_ptr<WorkflowState> Replay(const std::vector<std::string>& commands) {
  return testing::Replay(MilestoneWorkflow(), commands, Valid, NowFor);
}

using testing::StateOf;

TEST(MilestoneWorkflow, EveryCommandInEveryReachableStateDoesWhatTheTableSays) {
  const auto states = testing::WalkEveryCommandInEveryState(MilestoneWorkflow(), Valid, NowFor);
  EXPECT_EQ(states.size(), 8u);  // unscheduled + the seven states of DESIGN.md
}

TEST(MilestoneWorkflow, TheTableIsTheLifecycleOfTheDesign) {
  // DESIGN.md: planned → in_progress ⇄ at_risk → evidence_submitted → achieved;
  // evidence_submitted → in_progress (evidence rejected); planned|in_progress|at_risk
  // → overdue; overdue → in_progress (rescheduled); any open state → cancelled.
  std::set<std::tuple<std::string, std::string, std::string>> expected = {
      {"unscheduled", "ScheduleMilestone", "planned"},
      {"planned", "StartMilestone", "in_progress"},
      {"in_progress", "FlagAtRisk", "at_risk"},
      {"at_risk", "ClearRisk", "in_progress"},
      {"in_progress", "SubmitEvidence", "evidence_submitted"},
      {"at_risk", "SubmitEvidence", "evidence_submitted"},
      {"overdue", "SubmitEvidence", "evidence_submitted"},  // delivered late
      {"evidence_submitted", "VerifyMilestone", "achieved"},
      {"evidence_submitted", "RejectEvidence", "in_progress"},
      {"planned", "MarkMilestoneOverdue", "overdue"},
      {"in_progress", "MarkMilestoneOverdue", "overdue"},
      {"at_risk", "MarkMilestoneOverdue", "overdue"},
      {"overdue", "RescheduleMilestone", "in_progress"},
      // A slip recorded when it is foreseen: the milestone stays where it is.
      {"planned", "RescheduleMilestone", "planned"},
      {"in_progress", "RescheduleMilestone", "in_progress"},
      {"at_risk", "RescheduleMilestone", "at_risk"},
  };
  for (const char* open : {"planned", "in_progress", "at_risk", "evidence_submitted", "overdue"}) {
    expected.insert({open, "CancelMilestone", "cancelled"});
  }
  EXPECT_EQ(testing::Triples(MilestoneWorkflow()), expected);
}

TEST(MilestoneWorkflow, AllowedCommandsComeFromTheTable) {
  auto state = Replay({"ScheduleMilestone", "StartMilestone"});
  EXPECT_EQ(state->AllowedCommands(),
            (std::vector<std::string>{"FlagAtRisk", "SubmitEvidence", "MarkMilestoneOverdue",
                                      "RescheduleMilestone", "CancelMilestone"}));
  EXPECT_TRUE(Replay({"ScheduleMilestone", "CancelMilestone"})->AllowedCommands().empty());
}

TEST(MilestoneWorkflow, TheOverdueTimerFiresOnlyAfterTheDueDate) {
  auto state = Replay({"ScheduleMilestone"});
  auto early = state->Decide(Valid("MarkMilestoneOverdue"), *ParseRfc3339("2026-12-31T23:59:59Z"));
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().code, ErrorCode::kNotAllowed);
  EXPECT_NE(early.error().message.find("not overdue: it is due 2026-12-31"), std::string::npos);
  auto late = state->Decide(Valid("MarkMilestoneOverdue"), *ParseRfc3339("2027-01-01T00:00:00Z"));
  ASSERT_TRUE(late) << late.error().message;
  EXPECT_EQ(late->front().data.at("due").as_string(), "2026-12-31");
  EXPECT_EQ(late->front().data.at("detected_at").as_string(), "2027-01-01T00:00:00.000000Z");
}

TEST(MilestoneWorkflow, ReschedulingMustMoveTheDueDateLater) {
  auto state = Replay({"ScheduleMilestone", "MarkMilestoneOverdue"});
  auto earlier = Valid("RescheduleMilestone");
  earlier.data["due"] = "2026-12-01";
  auto refused = state->Decide(earlier, kAfterDue);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("must be after 2026-12-31"), std::string::npos);
  auto done = Replay({"ScheduleMilestone", "MarkMilestoneOverdue", "RescheduleMilestone"});
  EXPECT_EQ(done->ToJson().at("due").as_string(), "2027-03-31");
  EXPECT_EQ(done->ToJson().at("reschedules").as_int64(), 1);
}

TEST(MilestoneWorkflow, EachRoleMayIssueOnlyItsCommands) {
  auto in_progress = Replay({"ScheduleMilestone", "StartMilestone"});
  EXPECT_TRUE(testing::DecideAs(*in_progress, Valid("FlagAtRisk"), "network", kNow));
  EXPECT_TRUE(testing::DecideAs(*in_progress, Valid("SubmitEvidence"), "network", kNow));
  testing::ExpectForbidden(*in_progress, Valid,
                           {{"CancelMilestone", "network"},
                            {"MarkMilestoneOverdue", "officer"},
                            {"MarkMilestoneOverdue", "network"},
                            {"SubmitEvidence", "system"},
                            {"SubmitEvidence", "auditor"},
                            {"MarkMilestoneOverdue", "admin"}},
                           kAfterDue);
}

TEST(MilestoneWorkflow, BadDataNamesTheFieldAndWhatIsAccepted) {
  auto fresh = MilestoneWorkflow().NewState("m1");
  using V = boost::json::value;
  testing::ExpectValidationRefusals(
      *fresh, Valid("ScheduleMilestone"),
      {{"due", V("31/12/2026"), "field 'due' must be a date such as 2026-11-30"},
       {"due", V("2026-02-30"), "field 'due' must be a date"},
       {"title", V(""), "field 'title' must be a text of 1-200 characters"},
       {"title", V(std::string(201, 'x')), "1-200 characters"},
       {"plan_id", V("p 1"), "field 'plan_id' must be an id"},
       {"network_id", V(7), "field 'network_id' must be an id"}},
      kNow);
  auto started = Replay({"ScheduleMilestone", "StartMilestone"});
  auto evidence = Valid("SubmitEvidence");
  evidence.data["links"] = boost::json::array{"ftp://example.org/x"};
  auto r = started->Decide(evidence, kNow);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("http:// or https://"), std::string::npos);
  auto misspelt = Valid("SubmitEvidence");
  misspelt.data["link"] = boost::json::array{"https://example.org/x"};
  auto m = started->Decide(misspelt, kNow);
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().code, ErrorCode::kValidation);
  EXPECT_EQ(m.error().message,
            "SubmitEvidence: field 'link' is not one of its fields; it takes summary, links");
  auto extra = Valid("StartMilestone");
  extra.data["reason"] = "keen";
  auto x = Replay({"ScheduleMilestone"})->Decide(extra, kNow);
  ASSERT_FALSE(x);
  EXPECT_NE(x.error().message.find("field 'reason' is not one of its fields; it takes none"),
            std::string::npos);
  auto unknown = fresh->Decide(Valid("LaunchMilestone"), kNow);
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message.find("not a milestone command"), std::string::npos);
}

TEST(MilestoneWorkflow, FoldingAnEventThatCannotFollowIsCorrupt) {
  auto state = MilestoneWorkflow().NewState("m1");
  RecordedEvent verified;
  verified.stream = "milestone-m1";
  verified.version = 1;
  verified.type = "MilestoneVerified";
  auto r = state->Apply(verified);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kCorrupt);
  EXPECT_NE(r.error().message.find("cannot follow state unscheduled"), std::string::npos);
}

TEST(MilestoneWorkflow, ThroughTheCommandHandlerFromScheduleToAchieved) {
  ManualClock clock{kNow};
  SequentialIdGenerator ids;
  auto store = MakeMemoryEventStore(clock);
  CommandHandler handler(*store, workflows::TheDomain({&MilestoneWorkflow()}), clock, ids);
  // The network and plan it names exist (written directly: no workflow for them here).
  const EventMetadata by{"olivia", "officer", "c", "c", "", {}};
  ASSERT_TRUE(
      store->Append({"network-ne", 0, {{"NetworkRegistered", 1, boost::json::object{}}}, by}));
  ASSERT_TRUE(store->Append(
      {"plan-p1", 0, {{"PlanDrafted", 1, boost::json::object{{"network_id", "ne"}}}}, by}));
  for (const char* type : {"ScheduleMilestone", "StartMilestone", "SubmitEvidence"}) {
    auto command = Valid(type);
    command.actor = {"olivia", "officer", ""};  // an officer may submit evidence too
    auto r = handler.Handle(command);
    ASSERT_TRUE(r) << type << ": " << r.error().message;
  }
  auto network = Valid("VerifyMilestone");
  network.actor = {"nadia", "network", "ne"};
  auto refused = handler.Handle(network);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kForbidden);
  // Four eyes: olivia submitted the evidence, so another officer verifies it.
  auto own = handler.Handle(Valid("VerifyMilestone"));
  ASSERT_FALSE(own);
  EXPECT_EQ(own.error().code, ErrorCode::kNotAllowed);
  EXPECT_NE(own.error().message.find(
                "olivia submitted this evidence; another officer verifies it (four eyes)"),
            std::string::npos)
      << own.error().message;
  auto oscar = Valid("VerifyMilestone");
  oscar.actor.name = "oscar";
  ASSERT_TRUE(handler.Handle(oscar));
  auto folded = handler.Load("milestone-m1");
  ASSERT_TRUE(folded);
  EXPECT_EQ(folded->version, 4);
  const auto json = folded->state->ToJson();
  EXPECT_EQ(json.at("state").as_string(), "achieved");
  EXPECT_EQ(json.at("evidence_links").as_array().size(), 1u);
  EXPECT_EQ(folded->state->network_id(), "ne");
}

}  // namespace
}  // namespace waymark::workflows

namespace waymark::workflows {
namespace {

TEST(MilestoneWorkflow, EventsAsReleasedStillLoad) {
  testing::ExpectReleasedEventsLoad(MilestoneWorkflow());
}

}  // namespace
}  // namespace waymark::workflows
