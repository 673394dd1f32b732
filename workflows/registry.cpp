#include "workflows/registry.hpp"

#include "workflows/milestone/milestone_workflow.hpp"

namespace waymark::workflows {

std::vector<const Workflow*> AllWorkflows() { return {&MilestoneWorkflow()}; }

}  // namespace waymark::workflows
