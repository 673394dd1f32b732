#pragma once

// Read models in process memory: the store the projector writes, and the
// queries people's listings read, each with its PostgreSQL twin's contract
// (tests/projections/read_model_contract.hpp). For tests and tools, never
// for serving.

#include <boost/json/object.hpp>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "projections/read_model_queries.hpp"
#include "projections/read_model_store.hpp"

namespace waymark::projections {

// Read models in process memory, with the PostgreSQL store's contract: for
// the projector's logic tests. Rows are JSON objects keyed as in PostgreSQL.
class MemoryReadModelStore final : public ReadModelStore {
 public:
  MemoryReadModelStore();
  ~MemoryReadModelStore() override;

  std::expected<void, Error> Apply(const std::set<std::string>& streams,
                                   const DecideWrite& decide) override;
  std::expected<GlobalCursor, Error> Checkpoint() override;
  std::expected<std::unique_ptr<ReadModelShadow>, Error> OpenShadow(
      std::vector<const ReadModel*> models, bool check) override;

  // A table's rows in key order (rm_audit_log: by position), for tests.
  std::vector<boost::json::object> Rows(std::string_view table) const;
  // Replaces or removes (nullopt) one row behind the projector's back, for tests.
  void Tamper(std::string_view table, const std::string& key,
              std::optional<boost::json::object> row);
  // Makes the next `count` writes fail as an unreachable database would.
  void FailNextWrites(int count);

  struct Tables;

 private:
  std::unique_ptr<Tables> live_;
};

// The listings of ReadModelQueries over a MemoryReadModelStore's rows: the
// same columns, filters, order and paging as PostgreSQL's
// (adapters/postgres/pg_read_model_queries.cpp), a missing column as null.
// `store` must outlive it.
class MemoryReadModelQueries final : public ReadModelQueries {
 public:
  explicit MemoryReadModelQueries(const MemoryReadModelStore& store) : store_(store) {}

  std::expected<RowPage, Error> Networks(const NetworkFilter& filter, const Page& page) override;
  std::expected<RowPage, Error> Milestones(const MilestoneFilter& filter,
                                           const Page& page) override;
  std::expected<RowPage, Error> Steps(const StepFilter& filter, const Page& page) override;
  std::expected<RowPage, Error> Tasks(const TaskFilter& filter, const Page& page) override;
  std::expected<std::optional<boost::json::object>, Error> Network(std::string_view id) override;
  std::expected<std::optional<boost::json::object>, Error> Plan(std::string_view id) override;
  std::expected<std::optional<boost::json::object>, Error> Assessment(std::string_view id) override;
  std::expected<std::vector<boost::json::object>, Error> Correlated(std::string_view correlation_id,
                                                                    std::size_t limit) override;
  std::expected<RowPage, Error> AuditLog(const AuditFilter& filter, const Page& page) override;
  std::expected<std::vector<std::string>, Error> AuditActors(std::string_view network,
                                                             std::size_t limit) override;
  std::expected<std::int64_t, Error> Position() override;

 private:
  const MemoryReadModelStore& store_;
};

}  // namespace waymark::projections
