#pragma once

#include "core/workflow.hpp"

namespace waymark::workflows {

// Sustainability steps (`step-<id>`), the seed's paths to sustainability and
// continuous improvement as a repeating cycle: identified → planned →
// underway → embedded → reviewed → planned (the next cycle); a step can be
// deferred (and planned again) or dropped. A Boost.MSM machine.
const Workflow& StepWorkflow();

}  // namespace waymark::workflows
