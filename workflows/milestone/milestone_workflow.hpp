#pragma once

#include "core/workflow.hpp"

namespace waymark::workflows {

// Milestones (`milestone-<id>`), as DESIGN.md describes them: planned →
// in_progress ⇄ at_risk → evidence_submitted → achieved; evidence_submitted →
// in_progress (evidence rejected); planned|in_progress|at_risk → overdue (the
// engine's timer); overdue → in_progress (rescheduled); any open state →
// cancelled. A Boost.MSM machine; its transition table is the only place
// these rules are written.
const Workflow& MilestoneWorkflow();

}  // namespace waymark::workflows

namespace waymark::workflows::bench {

// For the benchmarks: drives the milestone machine itself (no JSON, no
// checks around it) through `transitions` flag-at-risk / clear-risk
// transitions and returns how many were taken.
std::size_t RunMilestoneRiskCycles(std::size_t transitions);

}  // namespace waymark::workflows::bench
