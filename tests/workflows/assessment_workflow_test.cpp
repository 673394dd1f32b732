// The assessment workflow against its table, DESIGN.md's rules (all ten
// scored before submitting; four eyes on approval), roles, validation and
// its frozen events.

#include "workflows/assessment/assessment_workflow.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <fstream>
#include <sstream>

#include "tests/workflows/refusals.hpp"
#include "tests/workflows/released_events.hpp"
#include "tests/workflows/table_walk.hpp"

namespace waymark::workflows {
namespace {

const Timestamp kNow = *ParseRfc3339("2026-11-26T09:00:00Z");

// Each ScoreDimension scores the next dimension, so ten in a row score all.
CommandRequest Valid(const std::string& type) {
  static std::size_t next_dimension = 0;
  boost::json::object data;
  Actor actor{"olivia", "officer", ""};
  if (type == "StartAssessment") data = {{"network_id", "ne"}, {"period", "2026"}};
  if (type == "ScoreDimension") {
    data = {{"dimension", kDimensions[next_dimension++ % kDimensions.size()]},
            {"score", 2},
            {"note", "Quarterly forums, thinly attended"},
            {"evidence", boost::json::array{"https://example.org/minutes"}}};
  }
  if (type == "ReturnAssessment" || type == "WithdrawAssessment") data = {{"reason", "see notes"}};
  if (type == "ModerateScore") {
    data = {
        {"dimension", "membership"}, {"score", 3}, {"reason", "the survey reached few members"}};
  }
  if (type == "ApproveAssessment") actor.name = "oscar";  // not the submitter
  return {"assessment-a1", type, data, std::nullopt, "", actor, "", ""};
}
Timestamp At(const std::string&) { return kNow; }

std::vector<std::string> ScoreAll() { return std::vector<std::string>(10, "ScoreDimension"); }

std::vector<CommandRequest> ScoreAllBeforeSubmitting(std::vector<CommandRequest> path,
                                                     const Transition& row) {
  if (row.command == "SubmitAssessment") {
    for (const auto& type : ScoreAll()) path.push_back(Valid(type));
  }
  return path;
}

std::unique_ptr<WorkflowState> Replay(std::vector<std::string> commands) {
  return testing::Replay(AssessmentWorkflow(), commands, Valid, At);
}

TEST(AssessmentWorkflow, EveryCommandInEveryReachableStateDoesWhatTheTableSays) {
  const auto states = testing::WalkEveryCommandInEveryState(AssessmentWorkflow(), Valid, At,
                                                            ScoreAllBeforeSubmitting);
  EXPECT_EQ(states,
            (std::set<std::string>{"unstarted", "draft", "submitted", "approved", "withdrawn"}));
}

TEST(AssessmentWorkflow, TheTableIsTheMethodologyOfTheDesign) {
  EXPECT_EQ(testing::Triples(AssessmentWorkflow()),
            (std::set<std::tuple<std::string, std::string, std::string>>{
                {"unstarted", "StartAssessment", "draft"},
                {"draft", "ScoreDimension", "draft"},
                {"draft", "ModerateScore", "draft"},  // an officer, beside the self score
                {"submitted", "ModerateScore", "submitted"},
                {"draft", "SubmitAssessment", "submitted"},
                {"submitted", "ReturnAssessment", "draft"},
                {"submitted", "ApproveAssessment", "approved"},
                {"draft", "WithdrawAssessment", "withdrawn"},
                {"submitted", "WithdrawAssessment", "withdrawn"}}));
}

TEST(AssessmentWorkflow, AModeratedScoreIsKeptBesideTheSelfScoreAndIsTheOneThatCounts) {
  std::vector<CommandRequest> path{Valid("StartAssessment")};
  for (const auto& type : ScoreAll()) path.push_back(Valid(type));  // all scored 2
  path.push_back(Valid("ModerateScore"));                           // membership: 3
  auto state = testing::Replay(AssessmentWorkflow(), path, At);
  const auto json = state->ToJson();
  EXPECT_EQ(json.at("scores").at("membership").at("score").as_int64(), 2);
  EXPECT_EQ(json.at("moderated").at("membership").at("score").as_int64(), 3);
  EXPECT_EQ(json.at("moderated").at("membership").at("moderated_by").as_string(), "olivia");
  auto view = ViewAssessment(*state);
  ASSERT_TRUE(view);
  ASSERT_EQ(view->scores.size(), 10u);
  EXPECT_EQ(view->scores[0].dimension, "membership");
  EXPECT_EQ(view->scores[0].score, 3);
  EXPECT_EQ(view->scores[0].self_score, 2);
  EXPECT_EQ(view->scores[1].score, 2);  // not moderated: the self score counts
  EXPECT_EQ(state->ReadModelRow().at("moderated"), boost::json::parse(R"({"membership":3})"));
  // A network does not moderate its own scores.
  auto network = Valid("ModerateScore");
  network.actor = {"nadia", "network", "ne"};
  auto refused = state->Decide(network, kNow);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kForbidden);
}

TEST(AssessmentWorkflow, SubmittingNeedsAllTenDimensionsScored) {
  std::vector<std::string> nine{"StartAssessment"};
  for (int i = 0; i < 9; ++i) nine.push_back("ScoreDimension");
  auto state = Replay(nine);
  auto r = state->Decide(Valid("SubmitAssessment"), kNow);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kNotAllowed);
  EXPECT_NE(r.error().message.find("all ten dimensions must be scored first; not yet scored: "),
            std::string::npos)
      << r.error().message;
  // Scoring a dimension again replaces its score; it does not count twice.
  auto rescored = Replay({"StartAssessment", "ScoreDimension"});
  auto again = Valid("ScoreDimension");
  again.data["dimension"] = "membership";
  again.data["score"] = 5;
  EXPECT_TRUE(rescored->Decide(again, kNow));
}

