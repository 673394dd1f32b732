#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "core/event.hpp"
#include "core/workflow.hpp"

namespace waymark::projections {

// One read model of DESIGN.md: a PostgreSQL table with one row per stream of
// a kind (or, for rm_audit_log, one row per event; for a history read model,
// the rows its events add: WorkflowState::HistoryRows).
struct ReadModel {
  std::string_view table;  // rm_networks, ...
  std::string_view kind;   // the stream kind that feeds it; "" for the audit log
  std::string_view key;    // its primary key column
  // Columns the projector does not write from the stream's state (filled by
  // a statement over other read models after each batch).
  std::vector<std::string_view> derived;
  // A history read model: rows keyed by `row_id` ("<stream>:<version>[:<key>]"),
  // each with the stream, version, position and recorded_at of its event;
  // taking a stream back deletes its rows above the version.
  bool history = false;
  // A per-stream read model: the rows a stream's state gives
  // (WorkflowState::Tasks), keyed "<stream>:<key>", each with its stream;
  // all of a stream's rows are replaced whenever the stream changes.
  bool per_stream = false;
};

// Every read model, in the order `rebuild all` treats them.
std::span<const ReadModel> AllReadModels();
const ReadModel* FindReadModel(std::string_view table);

// The read-model row (column → JSON value) of a stream folded up to `last`:
// the workflow's ReadModelRow, its key, status, version and updated_at.
// Deterministic: the same history gives the same row (updated_at is the last
// event's recorded_at, never now).
boost::json::object StateRow(const ReadModel& model, std::string_view id,
                             const WorkflowState& state, const RecordedEvent& last);

// The rm_tasks rows of a stream folded up to `last`: its state's Tasks, each
// with task_id "<stream>:<key>", the stream, its network, version and
// updated_at; dates null where none (the officer is the network's, filled
// by the store).
std::vector<boost::json::object> TaskRows(std::string_view stream, const WorkflowState& state,
                                          const RecordedEvent& last);

// One rm_audit_log row: who did what, when, on which stream, in a line.
struct AuditEntry {
  std::int64_t position = 0;
  std::string stream;
  std::int64_t version = 0;
  std::string type, actor, role, recorded_at, correlation_id, causation_id, network_id, summary;
  // The columns, in the order of the fields above.
  static const std::vector<std::string>& Columns();
  auto Tuple() const {
    return std::tie(position, stream, version, type, actor, role, recorded_at, correlation_id,
                    causation_id, network_id, summary);
  }
};

// The rm_audit_log row of one event; `network_id` is the stream's network.
AuditEntry AuditRow(const RecordedEvent& event, std::string_view network_id);

}  // namespace waymark::projections
