#pragma once

#include <memory>

#include "core/clock.hpp"
#include "core/event_store.hpp"

namespace waymark {

// An EventStore in process memory with the same contract as the PostgreSQL
// one: for unit tests and benchmarks. `clock` must outlive the store.
std::unique_ptr<EventStore> MakeMemoryEventStore(Clock& clock);

}  // namespace waymark
