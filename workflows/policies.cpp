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

std::string Text(const boost::json::object& o, std::string_view field) {
  const auto* v = o.if_contains(field);
  return v && v->is_string() ? std::string(v->get_string()) : std::string{};
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
    auto assessment = state_after();
    if (!assessment) return std::unexpected(assessment.error());
    const std::string assessment_id = IdOf(event.stream);
    const std::string network_id = Text(*assessment, "network_id");
    const std::string period = Text(*assessment, "period");
    const auto& scored = assessment->at("scores").as_object();

    Reaction r;
    boost::json::object scores;
    for (const auto& [dimension, s] : scored) scores[dimension] = s.at("score");
    r.commands.push_back(PolicyCommand(
        name(), event, "network-" + network_id, network_commands::kRecordAssessmentOutcome,
        {{"assessment_id", assessment_id}, {"period", period}, {"scores", std::move(scores)}},
        KeyFor(name(), event, "outcome")));
    const std::string plan = "plan-" + assessment_id;
    r.commands.push_back(
        PolicyCommand(name(), event, plan, plan_commands::kDraft,
                      {{"network_id", network_id}, {"assessment_id", assessment_id}},
                      KeyFor(name(), event, "draft")));
    for (auto dimension : kDimensions) {  // the methodology's order
      const auto* s = scored.if_contains(dimension);
      if (!s) continue;
      const auto score = s->at("score").as_int64();
      if (score > 2) continue;
      std::string words(dimension);
      std::replace(words.begin(), words.end(), '_', ' ');
      std::string description = "Strengthen " + words + ": scored " + std::to_string(score) +
                                " of 5 in the " + period + " assessment.";
      const std::string note = Text(s->as_object(), "note");
      if (!note.empty()) description += " Assessment note: " + note;
      if (description.size() > 1900) description.resize(1900);  // within the 2000 allowed
      r.commands.push_back(PolicyCommand(name(), event, plan, plan_commands::kAddAction,
                                         {{"action_id", dimension},
                                          {"theme", ThemeOfDimension(dimension)},
                                          {"dimension", dimension},
                                          {"description", description},
                                          {"owner", "network coordinator"}},
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
    if (event.type == milestone_events::kScheduled) status = "open";
    if (event.type == milestone_events::kVerified) status = "achieved";
    if (event.type == milestone_events::kCancelled) status = "cancelled";
    if (status.empty()) return Reaction{};
    auto milestone = state_after();
    if (!milestone) return std::unexpected(milestone.error());
    Reaction r;
    r.commands.push_back(PolicyCommand(
        name(), event, "plan-" + Text(*milestone, "plan_id"), plan_commands::kTrackMilestone,
        {{"milestone_id", IdOf(event.stream)}, {"status", status}}, KeyFor(name(), event, "")));
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
    static constexpr std::string_view kChangesTimer[] = {
        milestone_events::kScheduled,        milestone_events::kRescheduled,
        milestone_events::kEvidenceSubmitted, milestone_events::kEvidenceRejected,
        milestone_events::kVerified,          milestone_events::kCancelled,
        milestone_events::kOverdue};
    if (std::find(std::begin(kChangesTimer), std::end(kChangesTimer), event.type) ==
        std::end(kChangesTimer)) {
      return Reaction{};
    }
    auto milestone = state_after();
    if (!milestone) return std::unexpected(milestone.error());
    const std::string state = Text(*milestone, "state");
    const std::string key = "milestone-overdue:" + event.stream;
    Reaction r;
    if (!MilestoneMayGoOverdue(state)) {
      r.cancel.push_back(key);
      return r;
    }
    const std::string due = Text(*milestone, "due");
    auto due_day = ParseRfc3339(due);
    if (!due_day) {
      return std::unexpected(
          MakeError(ErrorCode::kCorrupt, event.stream + " has no valid due date: " + due));
    }
    // The key names the due date: a rescheduled milestone can become overdue again.
    r.schedule.push_back(Timer{key, *due_day + std::chrono::days(1),
                               PolicyCommand(name(), event, event.stream, milestone_commands::kMarkOverdue,
                                             {}, "milestone-overdue:" + due)});
    return r;
  }
};

}  // namespace

std::vector<const Policy*> DomainPolicies() {
  static const AssessmentApproved assessment_approved;
  static const MilestoneTracking milestone_tracking;
  static const MilestoneOverdue milestone_overdue;
  return {&assessment_approved, &milestone_tracking, &milestone_overdue};
}

}  // namespace waymark::workflows
