#include "adapters/postgres/connection_pool.hpp"

namespace waymark::postgres {

ConnectionPool::ConnectionPool(std::string conninfo, std::size_t max_size)
    : conninfo_(std::move(conninfo)), max_size_(max_size == 0 ? 1 : max_size) {}

ConnectionPool::Lease::Lease(ConnectionPool& p) : pool(p) {
  std::unique_lock lock(pool.mu_);
  pool.available_.wait(lock, [&] { return !pool.idle_.empty() || pool.open_ < pool.max_size_; });
  if (!pool.idle_.empty()) {
    connection = std::move(pool.idle_.back());
    pool.idle_.pop_back();
    return;
  }
  ++pool.open_;
  lock.unlock();
  try {
    connection = std::make_unique<pqxx::connection>(pool.conninfo_);
  } catch (...) {
    lock.lock();
    --pool.open_;
    pool.available_.notify_one();
    throw;
  }
}

ConnectionPool::Lease::~Lease() {
  std::lock_guard lock(pool.mu_);
  if (connection && connection->is_open()) {
    pool.idle_.push_back(std::move(connection));
  } else {
    --pool.open_;
  }
  pool.available_.notify_one();
}

}  // namespace waymark::postgres
