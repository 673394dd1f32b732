// The network workflow against its table, DESIGN.md's lifecycle (one stage
// forward with an approved assessment since the last change; dormant returns
// to the stage it left), roles, validation and its frozen events.

#include "workflows/network/network_workflow.hpp"

#include <gtest/gtest.h>

#include "tests/workflows/refusals.hpp"
#include "tests/workflows/released_events.hpp"
#include "tests/workflows/table_walk.hpp"
#include "workflows/assessment/assessment_workflow.hpp"

namespace waymark::workflows {
namespace {

const Timestamp kNow = *ParseRfc3339("2026-11-26T09:00:00Z");

std::string NextStage(const std::string& stage) {
  for (std::size_t i = 0; i + 1 < kStages.size(); ++i) {
    if (kStages[i] == stage) return std::string(kStages[i + 1]);
  }
  return "development";
}

std::string PreviousStage(const std::string& stage) {
  for (std::size_t i = 1; i < kStages.size(); ++i) {
    if (kStages[i] == stage) return std::string(kStages[i - 1]);
  }
  return "startup";
}

boost::json::object AllScored(std::int64_t score) {
  boost::json::object scores;
  for (auto d : kDimensions) scores[d] = score;
  return scores;
}

// AdvanceStage names the stage after the one it is issued in.
CommandRequest ValidIn(const std::string& state, const std::string& type) {
  boost::json::object data;
  Actor actor{"olivia", "officer", ""};
  if (type == "RegisterNetwork") data = {{"name", "Northside LSEN"}, {"region", "North West"}};
  if (type == "AdvanceStage") {
    data = {{"to", NextStage(state)}, {"reason", "assessment shows it"}, {"assessment_id", "a1"}};
  }
  if (type == "ReturnToStage") data = {{"to", PreviousStage(state)}, {"reason", "lost its chair"}};
  if (type == "AssignOfficer") data = {{"officer", "oscar"}};
  if (type == "SuspendNetwork" || type == "CloseNetwork") data = {{"reason", "no coordinator"}};
  if (type == "RecordMembership") data = {{"members", 40}, {"active_members", 25}};
  if (type == "RecordOpportunity") {
    data = {{"kind", "contract"},
            {"description", "Council catering contract won jointly"},
            {"value_gbp", 48000},
            {"members_involved", 3}};
  }
  if (type == "RecordRepresentation") {
    data = {{"partnership", "Fife Community Planning Partnership"},
            {"level", "local"},
            {"seat", "third sector board member"}};
  }
  if (type == "RecordReferral") {
    data = {{"agency", "firstport"}, {"purpose", "start-up funding advice"}, {"members", 2}};
  }
  if (type == "RecordAssessmentOutcome") {
    data = {{"assessment_id", "a1"}, {"period", "2026"}, {"scores", AllScored(3)}};
    actor = {"waymark/assessment-approved", "system", ""};
  }
  return {"network-ne", type, data, std::nullopt, "", actor, "", ""};
}
CommandRequest Valid(const std::string& type) { return ValidIn("startup", type); }
Timestamp At(const std::string&) { return kNow; }

// Commands that bring a network to `stage`, an assessment recorded before each advance.
std::vector<CommandRequest> ReachStage(const std::string& stage) {
  std::vector<CommandRequest> path{ValidIn("unregistered", "RegisterNetwork")};
  for (std::string at = "startup"; at != stage; at = NextStage(at)) {
    path.push_back(ValidIn(at, "RecordAssessmentOutcome"));
    path.push_back(ValidIn(at, "AdvanceStage"));
  }
  return path;
}

// An advance needs an outcome first; resuming to a stage needs a network
// suspended in it.
std::vector<CommandRequest> Prepare(std::vector<CommandRequest> path, const Transition& row) {
  if (row.command == "AdvanceStage") path.push_back(ValidIn(row.from, "RecordAssessmentOutcome"));
  if (row.command == "ResumeNetwork") {
    path = ReachStage(row.to);
    path.push_back(ValidIn(row.to, "SuspendNetwork"));
  }
  return path;
}

std::unique_ptr<WorkflowState> Replay(const std::vector<CommandRequest>& commands) {
  return testing::Replay(NetworkWorkflow(), commands, At);
}

// A network registered past startup names the stage and its basis.
void ForRow(CommandRequest& request, const Transition& row) {
  if (row.command == "RegisterNetwork" && row.to != "startup") {
    request.data["stage"] = row.to;
    request.data["basis"] = "two contracts won jointly last year";
  }
}

TEST(NetworkWorkflow, EveryCommandInEveryReachableStateDoesWhatTheTableSays) {
  const auto states =
      testing::WalkEveryCommandInEveryState(NetworkWorkflow(), ValidIn, At, Prepare, ForRow);
  EXPECT_EQ(states, (std::set<std::string>{"unregistered", "startup", "development",
                                           "participation", "growth", "dormant", "closed"}));
}

TEST(NetworkWorkflow, TheTableIsTheLifecycleOfTheDesign) {
  std::set<std::tuple<std::string, std::string, std::string>> expected = {
      {"startup", "AdvanceStage", "development"},
      {"development", "AdvanceStage", "participation"},
      {"participation", "AdvanceStage", "growth"},
      {"development", "ReturnToStage", "startup"},
      {"participation", "ReturnToStage", "development"},
      {"growth", "ReturnToStage", "participation"},
      {"dormant", "CloseNetwork", "closed"},
      {"dormant", "RecordMembership", "dormant"},
      {"dormant", "RecordAssessmentOutcome", "dormant"},
      {"dormant", "AssignOfficer", "dormant"},
  };
  // The funder's outcomes: recorded in every state but closed.
  for (auto state : {"startup", "development", "participation", "growth", "dormant"}) {
    for (auto command : {"RecordOpportunity", "RecordRepresentation", "RecordReferral"}) {
      expected.insert({state, command, state});
    }
  }
  for (auto stage : kStages) {
    const std::string s(stage);
    expected.insert({"unregistered", "RegisterNetwork", s});  // at the stage it has reached
    expected.insert({s, "AssignOfficer", s});
    expected.insert({s, "SuspendNetwork", "dormant"});
    expected.insert({"dormant", "ResumeNetwork", s});
    expected.insert({s, "CloseNetwork", "closed"});
    expected.insert({s, "RecordMembership", s});
    expected.insert({s, "RecordAssessmentOutcome", s});
  }
  EXPECT_EQ(testing::Triples(NetworkWorkflow()), expected);
}

TEST(NetworkWorkflow, AdvancingNeedsAnAssessmentApprovedSinceTheLastStageChange) {
  auto registered = Replay(ReachStage("startup"));
  auto refused = registered->Decide(ValidIn("startup", "AdvanceStage"), kNow);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kNotAllowed);
  EXPECT_NE(refused.error().message.find("needs an assessment approved since the network entered "
                                         "startup"),
            std::string::npos)
      << refused.error().message;

