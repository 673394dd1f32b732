#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/workflow.hpp"

namespace waymark::workflows {

// The ten dimensions of a strong network (the seed's characteristics).
inline constexpr std::array<std::string_view, 10> kDimensions = {
    "membership",        "connectivity",    "influence",  "conduit",         "best_practice",
    "knowledge_sharing", "problem_solving", "innovation", "professionalism", "joint_working"};

// Assessments (`assessment-<id>`), the strengths-and-weaknesses methodology:
// draft → submitted → approved; submitted → draft (returned); draft|submitted
// → withdrawn. Scoring only in draft; submitting needs all ten dimensions
// scored; approving needs an officer who is not the submitter. A Boost.MSM machine.
const Workflow& AssessmentWorkflow();

// What the engine's policies ask of an assessment's state.
struct AssessmentView {
  struct Score {
    std::string_view dimension;
    std::int64_t score = 0;       // the one that counts: the moderated score where given
    std::int64_t self_score = 0;  // the network's own
    std::string note;
  };
  std::string network_id, period;
  std::vector<Score> scores;  // the dimensions scored, in kDimensions order
};
// The view of an assessment stream's state; nullopt for another kind's.
std::optional<AssessmentView> ViewAssessment(const WorkflowState& state);

namespace assessment_events {
inline constexpr char kStarted[] = "AssessmentStarted";
inline constexpr char kApproved[] = "AssessmentApproved";
}  // namespace assessment_events

}  // namespace waymark::workflows
