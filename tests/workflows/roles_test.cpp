// DESIGN.md "Who may do what", walked whole: every role against every
// command of every workflow. The role is checked before the state, so a
// fresh stream answers for every command: forbidden, or not.

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "workflows/registry.hpp"

namespace waymark::workflows {
namespace {

// DESIGN.md's table, restated here as its text reads.
const std::set<std::string> kNetworkMay = {
    // "score its assessment, submit it"
    "ScoreDimension", "SubmitAssessment",
    // "add/remove actions on its draft plan, propose, return and agree its plan"
    "AddAction", "RemoveAction", "ProposePlan", "ReturnPlan", "AgreePlan",
    // "schedule, start, flag, clear and submit evidence on its milestones"
    "ScheduleMilestone", "StartMilestone", "FlagAtRisk", "ClearRisk", "SubmitEvidence",
    // "record membership, opportunities, representation and referrals"
    "RecordMembership", "RecordOpportunity", "RecordRepresentation", "RecordReferral",
    // "every step command"
    "IdentifyStep", "PlanStep", "BeginStep", "EmbedStep", "ReviewStep", "DeferStep", "DropStep"};
// "the engine's policies and timers only": what they record, and what they issue.
const std::set<std::string> kEngineOnly = {"RecordAssessmentOutcome", "TrackMilestone",
                                           "MarkMilestoneOverdue"};
const std::set<std::string> kEngineIssues = {
    "RecordAssessmentOutcome", "TrackMilestone", "MarkMilestoneOverdue", "DraftPlan", "AddAction",
    "CancelMilestone"};

bool Expected(const std::string& role, const std::string& command) {
  if (role == "officer" || role == "admin") return !kEngineOnly.contains(command);
  if (role == "network") return kNetworkMay.contains(command);
  if (role == "system") return kEngineIssues.contains(command);
  return false;  // auditor
}

TEST(WhoMayDoWhat, EveryRoleAgainstEveryCommandOfEveryWorkflow) {
  const Timestamp now = *ParseRfc3339("2026-11-26T09:00:00Z");
  std::set<std::string> all;
  int checked = 0;
  for (const Workflow* workflow : AllWorkflows()) {
    auto state = workflow->NewState("x1");
    std::set<std::string> commands;
    for (const auto& t : workflow->transitions()) commands.insert(t.command);
    for (const auto& command : commands) {
      all.insert(command);
      for (const std::string role : {"officer", "admin", "network", "auditor", "system"}) {
        CommandRequest request{std::string(workflow->kind()) + "-x1",
                               command,
                               {},
                               std::nullopt,
                               "",
                               {"someone", role, role == "network" ? "ne" : ""},
                               "",
                               ""};
        auto decided = state->Decide(request, now);
        const bool forbidden = !decided && decided.error().code == ErrorCode::kForbidden;
        EXPECT_EQ(forbidden, !Expected(role, command))
            << role << " " << command << ": "
            << (decided ? std::string("decided") : decided.error().message);
        ++checked;
      }
    }
  }
  // The table names only commands that exist (a typo would silently allow nothing).
  for (const auto& c : kNetworkMay) EXPECT_TRUE(all.contains(c)) << c;
  for (const auto& c : kEngineIssues) EXPECT_TRUE(all.contains(c)) << c;
  EXPECT_GT(checked, 200);
}

}  // namespace
}  // namespace waymark::workflows
