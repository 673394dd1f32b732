// What each state waits on someone to do (WorkflowState::Tasks, rm_tasks'
// rows): every kind of task, whose it is, by when, and who may not take it.

#include <gtest/gtest.h>

#include "core/checkpoint_store.hpp"
#include "core/memory_event_store.hpp"
#include "core/timer_store.hpp"
#include "tests/workflows/development_cycle.hpp"

namespace waymark::testing {
namespace {

class Tasks : public ::testing::Test {
 protected:
  // "kind party [due] [not_by]" for each task of the stream now.
  std::vector<std::string> Of(const std::string& stream) {
    auto folded = cycle_.handler().Load(stream);
    EXPECT_TRUE(folded) << stream;
    std::vector<std::string> out;
    if (!folded) return out;
    for (const auto& t : folded->state->Tasks()) {
      std::string line = t.kind + " " + t.party;
      if (!t.due.empty()) line += " due " + t.due;
      if (!t.shown_from.empty()) line += " from " + t.shown_from;
      if (!t.not_by.empty()) line += " not " + t.not_by;
      EXPECT_FALSE(t.since.empty()) << line;
      EXPECT_FALSE(t.title.empty()) << line;
      out.push_back(line);
    }
    return out;
  }
  using Lines = std::vector<std::string>;

  ManualClock clock_{*ParseRfc3339("2026-11-26T09:00:00Z")};
  std::unique_ptr<EventStore> store_ = MakeMemoryEventStore(clock_);
  std::unique_ptr<CheckpointStore> checkpoints_ = MakeMemoryCheckpointStore();
  std::unique_ptr<TimerStore> timers_ = MakeMemoryTimerStore();
  DevelopmentCycle cycle_{*store_, *checkpoints_, *timers_, clock_};
  const Actor olivia_{"olivia", "officer", ""};
  const Actor nadia_{"nadia", "network", "ne"};
};

TEST_F(Tasks, EachStateSaysWhatWaitsOnWhom) {
  // A network: its officer owes it an assessment a year after it registered.
  cycle_.Do("network-ne", "RegisterNetwork", {{"name", "Northside"}, {"region", "North"}}, olivia_);
  EXPECT_EQ(Of("network-ne"), Lines{"assess_network officer due 2027-11-26 from 2027-11-26"});

  // An assessment: the network scores and submits it; an officer who did
  // not submit it approves it; approved, nothing waits.
  cycle_.Do("assessment-a1", "StartAssessment", {{"network_id", "ne"}, {"period", "2026"}},
            olivia_);
  EXPECT_EQ(Of("assessment-a1"), Lines{"score_assessment network"});
  for (auto dimension : workflows::kDimensions) {
    cycle_.Do("assessment-a1", "ScoreDimension",
              {{"dimension", dimension}, {"score", 1}, {"note", "n"}}, nadia_);
  }
  cycle_.Do("assessment-a1", "SubmitAssessment", {}, nadia_);
  EXPECT_EQ(Of("assessment-a1"), Lines{"approve_assessment officer not nadia"});
  clock_.Advance(std::chrono::days(30));
  cycle_.Do("assessment-a1", "ApproveAssessment", {}, olivia_);
  EXPECT_EQ(Of("assessment-a1"), Lines{});
  cycle_.CatchUp();  // the outcome recorded, the plan drafted
  EXPECT_EQ(Of("network-ne"), Lines{"assess_network officer due 2027-12-26 from 2027-12-26"});

  // A plan: drafted, the network proposes it; proposed, each party that
  // has not agreed; agreed, an officer activates it; active, nothing.
  EXPECT_EQ(Of("plan-a1"), Lines{"propose_plan network"});
  cycle_.Do("plan-a1", "ProposePlan", {}, nadia_);
  EXPECT_EQ(Of("plan-a1"), (Lines{"agree_plan officer", "agree_plan network"}));
  cycle_.Do("plan-a1", "AgreePlan", {}, nadia_);
  EXPECT_EQ(Of("plan-a1"), Lines{"agree_plan officer"});
  cycle_.Do("plan-a1", "AgreePlan", {}, olivia_);
  EXPECT_EQ(Of("plan-a1"), Lines{"activate_plan officer"});
  cycle_.Do("plan-a1", "ActivatePlan", {}, olivia_);
  EXPECT_EQ(Of("plan-a1"), Lines{});

  // A milestone: the network delivers it (listed from 30 days before it is
  // due); at risk, its officer follows it up too; evidence in, an officer
  // who did not submit it verifies it; rejected, the network sends it again.
  cycle_.Do("milestone-m1", "ScheduleMilestone",
            {{"plan_id", "a1"},
             {"network_id", "ne"},
             {"action_id", "connectivity"},
             {"title", "Directory launched"},
             {"due", "2027-02-15"}},
            olivia_);
  EXPECT_EQ(Of("milestone-m1"), Lines{"deliver_milestone network due 2027-02-15 from 2027-01-16"});
  cycle_.Do("milestone-m1", "StartMilestone", {}, nadia_);
  cycle_.Do("milestone-m1", "FlagAtRisk", {{"reason", "a partner is late"}}, nadia_);
  EXPECT_EQ(Of("milestone-m1"), (Lines{"deliver_milestone network due 2027-02-15 from 2027-01-16",
                                       "at_risk_milestone officer due 2027-02-15"}));
  cycle_.Do("milestone-m1", "SubmitEvidence",
            {{"summary", "The directory"}, {"links", boost::json::array{"https://example.org"}}},
            nadia_);
  EXPECT_EQ(Of("milestone-m1"), Lines{"verify_evidence officer due 2027-02-15 not nadia"});
  cycle_.Do("milestone-m1", "RejectEvidence", {{"reason", "a draft, not the directory"}}, olivia_);
  EXPECT_EQ(Of("milestone-m1"), Lines{"resubmit_evidence network due 2027-02-15"});

  // A step: embedded, the network reviews it.
  cycle_.Do("step-s1", "IdentifyStep",
            {{"network_id", "ne"}, {"kind", "income"}, {"description", "Trading arm"}}, nadia_);
  EXPECT_EQ(Of("step-s1"), Lines{});
  cycle_.Do("step-s1", "PlanStep", {{"target", "2027"}}, nadia_);
  cycle_.Do("step-s1", "BeginStep", {}, nadia_);
  cycle_.Do("step-s1", "EmbedStep", {{"evidence", "Accounts"}}, nadia_);
  EXPECT_EQ(Of("step-s1"), Lines{"review_step network"});

  // A closed network owes nothing.
  cycle_.Do("network-ne", "CloseNetwork", {{"reason", "merged"}}, olivia_);
  EXPECT_EQ(Of("network-ne"), Lines{});
}

}  // namespace
}  // namespace waymark::testing
