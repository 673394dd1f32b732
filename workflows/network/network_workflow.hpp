#pragma once

#include <array>
#include <string_view>

#include "core/workflow.hpp"

namespace waymark::workflows {

// The lifecycle stages of a network, in order (the seed's network lifecycle).
inline constexpr std::array<std::string_view, 4> kStages = {"startup", "development",
                                                            "participation", "growth"};

// What the programme reports to its funder, recorded on the network stream
// (DESIGN.md): kinds of opportunity brokered (RecordOpportunity), levels of
// representation won (RecordRepresentation), and the partner agencies that
// support is referred to (RecordReferral).
inline constexpr std::array<std::string_view, 5> kOpportunityKinds = {
    "business", "contract", "funding", "investment", "partnership"};
inline constexpr std::array<std::string_view, 3> kRepresentationLevels = {"local", "regional",
                                                                          "national"};
inline constexpr std::array<std::string_view, 6> kReferralAgencies = {
    "firstport",
    "social_enterprise_academy",
    "aspire_to_enterprise",
    "coalfields_regeneration_trust",
    "local_cvs",
    "lsep"};

// Networks (`network-<id>`): startup → development → participation → growth,
// one stage at a time and only with an assessment approved since the last
// stage change; any stage → dormant (suspended) → back to the stage it left;
// any of those → closed. Approved assessments reach the network through the
// engine's policy (RecordAssessmentOutcome, role system). Opportunities,
// representation and referrals are recorded in every state but closed. A
// Boost.MSM machine.
const Workflow& NetworkWorkflow();

// Commands the engine's policies issue on networks.
namespace network_commands {
inline constexpr char kRecordAssessmentOutcome[] = "RecordAssessmentOutcome";
}  // namespace network_commands

// The events the programme report reads: stage moves and the funder's outcomes.
namespace network_events {
inline constexpr char kStageAdvanced[] = "StageAdvanced";
inline constexpr char kStageReturned[] = "StageReturned";
inline constexpr char kOpportunityBrokered[] = "OpportunityBrokered";
inline constexpr char kRepresentationRecorded[] = "RepresentationRecorded";
inline constexpr char kSupportReferred[] = "SupportReferred";
}  // namespace network_events

}  // namespace waymark::workflows
