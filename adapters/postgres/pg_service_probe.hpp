#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "adapters/postgres/connection_pool.hpp"

namespace waymark::postgres {

// How far one follower of the event store (a checkpoint) is behind it.
struct FollowerLag {
  std::string follower;     // the checkpoint's name, e.g. "projector", "relay:waymark.events"
  std::int64_t events = 0;  // committed events after its checkpoint
  double seconds = 0;       // age of the oldest of them; 0 when caught up
};

// What a service's health endpoints read from PostgreSQL. Thread-safe; one
// connection, reopened after a failure.
class ServiceProbe {
 public:
  explicit ServiceProbe(std::string conninfo);

  // Why the database is not ready for this build (empty: ready): unreachable,
  // or its schema older than this build's (run `waymark migrate`).
  std::vector<std::string> NotReady();

  // Every checkpoint's lag; empty when PostgreSQL cannot be read.
  std::vector<FollowerLag> Lag();

  // How many stored events the read models do not hold yet (each event has
  // its row in rm_audit_log, whether projected from the store or from
  // Kafka); nullopt when PostgreSQL cannot be read.
  std::optional<std::int64_t> EventsNotProjected();

 private:
  ConnectionPool pool_;
};

}  // namespace waymark::postgres
