#pragma once

#include <exception>
#include <expected>
#include <pqxx/except>
#include <string>

#include "core/error.hpp"

namespace waymark::postgres {

// Runs `body` and translates libpqxx exceptions into Error values at the
// adapter edge. `body` returns std::expected<T, Error>.
template <typename F>
auto Translate(std::string_view what, F&& body) -> decltype(body()) {
  try {
    return body();
  } catch (const pqxx::broken_connection& e) {
    return std::unexpected(MakeError(
        ErrorCode::kUnavailable, std::string(what) + ": PostgreSQL is unreachable: " + e.what()));
  } catch (const pqxx::sql_error& e) {
    return std::unexpected(MakeError(
        ErrorCode::kUnavailable,
        std::string(what) + ": PostgreSQL refused (SQLSTATE " + e.sqlstate() + "): " + e.what()));
  } catch (const pqxx::failure& e) {
    return std::unexpected(
        MakeError(ErrorCode::kUnavailable, std::string(what) + ": PostgreSQL failed: " + e.what()));
  }
}

}  // namespace waymark::postgres
