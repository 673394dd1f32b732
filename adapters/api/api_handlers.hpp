#pragma once

// The HTTP API's handlers, one per route, and what they share (internal to
// adapters/api: api.cpp routes to them; api_streams.cpp, api_reads.cpp and
// api_service.cpp define them). Each reads its parameters, calls one use
// case of the application, and writes its result as JSON.

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>
#include <boost/json/serialize.hpp>
#include <set>
#include <string>

#include "adapters/api/api.hpp"
#include "adapters/http/problem.hpp"
#include "adapters/http/request_parsing.hpp"
#include "application/programme.hpp"

namespace waymark::api {
namespace api_detail {

using http::HttpStatus;
using http::ParseJsonObject;
using http::ProblemJson;
using http::Target;

namespace bhttp = boost::beast::http;
using boost::json::object;

constexpr std::size_t kMaxBody = 1 << 20;
constexpr std::size_t kDefaultPage = 50, kMaxPage = 500;
constexpr int kRetryAfterSeconds = 5;

inline Response Json(unsigned status, const boost::json::value& body) {
  Response r{static_cast<bhttp::status>(status), 11};
  r.set(bhttp::field::content_type, "application/json");
  r.body() = boost::json::serialize(body);
  return r;
}

inline Response Problem(const Error& error) {
  Response r = Json(HttpStatus(error.code), ProblemJson(error));
  r.set(bhttp::field::content_type, "application/problem+json");
  if (error.code == ErrorCode::kUnavailable) {
    r.set(bhttp::field::retry_after, std::to_string(kRetryAfterSeconds));
  }
  if (error.code == ErrorCode::kUnauthenticated) {
    r.set(bhttp::field::www_authenticate, "Bearer realm=\"waymark\"");
  }
  return r;
}

// A problem whose status no ErrorCode has (405, 413, 415).
inline Response Problem(unsigned status, std::string title, std::string detail) {
  Response r = Json(
      status, object{{"type", "https://waymark.invalid/problems/http-" + std::to_string(status)},
                     {"title", std::move(title)},
                     {"status", status},
                     {"detail", std::move(detail)}});
  r.set(bhttp::field::content_type, "application/problem+json");
  return r;
}

inline Error Invalid(std::string message) {
  return MakeError(ErrorCode::kValidation, std::move(message));
}
inline Error NotFound(std::string message) {
  return MakeError(ErrorCode::kNotFound, std::move(message));
}

// One request on its way through a route.
struct Call {
  const Request& request;
  const Target& target;
  std::vector<std::string> params;  // the path's {placeholders}, in order
  const app::Caller* who;           // null on the routes that need no token
  std::string_view request_id;
};

inline std::string Param(const Call& c, const std::string& name) {
  auto it = c.target.query.find(name);
  return it == c.target.query.end() ? std::string() : it->second;
}

inline std::expected<std::optional<Timestamp>, Error> AsOf(const Call& c) {
  return app::ParseAsOf(Param(c, "as_of"));
}

// A whole number parameter in [min, max], or `fallback` when absent.
inline std::expected<std::int64_t, Error> Number(const Call& c, const std::string& name,
                                                 std::int64_t min, std::int64_t max,
                                                 std::optional<std::int64_t> fallback) {
  const std::string text = Param(c, name);
  if (text.empty()) {
    if (fallback) return *fallback;
    return std::unexpected(Invalid("query parameter " + name +
                                   " is required: a whole number from " + std::to_string(min) +
                                   " to " + std::to_string(max)));
  }
  return app::ParseWholeNumber(name, text, min, max);
}

inline std::expected<projections::Page, Error> PageOf(const Call& c) {
  auto limit = Number(c, "limit", 1, kMaxPage, kDefaultPage);
  if (!limit) return std::unexpected(limit.error());
  return projections::Page{Param(c, "cursor"), static_cast<std::size_t>(*limit)};
}

inline Response Listing(const projections::RowPage& page) {
  boost::json::array items;
  for (const auto& row : page.rows) items.push_back(row);
  return Json(200, object{{"items", std::move(items)},
                          {"next", page.next.empty() ? boost::json::value(nullptr)
                                                     : boost::json::value(page.next)}});
}

// The handlers, one per route.
struct Handlers {
  ApiPorts& p;

  std::expected<Response, Error> PostCommand(const Call& c);
  std::expected<Response, Error> GetStream(const Call& c);
  std::expected<Response, Error> GetStreamEvents(const Call& c);
  std::expected<Response, Error> GetStreamDiff(const Call& c);
  std::expected<Response, Error> GetNetworks(const Call& c);
  std::expected<Response, Error> GetNetwork(const Call& c);
  std::expected<Response, Error> GetMilestones(const Call& c);
  std::expected<Response, Error> GetSteps(const Call& c);
  std::expected<Response, Error> GetTasks(const Call& c);
  std::expected<Response, Error> GetPlan(const Call& c);
  std::expected<Response, Error> GetAssessment(const Call& c);
  std::expected<Response, Error> GetReport(const Call& c);
  std::expected<Response, Error> Healthz(const Call&);
  std::expected<Response, Error> Readyz(const Call&);
  std::expected<Response, Error> GetMetrics(const Call&);
  std::expected<Response, Error> GetOpenApi(const Call&);
};

}  // namespace api_detail
}  // namespace waymark::api
