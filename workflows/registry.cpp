#include "workflows/registry.hpp"

#include "workflows/assessment/assessment_workflow.hpp"
#include "workflows/milestone/milestone_workflow.hpp"
#include "workflows/network/network_workflow.hpp"
#include "workflows/plan/plan_workflow.hpp"
#include "workflows/step/step_workflow.hpp"

namespace waymark::workflows {

std::vector<const Workflow*> AllWorkflows() {
  return {&NetworkWorkflow(), &AssessmentWorkflow(), &PlanWorkflow(), &MilestoneWorkflow(),
          &StepWorkflow()};
}

AccessModel Access() {
  return {{"admin", "officer", "network", "auditor", std::string(kEngineRole)},
          {"auditor"},
          "network",
          {{"plan_id", "plan"}, {"assessment_id", "assessment"}, {"milestone_id", "milestone"}}};
}

Domain TheDomain(std::vector<const Workflow*> workflows) {
  return {std::move(workflows), Access()};
}

}  // namespace waymark::workflows
