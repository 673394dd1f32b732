#pragma once

#include <memory>
#include <pqxx/connection>
#include <string>

#include "core/run_loop.hpp"

namespace waymark::postgres {

// Leadership among processes sharing one database schema: a session-level
// advisory lock on (current schema, name), held on a connection of its own.
// Whoever holds it is the one active process; when it dies, its connection
// closes, PostgreSQL releases the lock and a waiting process takes it.
// Not thread-safe; one owner thread.
class LeaderLock final : public Leadership {
 public:
  LeaderLock(std::string conninfo, std::string name);
  ~LeaderLock() override;
  LeaderLock(const LeaderLock&) = delete;
  LeaderLock& operator=(const LeaderLock&) = delete;

  // True when this process holds the lock, taking it if it is free. A lost
  // connection means lost leadership (false); the next call reconnects.
  // Never throws.
  bool TryAcquire() override;

 private:
  std::string conninfo_;
  std::string name_;
  std::unique_ptr<pqxx::connection> conn_;
  bool held_ = false;
};

}  // namespace waymark::postgres
