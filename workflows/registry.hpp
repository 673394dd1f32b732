#pragma once

#include <vector>

#include "core/workflow.hpp"

namespace waymark::workflows {

// Every workflow of the domain, for the command handler and `waymark workflows`.
std::vector<const Workflow*> AllWorkflows();

// DESIGN.md's access model: the roles (workflows/roles.hpp says what each
// may issue), the auditor who issues nothing, the network that acts for
// itself alone, and the fields by which an event names another stream.
AccessModel Access();

// `workflows` (all of the domain's by default) with the domain's access
// model: what the command handler runs.
Domain TheDomain(std::vector<const Workflow*> workflows = AllWorkflows());

}  // namespace waymark::workflows
