#pragma once

#include <array>
#include <string_view>

#include "core/workflow.hpp"

namespace waymark::workflows {

// Sustainability steps (`step-<id>`), the seed's paths to sustainability and
// continuous improvement as a repeating cycle: identified → planned →
// underway → embedded → reviewed → planned (the next cycle); a step can be
// deferred (and planned again) or dropped. A Boost.MSM machine.
const Workflow& StepWorkflow();

// The kinds of sustainability step.
inline constexpr std::array<std::string_view, 5> kStepKinds = {"structure", "income", "improvement",
                                                               "partnership", "investment"};

// The events the programme report counts: a step embedded, a step reviewed.
namespace step_events {
inline constexpr char kEmbedded[] = "StepEmbedded";
inline constexpr char kReviewed[] = "StepReviewed";
}  // namespace step_events

}  // namespace waymark::workflows
