#pragma once

#include <vector>

#include "core/workflow.hpp"

namespace waymark::workflows {

// Every workflow of the domain, for the command handler and `waymark workflows`.
std::vector<const Workflow*> AllWorkflows();

}  // namespace waymark::workflows
