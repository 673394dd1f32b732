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

// The newest schema version this build knows.
int LatestSchemaVersion();

// Brings the schema named by the connection's search_path up to `up_to`
// (the newest version by default; an older one stands a database where a
// past release left it, for tests of a migration), each migration in its
// own transaction under an advisory lock, so concurrent or repeated runs are
// safe; an applied migration is never rerun.
std::expected<MigrationReport, Error> Migrate(const std::string& conninfo,
                                              int up_to = LatestSchemaVersion());

}  // namespace waymark::postgres
