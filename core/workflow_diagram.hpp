#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/workflow.hpp"

namespace waymark {

// A workflow's transition table as a diagram, generated, never drawn by hand:
// Graphviz DOT (render with `dot -Tsvg`) or a Mermaid state diagram. The
// first row's source state is the initial state; edges are labelled with the
// command.
std::string WorkflowDot(std::string_view kind, const std::vector<Transition>& transitions);
std::string WorkflowMermaid(std::string_view kind, const std::vector<Transition>& transitions);

}  // namespace waymark
