#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstddef>
#include <expected>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace waymark::projections {

// Networks, filtered (empty: any). `network`: only this network (a network's
// own view of the caseload).
struct NetworkFilter {
  std::string officer, stage, region, network;
};

// Milestones across networks, filtered (empty: any). `due_before`: YYYY-MM-DD, exclusive.
struct MilestoneFilter {
  std::string network, officer, status, due_before;
};

// Sustainability steps, filtered (empty: any).
struct StepFilter {
  std::string network, plan, status;
};

// The steps waiting on one party (a role: "network", "officer"), of one
// network and/or of an officer's caseload (empty: any), listed by `today`
// (YYYY-MM-DD: a step shown from a later day is not yet), without those
// `person` may not take (empty: none barred).
struct TaskFilter {
  std::string party, network, officer, today, person;
};

// The audit log, filtered (empty: any): the events recorded by `actor` (a
// person, as the event names them), of `type` (an event type), of
// `network`, recorded at or after `from` and before `before` (RFC 3339).
struct AuditFilter {
  std::string actor, type, network, from, before;
};

// Which page of a listing: the rows after `after` (a cursor handed out as
// the previous page's `next`; empty: from the start), at most `limit` of
// them (0: all).
struct Page {
  std::string after;
  std::size_t limit = 0;
};

// One page of rows, and the cursor of the next page (empty: this was the last).
struct RowPage {
  std::vector<boost::json::object> rows;
  std::string next;
};

// A cursor: the sort key of a page's last row, as an opaque URL-safe string.
std::string EncodeCursor(const boost::json::array& sort_key);
// What each value of a listing's sort key is: one line of text, a date, or a
// whole number (a position).
enum class CursorKey { kText, kDate, kWhole };
// The sort key back, or kValidation naming what is accepted when `cursor`
// is not one this listing handed out: one value per `shape` entry, each a
// string of its kind (text by core/text_rules.hpp's one-line rule, a date
// YYYY-MM-DD, a whole number of at most 18 digits), so a forged cursor never reaches the database
// as a value it cannot compare.
std::expected<std::vector<std::string>, Error> DecodeCursor(std::string_view cursor,
                                                            std::span<const CursorKey> shape);

// Each filter's values checked against what exists: a stage of the design,
// a state of the milestone's or the step's machine, a date YYYY-MM-DD.
// kValidation "<field> '<value>' is not one of ..." (the field without
// prefix: the CLI writes it as an option, the API as a query parameter).
// Every filter value is also one line of text of at most 200 characters.
std::expected<void, Error> CheckFilter(const NetworkFilter& filter);
std::expected<void, Error> CheckFilter(const MilestoneFilter& filter);
std::expected<void, Error> CheckFilter(const StepFilter& filter);
// `from` and `before` are times (RFC 3339); `type` one of `event_types`.
std::expected<void, Error> CheckFilter(const AuditFilter& filter,
                                       std::span<const std::string> event_types);

// Reads the read models for people (the CLI and the HTTP API). Rows are the
// read models' columns by name, in a stable order that paging follows:
// networks by name then id, milestones by due date then id, steps by
// network then id, tasks by due date then id, the audit log newest first.
//
// Thread-safety: every method may be called from any thread concurrently.
// Failure: kUnavailable when the backing store fails; kValidation for a bad
// cursor. The filters are values, never SQL.
class ReadModelQueries {
 public:
  virtual ~ReadModelQueries() = default;
  virtual std::expected<RowPage, Error> Networks(const NetworkFilter& filter,
                                                 const Page& page = {}) = 0;
  virtual std::expected<RowPage, Error> Milestones(const MilestoneFilter& filter,
                                                   const Page& page = {}) = 0;
  virtual std::expected<RowPage, Error> Steps(const StepFilter& filter, const Page& page = {}) = 0;
  // Tasks by due day (those with none last), then id: task_id, stream,
  // network_id, kind, party, officer, title, since, due, status.
  virtual std::expected<RowPage, Error> Tasks(const TaskFilter& filter, const Page& page = {}) = 0;
  // One row by id (each with its network_id), or nullopt.
  virtual std::expected<std::optional<boost::json::object>, Error> Network(std::string_view id) = 0;
  virtual std::expected<std::optional<boost::json::object>, Error> Plan(std::string_view id) = 0;
  virtual std::expected<std::optional<boost::json::object>, Error> Assessment(
      std::string_view id) = 0;
  // The audit rows (stream, version, type, network_id, recorded_at, actor)
  // of the events recorded under `correlation_id`, by position, at most `limit`.
  virtual std::expected<std::vector<boost::json::object>, Error> Correlated(
      std::string_view correlation_id, std::size_t limit) = 0;
  // The audit log's rows, newest first (by position): position, stream,
  // version, type, actor, role, network_id, recorded_at (RFC 3339, UTC),
  // summary, correlation_id.
  virtual std::expected<RowPage, Error> AuditLog(const AuditFilter& filter,
                                                 const Page& page = {}) = 0;
  // The people the audit log names as actors (of `network`; empty: any),
  // sorted, at most `limit`.
  virtual std::expected<std::vector<std::string>, Error> AuditActors(std::string_view network,
                                                                     std::size_t limit) = 0;
  // The position of the last event the read models hold (0: none): moves
  // whenever they change, for pages that follow them live.
  virtual std::expected<std::int64_t, Error> Position() = 0;
};

}  // namespace waymark::projections
