#include "core/workflow_diagram.hpp"

#include <map>
#include <set>

namespace waymark {
namespace {

// Rows that share source and target become one edge with several commands.
std::map<std::pair<std::string, std::string>, std::vector<std::string>> Edges(
    const std::vector<Transition>& transitions) {
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> edges;
  for (const auto& t : transitions) edges[{t.from, t.to}].push_back(t.command);
  return edges;
}

std::string Join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : std::string(separator)) + p;
  return out;
}

}  // namespace

std::string WorkflowDot(std::string_view kind, const std::vector<Transition>& transitions) {
  std::string out =
      "digraph " + std::string(kind) + " {\n  rankdir=LR;\n  node [shape=box, style=rounded];\n";
  if (!transitions.empty()) {
    out += "  start [shape=point];\n  start -> " + transitions.front().from + ";\n";
  }
  for (const auto& [edge, commands] : Edges(transitions)) {
    out +=
        "  " + edge.first + " -> " + edge.second + " [label=\"" + Join(commands, "\\n") + "\"];\n";
  }
  return out + "}\n";
}

std::string WorkflowMermaid(std::string_view kind, const std::vector<Transition>& transitions) {
  std::string out = "---\ntitle: " + std::string(kind) + "\n---\nstateDiagram-v2\n";
  if (!transitions.empty()) out += "  [*] --> " + transitions.front().from + "\n";
  std::set<std::string> sources;
  for (const auto& t : transitions) sources.insert(t.from);
  std::set<std::string> finals;
  for (const auto& [edge, commands] : Edges(transitions)) {
    out += "  " + edge.first + " --> " + edge.second + " : " + Join(commands, ", ") + "\n";
    if (!sources.count(edge.second)) finals.insert(edge.second);
  }
  for (const auto& f : finals) out += "  " + f + " --> [*]\n";
  return out;
}

}  // namespace waymark
