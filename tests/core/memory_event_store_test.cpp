#include "core/memory_event_store.hpp"

#include "tests/core/event_store_contract.hpp"

namespace waymark::testing {
namespace {

struct MemoryStore final : StoreUnderTest {
  explicit MemoryStore(Clock& clock) : store_(MakeMemoryEventStore(clock)) {}
  EventStore& store() override { return *store_; }
  std::unique_ptr<EventStore> store_;
};

INSTANTIATE_TEST_SUITE_P(Memory, EventStoreContract,
                         ::testing::Values(StoreFactory{
                             "Memory",
                             [](Clock& clock) -> std::unique_ptr<StoreUnderTest> {
                               return std::make_unique<MemoryStore>(clock);
                             }}),
                         PrintStoreName);

}  // namespace
}  // namespace waymark::testing
