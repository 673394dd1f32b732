// Hostile input from a token's holder, through the one command handler with
// the domain's workflows, policies and timers, in memory: what the write side
// accepts every consumer can hold; the engine's own idempotency keys are out
// of a token's reach and its refused or conflicting commands block nothing;
// another network's stream answers as a missing one does, keys included; four
// eyes compares one identity per person.

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "core/event_json.hpp"
#include "core/fold.hpp"
#include "core/memory_event_store.hpp"
#include "tests/workflows/development_cycle.hpp"
#include "workflows/assessment/assessment_workflow.hpp"

namespace waymark::workflows {
namespace {

const Actor kOlivia{"olivia", "officer", ""};
const Actor kOscar{"oscar", "officer", ""};
const Actor kNadia{"nadia", "network", "ne"};
const Actor kSam{"sam", "network", "se"};

// An EventStore whose appends to one stream always lose a race (as if
// another writer always got there first); everything else passes through.
class AlwaysConflicting final : public EventStoreWrapper {
 public:
  AlwaysConflicting(EventStore& inner, std::string stream)
      : EventStoreWrapper(inner), stream_(std::move(stream)) {}
  std::expected<AppendResult, Error> Append(const AppendRequest& r) override {
    if (r.stream == stream_) {
      return std::unexpected(MakeError(ErrorCode::kConflict, r.stream + " moved on"));
    }
    return inner().Append(r);
  }

 private:
  std::string stream_;
};

class HostileInput : public ::testing::Test {
 protected:
  HostileInput() : cycle_(*store_, *checkpoints_, *timers_, clock_) {}

  std::expected<AppendResult, Error> Try(const std::string& stream, const std::string& type,
                                         boost::json::object data, const Actor& actor,
                                         std::string key = "") {
    CommandRequest c{stream, type, std::move(data), std::nullopt, std::move(key), actor, "", ""};
    return cycle_.handler().Handle(c);
  }

  // Networks ne and se, each with an officer and an approved assessment
  // whose plan the engine drafts (actions for the dimensions scored 1 or 2).
  void Programme() {
    for (const auto& [id, coordinator] : {std::pair{"ne", kNadia}, std::pair{"se", kSam}}) {
      const std::string assessment = std::string("assessment-") + id + "-1";
      cycle_.Do(std::string("network-") + id, "RegisterNetwork",
                {{"name", std::string(id) + " network"}, {"region", "Fife"}}, kOlivia);
      cycle_.Do(assessment, "StartAssessment", {{"network_id", id}, {"period", "2026"}}, kOlivia);
      for (auto dimension : kDimensions) {
        cycle_.Do(assessment, "ScoreDimension",
                  {{"dimension", dimension},
                   {"score", dimension == "connectivity" ? 2 : 4},
                   {"note", "survey"}},
                  coordinator);
      }
      cycle_.Do(assessment, "SubmitAssessment", {}, coordinator);
    }
  }
  void Approve(const std::string& assessment) {
    cycle_.Do(assessment, "ApproveAssessment", {}, kOlivia);
  }
  boost::json::object Milestone(std::string due) {
    return {{"plan_id", "ne-1"},
            {"network_id", "ne"},
            {"action_id", "connectivity"},
            {"title", "Members' map"},
            {"due", std::move(due)}};
  }

