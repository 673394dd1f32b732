#pragma once

// DESIGN.md's development cycle end to end, on whichever stores it is given
// (in memory for the workflow tests, PostgreSQL for the integration tests):
// a network registered, assessed, the assessment approved; the engine records
// the outcome and drafts the plan; both parties agree it; three milestones —
// one verified, one overdue by the timer and rescheduled, one cancelled; the
// plan completed; a sustainability step through one review cycle; a stage
// advance. The policy runner is made afresh for each catch-up, as a process
// restarting would.

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "core/checkpoint_store.hpp"
#include "core/clock.hpp"
#include "core/command_handler.hpp"
#include "core/id_generator.hpp"
#include "core/policy_runner.hpp"
#include "core/timer_store.hpp"
#include "workflows/assessment/assessment_workflow.hpp"
#include "workflows/policies.hpp"
#include "workflows/registry.hpp"

namespace waymark::testing {

class DevelopmentCycle {
 public:
  DevelopmentCycle(EventStore& store, CheckpointStore& checkpoints, TimerStore& timers,
                   ManualClock& clock)
      : store_(store),
        checkpoints_(checkpoints),
        timers_(timers),
        clock_(clock),
        handler_(store, workflows::TheDomain(), clock, ids_) {}

  CommandHandler& handler() { return handler_; }
  IdGenerator& ids() { return ids_; }

  // Applies a command or fails the test.
  AppendResult Do(const std::string& stream, const std::string& type, boost::json::object data,
                  const Actor& actor) {
    auto r = Try(stream, type, std::move(data), actor);
    EXPECT_TRUE(r) << type << " on " << stream << ": " << r.error().message;
    return r ? *r : AppendResult{};
  }
  std::expected<AppendResult, Error> Try(const std::string& stream, const std::string& type,
                                         boost::json::object data, const Actor& actor) {
    return handler_.Handle({stream, type, std::move(data), std::nullopt, "", actor, "", ""});
  }
  boost::json::object State(const std::string& stream) {
    auto folded = handler_.Load(stream);
    EXPECT_TRUE(folded) << stream;
    return folded ? folded->state->ToJson() : boost::json::object{};
  }
  PolicyProgress CatchUp() {
    PolicyRunner runner(store_, checkpoints_, timers_, handler_, clock_,
                        workflows::DomainPolicies(), [](const std::string& refusal) {
                          ADD_FAILURE() << "a policy's command was refused: " << refusal;
                        });
    auto progress = runner.CatchUp();
    EXPECT_TRUE(progress) << progress.error().message;
    return progress ? *progress : PolicyProgress{};
  }
  std::size_t EventCount() {
    std::size_t n = 0;
    GlobalCursor after;
    for (;;) {
      auto page = store_.ReadAll(after, 1000);
      if (!page || page->empty()) return n;
      n += page->size();
      after = page->back().cursor();
    }
  }

