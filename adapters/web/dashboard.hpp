#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "adapters/http/message.hpp"
#include "adapters/http/metrics.hpp"
#include "adapters/http/pipeline.hpp"
#include "application/programme.hpp"

namespace waymark::web {

// What the dashboard stands on: the application (its clock says "today"),
// and the metrics its requests are counted in when it is served alone.
// Everything is owned elsewhere and outlives the dashboard; all thread-safe.
struct DashboardPorts {
  app::Programme& app;
  http::Metrics& metrics;
};

// The web dashboard of DESIGN.md (`GET /`): HTML pages rendered on the
// server for each role, forms that issue commands through the command
// handler, charts as SVG, live updates over server-sent events, its CSS and
// JavaScript compiled in. Signed in with a token kept in an HttpOnly,
// SameSite=Strict cookie; every form carries a token against cross-site
// requests; every text a person typed is escaped. A translator from
// requests to the application's use cases and from their results to HTML;
// a door of the site's pipeline (every path that is not the API's), tested
// without sockets.
class Dashboard final : public http::Door {
 public:
  explicit Dashboard(DashboardPorts ports);

  http::Response Answer(const http::Request& request, std::string_view request_id,
                        http::Handled& out) override;
  http::Response Failure(std::string_view request_id) override;

  // One request through a pipeline of the dashboard alone (tests, fuzzing);
  // never throws for anything a client sends.
  http::Handled Handle(const http::Request& request, std::string_view request_id);

  // The bytes of CSS and JavaScript the pages load.
  static std::size_t AssetBytes();

 private:
  DashboardPorts ports_;
  http::Pipeline alone_;
};

}  // namespace waymark::web
