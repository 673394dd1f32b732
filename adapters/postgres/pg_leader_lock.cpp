#include "adapters/postgres/pg_leader_lock.hpp"

#include <chrono>
#include <pqxx/pqxx>
#include <thread>

namespace waymark::postgres {

LeaderLock::LeaderLock(std::string conninfo, std::string name)
    : conninfo_(std::move(conninfo)), name_(std::move(name)) {}

LeaderLock::~LeaderLock() {
  // Released at once, so a waiting process need not wait for the server to
  // notice the closed connection.
  if (!held_ || !conn_) return;
  try {
    pqxx::nontransaction tx(*conn_);
    tx.exec_params("SELECT pg_advisory_unlock(hashtextextended(current_schema() || ':' || $1, 0))",
                   name_);
  } catch (const std::exception&) {
    // The connection is gone: so is the lock.
  }
}

bool LeaderLock::TryAcquire() {
  try {
    if (!conn_ || !conn_->is_open()) {
      held_ = false;
      conn_ = std::make_unique<pqxx::connection>(conninfo_);
    }
    pqxx::nontransaction tx(*conn_);
    if (held_) {
      tx.exec("SELECT 1");  // still connected, so still held
      return true;
    }
    held_ = tx.exec_params(
                  "SELECT pg_try_advisory_lock(hashtextextended(current_schema() || ':' || $1, 0))",
                  name_)[0][0]
                .as<bool>();
    return held_;
  } catch (const std::exception&) {
    conn_.reset();
    held_ = false;
    return false;
  }
}

}  // namespace waymark::postgres
