#pragma once

#include <memory>
#include <string>

#include "application/tokens.hpp"

namespace waymark::postgres {

// Tokens in table api_tokens (migration 8), through a pool of `pool_size`
// connections. Thread-safe.
std::unique_ptr<TokenStore> MakePostgresTokenStore(const std::string& conninfo,
                                                   std::size_t pool_size = 4);

}  // namespace waymark::postgres
