#pragma once

#include <vector>

#include "core/policy.hpp"

namespace waymark::workflows {

// The engine's own reactions (DESIGN.md "Policies and timers"):
// - assessment-approved: an approved assessment's outcome is recorded on its
//   network, and plan-<assessment id> is drafted with one suggested action
//   per dimension scored 1 or 2 (action id = the dimension, theme mapped
//   from it);
// - milestone-tracking: a plan learns of its milestones as they are
//   scheduled, achieved or cancelled (CompletePlan waits for them);
// - milestone-overdue: a durable timer per open milestone that marks it
//   overdue once its due date has passed (the day after, 00:00 UTC);
// - plan-abandoned: an abandoned plan's open milestones are cancelled, so
//   none of them goes overdue.
std::vector<const Policy*> DomainPolicies();

}  // namespace waymark::workflows
