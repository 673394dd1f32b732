#include "workflows/policies.hpp"

#include <algorithm>

#include "core/stream_name.hpp"
#include "workflows/assessment/assessment_workflow.hpp"
#include "workflows/milestone/milestone_workflow.hpp"
#include "workflows/network/network_workflow.hpp"
#include "workflows/plan/plan_workflow.hpp"

namespace waymark::workflows {
namespace {

std::string IdOf(const std::string& stream) { return std::string(ParseStreamName(stream)->id); }

// The event's stream after the event, through its workflow's typed view.
template <class View>
std::expected<View, Error> ViewAfter(const Policy::StateAfter& state_after,
                                     std::optional<View> (*view)(const WorkflowState&),
                                     const RecordedEvent& event) {
  auto state = state_after();
  if (!state) return std::unexpected(state.error());
  auto viewed = view(**state);
  if (!viewed) {
    return std::unexpected(
        MakeError(ErrorCode::kCorrupt, event.stream + " is not of the kind its event says"));
  }
  return *viewed;
}

// "<policy>:<stream>@<version>[:<part>]": one key per command a reaction issues.
std::string KeyFor(std::string_view policy, const RecordedEvent& event, std::string_view part) {
  std::string key = std::string(policy) + ":" + event.stream + "@" + std::to_string(event.version);
  if (!part.empty()) key += ":" + std::string(part);
  return key;
}

class AssessmentApproved final : public Policy {
 public:
  std::string_view name() const override { return "assessment-approved"; }

  std::expected<Reaction, Error> React(const RecordedEvent& event,
                                       const StateAfter& state_after) const override {
    if (event.type != assessment_events::kApproved) return Reaction{};
    auto assessment = ViewAfter(state_after, ViewAssessment, event);
    if (!assessment) return std::unexpected(assessment.error());
    const std::string assessment_id = IdOf(event.stream);
    const std::string& network_id = assessment->network_id;
    const std::string& period = assessment->period;

    Reaction r;
    boost::json::object scores;
    for (const auto& s : assessment->scores) scores[s.dimension] = s.score;
    r.commands.push_back(PolicyCommand(
        name(), event, "network-" + network_id, network_commands::kRecordAssessmentOutcome,
        {{"assessment_id", assessment_id}, {"period", period}, {"scores", std::move(scores)}},
        KeyFor(name(), event, "outcome")));
    const std::string plan = "plan-" + assessment_id;
    r.commands.push_back(
        PolicyCommand(name(), event, plan, plan_commands::kDraft,
                      {{"network_id", network_id}, {"assessment_id", assessment_id}},
                      KeyFor(name(), event, "draft")));
    for (const auto& s : assessment->scores) {  // the methodology's order
      if (s.score > 2) continue;
      const std::string_view dimension = s.dimension;
      std::string words(dimension);
      std::replace(words.begin(), words.end(), '_', ' ');
      std::string description = "Strengthen " + words + ": scored " + std::to_string(s.score) +
                                " of 5 in the " + period + " assessment.";
      if (!s.note.empty()) description += " Assessment note: " + s.note;
      if (description.size() > 1900) description.resize(1900);  // within the 2000 allowed
      r.commands.push_back(PolicyCommand(name(), event, plan, plan_commands::kAddAction,
                                         {{"action_id", dimension},
                                          {"theme", ThemeOfDimension(dimension)},
                                          {"dimension", dimension},
                                          {"description", description},
                                          {"owner", "network"}},
                                         KeyFor(name(), event, dimension)));
    }
    return r;
  }
};

class MilestoneTracking final : public Policy {
 public:
  std::string_view name() const override { return "milestone-tracking"; }

