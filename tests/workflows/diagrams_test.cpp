// The diagrams committed under docs/workflows (ops/render-diagrams) show
// every state and command of the transition tables as they are now.

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "workflows/registry.hpp"

namespace waymark::workflows {
namespace {

TEST(WorkflowDiagrams, TheCommittedSvgsShowEveryRowOfTheTables) {
  for (const Workflow* workflow : AllWorkflows()) {
    const std::string kind(workflow->kind());
    std::ifstream file(std::string(WAYMARK_DOCS_DIR) + "/workflows/" + kind + ".svg");
    ASSERT_TRUE(file) << "docs/workflows/" << kind << ".svg is missing: run ops/render-diagrams";
    std::stringstream svg;
    svg << file.rdbuf();
    for (const auto& t : workflow->transitions()) {
      for (const auto& label : {t.from, t.command, t.to}) {
        EXPECT_NE(svg.str().find(">" + label + "</text>"), std::string::npos)
            << kind << ".svg lacks " << label << ": run ops/render-diagrams";
      }
    }
  }
}

}  // namespace
}  // namespace waymark::workflows
