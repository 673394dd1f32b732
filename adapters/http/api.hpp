#pragma once

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/http/message.hpp"
#include "adapters/http/metrics.hpp"
#include "core/command_handler.hpp"
#include "core/event_store.hpp"
#include "core/tokens.hpp"
#include "projections/read_model_queries.hpp"

namespace waymark::http {

// What the API stands on. Everything is owned elsewhere and outlives the Api.
struct ApiPorts {
  CommandHandler& commands;  // commands, and streams folded from history
  EventStore& store;         // history pages
  projections::ReadModelQueries& queries;
  TokenStore& tokens;
  Metrics& metrics;
  // Why the service is not ready (empty: ready): migrations, PostgreSQL, projectors.
  std::function<std::vector<std::string>()> not_ready = [] { return std::vector<std::string>{}; };
  // How far the followers of the event store are behind, for /metrics.
  std::function<std::vector<Lag>()> lag = [] { return std::vector<Lag>{}; };
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

// The HTTP API of DESIGN.md as a plain function of a request: no sockets, no
// threads of its own, so it is tested and fuzzed directly. Who is asking
// comes from the request's bearer token; every answer is filtered to what
// that token may see (a `network` token: its own network's streams and rows
// only, another's is 404). Errors are RFC 9457 problems.
//
// Thread-safe: Handle may be called from many threads at once (the ports
// must be thread-safe).
class Api {
 public:
  explicit Api(ApiPorts ports);

  using Handled = http::Handled;
  // Answers one request; never throws for anything a client sends. The
  // response carries `request_id` as X-Request-Id.
  Handled Handle(const Request& request, std::string_view request_id);

  // The same, as `identity` (nullopt: without a token), skipping the token check.
  Handled HandleAs(const Request& request, const std::optional<Identity>& identity,
                   std::string_view request_id);

  // Every route served, for the OpenAPI check.
  static std::vector<RouteInfo> Routes();

  // The OpenAPI 3.1 document served at /api/v1/openapi.json.
  static std::string_view OpenApiDocument();

 private:
  Handled Answer(const Request& request, std::string_view request_id,
                 const std::function<std::expected<std::optional<Identity>, Error>()>& who);

  ApiPorts ports_;
  std::set<std::string> known_commands_;  // the commands of the workflows: metric labels
};

}  // namespace waymark::http