  std::expected<Reaction, Error> React(const RecordedEvent& event,
                                       const StateAfter& state_after) const override {
    std::string status;
    if (event.type == milestone_events::kScheduled) status = tracked_milestone::kOpen;
    if (event.type == milestone_events::kVerified) status = tracked_milestone::kAchieved;
    if (event.type == milestone_events::kCancelled) status = tracked_milestone::kCancelled;
    if (status.empty()) return Reaction{};
    auto milestone = ViewAfter(state_after, ViewMilestone, event);
    if (!milestone) return std::unexpected(milestone.error());
    Reaction r;
    r.commands.push_back(PolicyCommand(name(), event, "plan-" + milestone->plan_id,
                                       plan_commands::kTrackMilestone,
                                       {{"milestone_id", IdOf(event.stream)},
                                        {"status", status},
                                        {"action_id", milestone->action_id}},
                                       KeyFor(name(), event, "")));
    return r;
  }
};

class MilestoneOverdue final : public Policy {
 public:
  std::string_view name() const override { return "milestone-overdue"; }

  // After each milestone event that can change it: open with a due date →
  // a timer for the day after it; otherwise no timer.
  std::expected<Reaction, Error> React(const RecordedEvent& event,
                                       const StateAfter& state_after) const override {
    // Starting, flagging and clearing risk leave a milestone open with the
    // same due date: its timer stands.
    static constexpr std::string_view kChangesTimer[] = {milestone_events::kScheduled,
                                                         milestone_events::kRescheduled,
                                                         milestone_events::kEvidenceSubmitted,
                                                         milestone_events::kEvidenceRejected,
                                                         milestone_events::kVerified,
                                                         milestone_events::kCancelled,
                                                         milestone_events::kOverdue};
    if (std::find(std::begin(kChangesTimer), std::end(kChangesTimer), event.type) ==
        std::end(kChangesTimer)) {
      return Reaction{};
    }
    auto milestone = ViewAfter(state_after, ViewMilestone, event);
    if (!milestone) return std::unexpected(milestone.error());
    const std::string key = "milestone-overdue:" + event.stream;
    Reaction r;
    if (!MilestoneMayGoOverdue(milestone->state)) {
      r.cancel.push_back(key);
      return r;
    }
    const std::string& due = milestone->due;
    auto due_day = ParseRfc3339(due);
    if (!due_day) {
      return std::unexpected(
          MakeError(ErrorCode::kCorrupt, event.stream + " has no valid due date: " + due));
    }
    // The key names the due date: a rescheduled milestone can become overdue again.
    r.schedule.push_back(
        Timer{key, *due_day + std::chrono::days(1),
              PolicyCommand(name(), event, event.stream, milestone_commands::kMarkOverdue, {},
                            "milestone-overdue:" + due)});
    return r;
  }
};

// An abandoned plan's open milestones are cancelled, so none goes overdue:
// those open when it was abandoned, and any whose scheduling the plan hears
// of only afterwards (the tracking policy runs behind the commands).
class PlanAbandoned final : public Policy {
 public:
  std::string_view name() const override { return "plan-abandoned"; }

  std::expected<Reaction, Error> React(const RecordedEvent& event,
                                       const StateAfter& state_after) const override {
    if (event.type != plan_events::kAbandoned && event.type != plan_events::kMilestoneTracked)
      return Reaction{};
    auto plan = ViewAfter(state_after, ViewPlan, event);
    if (!plan) return std::unexpected(plan.error());
    Reaction r;
    if (plan->state != plan_states::kAbandoned) return r;
    std::vector<std::string> open = plan->open_milestones;
    if (event.type == plan_events::kMilestoneTracked) {  // only the one this event is about
      const auto* id = event.data.if_contains("milestone_id");
      std::erase_if(open, [&](const std::string& m) {
        return !id || !id->is_string() || id->get_string() != m;
      });
    }
    std::string reason = "the plan was abandoned: " + plan->abandon_reason;
    if (reason.size() > 1000) reason.resize(1000);
    for (const auto& id : open) {
      r.commands.push_back(PolicyCommand(name(), event, "milestone-" + id,
                                         milestone_commands::kCancel, {{"reason", reason}},
                                         KeyFor(name(), event, id)));
    }
    return r;
  }
};

}  // namespace

std::vector<const Policy*> DomainPolicies() {
  static const AssessmentApproved assessment_approved;
  static const MilestoneTracking milestone_tracking;
  static const MilestoneOverdue milestone_overdue;
  static const PlanAbandoned plan_abandoned;
  return {&assessment_approved, &milestone_tracking, &milestone_overdue, &plan_abandoned};
}

}  // namespace waymark::workflows
