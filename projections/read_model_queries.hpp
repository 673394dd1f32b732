#pragma once

#include <boost/json/object.hpp>
#include <expected>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace waymark::projections {

// An officer's caseload: networks, filtered (empty: any).
struct NetworkFilter {
  std::string officer, stage, region;
};

// Milestones across networks, filtered (empty: any). `due_before`: YYYY-MM-DD, exclusive.
struct MilestoneFilter {
  std::string network, officer, status, due_before;
};

// Reads the read models for people (the CLI now, the HTTP API next). Rows
// are the read models' columns by name, in a stable order: networks by
// name then id, milestones by due date then id.
//
// Thread-safety: as the implementation's store allows (PostgreSQL's: one
// caller at a time per object). Failure: kUnavailable when the backing
// store fails. The filters are values, never SQL.
class ReadModelQueries {
 public:
  virtual ~ReadModelQueries() = default;
  virtual std::expected<std::vector<boost::json::object>, Error> Networks(
      const NetworkFilter& filter) = 0;
  virtual std::expected<std::vector<boost::json::object>, Error> Milestones(
      const MilestoneFilter& filter) = 0;
};

}  // namespace waymark::projections
