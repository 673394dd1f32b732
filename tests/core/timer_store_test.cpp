#include "core/timer_store.hpp"

#include "tests/core/timer_store_contract.hpp"

namespace waymark {
namespace {

TEST(MemoryTimerStore, KeepsTheTimerStoreContract) {
  auto timers = MakeMemoryTimerStore();
  testing::ExpectTimerStoreContract(*timers);
}

}  // namespace
}  // namespace waymark
