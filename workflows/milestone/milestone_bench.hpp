#pragma once

#include <cstddef>

namespace waymark::workflows::bench {

// For the benchmarks only: drives the milestone machine itself (no JSON, no
// checks around it) through `transitions` flag-at-risk / clear-risk
// transitions and returns how many were taken. Defined beside the machine
// (milestone_workflow.cpp), which is the only place its type is visible.
std::size_t RunMilestoneRiskCycles(std::size_t transitions);

}  // namespace waymark::workflows::bench
