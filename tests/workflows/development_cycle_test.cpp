// The development cycle end to end in memory (the same scenario runs on
// PostgreSQL in the integration tests).

#include "tests/workflows/development_cycle.hpp"

#include "core/memory_event_store.hpp"

namespace waymark::workflows {
namespace {

TEST(DevelopmentCycle, FromRegistrationToACompletedPlanInMemory) {
  ManualClock clock(*ParseRfc3339("2026-11-26T09:00:00Z"));
  auto store = MakeMemoryEventStore(clock);
  auto checkpoints = MakeMemoryCheckpointStore();
  auto timers = MakeMemoryTimerStore();
  testing::DevelopmentCycle(*store, *checkpoints, *timers, clock).Run();
}

}  // namespace
}  // namespace waymark::workflows
