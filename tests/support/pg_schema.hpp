#pragma once

#include <string>

namespace waymark::testing {

// A private, migrated PostgreSQL schema for one test, in the database named by
// $WAYMARK_TEST_PG (set by ops/test). Dropped with everything in it when the
// object goes. The test fails loudly when $WAYMARK_TEST_PG is unset.
class PgSchema {
 public:
  explicit PgSchema(bool migrate = true);
  ~PgSchema();
  PgSchema(const PgSchema&) = delete;
  PgSchema& operator=(const PgSchema&) = delete;

  // A libpq connection string whose search_path is this schema.
  const std::string& conninfo() const { return conninfo_; }
  const std::string& name() const { return name_; }

  // Runs SQL in this schema (test setup and tampering), returns the first
  // column of the first row, or "" when there is none.
  std::string Exec(const std::string& sql) const;

 private:
  std::string base_;
  std::string name_;
  std::string conninfo_;
};

// $WAYMARK_TEST_PG, or a failed assertion.
std::string TestPgConnInfo();

}  // namespace waymark::testing
