#pragma once

#include <memory>
#include <string>

#include "application/sessions.hpp"

namespace waymark::postgres {

// Dashboard sessions in table web_sessions (migration 11), through a pool of
// `pool_size` connections. Thread-safe.
std::unique_ptr<SessionStore> MakePostgresSessionStore(const std::string& conninfo,
                                                       std::size_t pool_size = 4);

}  // namespace waymark::postgres
