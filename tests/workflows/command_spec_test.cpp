// Workflow::commands(): each command's fields as its issuer fills them in,
// read from the events' declarations. A form built from them, filled with
// valid values, is accepted by the workflow; a field the engine fills in is
// never asked for.

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "workflows/registry.hpp"

namespace waymark::workflows {
namespace {

std::map<std::string, CommandSpec> Specs() {
  std::map<std::string, CommandSpec> out;
  for (const Workflow* w : AllWorkflows()) {
    for (auto& c : w->commands()) out[c.command] = c;
  }
  return out;
}

std::vector<std::string> Names(const CommandSpec& spec) {
  std::vector<std::string> out;
  for (const auto& f : spec.fields) out.push_back(f.name);
  return out;
}

TEST(CommandSpec, EveryCommandOfEveryTableIsDescribedOnce) {
  for (const Workflow* w : AllWorkflows()) {
    std::set<std::string> in_table, described;
    for (const auto& t : w->transitions()) in_table.insert(t.command);
    for (const auto& c : w->commands()) {
      EXPECT_TRUE(described.insert(c.command).second) << c.command << " twice";
    }
    EXPECT_EQ(in_table, described) << w->kind();
  }
}

TEST(CommandSpec, FieldsTheEngineFillsInAreNotAsked) {
  const auto specs = Specs();
  EXPECT_EQ(Names(specs.at("SubmitEvidence")), (std::vector<std::string>{"summary", "links"}));
  EXPECT_TRUE(Names(specs.at("VerifyMilestone")).empty());
  EXPECT_EQ(Names(specs.at("RescheduleMilestone")), (std::vector<std::string>{"due", "reason"}));
  // The stage move records the cited assessment's scores itself.
  const auto advance = Names(specs.at("AdvanceStage"));
  EXPECT_EQ(std::count(advance.begin(), advance.end(), "scores"), 0);
  EXPECT_EQ(std::count(advance.begin(), advance.end(), "assessment_id"), 1);
  // The network's id is its stream's; the stage has a default.
  const auto& reg = specs.at("RegisterNetwork");
  for (const auto& f : reg.fields) {
    EXPECT_NE(f.name, "network_id");
    if (f.name == "stage") {
      EXPECT_FALSE(f.required);
      EXPECT_EQ(f.kind, "choice");
      EXPECT_EQ(f.choices.front(), "startup");
    }
  }
  for (const auto& name : {"submitted_by", "approved_by", "moderated_by"}) {
    for (const auto& [command, spec] : specs) {
      const auto n = Names(spec);
      EXPECT_EQ(std::count(n.begin(), n.end(), name), 0) << command << " asks for " << name;
    }
  }
}

TEST(CommandSpec, KindsCarryTheirRules) {
  const auto specs = Specs();
  const auto field = [&](const std::string& command, const std::string& name) {
    for (const auto& f : specs.at(command).fields) {
      if (f.name == name) return f;
    }
    ADD_FAILURE() << command << " has no field " << name;
    return CommandField{};
  };
  const auto score = field("ScoreDimension", "score");
  EXPECT_EQ(score.kind, "int");
  EXPECT_EQ(score.min, 1);
  EXPECT_EQ(score.max, 5);
  const auto dimension = field("ScoreDimension", "dimension");
  EXPECT_EQ(dimension.kind, "choice");
  EXPECT_EQ(dimension.choices.size(), 10u);
  EXPECT_EQ(field("ScoreDimension", "evidence").kind, "links");
  const auto summary = field("SubmitEvidence", "summary");
  EXPECT_EQ(summary.kind, "text");
  EXPECT_EQ(summary.max, 2000);
  EXPECT_EQ(field("RescheduleMilestone", "due").kind, "date");
  const auto value = field("RecordOpportunity", "value_gbp");
  EXPECT_EQ(value.kind, "pounds");
  EXPECT_FALSE(value.required);
}

}  // namespace
}  // namespace waymark::workflows