TEST(AssessmentWorkflow, TheApproverMustNotBeTheSubmitter) {
  auto commands = std::vector<std::string>{"StartAssessment"};
  for (auto& c : ScoreAll()) commands.push_back(c);
  commands.push_back("SubmitAssessment");
  auto submitted = Replay(commands);
  EXPECT_EQ(submitted->ToJson().at("submitted_by").as_string(), "olivia");
  auto self = Valid("ApproveAssessment");
  self.actor.name = "olivia";
  auto refused = submitted->Decide(self, kNow);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kNotAllowed);
  EXPECT_NE(refused.error().message.find(
                "olivia submitted this assessment; another officer must approve it"),
            std::string::npos)
      << refused.error().message;
  auto approved = submitted->Decide(Valid("ApproveAssessment"), kNow);
  ASSERT_TRUE(approved) << approved.error().message;
  EXPECT_EQ(approved->front().data.at("approved_by").as_string(), "oscar");
  // Who approves is the actor; it cannot be typed in.
  auto typed = Valid("ApproveAssessment");
  typed.data["approved_by"] = "oscar";
  auto forged = submitted->Decide(typed, kNow);
  ASSERT_FALSE(forged);
  EXPECT_EQ(forged.error().code, ErrorCode::kValidation);
  EXPECT_EQ(forged.error().message,
            "ApproveAssessment: field 'approved_by' is filled in by Waymark (from who issues the "
            "command and when); leave it out");
}

TEST(AssessmentWorkflow, ANetworkScoresAndSubmitsOnlyOfficersApprove) {
  auto draft = Replay({"StartAssessment"});
  EXPECT_TRUE(testing::DecideAs(*draft, Valid("ScoreDimension"), "network", kNow));
  testing::ExpectForbidden(*draft, Valid,
                           {{"WithdrawAssessment", "network"},
                            {"StartAssessment", "network"},
                            {"ScoreDimension", "system"},
                            {"ScoreDimension", "auditor"}},
                           kNow);
}

TEST(AssessmentWorkflow, BadScoresNameTheFieldAndWhatIsAccepted) {
  using V = boost::json::value;
  testing::ExpectValidationRefusals(
      *Replay({"StartAssessment"}), Valid("ScoreDimension"),
      {{"score", V(6), "field 'score' must be a whole number from 1 to 5"},
       {"score", V(0), "from 1 to 5"},
       {"score", V("3"), "a whole number"},
       {"dimension", V("charisma"), "field 'dimension' must be one of membership, connectivity"},
       {"note", V(""), "field 'note' must be a text"},
       {"evidence", V(boost::json::array{"not a link"}), "field 'evidence' must be a list"}},
      kNow);
}

TEST(AssessmentWorkflow, EventsAsReleasedStillLoad) {
  testing::ExpectReleasedEventsLoad(AssessmentWorkflow());
}

}  // namespace
}  // namespace waymark::workflows