  void Run() {
    const Actor olivia{"olivia", "officer", ""}, oscar{"oscar", "officer", ""};
    const Actor nadia{"nadia", "network", "ne"};

    // Registration and an assessment the network scores itself.
    Do("network-ne", "RegisterNetwork", {{"name", "Northside LSEN"}, {"region", "North West"}},
       olivia);
    Do("network-ne", "AssignOfficer", {{"officer", "olivia"}}, olivia);
    Do("network-ne", "RecordMembership", {{"members", 42}, {"active_members", 30}}, nadia);
    Do("assessment-a1", "StartAssessment", {{"network_id", "ne"}, {"period", "2026"}}, olivia);
    for (auto dimension : workflows::kDimensions) {
      const int score = dimension == "connectivity" ? 2 : dimension == "influence" ? 1 : 4;
      Do("assessment-a1", "ScoreDimension",
         {{"dimension", dimension}, {"score", score}, {"note", "from the members' survey"}}, nadia);
    }
    // The officer moderates one score; both are kept, the moderated one counts.
    Do("assessment-a1", "ModerateScore",
       {{"dimension", "membership"}, {"score", 3}, {"reason", "the survey reached few members"}},
       olivia);
    Do("assessment-a1", "SubmitAssessment", {}, nadia);
    Do("assessment-a1", "ApproveAssessment", {}, olivia);

    // The engine records the outcome and drafts the plan.
    auto first = CatchUp();
    EXPECT_EQ(first.commands, 4u);  // outcome, draft, two actions
    auto network = State("network-ne");
    EXPECT_EQ(network.at("last_assessment").at("assessment_id").as_string(), "a1");
    EXPECT_EQ(network.at("last_assessment").at("scores").at("influence").as_int64(), 1);
    EXPECT_EQ(network.at("last_assessment").at("scores").at("membership").as_int64(), 3)
        << "the moderated score counts";
    auto plan = State("plan-a1");
    EXPECT_EQ(plan.at("state").as_string(), "draft");
    const auto& actions = plan.at("actions").as_array();
    EXPECT_EQ(actions.size(), 2u);  // one per dimension scored 1 or 2
    if (actions.size() == 2) {
      EXPECT_EQ(actions[0].at("dimension").as_string(), "connectivity");
      EXPECT_EQ(actions[0].at("theme").as_string(), "information_flow");
      EXPECT_EQ(actions[0].at("owner").as_string(), "network");
      EXPECT_EQ(actions[1].at("dimension").as_string(), "influence");
      EXPECT_EQ(actions[1].at("theme").as_string(), "influence");
    }
    auto drafted = store_.ReadStream("plan-a1", 1, 1);
    EXPECT_EQ(drafted->front().metadata.actor, "waymark/assessment-approved");
    EXPECT_EQ(drafted->front().metadata.role, "system");
    EXPECT_EQ(drafted->front().metadata.causation_id, "assessment-a1@14");

    // Reacting again after a crash (the checkpoint lost) changes nothing.
    const std::size_t events = EventCount();
    ASSERT_TRUE(checkpoints_.Save(PolicyRunner::kCheckpoint, GlobalCursor{}));
    auto again = CatchUp();
    EXPECT_EQ(again.events, events);
    EXPECT_EQ(EventCount(), events);
    EXPECT_EQ(CatchUp().events, 0u);

    // The officer proposes; the network returns it once and proposes it
    // again; both parties agree; the plan runs.
    Do("plan-a1", "ProposePlan", {}, olivia);
    Do("plan-a1", "AgreePlan", {}, olivia);
    Do("plan-a1", "ReturnPlan", {{"reason", "reword the influence action"}}, nadia);
    EXPECT_EQ(State("plan-a1").at("state").as_string(), "draft");
    EXPECT_TRUE(State("plan-a1").at("agreements").as_object().empty());
    Do("plan-a1", "ProposePlan", {}, nadia);
    Do("plan-a1", "AgreePlan", {}, nadia);
    Do("plan-a1", "AgreePlan", {}, olivia);
    Do("plan-a1", "ActivatePlan", {}, olivia);
    EXPECT_EQ(State("plan-a1").at("state").as_string(), "active");

    // Three milestones.
    const Timestamp before_milestones = clock_.Now();
    clock_.Advance(std::chrono::seconds(1));
    for (const auto& [id, due, action] : {std::tuple{"m1", "2026-12-15", "connectivity"},
                                          std::tuple{"m2", "2026-12-20", "influence"},
                                          std::tuple{"m3", "2026-12-31", "influence"}}) {
      Do(std::string("milestone-") + id, "ScheduleMilestone",
         {{"plan_id", "a1"},
          {"network_id", "ne"},
          {"action_id", action},
          {"title", id},
          {"due", due}},
         olivia);
    }
    // A milestone for an action the plan does not have is refused.
    auto stray = Try("milestone-m9", "ScheduleMilestone",
                     {{"plan_id", "a1"},
                      {"network_id", "ne"},
                      {"action_id", "catering"},
                      {"title", "t"},
                      {"due", "2026-12-31"}},
                     olivia);
    EXPECT_FALSE(stray);
    if (!stray) {
      EXPECT_NE(stray.error().message.find(
                    "the plan has no action 'catering' to deliver; its actions are: "
                    "connectivity, influence"),
                std::string::npos)
          << stray.error().message;
    }
    // m1: the officer who submitted the evidence may not verify it; another does.
    Do("milestone-m1", "StartMilestone", {}, nadia);
    Do("milestone-m1", "SubmitEvidence",
       {{"summary", "Newsletter sent"}, {"links", boost::json::array{"https://example.org/n1"}}},
       olivia);
    auto own = Try("milestone-m1", "VerifyMilestone", {}, olivia);
    EXPECT_FALSE(own);
    if (!own) {
      EXPECT_NE(own.error().message.find("(four eyes)"), std::string::npos);
    }
    Do("milestone-m1", "VerifyMilestone", {}, oscar);
    Do("milestone-m2", "StartMilestone", {}, nadia);
    // m3: a slip foreseen before its due date is recorded at once.
    Do("milestone-m3", "RescheduleMilestone", {{"due", "2027-01-15"}, {"reason", "hall booked"}},
       olivia);
    EXPECT_EQ(State("milestone-m3").at("state").as_string(), "planned");
    auto tracked = CatchUp();
    EXPECT_EQ(tracked.timers_fired, 0u);  // nothing is due yet
    EXPECT_EQ(State("plan-a1").at("milestones"),
              boost::json::parse(R"({"m1":"achieved","m2":"open","m3":"open"})"));

    // m2's due date passes: the timer marks it overdue, once, after restarts too.
    clock_.Advance(std::chrono::days(25));  // 2026-12-21
    auto fired = CatchUp();
    EXPECT_EQ(fired.timers_fired, 1u);
    EXPECT_EQ(State("milestone-m2").at("state").as_string(), "overdue");
    EXPECT_EQ(State("milestone-m3").at("state").as_string(), "planned");
    const std::size_t after_overdue = EventCount();
    EXPECT_EQ(CatchUp().timers_fired, 0u);
    EXPECT_EQ(EventCount(), after_overdue);
    auto overdue = store_.ReadStream("milestone-m2", 3, 1);
    EXPECT_EQ(overdue->front().type, "MilestoneOverdue");
    EXPECT_EQ(overdue->front().metadata.actor, "waymark/milestone-overdue");

    // Completing waits for every milestone.
    auto early = Try("plan-a1", "CompletePlan", {}, olivia);
    EXPECT_FALSE(early);
    if (!early) {
      EXPECT_NE(early.error().message.find("still open: m2, m3"), std::string::npos);
    }

    // m2 delivered late, straight from overdue; m3 cancelled.
    Do("milestone-m2", "SubmitEvidence", {{"summary", "Forum held"}}, nadia);
    Do("milestone-m2", "VerifyMilestone", {}, olivia);
    EXPECT_FALSE(State("milestone-m2").at("on_time").as_bool());
    EXPECT_TRUE(State("milestone-m1").at("on_time").as_bool());
    Do("milestone-m3", "CancelMilestone", {{"reason", "merged into m2"}}, olivia);
    CatchUp();
    EXPECT_TRUE(timers_.Due(clock_.Now() + std::chrono::days(3650), 10)->empty())
        << "closed milestones keep no timer";
    Do("plan-a1", "CompletePlan", {}, olivia);
    auto late = Try("milestone-m8", "ScheduleMilestone",
                    {{"plan_id", "a1"},
                     {"network_id", "ne"},
                     {"action_id", "influence"},
                     {"title", "t"},
                     {"due", "2027-06-30"}},
                    nadia);
    EXPECT_FALSE(late);
    if (!late) {
      EXPECT_NE(late.error().message.find(
                    "the plan is completed; a completed or abandoned plan takes no new milestone"),
                std::string::npos)
          << late.error().message;
    }

    // A second plan is abandoned: the engine cancels its open milestone,
    // which then never goes overdue.
    Do("plan-b1", "DraftPlan", {{"network_id", "ne"}, {"assessment_id", "a1"}}, olivia);
    Do("plan-b1", "AddAction",
       {{"action_id", "catering"},
        {"theme", "brokering"},
        {"description", "Joint catering bid"},
        {"owner", "network"}},
       nadia);
    Do("milestone-m4", "ScheduleMilestone",
       {{"plan_id", "b1"},
        {"network_id", "ne"},
        {"action_id", "catering"},
        {"title", "Bid submitted"},
        {"due", "2027-01-10"}},
       nadia);
    CatchUp();
    Do("plan-b1", "AbandonPlan", {{"reason", "the tender was withdrawn"}}, olivia);
    CatchUp();
    EXPECT_EQ(State("milestone-m4").at("state").as_string(), "cancelled");
    EXPECT_EQ(State("milestone-m4").at("cancel_reason").as_string(),
              "the plan was abandoned: the tender was withdrawn");
    clock_.Advance(std::chrono::days(30));  // past m4's due date
    EXPECT_EQ(CatchUp().timers_fired, 0u) << "a cancelled milestone never goes overdue";

    // A sustainability step through one review cycle, into the next.
    Do("step-s1", "IdentifyStep",
       {{"network_id", "ne"},
        {"plan_id", "a1"},
        {"kind", "income"},
        {"description", "Paid training for the council"}},
       olivia);
    Do("step-s1", "PlanStep", {{"target", "Two paid workshops"}}, nadia);
    Do("step-s1", "BeginStep", {}, nadia);
    Do("step-s1", "EmbedStep", {{"evidence", "Fees in the accounts"}}, nadia);
    Do("step-s1", "ReviewStep", {{"outcome", "A quarter of running costs"}}, nadia);
    Do("step-s1", "PlanStep", {{"target", "Four workshops"}}, nadia);
    EXPECT_EQ(State("step-s1").at("cycles").as_int64(), 1);

    // The approved assessment lets the network advance one stage, once; the
    // advance cites it and records its scores.
    auto uncited =
        Try("network-ne", "AdvanceStage",
            {{"to", "development"}, {"reason", "keen"}, {"assessment_id", "a7"}}, olivia);
    EXPECT_FALSE(uncited);
    if (!uncited) {
      EXPECT_NE(uncited.error().message.find("cite one of: a1"), std::string::npos)
          << uncited.error().message;
    }
    Do("network-ne", "AdvanceStage",
       {{"to", "development"}, {"reason", "2026 assessment"}, {"assessment_id", "a1"}}, olivia);
    auto advanced = store_.ReadStream("network-ne", 5, 1);
    EXPECT_EQ(advanced->front().type, "StageAdvanced");
    EXPECT_EQ(advanced->front().schema_version, 2);
    EXPECT_EQ(advanced->front().data.at("scores").at("influence").as_int64(), 1);
    auto twice =
        Try("network-ne", "AdvanceStage",
            {{"to", "participation"}, {"reason", "keen"}, {"assessment_id", "a1"}}, olivia);
    EXPECT_FALSE(twice);
    EXPECT_EQ(State("network-ne").at("state").as_string(), "development");

    // A network Phase 2 takes on where it stands, with its basis; closed, it
    // starts nothing new.
    auto no_basis =
        Try("network-nw", "RegisterNetwork",
            {{"name", "Westway"}, {"region", "London"}, {"stage", "participation"}}, olivia);
    EXPECT_FALSE(no_basis);
    Do("network-nw", "RegisterNetwork",
       {{"name", "Westway"},
        {"region", "London"},
        {"stage", "participation"},
        {"basis", "Three joint contracts won in 2025; members sit on the council's board"}},
       olivia);
    EXPECT_EQ(State("network-nw").at("state").as_string(), "participation");
    Do("network-nw", "CloseNetwork", {{"reason", "merged with Northside"}}, olivia);
    auto closed =
        Try("assessment-w1", "StartAssessment", {{"network_id", "nw"}, {"period", "2027"}}, olivia);
    EXPECT_FALSE(closed);
    if (!closed) {
      EXPECT_NE(closed.error().message.find("the network is closed; a dormant or closed network "
                                            "starts no assessment or plan"),
                std::string::npos)
          << closed.error().message;
    }
    EXPECT_EQ(State("plan-a1").at("state").as_string(), "completed");

    // The whole network, now and as it stood before the milestones.
    const auto kinds = [](const FoldedNetwork& n) {
      std::vector<std::string> out;
      for (const auto& s : n.streams) out.push_back(s.stream);
      return out;
    };
    auto now = handler_.LoadNetwork("ne");
    ASSERT_TRUE(now) << now.error().message;
    EXPECT_EQ(now->network().folded.state->ToJson().at("stage").as_string(), "development");
    EXPECT_EQ(kinds(*now), (std::vector<std::string>{"network-ne", "assessment-a1", "plan-a1",
                                                     "milestone-m1", "milestone-m2", "milestone-m3",
                                                     "plan-b1", "milestone-m4", "step-s1"}));
    auto then = handler_.LoadNetwork("ne", before_milestones);
    ASSERT_TRUE(then) << then.error().message;
    EXPECT_EQ(then->network().folded.state->ToJson().at("stage").as_string(), "startup");
    EXPECT_EQ(kinds(*then), (std::vector<std::string>{"network-ne", "assessment-a1", "plan-a1"}));
    EXPECT_EQ(then->streams[2].folded.state->state(), "active");
    auto before = handler_.LoadNetwork("ne", *ParseRfc3339("2000-01-01T00:00:00Z"));
    ASSERT_FALSE(before);
    EXPECT_EQ(before.error().code, ErrorCode::kNotFound);
  }

 private:
  EventStore& store_;
  CheckpointStore& checkpoints_;
  TimerStore& timers_;
  ManualClock& clock_;
  SequentialIdGenerator ids_;
  CommandHandler handler_;
};

}  // namespace waymark::testing
