#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/http/message.hpp"
#include "adapters/http/metrics.hpp"
#include "adapters/http/pipeline.hpp"
#include "application/programme.hpp"

namespace waymark::api {

using http::Handled;
using http::Request;
using http::Response;

// What the API stands on. Everything is owned elsewhere and outlives the Api.
struct ApiPorts {
  app::Programme& app;  // every use case, with who asks
  http::Metrics& metrics;
  Clock& clock;
  // Why the service is not ready (empty: ready): migrations, PostgreSQL, projectors.
  std::function<std::vector<std::string>()> not_ready = [] { return std::vector<std::string>{}; };
  // How far the followers of the event store are behind, for /metrics.
  std::function<std::vector<http::Lag>()> lag = [] { return std::vector<http::Lag>{}; };
  // How the workers' units fare (read models, policies, timers, relay), for /metrics.
  std::function<std::vector<UnitHealth::Unit>()> units = [] {
    return std::vector<UnitHealth::Unit>{};
  };
};

// A route as served and documented: its method and path template.
struct RouteInfo {
  std::string method;  // "GET", "POST"
  std::string path;    // "/api/v1/streams/{stream}"
};

// The HTTP API of DESIGN.md: a translator from requests to the
// application's use cases and from their results to JSON. Who is asking
// comes from the request's bearer token; the application filters every
// answer to what that token may see (a `network` token: its own network's
// streams and rows only, another's is 404). Errors are RFC 9457 problems.
// A door of the site's pipeline: no sockets, no threads of its own, so it is
// tested and fuzzed directly.
//
// Thread-safe: Answer may be called from many threads at once.
class Api final : public http::Door {
 public:
  explicit Api(ApiPorts ports);

  // The paths the API answers, for the site's pipeline.
  static std::vector<std::string> Paths();

  http::Response Answer(const Request& request, std::string_view request_id, Handled& out) override;
  http::Response Failure(std::string_view request_id) override;

  // One request through a pipeline of the API alone (tests, fuzzing); never
  // throws for anything a client sends. The response carries `request_id`
  // as X-Request-Id.
  Handled Handle(const Request& request, std::string_view request_id);

  // Every route served, for the OpenAPI check.
  static std::vector<RouteInfo> Routes();

  // The OpenAPI 3.1 document served at /api/v1/openapi.json.
  static std::string_view OpenApiDocument();

 private:
  ApiPorts ports_;
  http::Pipeline alone_;
};

}  // namespace waymark::api
