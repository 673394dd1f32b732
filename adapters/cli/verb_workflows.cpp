#include <iostream>

#include "adapters/cli/cli.hpp"
#include "core/workflow_diagram.hpp"
#include "workflows/registry.hpp"

namespace po = boost::program_options;

namespace waymark::cli {

int RunWorkflows(const Invocation& inv) {
  po::options_description options("waymark workflows");
  options.add_options()("kind", po::value<std::string>(), "one kind (default: all)")(
      "format", po::value<std::string>()->default_value("dot"), "dot | mermaid")("help,h",
                                                                                 "show this help");
  po::positional_options_description positional;
  positional.add("kind", 1);
  po::variables_map vm;
  if (!ParseArgs(inv, "waymark workflows [--format dot|mermaid] [KIND]", options, positional, vm)) {
    return kExitOk;
  }
  const auto format = vm["format"].as<std::string>();
  if (format != "dot" && format != "mermaid") {
    throw UsageError("--format '" + format + "' is not one of dot, mermaid");
  }
  const std::string kind = vm.count("kind") ? vm["kind"].as<std::string>() : "";
  bool found = false;
  std::string known;
  for (const Workflow* w : workflows::AllWorkflows()) {
    known += (known.empty() ? "" : ", ") + std::string(w->kind());
    if (!kind.empty() && w->kind() != kind) continue;
    found = true;
    inv.out << (format == "dot" ? WorkflowDot(w->kind(), w->transitions())
                                : WorkflowMermaid(w->kind(), w->transitions()));
  }
  if (!found) throw UsageError("no workflow kind '" + kind + "'; known: " + known);
  return kExitOk;
}

}  // namespace waymark::cli
