// The diagrams committed under docs/workflows (ops/render-diagrams) draw
// exactly the transition tables as they are now: every row an edge from its
// state to its target labelled with its command, and no edge besides.

#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <tuple>

#include "workflows/registry.hpp"

namespace waymark::workflows {
namespace {

using Edge = std::tuple<std::string, std::string, std::string>;  // from, to, label

// The labelled edges of a Graphviz SVG: each <g class="edge"> has a
// <title>FROM&#45;&gt;TO</title> and one <text> per label line.
std::set<Edge> EdgesOf(const std::string& svg) {
  static const std::regex group(R"(<g id="edge\d+" class="edge">([\s\S]*?)</g>)");
  static const std::regex title(R"(<title>(.*?)&#45;&gt;(.*?)</title>)");
  static const std::regex text(R"(<text[^>]*>(.*?)</text>)");
  std::set<Edge> edges;
  for (std::sregex_iterator g(svg.begin(), svg.end(), group), end; g != end; ++g) {
    const std::string body = (*g)[1];
    std::smatch t;
    if (!std::regex_search(body, t, title)) continue;
    for (std::sregex_iterator l(body.begin(), body.end(), text); l != end; ++l) {
      edges.insert({t[1], t[2], (*l)[1]});
    }
  }
  return edges;
}

TEST(WorkflowDiagrams, TheCommittedSvgsDrawEveryRowOfTheTablesAsAnEdgeAndNothingElse) {
  for (const Workflow* workflow : AllWorkflows()) {
    const std::string kind(workflow->kind());
    std::ifstream file(std::string(WAYMARK_DOCS_DIR) + "/workflows/" + kind + ".svg");
    ASSERT_TRUE(file) << "docs/workflows/" << kind << ".svg is missing: run ops/render-diagrams";
    std::stringstream svg;
    svg << file.rdbuf();
    const auto drawn = EdgesOf(svg.str());
    std::set<Edge> rows;
    for (const auto& t : workflow->transitions()) rows.insert({t.from, t.to, t.command});
    for (const auto& row : rows) {
      EXPECT_TRUE(drawn.contains(row))
          << kind << ".svg lacks the edge " << std::get<0>(row) << " -> " << std::get<1>(row)
          << " [" << std::get<2>(row) << "]: run ops/render-diagrams";
    }
    for (const auto& edge : drawn) {
      EXPECT_TRUE(rows.contains(edge))
          << kind << ".svg draws " << std::get<0>(edge) << " -> " << std::get<1>(edge) << " ["
          << std::get<2>(edge) << "], which no row of the table has: run ops/render-diagrams";
    }
    EXPECT_GE(drawn.size(), rows.size()) << kind;
  }
}

}  // namespace
}  // namespace waymark::workflows
