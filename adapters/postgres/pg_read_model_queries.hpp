#pragma once

#include <memory>
#include <string>

#include "projections/read_model_queries.hpp"

namespace waymark::postgres {

// ReadModelQueries over the rm_* tables, with parameters only, through a
// pool of `pool_size` connections. Thread-safe.
std::unique_ptr<projections::ReadModelQueries> MakePostgresReadModelQueries(
    std::string conninfo, std::size_t pool_size = 4);

}  // namespace waymark::postgres
