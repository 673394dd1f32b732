#pragma once

#include <array>
#include <string_view>

#include "core/workflow.hpp"

namespace waymark::workflows {

// The lifecycle stages of a network, in order (the seed's network lifecycle).
inline constexpr std::array<std::string_view, 4> kStages = {"startup", "development",
                                                            "participation", "growth"};

// Networks (`network-<id>`): startup → development → participation → growth,
// one stage at a time and only with an assessment approved since the last
// stage change; any stage → dormant (suspended) → back to the stage it left;
// any of those → closed. Approved assessments reach the network through the
// engine's policy (RecordAssessmentOutcome, role system). A Boost.MSM machine.
const Workflow& NetworkWorkflow();

// Commands the engine's policies issue on networks.
namespace network_commands {
inline constexpr char kRecordAssessmentOutcome[] = "RecordAssessmentOutcome";
}  // namespace network_commands

}  // namespace waymark::workflows
