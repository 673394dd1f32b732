#pragma once

#include <cstddef>
#include <expected>
#include <functional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/event_store.hpp"
#include "core/workflow.hpp"
#include "projections/read_model_store.hpp"
#include "projections/read_models.hpp"

namespace waymark::projections {

struct RebuildOptions {
  std::vector<const ReadModel*> models;  // empty: all of them
  bool check = false;                    // compare with the live tables; swap nothing
  // Called now and then with events done and the total to do.
  std::function<void(std::size_t done, std::size_t total)> progress;
};

struct RebuildReport {
  std::size_t events = 0;               // events folded from history
  std::vector<Difference> differences;  // with check: the tables that differ
};

// Rebuilds read models from the whole history into shadow tables
// (ReadModelStore::OpenShadow), never from today's read models and without
// running policies or timers. Then, in one step that holds the live tables
// against a running projector, brings the shadow tables to the very stream
// versions the live ones hold (events the projector applied meanwhile, or not
// yet), and either swaps them in (readers see the old table or the new one,
// never a half-built one) or, with `check`, compares them row for row and
// drops them. Rebuilds run one at a time (kConflict otherwise).
std::expected<RebuildReport, Error> Rebuild(ReadModelStore& live, EventStore& store,
                                            const std::vector<const Workflow*>& workflows,
                                            const RebuildOptions& options);

}  // namespace waymark::projections
