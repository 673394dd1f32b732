#include "workflows/roles.hpp"

#include <algorithm>
#include <array>

namespace waymark::workflows {
namespace {

constexpr std::array<std::string_view, 23> kNetworkMay = {
    // assessment
    "ScoreDimension", "SubmitAssessment",
    // plan
    "AddAction", "RemoveAction", "ProposePlan", "ReturnPlan", "AgreePlan",
    // milestone
    "ScheduleMilestone", "StartMilestone", "FlagAtRisk", "ClearRisk", "SubmitEvidence",
    // network
    "RecordMembership", "RecordOpportunity", "RecordRepresentation", "RecordReferral",
    // step
    "IdentifyStep", "PlanStep", "BeginStep", "EmbedStep", "ReviewStep", "DeferStep", "DropStep"};

// Only the engine records these: they state what it observed or decided.
constexpr std::array<std::string_view, 3> kEngineOnly = {"RecordAssessmentOutcome",
                                                         "TrackMilestone", "MarkMilestoneOverdue"};

// What the policies issue that people issue too.
constexpr std::array<std::string_view, 3> kEngineAlso = {"DraftPlan", "AddAction",
                                                         "CancelMilestone"};

template <std::size_t N>
bool In(const std::array<std::string_view, N>& set, std::string_view command) {
  return std::find(set.begin(), set.end(), command) != set.end();
}

}  // namespace

bool RoleMayIssue(std::string_view role, std::string_view command) {
  if (role == "officer" || role == "admin") return !In(kEngineOnly, command);
  if (role == "network") return In(kNetworkMay, command);
  if (role == "system") return In(kEngineOnly, command) || In(kEngineAlso, command);
  return false;  // auditor, or anything else
}

}  // namespace waymark::workflows
