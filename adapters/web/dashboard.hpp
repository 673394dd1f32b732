#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "adapters/http/message.hpp"
#include "adapters/http/metrics.hpp"
#include "core/clock.hpp"
#include "core/command_handler.hpp"
#include "core/event_store.hpp"
#include "core/sessions.hpp"
#include "core/tokens.hpp"
#include "projections/read_model_queries.hpp"

namespace waymark::web {

// What the dashboard stands on: the API's ports and a clock (for "today").
// Everything is owned elsewhere and outlives the dashboard; all thread-safe.
struct DashboardPorts {
  CommandHandler& commands;
  EventStore& store;
  projections::ReadModelQueries& queries;
  TokenStore& tokens;
  SessionStore& sessions;
  http::Metrics& metrics;
  Clock& clock;
};

// The web dashboard of DESIGN.md (`GET /`): HTML pages rendered on the
// server for each role, forms that issue commands through the command
// handler, charts as SVG, live updates over server-sent events, its CSS and
// JavaScript compiled in. Signed in with a token kept in an HttpOnly,
// SameSite=Strict cookie; every form carries a token against cross-site
// requests; every text a person typed is escaped. A plain function of a
// request, like the API, so it is tested without sockets.
class Dashboard {
 public:
  explicit Dashboard(DashboardPorts ports);

  // The answer for a path of the dashboard's; nullopt for one that is not
  // (the API's, /healthz, /readyz, /metrics). Never throws for anything a
  // client sends.
  std::optional<http::Handled> Handle(const http::Request& request, std::string_view request_id);

  // The bytes of CSS and JavaScript the pages load.
  static std::size_t AssetBytes();

 private:
  DashboardPorts ports_;
};

// Serves the dashboard's paths with `dashboard`, every other one with `api`.
http::Handler Site(Dashboard& dashboard, http::Handler api);

}  // namespace waymark::web
