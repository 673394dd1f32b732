#pragma once

#include <expected>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace waymark::postgres {

struct MigrationReport {
  std::vector<std::string> applied;  // "1 event store", ... newly applied this run
  int schema_version = 0;            // the version the database is at now
};

// Brings the schema named by the connection's search_path up to the newest
// version, each migration in its own transaction under an advisory lock, so
// concurrent or repeated runs are safe; an applied migration is never rerun.
std::expected<MigrationReport, Error> Migrate(const std::string& conninfo);

// The newest schema version this build knows.
int LatestSchemaVersion();

}  // namespace waymark::postgres
