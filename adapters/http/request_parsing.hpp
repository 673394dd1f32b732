#pragma once

#include <boost/json/object.hpp>
#include <expected>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace waymark::http {

// The deepest nesting of arrays and objects a request body may have.
inline constexpr std::size_t kMaxJsonDepth = 32;

// A request body that must be one JSON object: strict UTF-8, no duplicate
// keys at any depth, at most kMaxJsonDepth levels. kValidation names the
// problem (and the duplicate key, or where the syntax broke).
std::expected<boost::json::object, Error> ParseJsonObject(std::string_view body);

// A request target split up: the path's segments (percent-decoded), and the
// query's parameters (percent-decoded, `+` as space). kValidation for a
// malformed escape, a repeated parameter, a segment of "." or "..", or a
// decoded NUL or control character.
struct Target {
  std::vector<std::string> segments;  // "/api/v1/networks/n1" → api, v1, networks, n1
  std::map<std::string, std::string> query;
};
std::expected<Target, Error> ParseTarget(std::string_view target);

}  // namespace waymark::http
