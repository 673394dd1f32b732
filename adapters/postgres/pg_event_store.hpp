#pragma once

#include <memory>
#include <string>

#include "core/clock.hpp"
#include "core/event_store.hpp"

namespace waymark::postgres {

// The EventStore on PostgreSQL (the `events` table of migration 1).
// `conninfo` is a libpq connection string; connections are opened lazily, up
// to `pool_size` at once. `clock` must outlive the store.
std::unique_ptr<EventStore> MakePostgresEventStore(const std::string& conninfo, Clock& clock,
                                                   std::size_t pool_size = 8);

}  // namespace waymark::postgres
