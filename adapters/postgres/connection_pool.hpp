#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <pqxx/connection>
#include <string>
#include <vector>

namespace waymark::postgres {

// A bounded pool of libpq connections to one database. Thread-safe.
// Connections are opened lazily; a caller waits when all `max_size` are in
// use. A connection that broke while lent out is dropped, not returned.
class ConnectionPool {
 public:
  ConnectionPool(std::string conninfo, std::size_t max_size);
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // Runs `work` with a connection held exclusively for its duration.
  // Exceptions from `work` (pqxx errors) propagate to the caller.
  template <typename F>
  auto With(F&& work) {
    Lease lease(*this);
    return work(*lease.connection);
  }

  const std::string& conninfo() const { return conninfo_; }

 private:
  struct Lease {
    explicit Lease(ConnectionPool& pool);
    ~Lease();
    ConnectionPool& pool;
    std::unique_ptr<pqxx::connection> connection;
  };

  std::string conninfo_;
  std::size_t max_size_;
  std::mutex mu_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<pqxx::connection>> idle_;  // guarded by mu_
  std::size_t open_ = 0;                                 // guarded by mu_
};

}  // namespace waymark::postgres
