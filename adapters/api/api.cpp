#include "adapters/api/api.hpp"

#include <algorithm>

#include "adapters/api/api_handlers.hpp"

namespace waymark::api {

using namespace api_detail;

namespace {

struct RouteEntry {
  bhttp::verb method;
  std::string_view path;  // template, {name} for a parameter
  bool needs_token;
  std::vector<std::string_view> query;  // the query parameters it accepts
  std::expected<Response, Error> (Handlers::*handle)(const Call&);
};

const std::vector<RouteEntry>& Table() {
  using V = bhttp::verb;
  static const std::vector<RouteEntry> kTable = {
      {V::post, "/api/v1/commands", true, {}, &Handlers::PostCommand},
      {V::get, "/api/v1/streams/{stream}", true, {"as_of", "version"}, &Handlers::GetStream},
      {V::get,
       "/api/v1/streams/{stream}/events",
       true,
       {"cursor", "limit"},
       &Handlers::GetStreamEvents},
      {V::get, "/api/v1/streams/{stream}/diff", true, {"from", "to"}, &Handlers::GetStreamDiff},
      {V::get,
       "/api/v1/networks",
       true,
       {"officer", "stage", "region", "cursor", "limit"},
       &Handlers::GetNetworks},
      {V::get, "/api/v1/networks/{id}", true, {"as_of"}, &Handlers::GetNetwork},
      {V::get,
       "/api/v1/milestones",
       true,
       {"network", "officer", "status", "due_before", "cursor", "limit"},
       &Handlers::GetMilestones},
      {V::get, "/api/v1/plans/{id}", true, {}, &Handlers::GetPlan},
      {V::get, "/api/v1/assessments/{id}", true, {}, &Handlers::GetAssessment},
      {V::get,
       "/api/v1/steps",
       true,
       {"network", "plan", "status", "cursor", "limit"},
       &Handlers::GetSteps},
      {V::get, "/api/v1/tasks", true, {"cursor", "limit"}, &Handlers::GetTasks},
      {V::get, "/api/v1/report", true, {"from", "to", "region", "officer"}, &Handlers::GetReport},
      {V::get, "/api/v1/openapi.json", false, {}, &Handlers::GetOpenApi},
      {V::get, "/healthz", false, {}, &Handlers::Healthz},
      {V::get, "/readyz", false, {}, &Handlers::Readyz},
      {V::get, "/metrics", false, {}, &Handlers::GetMetrics},
  };
  return kTable;
}

// Whether `segments` fit `path`; the placeholders' values into `params`.
bool Matches(std::string_view path, const std::vector<std::string>& segments,
             std::vector<std::string>& params) {
  params.clear();
  std::size_t i = 0;
  path.remove_prefix(1);
  while (true) {
    const auto slash = path.find('/');
    const std::string_view part = path.substr(0, slash);
    if (i >= segments.size()) return false;
    if (part.starts_with('{')) {
      if (segments[i].empty()) return false;
      params.push_back(segments[i]);
    } else if (part != segments[i]) {
      return false;
    }
    ++i;
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return i == segments.size();
}

// The bearer token of the Authorization header, or "" when there is none.
std::string_view BearerToken(const Request& request) {
  const std::string_view header = request[bhttp::field::authorization];
  constexpr std::string_view kScheme = "bearer ";
  if (header.size() <= kScheme.size()) return {};
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(header[i])) != kScheme[i]) return {};
  }
  return header.substr(kScheme.size());
}

}  // namespace

Api::Api(ApiPorts ports)
    : ports_(std::move(ports)), alone_({}, *this, ports_.metrics, ports_.clock) {}

std::vector<std::string> Api::Paths() { return {"/api/", "/healthz", "/readyz", "/metrics"}; }

std::vector<RouteInfo> Api::Routes() {
  std::vector<RouteInfo> out;
  for (const auto& r : Table()) {
    out.push_back({std::string(bhttp::to_string(r.method)), std::string(r.path)});
  }
  return out;
}

Handled Api::Handle(const Request& request, std::string_view request_id) {
  return alone_.Handle(request, request_id);
}

Response Api::Failure(std::string_view request_id) {
  return Problem(500, "Internal error",
                 "the server failed on this request (request id " + std::string(request_id) +
                     "); the operator's log has the cause");
}

Response Api::Answer(const Request& request, std::string_view request_id, Handled& out) {
  Handlers handlers{ports_};
  out.route = "unmatched";
  const auto problem = [&](const Error& e) {
    return Problem(http::ForClient(e, request_id, out.cause));
  };
  auto target = http::ParseTarget(request.target());
  if (!target) return Problem(target.error());
  std::vector<std::string> params;
  std::vector<std::string> allow;
  for (const auto& route : Table()) {
    if (!Matches(route.path, target->segments, params)) continue;
    if (route.method != request.method()) {
      allow.emplace_back(bhttp::to_string(route.method));
      continue;
    }
    out.route = std::string(route.path);
    for (const auto& [key, value] : target->query) {
      if (std::find(route.query.begin(), route.query.end(), key) != route.query.end()) continue;
      std::string accepted;
      for (auto q : route.query) accepted += (accepted.empty() ? "" : ", ") + std::string(q);
      return Problem(Invalid("query parameter '" + key + "' is not one of " + out.route +
                             "'s: " + (accepted.empty() ? "it takes none" : accepted)));
    }
    if (request.body().size() > kMaxBody) {
      return Problem(413, "Request body too large", "the body may be at most 1 MiB");
    }
    std::optional<app::Caller> caller;
    if (route.needs_token) {
      const std::string_view token = BearerToken(request);
      if (token.empty()) {
        return Problem(MakeError(ErrorCode::kUnauthenticated,
                                 "this route needs a token: send Authorization: Bearer <token> "
                                 "(an admin makes one with waymark token create)"));
      }
      auto identity = ports_.app.Authenticate(token);
      if (!identity) return problem(identity.error());
      caller = std::move(*identity);
      out.actor = caller->token_id + "/" + caller->actor.name;
    }
    Call call{request, *target, std::move(params), caller ? &*caller : nullptr, request_id};
    auto response = (handlers.*route.handle)(call);
    return response ? std::move(*response) : problem(response.error());
  }
  if (!allow.empty()) {
    std::string methods;
    for (const auto& m : allow) methods += (methods.empty() ? "" : ", ") + m;
    Response r = Problem(405, "Method not allowed", "this route answers " + methods);
    r.set(bhttp::field::allow, methods);
    return r;
  }
  return Problem(NotFound("no route " + std::string(request.method_string()) + " " +
                          std::string(request.target().substr(0, 200)) +
                          "; GET /api/v1/openapi.json lists them"));
}

}  // namespace waymark::api
