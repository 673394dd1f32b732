#pragma once

#include <exception>
#include <expected>
#include <pqxx/except>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace waymark::postgres {

// What an SQL error is: unavailability (connection, resources, shutdown,
// serialization and lock time-outs: retrying may help) is kUnavailable; a
// value PostgreSQL cannot hold (class 22, which Waymark's own checks are to
// keep out) is kValidation in words with no SQL; anything else is a bug,
// kInternal, with the whole text for the log.
inline Error SqlError(std::string_view what, const pqxx::sql_error& e) {
  const std::string state = e.sqlstate();
  const std::string cls = state.substr(0, 2);
  if (cls == "08" || cls == "53" || cls == "57" || cls == "58" || state == "40001" ||
      state == "40P01" || state == "55P03" || state == "25006") {
    return MakeError(
        ErrorCode::kUnavailable,
        std::string(what) + ": PostgreSQL refused for now (SQLSTATE " + state + "): " + e.what());
  }
  if (cls == "22") {
    return MakeError(
        ErrorCode::kValidation,
        std::string(what) + ": a value given is outside what Waymark can store or compare");
  }
  return MakeError(ErrorCode::kInternal, std::string(what) + ": PostgreSQL refused (SQLSTATE " +
                                             state + "): " + e.what());
}

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
    return std::unexpected(SqlError(what, e));
  } catch (const pqxx::failure& e) {
    return std::unexpected(
        MakeError(ErrorCode::kUnavailable, std::string(what) + ": PostgreSQL failed: " + e.what()));
  }
}

}  // namespace waymark::postgres
