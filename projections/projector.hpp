#pragma once

#include <cstddef>
#include <expected>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/event.hpp"
#include "core/event_store.hpp"
#include "core/fold.hpp"
#include "core/workflow.hpp"
#include "projections/read_model_store.hpp"
#include "projections/read_models.hpp"

namespace waymark::projections {

struct BatchResult {
  std::size_t applied = 0;     // events applied
  std::size_t duplicates = 0;  // events already applied before (changed nothing)
};

// Decides what committed events do to the read models and hands each batch
// to a ReadModelStore as one atomic write: the rows of every stream it
// touches (folded through the stream's workflow: a row says what the history
// says), one rm_audit_log row per event, the streams' projected versions and
// the checkpoint. Each stream's events apply once and in version order: an
// event at or below the projected version is a duplicate and changes
// nothing; one beyond the next version is a gap, refused (kCorrupt) with
// nothing written.
//
// Keeps folded states between batches; a state it lacks (a restart, a
// stream another projector moved on) is folded again from `store`.
// Not thread-safe. `target`, `store` and the workflows must outlive it.
class Projector {
 public:
  // `models`: the read models written (all of them when empty).
  Projector(ReadModelStore& target, EventStore& store, std::vector<const Workflow*> workflows,
            std::vector<const ReadModel*> models = {});

  // Events in commit order (or in stream order per stream, from Kafka).
  // `cursor`: the event-store position after them, saved with the batch.
  std::expected<BatchResult, Error> Apply(std::span<const RecordedEvent> events,
                                          std::optional<GlobalCursor> cursor = std::nullopt);

  // The write that brings rebuilt read models to the live versions
  // (ReadModelShadow::Finish): streams the live models lack are taken out,
  // the others are folded to exactly the live version.
  std::expected<ReadModelWrite, Error> Align(const std::vector<VersionGap>& gaps);

 private:
  using Touched = std::map<std::string, const RecordedEvent*>;  // stream → its last event
  void AddRows(const Touched& touched, ReadModelWrite& write);
  // The history read models' rows of `event`, just applied to `state`.
  void AddHistory(const WorkflowState& state, const RecordedEvent& event,
                  ReadModelWrite& write) const;
  std::expected<FoldedStream*, Error> StateAt(const std::string& stream, std::int64_t version);
  const Workflow* WorkflowOf(std::string_view stream) const;
  bool Writes(std::string_view table) const;

  ReadModelStore& target_;
  EventStore& store_;
  std::vector<const Workflow*> workflows_;
  std::vector<const ReadModel*> models_;
  std::map<std::string, FoldedStream> cache_;
};

}  // namespace waymark::projections