  ManualClock clock_{*ParseRfc3339("2026-11-26T09:00:00Z")};
  std::unique_ptr<EventStore> store_ = MakeMemoryEventStore(clock_);
  std::unique_ptr<CheckpointStore> checkpoints_ = MakeMemoryCheckpointStore();
  std::unique_ptr<TimerStore> timers_ = MakeMemoryTimerStore();
  testing::DevelopmentCycle cycle_;
};

TEST_F(HostileInput, TextThatAConsumerCannotHoldIsRefusedAndNothingIsStored) {
  Programme();
  const std::size_t before = cycle_.EventCount();
  const std::string assessment = "assessment-ne-1";
  cycle_.Do(assessment, "ReturnAssessment", {{"reason", "check the notes"}}, kOlivia);
  const std::size_t returned = cycle_.EventCount();
  ASSERT_EQ(returned, before + 1);
  for (const std::string& note :
       {std::string("a\0b", 3), std::string("bell\x07"), std::string("del\x7f"),
        std::string("c1 \xc2\x85 next line"), std::string("bad \xff byte"),
        std::string("cut \xe2\x82"), std::string("surrogate \xed\xa0\x80"),
        std::string("overlong \xc0\xaf"), std::string("lone CR\r")}) {
    auto r = Try(assessment, "ScoreDimension",
                 {{"dimension", "membership"}, {"score", 3}, {"note", note}}, kNadia);
    ASSERT_FALSE(r) << "accepted a note of " << note.size() << " bytes";
    EXPECT_EQ(r.error().code, ErrorCode::kValidation);
    EXPECT_NE(r.error().message.find("field 'note'"), std::string::npos) << r.error().message;
    EXPECT_TRUE(r.error().message.find("control character") != std::string::npos ||
                r.error().message.find("UTF-8") != std::string::npos)
        << r.error().message;
  }
  // A title is one line: a newline in it is refused; in a note it is kept,
  // and a browser's CR LF is kept as LF.
  auto r = Try(assessment, "ScoreDimension",
               {{"dimension", "membership"}, {"score", 3}, {"note", "one\r\ntwo\tthree"}}, kNadia);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->events.front().data.at("note").as_string(), "one\ntwo\tthree");
  auto named =
      Try("network-nw", "RegisterNetwork", {{"name", "North\nWest"}, {"region", "Fife"}}, kOlivia);
  ASSERT_FALSE(named);
  EXPECT_NE(named.error().message.find("on one line"), std::string::npos) << named.error().message;
  EXPECT_EQ(cycle_.EventCount(), returned + 1);
}

TEST_F(HostileInput, DatesOutsideTheYearsEveryConsumerHoldsAreRefused) {
  Programme();
  Approve("assessment-ne-1");
  cycle_.CatchUp();
  const std::size_t before = cycle_.EventCount();
  for (const char* due : {"0000-01-01", "0001-01-01", "1899-12-31", "3000-01-01", "9999-12-31"}) {
    auto r = Try("milestone-m1", "ScheduleMilestone", Milestone(due), kNadia);
    ASSERT_FALSE(r) << due;
    EXPECT_EQ(r.error().code, ErrorCode::kValidation) << due;
    EXPECT_NE(r.error().message.find("1900-01-01 to 2999-12-31"), std::string::npos)
        << r.error().message;
  }
  EXPECT_EQ(cycle_.EventCount(), before);
  EXPECT_TRUE(Try("milestone-m1", "ScheduleMilestone", Milestone("2999-12-31"), kNadia));
}

TEST_F(HostileInput, ATokenCannotClaimTheKeysTheEnginesTimersAndPoliciesUse) {
  Programme();
  Approve("assessment-ne-1");
  cycle_.CatchUp();
  cycle_.Do("milestone-m1", "ScheduleMilestone", Milestone("2026-12-01"), kNadia);
  cycle_.CatchUp();
  // The engine's namespace is refused outright...
  auto claimed =
      Try("milestone-m1", "StartMilestone", {}, kNadia, "waymark/milestone-overdue:2026-12-01");
  ASSERT_FALSE(claimed);
  EXPECT_EQ(claimed.error().code, ErrorCode::kValidation);
  EXPECT_NE(claimed.error().message.find("engine's own"), std::string::npos);
  // ...and the key the timer used before it had one is a person's key like any other.
  ASSERT_TRUE(Try("milestone-m1", "StartMilestone", {}, kNadia, "milestone-overdue:2026-12-01"));
  // The second network claims its policy's key the same way before its approval.
  ASSERT_TRUE(Try("network-se", "RecordMembership", {{"members", 5}, {"active_members", 3}}, kSam,
                  "assessment-approved:assessment-se-1@13:outcome"));
  clock_.Set(*ParseRfc3339("2026-12-02T01:00:00Z"));
  Approve("assessment-se-1");
  cycle_.CatchUp();
  // The timer fired anyway, and the policy reacted anyway.
  auto milestone = cycle_.State("milestone-m1");
  EXPECT_EQ(milestone.at("state").as_string(), "overdue");
  auto last = store_->ReadStream("milestone-m1", 3, 10);
  ASSERT_TRUE(last && !last->empty());
  EXPECT_EQ(last->back().type, "MilestoneOverdue");
  EXPECT_EQ(last->back().metadata.idempotency_key, "waymark/milestone-overdue:2026-12-01");
  EXPECT_EQ(cycle_.State("plan-se-1").at("state").as_string(), "draft");
  EXPECT_EQ(cycle_.State("network-se").at("last_assessment").at("assessment_id").as_string(),
            "se-1");
}

TEST_F(HostileInput, APolicyCommandThatKeepsConflictingIsRecordedAndBlocksNothingBehindIt) {
  Programme();
  Approve("assessment-ne-1");
  Approve("assessment-se-1");
  AlwaysConflicting racing(*store_, "plan-ne-1");
  CommandHandler handler(racing, TheDomain(), clock_, cycle_.ids());
  std::vector<std::string> reported;
  PolicyRunner runner(racing, *checkpoints_, *timers_, handler, clock_, DomainPolicies(),
                      [&](const std::string& line) { reported.push_back(line); });
  auto progress = runner.CatchUp();
  ASSERT_TRUE(progress) << progress.error().message;
  // ne's plan could not be drafted (nor its action added); se's was, behind it.
  EXPECT_EQ(cycle_.State("plan-se-1").at("state").as_string(), "draft");
  EXPECT_FALSE(store_->ReadStream("plan-ne-1", 1, 1)->size());
  ASSERT_FALSE(reported.empty());
  EXPECT_NE(reported.front().find("conflicted"), std::string::npos) << reported.front();
  EXPECT_NE(reported.front().find("plan-ne-1"), std::string::npos);
  EXPECT_GE(progress->refused, 1u);
}

TEST_F(HostileInput, AKeyUsedOnAnotherNetworksStreamAnswersAsAMissingStreamDoes) {
  Programme();
  // se's coordinator records membership with a key; ne's tries the same key on se's stream.
  ASSERT_TRUE(Try("network-se", "RecordMembership", {{"members", 9}, {"active_members", 4}}, kSam,
                  "probe-1"));
  auto other = Try("network-se", "RecordMembership", {{"members", 1}, {"active_members", 1}},
                   kNadia, "probe-1");
  auto missing = Try("network-zz", "RecordMembership", {{"members", 1}, {"active_members", 1}},
                     kNadia, "probe-1");
  ASSERT_FALSE(other);
  ASSERT_FALSE(missing);
  EXPECT_EQ(other.error().code, ErrorCode::kNotFound) << other.error().message;
  EXPECT_EQ(other.error().code, missing.error().code);
  auto unnamed = [](std::string m, const std::string& stream) {
    return m.replace(m.find(stream), stream.size(), "<stream>");
  };
  EXPECT_EQ(unnamed(other.error().message, "network-se"),
            unnamed(missing.error().message, "network-zz"));
}

TEST_F(HostileInput, FourEyesComparesOnePersonHoweverTheirNameIsSpelt) {
  Programme();
  const std::string assessment = "assessment-ne-1";
  cycle_.Do(assessment, "ReturnAssessment", {{"reason", "again"}}, kOlivia);
  cycle_.Do(assessment, "SubmitAssessment", {}, Actor{"olivia", "officer", ""});
  for (const char* spelling : {"Olivia", "olivia ", " OLIVIA", "olivia"}) {
    auto r = Try(assessment, "ApproveAssessment", {}, Actor{spelling, "officer", ""});
    ASSERT_FALSE(r) << spelling;
    EXPECT_EQ(r.error().code, ErrorCode::kNotAllowed) << spelling;
  }
  EXPECT_TRUE(Try(assessment, "ApproveAssessment", {}, kOscar));
}

TEST_F(HostileInput, KeysAndActorsAreCheckedLikeText) {
  Programme();
  for (const std::string& key :
       {std::string("k\0a", 3), std::string(201, 'k'), std::string("k\n")}) {
    auto r =
        Try("network-ne", "RecordMembership", {{"members", 2}, {"active_members", 1}}, kNadia, key);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kValidation);
    EXPECT_NE(r.error().message.find("idempotency_key"), std::string::npos);
  }
  auto r = Try("network-ne", "RecordMembership", {{"members", 2}, {"active_members", 1}},
               Actor{std::string("ev\0il", 5), "officer", ""});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kValidation);
}

