#pragma once

#include <cstddef>
#include <vector>

#include "core/event.hpp"
#include "core/event_store.hpp"

namespace waymark::testing {

// A realistic history made through the command handler (so every event is
// one the workflows accept), in memory: per network, registration and
// membership, an assessment scored by the network and approved, its outcome
// and a stage advance, an agreed and active plan with three actions,
// `milestones` milestones (each scheduled, started, flagged at risk and
// cleared `risk_cycles` times, then verified — every fifth cancelled), and
// two sustainability steps through a review cycle. About
// 33 + milestones × (5 + 2 × risk_cycles) events per network.
struct HistoryShape {
  int networks = 10;
  int milestones = 5;
  int risk_cycles = 2;
};
std::vector<RecordedEvent> MakeDomainHistory(const HistoryShape& shape);

// The shape whose history has about `events` events (for loads and benchmarks).
HistoryShape ShapeForEvents(std::size_t events);

// Appends `history` to `store` as its writers would: in global order, each
// run of one stream's consecutive events in one append of at most
// `max_batch`, at the end of the stream (policies may add to it meanwhile). Returns the events
// appended (the test fails on an error).
std::size_t AppendHistory(EventStore& store, const std::vector<RecordedEvent>& history,
                          std::size_t max_batch = 10);

}  // namespace waymark::testing
