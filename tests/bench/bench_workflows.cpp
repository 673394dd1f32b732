// The workflow engine in memory: Boost.MSM dispatch per transition,
// decide + apply per command, and folding a 10,000-event stream.
// Targets (issue 3): dispatch ≤ 20 ns, decide+apply ≤ 2 µs, fold of 10k ≤ 5 ms.

#include <benchmark/benchmark.h>

#include "workflows/milestone/milestone_bench.hpp"
#include "workflows/milestone/milestone_workflow.hpp"

namespace {

using namespace waymark;

const Timestamp kNow = *ParseRfc3339("2026-11-26T09:00:00Z");

RecordedEvent Stored(std::int64_t version, std::string type, boost::json::object data) {
  RecordedEvent e;
  e.stream = "milestone-m1";
  e.version = version;
  e.type = std::move(type);
  e.data = std::move(data);
  return e;
}

// Scheduled, started, then at-risk / cleared alternately: `n` events in all.
std::vector<RecordedEvent> History(std::size_t n) {
  std::vector<RecordedEvent> events;
  events.push_back(
      Stored(1, "MilestoneScheduled",
             {{"plan_id", "p1"}, {"network_id", "ne"}, {"title", "Bench"}, {"due", "2026-12-31"}}));
  events.push_back(Stored(2, "MilestoneStarted", {}));
  for (std::size_t v = 3; v <= n; ++v) {
    events.push_back(v % 2 ? Stored(static_cast<std::int64_t>(v), "MilestoneFlaggedAtRisk",
                                    {{"reason", "late supplier"}})
                           : Stored(static_cast<std::int64_t>(v), "MilestoneRiskCleared", {}));
  }
  return events;
}

void MsmDispatch(benchmark::State& state) {
  constexpr std::size_t kTransitions = 1 << 16;
  for (auto _ : state) {
    benchmark::DoNotOptimize(workflows::bench::RunMilestoneRiskCycles(kTransitions));
  }
  state.SetItemsProcessed(state.iterations() * kTransitions);
}

void DecideAndApply(benchmark::State& state) {
  auto milestone = workflows::MilestoneWorkflow().NewState("m1");
  for (const auto& e : History(2)) (void)milestone->Apply(e);
  const CommandRequest flag{"milestone-m1",
                            "FlagAtRisk",
                            {{"reason", "late supplier"}},
                            std::nullopt,
                            "",
                            {"olivia", "officer", ""},
                            "",
                            ""};
  const CommandRequest clear{
      "milestone-m1", "ClearRisk", {}, std::nullopt, "", {"olivia", "officer", ""}, "", ""};
  std::int64_t version = 2;
  for (auto _ : state) {
    const auto& command = version % 2 == 0 ? flag : clear;
    auto events = milestone->Decide(command, kNow);
    RecordedEvent stored =
        Stored(++version, events->front().type, events->front().data.as_object());
    benchmark::DoNotOptimize(milestone->Apply(stored));
  }
  state.SetItemsProcessed(state.iterations());
}

void Fold10k(benchmark::State& state) {
  const auto history = History(10000);
  for (auto _ : state) {
    auto milestone = workflows::MilestoneWorkflow().NewState("m1");
    for (const auto& e : history) benchmark::DoNotOptimize(milestone->Apply(e));
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(history.size()));
}

BENCHMARK(MsmDispatch)->Name("Workflow/msm_dispatch_per_transition_x65536");
BENCHMARK(DecideAndApply)->Name("Workflow/decide_and_apply_per_command");
BENCHMARK(Fold10k)->Name("Workflow/fold_10000_events")->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