// Fuzz finding (tests/fuzz/findings/import/control-character-in-a-field-no-workflow-reads):
// an import's event carried a DEL in a field its workflow does not read.
TEST(HostileImport, EveryTextOfAnImportedEventIsHeldToTheRuleAndFloatsAreRefused) {
  const auto event = [](boost::json::object data) {
    RecordedEvent e;
    e.stream = "network-ne";
    e.version = 1;
    e.type = "NetworkRegistered";
    e.schema_version = 2;
    e.data = std::move(data);
    e.metadata = {"ada", "admin", "c", "c", "", *ParseRfc3339("2026-01-01")};
    return e;
  };
  const boost::json::object good{
      {"network_id", "ne"}, {"name", "North"}, {"region", "Fife"}, {"stage", "startup"}};
  const auto workflows = AllWorkflows();
  ASSERT_TRUE(CheckFolds(std::vector{event(good)}, workflows));
  auto extra = good;
  extra["note"] = "del\x7f";
  auto refused = CheckFolds(std::vector{event(extra)}, workflows);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("network-ne version 1: data contains a control character"),
            std::string::npos)
      << refused.error().message;
  auto key = good;
  key["bad\nkey"] = "x";
  EXPECT_FALSE(CheckFolds(std::vector{event(key)}, workflows));
  // Fuzz finding (tests/fuzz/findings/canonical/long-mantissa-reparses-one-ulp-away):
  // no floating-point number enters a stored event.
  boost::json::object wire{{"stream", "network-ne"},
                           {"version", 1},
                           {"position", 1},
                           {"type", "NetworkRegistered"},
                           {"schema_version", 2},
                           {"data", {{"n", 1.2345678901231235e23}}},
                           {"hash", ""},
                           {"metadata",
                            {{"actor", "a"},
                             {"role", "admin"},
                             {"correlation_id", ""},
                             {"causation_id", ""},
                             {"idempotency_key", ""},
                             {"recorded_at", "2026-01-01T00:00:00Z"}}}};
  auto floating = EventFromJson(wire);
  ASSERT_FALSE(floating);
  EXPECT_NE(floating.error().message.find("whole"), std::string::npos) << floating.error().message;
}

}  // namespace
}  // namespace waymark::workflows
