#include "tests/support/pg_schema.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <pqxx/pqxx>
#include <stdexcept>

#include "adapters/postgres/migrations.hpp"

namespace waymark::testing {

std::string TestPgConnInfo() {
  const char* env = std::getenv("WAYMARK_TEST_PG");
  if (!env || !*env) {
    throw std::runtime_error("WAYMARK_TEST_PG is not set: run the tests with ops/test");
  }
  return env;
}

PgSchema::PgSchema(bool migrate) : base_(TestPgConnInfo()) {
  static std::atomic<int> counter{0};
  name_ = "t_" + std::to_string(getpid()) + "_" + std::to_string(++counter);
  pqxx::connection conn(base_);
  pqxx::work tx(conn);
  tx.exec0("DROP SCHEMA IF EXISTS " + tx.quote_name(name_) + " CASCADE");
  tx.exec0("CREATE SCHEMA " + tx.quote_name(name_));
  tx.commit();
  conninfo_ = base_ + " options='-c search_path=" + name_ + "'";
  if (migrate) {
    auto report = postgres::Migrate(conninfo_);
    if (!report) throw std::runtime_error("migrate failed: " + report.error().message);
  }
}

PgSchema::~PgSchema() {
  try {
    pqxx::connection conn(base_);
    pqxx::work tx(conn);
    tx.exec0("DROP SCHEMA IF EXISTS " + tx.quote_name(name_) + " CASCADE");
    tx.commit();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "dropping schema " << name_ << ": " << e.what();
  }
}

std::string PgSchema::Exec(const std::string& sql) const {
  pqxx::connection conn(conninfo_);
  pqxx::work tx(conn);
  const auto result = tx.exec(sql);
  tx.commit();
  if (result.empty() || result[0].empty() || result[0][0].is_null()) return {};
  return result[0][0].c_str();
}

}  // namespace waymark::testing
