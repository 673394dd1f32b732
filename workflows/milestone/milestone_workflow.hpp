#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/workflow.hpp"

namespace waymark::workflows {

// Milestones (`milestone-<id>`), as DESIGN.md describes them: planned →
// in_progress ⇄ at_risk → evidence_submitted → achieved; evidence_submitted →
// in_progress (evidence rejected); planned|in_progress|at_risk → overdue (the
// engine's timer); overdue → in_progress (rescheduled); any open state →
// cancelled. A Boost.MSM machine; its transition table is the only place
// these rules are written.
const Workflow& MilestoneWorkflow();

// Names other parts of the engine react to or issue (stable on the wire).
namespace milestone_events {
inline constexpr char kScheduled[] = "MilestoneScheduled";
inline constexpr char kEvidenceSubmitted[] = "EvidenceSubmitted";
inline constexpr char kEvidenceRejected[] = "EvidenceRejected";
inline constexpr char kVerified[] = "MilestoneVerified";
inline constexpr char kOverdue[] = "MilestoneOverdue";
inline constexpr char kRescheduled[] = "MilestoneRescheduled";
inline constexpr char kCancelled[] = "MilestoneCancelled";
}  // namespace milestone_events
namespace milestone_commands {
inline constexpr char kMarkOverdue[] = "MarkMilestoneOverdue";  // the timer's
inline constexpr char kCancel[] = "CancelMilestone";            // the plan-abandoned policy's
}  // namespace milestone_commands

// What the engine's policies ask of a milestone's state.
struct MilestoneView {
  std::string state, plan_id, network_id, action_id, due;  // due: YYYY-MM-DD, the one in force
};
// The view of a milestone stream's state; nullopt for another kind's.
std::optional<MilestoneView> ViewMilestone(const WorkflowState& state);

// What the read side and the policies ask of a milestone's state, read from
// the machine's transition table so there is one definition of each:
// open = not closed (a state it can still be cancelled from);
// may go overdue = a state the timer's MilestoneOverdue can leave;
// overdue = the state that event leads to.
const std::vector<std::string>& OpenMilestoneStates();
bool IsOpenMilestoneState(std::string_view state);
bool MilestoneMayGoOverdue(std::string_view state);
const std::string& OverdueMilestoneState();
// The states verifying and cancelling lead to.
const std::string& AchievedMilestoneState();
const std::string& CancelledMilestoneState();

}  // namespace waymark::workflows
