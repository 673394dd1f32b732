#include "tests/support/domain_history.hpp"

#include <gtest/gtest.h>

#include "core/command_handler.hpp"
#include "core/memory_event_store.hpp"
#include "workflows/assessment/assessment_workflow.hpp"
#include "workflows/registry.hpp"

namespace waymark::testing {

HistoryShape ShapeForEvents(std::size_t events) {
  HistoryShape shape{1, 20, 9};
  const std::size_t per_network = 33 + 20 * (5 + 2 * 9);
  shape.networks = static_cast<int>(std::max<std::size_t>(1, events / per_network));
  return shape;
}

std::vector<RecordedEvent> MakeDomainHistory(const HistoryShape& shape) {
  ManualClock clock(*ParseRfc3339("2026-01-05T09:00:00Z"));
  SequentialIdGenerator ids;
  auto store = MakeMemoryEventStore(clock);
  CommandHandler handler(*store, workflows::TheDomain(), clock, ids);
  const Actor olivia{"olivia", "officer", ""}, oscar{"oscar", "officer", ""};
  const Actor system{"waymark/assessment-approved", "system", ""};
  auto run = [&](const std::string& stream, const std::string& type, boost::json::object data,
                 const Actor& actor) {
    clock.Advance(std::chrono::seconds(7));
    auto r = handler.Handle({stream, type, std::move(data), std::nullopt, "", actor, "", ""});
    if (!r) ADD_FAILURE() << type << " on " << stream << ": " << r.error().message;
  };
  for (int n = 0; n < shape.networks; ++n) {
    const std::string id = "n" + std::to_string(n);
    const Actor network{"coordinator-" + id, "network", id};
    run("network-" + id, "RegisterNetwork",
        {{"name", "Network " + id}, {"region", n % 2 ? "North" : "South"}}, olivia);
    run("network-" + id, "RecordMembership", {{"members", 40 + n % 20}, {"active_members", 30}},
        olivia);
    const std::string a = "a" + id;
    run("assessment-" + a, "StartAssessment", {{"network_id", id}, {"period", "2026"}}, olivia);
    boost::json::object scores;
    for (std::size_t d = 0; d < workflows::kDimensions.size(); ++d) {
      const int score = 1 + static_cast<int>((n + d) % 5);
      scores[workflows::kDimensions[d]] = score;
      run("assessment-" + a, "ScoreDimension",
          {{"dimension", workflows::kDimensions[d]}, {"score", score}, {"note", "survey"}},
          network);
    }
    run("assessment-" + a, "SubmitAssessment", {}, network);
    run("assessment-" + a, "ApproveAssessment", {}, olivia);
    run("network-" + id, "RecordAssessmentOutcome",
        {{"assessment_id", a}, {"period", "2026"}, {"scores", scores}}, system);
    run("network-" + id, "AdvanceStage",
        {{"to", "development"}, {"reason", "assessed"}, {"assessment_id", a}}, olivia);
    const std::string p = "p" + id;
    run("plan-" + p, "DraftPlan", {{"network_id", id}, {"assessment_id", a}}, olivia);
    for (const char* d : {"connectivity", "influence", "innovation"}) {
      run("plan-" + p, "AddAction",
          {{"action_id", d},
           {"theme", d == std::string("influence") ? "influence" : "brokering"},
           {"dimension", d},
           {"description", "Strengthen " + std::string(d)},
           {"owner", "coordinator"}},
          olivia);
    }
    run("plan-" + p, "ProposePlan", {}, olivia);
    run("plan-" + p, "AgreePlan", {}, network);
    run("plan-" + p, "AgreePlan", {}, olivia);
    run("plan-" + p, "ActivatePlan", {}, olivia);
    for (int m = 0; m < shape.milestones; ++m) {
      const std::string stream = "milestone-m" + id + "_" + std::to_string(m);
      static constexpr const char* kActions[] = {"connectivity", "influence", "innovation"};
      run(stream, "ScheduleMilestone",
          {{"plan_id", p},
           {"network_id", id},
           {"action_id", kActions[m % 3]},
           {"title", "Milestone " + std::to_string(m)},
           {"due", "2027-0" + std::to_string(1 + m % 9) + "-15"}},
          olivia);
      run(stream, "StartMilestone", {}, network);
      for (int r = 0; r < shape.risk_cycles; ++r) {
        run(stream, "FlagAtRisk", {{"reason", "supplier late, round " + std::to_string(r)}},
            network);
        run(stream, "ClearRisk", {}, network);
      }
      if (m % 5 == 4) {
        run(stream, "CancelMilestone", {{"reason", "folded into another"}}, olivia);
        continue;
      }
      run(stream, "SubmitEvidence",
          {{"summary", "done"}, {"links", boost::json::array{"https://example.org/e"}}}, network);
      run(stream, "VerifyMilestone", {}, oscar);
    }
    for (int s = 0; s < 2; ++s) {
      const std::string stream = "step-s" + id + "_" + std::to_string(s);
      run(stream, "IdentifyStep",
          {{"network_id", id}, {"plan_id", p}, {"kind", "income"}, {"description", "fees"}},
          olivia);
      run(stream, "PlanStep", {{"target", "two workshops"}}, network);
      run(stream, "BeginStep", {}, network);
      run(stream, "EmbedStep", {{"evidence", "in the accounts"}}, network);
      run(stream, "ReviewStep", {{"outcome", "a quarter of costs"}}, network);
    }
  }
  std::vector<RecordedEvent> history;
  GlobalCursor after;
  for (;;) {
    auto page = store->ReadAll(after, 10000);
    if (!page || page->empty()) break;
    after = page->back().cursor();
    for (auto& e : *page) history.push_back(std::move(e));
  }
  return history;
}

std::size_t AppendHistory(EventStore& store, const std::vector<RecordedEvent>& history,
                          std::size_t max_batch) {
  std::size_t appended = 0;
  for (std::size_t i = 0; i < history.size();) {
    // At the end of the stream, whatever its version: the engine's policies
    // may be appending to the same streams meanwhile.
    AppendRequest request{history[i].stream, std::nullopt, {}, history[i].metadata};
    request.metadata.idempotency_key.clear();
    while (i < history.size() && history[i].stream == request.stream &&
           request.events.size() < max_batch) {
      request.events.push_back({history[i].type, history[i].schema_version, history[i].data});
      ++i;
    }
    auto r = store.Append(request);
    if (!r) {
      ADD_FAILURE() << "append to " << request.stream << ": " << r.error().message;
      return appended;
    }
    appended += request.events.size();
  }
  return appended;
}

}  // namespace waymark::testing
