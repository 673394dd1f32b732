#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/workflow.hpp"

namespace waymark::workflows {

// The seed's four themes of a network's work.
inline constexpr std::array<std::string_view, 4> kThemes = {"information_flow", "brokering",
                                                            "influence", "continuous_improvement"};

// The theme an action on a dimension falls under (for the actions the
// engine suggests from an approved assessment).
std::string_view ThemeOfDimension(std::string_view dimension);

// Action plans (`plan-<id>`): draft → proposed → agreed (an officer and the
// network, two distinct agreements) → active → completed (every milestone
// of the plan achieved or cancelled); active → draft (revision); any open
// state → abandoned. The plan learns of its milestones from the engine
// (TrackMilestone, role system). A Boost.MSM machine.
const Workflow& PlanWorkflow();

// What the engine's policies ask of a plan's state.
struct PlanView {
  std::string state, network_id, abandon_reason;
  std::vector<std::string> open_milestones;  // tracked as open, by id
};
// The view of a plan stream's state; nullopt for another kind's.
std::optional<PlanView> ViewPlan(const WorkflowState& state);

namespace plan_events {
inline constexpr char kDrafted[] = "PlanDrafted";
inline constexpr char kAbandoned[] = "PlanAbandoned";
inline constexpr char kMilestoneTracked[] = "PlanMilestoneTracked";
}  // namespace plan_events
namespace plan_states {
inline constexpr char kAbandoned[] = "abandoned";
}  // namespace plan_states

// Commands the engine's policies issue on plans.
namespace plan_commands {
inline constexpr char kDraft[] = "DraftPlan";
inline constexpr char kAddAction[] = "AddAction";
inline constexpr char kTrackMilestone[] = "TrackMilestone";
}  // namespace plan_commands
// TrackMilestone's statuses: what a plan knows of each of its milestones.
namespace tracked_milestone {
inline constexpr char kOpen[] = "open";
inline constexpr char kAchieved[] = "achieved";
inline constexpr char kCancelled[] = "cancelled";
}  // namespace tracked_milestone

}  // namespace waymark::workflows
