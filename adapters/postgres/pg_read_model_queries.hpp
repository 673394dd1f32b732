#pragma once

#include <memory>
#include <string>

#include "projections/read_model_queries.hpp"

namespace waymark::postgres {

// ReadModelQueries over the rm_* tables, with parameters only.
std::unique_ptr<projections::ReadModelQueries> MakePostgresReadModelQueries(std::string conninfo);

}  // namespace waymark::postgres