  // One outcome buys one advance: the next needs another.
  auto path = ReachStage("development");
  auto development = Replay(path);
  EXPECT_EQ(development->ToJson().at("assessed_since_stage_change").as_bool(), false);
  EXPECT_FALSE(development->Decide(ValidIn("development", "AdvanceStage"), kNow));
  path.push_back(ValidIn("development", "RecordAssessmentOutcome"));
  EXPECT_TRUE(Replay(path)->Decide(ValidIn("development", "AdvanceStage"), kNow));
}

TEST(NetworkWorkflow, AdvancingGoesOneStageForwardOnly) {
  auto path = ReachStage("startup");
  path.push_back(ValidIn("startup", "RecordAssessmentOutcome"));
  auto state = Replay(path);
  for (const char* to : {"participation", "growth", "startup"}) {
    auto jump = ValidIn("startup", "AdvanceStage");
    jump.data["to"] = to;
    auto refused = state->Decide(jump, kNow);
    ASSERT_FALSE(refused) << to;
    EXPECT_NE(refused.error().message.find("one stage at a time: from startup the next stage is "
                                           "development, not " +
                                           std::string(to)),
              std::string::npos)
        << refused.error().message;
  }
  auto unknown = ValidIn("startup", "AdvanceStage");
  unknown.data["to"] = "maturity";
  auto bad = state->Decide(unknown, kNow);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kValidation);
  EXPECT_NE(bad.error().message.find("one of startup, development, participation, growth"),
            std::string::npos);
}

TEST(NetworkWorkflow, ADormantNetworkResumesTheStageItLeft) {
  auto path = ReachStage("participation");
  path.push_back(ValidIn("participation", "RecordAssessmentOutcome"));
  path.push_back(ValidIn("participation", "SuspendNetwork"));
  auto dormant = Replay(path);
  EXPECT_EQ(testing::StateOf(*dormant), "dormant");
  EXPECT_EQ(dormant->ToJson().at("stage").as_string(), "participation");
  EXPECT_EQ(
      dormant->AllowedCommands(),
      (std::vector<std::string>{"AssignOfficer", "ResumeNetwork", "CloseNetwork",
                                "RecordMembership", "RecordAssessmentOutcome", "RecordOpportunity",
                                "RecordRepresentation", "RecordReferral"}));
  path.push_back(ValidIn("dormant", "ResumeNetwork"));
  auto resumed = Replay(path);
  EXPECT_EQ(testing::StateOf(*resumed), "participation");
  // The assessment approved before the suspension still counts.
  EXPECT_TRUE(resumed->Decide(ValidIn("participation", "AdvanceStage"), kNow));
}

TEST(NetworkWorkflow, OfficersRunTheLifecycleAndTheEngineRecordsOutcomes) {
  auto state = Replay(ReachStage("startup"));
  EXPECT_EQ(state->network_id(), "ne");  // the stream's own id
  EXPECT_TRUE(testing::DecideAs(*state, Valid("RecordMembership"), "officer", kNow));
  testing::ExpectForbidden(*state, Valid,
                           {{"SuspendNetwork", "network"},
                            {"RecordAssessmentOutcome", "officer"},
                            {"RecordAssessmentOutcome", "network"},
                            {"CloseNetwork", "system"},
                            {"RecordAssessmentOutcome", "admin"}},
                           kNow);
}

