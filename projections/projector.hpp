#pragma once

#include <cstddef>
#include <expected>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <pqxx/connection>
#include <pqxx/transaction>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "core/command_handler.hpp"
#include "core/error.hpp"
#include "core/event.hpp"
#include "core/event_store.hpp"
#include "core/workflow.hpp"
#include "projections/read_models.hpp"

namespace waymark::projections {

// Where a projector writes: the live read models, or shadow tables beside
// them (for rebuilds) named <table><suffix>.
struct ProjectorTarget {
  std::string suffix;                    // "" for the live tables
  std::vector<const ReadModel*> models;  // the read models written (all by default)
  // Holds the last projected version of each stream, for dedupe.
  std::string versions_table = "waymark_projected_versions";
  // Saved in waymark_checkpoints in each batch's transaction (a source that
  // keeps no position of its own, e.g. the event store); empty: none.
  std::string checkpoint;
};

struct BatchResult {
  std::size_t applied = 0;     // events applied
  std::size_t duplicates = 0;  // events already applied before (changed nothing)
};

// Applies committed events to PostgreSQL read models. Each batch is one
// transaction: the rows of every stream it touches (folded through the
// stream's workflow: a row says what the history says), one rm_audit_log row
// per event, the streams' projected versions and the checkpoint. Each
// stream's events apply once and in version order: an event at or below the
// projected version is a duplicate and changes nothing; one beyond the next
// version is a gap, refused (kCorrupt) with nothing written.
//
// Keeps folded states between batches; a state it lacks (a restart, a
// stream another projector moved on) is folded again from `store`.
// Not thread-safe. `store` and the workflows must outlive it.
class Projector {
 public:
  Projector(std::string conninfo, EventStore& store, std::vector<const Workflow*> workflows,
            ProjectorTarget target);
  ~Projector();

  // Events in commit order (or in stream order per stream, from Kafka).
  // `cursor` (with a target checkpoint): the source position after them.
  std::expected<BatchResult, Error> Apply(std::span<const RecordedEvent> events,
                                          std::optional<GlobalCursor> cursor = std::nullopt);

  // For rebuilds into shadow tables: in one transaction, locks the live
  // tables of the target's read models (`exclusive`: against readers too,
  // for a swap), brings the shadow tables to exactly the stream versions
  // the live read models hold (`live_versions`), then runs `then`.
  std::expected<void, Error> AlignAndThen(const std::string& live_versions, bool exclusive,
                                          const std::function<void(pqxx::work&)>& then);

 private:
  using Touched = std::map<std::string, const RecordedEvent*>;  // stream → its last event
  void WriteRows(pqxx::work& tx, const Touched& touched, const std::vector<AuditEntry>& audit);
  void RecountNetworks(pqxx::work& tx, const std::set<std::string>& networks);
  void SetVersions(pqxx::work& tx, const std::map<std::string, std::int64_t>& versions);
  template <typename Body>
  auto InTransaction(std::string_view what, Body&& body)
      -> decltype(body(std::declval<pqxx::work&>()));

  using Folded = FoldedStream;
  std::expected<Folded*, Error> StateAt(const std::string& stream, std::int64_t version);
  const Workflow* WorkflowOf(std::string_view stream) const;
  const std::vector<std::string>& Columns(pqxx::work& tx, const std::string& table);
  bool Writes(std::string_view table) const;

  std::string conninfo_;
  EventStore& store_;
  std::vector<const Workflow*> workflows_;
  ProjectorTarget target_;
  std::unique_ptr<pqxx::connection> conn_;
  std::map<std::string, Folded> cache_;
  std::map<std::string, std::vector<std::string>> columns_;
};

}  // namespace waymark::projections