TEST(NetworkWorkflow, BadDataNamesTheFieldAndWhatIsAccepted) {
  using V = boost::json::value;
  auto fresh = NetworkWorkflow().NewState("ne");
  testing::ExpectValidationRefusals(
      *fresh, Valid("RegisterNetwork"),
      {{"name", V(""), "field 'name' must be a text of 1-200 characters"},
       {"region", V(3), "field 'region' must be a text of 1-100 characters"}},
      kNow);
  auto state = Replay(ReachStage("startup"));
  testing::ExpectValidationRefusals(
      *state, Valid("RecordMembership"),
      {{"active_members", V(41), "field 'active_members' must be at most members (40)"},
       {"members", V(-1), "field 'members' must be a whole number from 0 to 1000000"},
       {"active_members", V("25"), "a whole number"}},
      kNow);
  auto outcome = Valid("RecordAssessmentOutcome");
  auto partial = AllScored(4);
  partial.erase("innovation");
  outcome.data["scores"] = partial;
  auto r = state->Decide(outcome, kNow);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("field 'scores' must be an object scoring each of the ten"),
            std::string::npos);
}

TEST(NetworkWorkflow, EveryReleasedEventStillLoads) {
  testing::ExpectReleasedEventsLoad(NetworkWorkflow());
}

TEST(NetworkWorkflow, OutcomesAreRecordedWithTheirAcceptedValuesNamed) {
  auto state = Replay(ReachStage("development"));
  // value_gbp: pounds, exact to the penny, as a number or a string; recorded as a string.
  for (const auto& [given, recorded] :
       std::vector<std::pair<boost::json::value, std::string>>{{48000, "48000.00"},
                                                               {1250.5, "1250.50"},
                                                               {0.29, "0.29"},
                                                               {"1250.5", "1250.50"},
                                                               {"99.99", "99.99"},
                                                               {0, "0.00"}}) {
    auto command = ValidIn("development", "RecordOpportunity");
    command.data["value_gbp"] = given;
    auto decided = state->Decide(command, kNow);
    ASSERT_TRUE(decided) << boost::json::serialize(given) << ": " << decided.error().message;
    EXPECT_EQ(decided->at(0).type, "OpportunityBrokered");
    EXPECT_EQ(decided->at(0).data.at("value_gbp").as_string(), recorded);
  }
  for (const auto& bad : std::vector<boost::json::value>{12.345, -1, -0.5, "12.345", "1,250", "£5",
                                                         "", "1e3", 1e300, true}) {
    auto command = ValidIn("development", "RecordOpportunity");
    command.data["value_gbp"] = bad;
    auto refused = state->Decide(command, kNow);
    ASSERT_FALSE(refused) << boost::json::serialize(bad);
    EXPECT_EQ(refused.error().code, ErrorCode::kValidation);
    EXPECT_NE(refused.error().message.find("at most two decimals"), std::string::npos)
        << refused.error().message;
  }
  auto no_value = ValidIn("development", "RecordOpportunity");
  no_value.data.erase("value_gbp");
  auto without = state->Decide(no_value, kNow);
  ASSERT_TRUE(without);
  EXPECT_FALSE(without->at(0).data.as_object().contains("value_gbp"));
  // Each closed set of values is named when missed.
  const std::vector<std::tuple<std::string, std::string, std::string>> misses = {
      {"RecordOpportunity", "kind", "one of business, contract, funding, investment, partnership"},
      {"RecordRepresentation", "level", "one of local, regional, national"},
      {"RecordReferral", "agency",
       "one of firstport, social_enterprise_academy, aspire_to_enterprise, "
       "coalfields_regeneration_trust, local_cvs, lsep"}};
  for (const auto& [type, field, accepted] : misses) {
    auto command = ValidIn("development", type);
    command.data[field] = "something else";
    auto refused = state->Decide(command, kNow);
    ASSERT_FALSE(refused) << type;
    EXPECT_NE(refused.error().message.find(accepted), std::string::npos) << refused.error().message;
  }
  auto nobody = ValidIn("development", "RecordReferral");
  nobody.data["members"] = 0;
  EXPECT_FALSE(state->Decide(nobody, kNow));
  // A closed network records nothing more; the network itself may record its outcomes.
  auto path = ReachStage("development");
  path.push_back(ValidIn("development", "CloseNetwork"));
  auto closed = Replay(path);
  for (auto type : {"RecordOpportunity", "RecordRepresentation", "RecordReferral"}) {
    auto refused = closed->Decide(ValidIn("closed", type), kNow);
    ASSERT_FALSE(refused) << type;
    EXPECT_EQ(refused.error().code, ErrorCode::kNotAllowed);
    EXPECT_TRUE(testing::DecideAs(*state, ValidIn("development", type), "network", kNow)) << type;
    EXPECT_FALSE(testing::DecideAs(*state, ValidIn("development", type), "auditor", kNow)) << type;
  }
}

}  // namespace
}  // namespace waymark::workflows
