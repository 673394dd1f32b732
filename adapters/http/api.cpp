#include "adapters/http/api.hpp"

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <set>

#include "adapters/http/problem.hpp"
#include "adapters/http/report_tables.hpp"
#include "adapters/http/request_parsing.hpp"
#include "adapters/http/views.hpp"
#include "core/event_json.hpp"
#include "core/network_key.hpp"
#include "core/stream_name.hpp"
#include "projections/report.hpp"
#include "workflows/roles.hpp"

namespace waymark::http {
namespace {

namespace bhttp = boost::beast::http;
using boost::json::object;

constexpr std::size_t kMaxBody = 1 << 20;
constexpr std::size_t kDefaultPage = 50, kMaxPage = 500;
constexpr int kRetryAfterSeconds = 5;

Response Json(unsigned status, const boost::json::value& body) {
  Response r{static_cast<bhttp::status>(status), 11};
  r.set(bhttp::field::content_type, "application/json");
  r.body() = boost::json::serialize(body);
  return r;
}

Response Problem(const Error& error) {
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
Response Problem(unsigned status, std::string title, std::string detail) {
  Response r = Json(
      status, object{{"type", "https://waymark.invalid/problems/http-" + std::to_string(status)},
                     {"title", std::move(title)},
                     {"status", status},
                     {"detail", std::move(detail)}});
  r.set(bhttp::field::content_type, "application/problem+json");
  return r;
}

Error Invalid(std::string message) { return MakeError(ErrorCode::kValidation, std::move(message)); }
Error NotFound(std::string message) { return MakeError(ErrorCode::kNotFound, std::move(message)); }

// One request on its way through a route.
struct Call {
  const Request& request;
  const Target& target;
  std::vector<std::string> params;  // the path's {placeholders}, in order
  const Identity* who;              // null on the routes that need no token
  std::string_view request_id;
};

// Whether `who` may see what belongs to `network_id`.
bool Sees(const Identity& who, std::string_view network_id) {
  return who.actor.role != "network" || who.actor.network == network_id;
}

std::string Param(const Call& c, const std::string& name) {
  auto it = c.target.query.find(name);
  return it == c.target.query.end() ? std::string() : it->second;
}

std::expected<std::optional<Timestamp>, Error> AsOf(const Call& c) {
  const std::string text = Param(c, "as_of");
  if (text.empty()) return std::nullopt;
  auto t = ParseRfc3339(text);
  if (!t) {
    return std::unexpected(Invalid("as_of '" + text +
                                   "' is not a time; expected RFC 3339, e.g. "
                                   "2026-11-28T12:00:00Z"));
  }
  return *t;
}

// A whole number parameter in [min, max], or `fallback` when absent.
std::expected<std::int64_t, Error> Number(const Call& c, const std::string& name, std::int64_t min,
                                          std::int64_t max, std::optional<std::int64_t> fallback) {
  const std::string text = Param(c, name);
  const auto bad = [&] {
    return std::unexpected(Invalid(name + " '" + text + "' is not a whole number from " +
                                   std::to_string(min) + " to " + std::to_string(max)));
  };
  if (text.empty()) {
    if (fallback) return *fallback;
    return std::unexpected(Invalid("query parameter " + name +
                                   " is required: a whole number from " + std::to_string(min) +
                                   " to " + std::to_string(max)));
  }
  if (text.size() > 18 || text.find_first_not_of("0123456789") != std::string::npos) return bad();
  const std::int64_t n = std::stoll(text);
  if (n < min || n > max) return bad();
  return n;
}

std::expected<projections::Page, Error> PageOf(const Call& c) {
  auto limit = Number(c, "limit", 1, kMaxPage, kDefaultPage);
  if (!limit) return std::unexpected(limit.error());
  return projections::Page{Param(c, "cursor"), static_cast<std::size_t>(*limit)};
}

Response Listing(const projections::RowPage& page) {
  boost::json::array items;
  for (const auto& row : page.rows) items.push_back(row);
  return Json(200, object{{"items", std::move(items)},
                          {"next", page.next.empty() ? boost::json::value(nullptr)
                                                     : boost::json::value(page.next)}});
}

// A filter's refusal, naming the query parameter.
template <typename Filter>
std::expected<void, Error> Check(const Filter& filter) {
  auto ok = projections::CheckFilter(filter);
  if (!ok) return std::unexpected(Invalid("query parameter " + ok.error().message));
  return {};
}

// The same answer for a stream that is not there and one the token may not see.
Error StreamNotFound(std::string_view stream, const std::optional<Timestamp>& as_of) {
  return NotFound("stream " + std::string(stream) + " not found" +
                  (as_of ? " as of " + FormatRfc3339(*as_of) : ""));
}

}  // namespace

// The handlers, one per route.
struct Handlers {
  ApiPorts& p;
  const std::set<std::string>& known_commands;

  std::expected<Response, Error> PostCommand(const Call& c) {
    const auto& type_header = c.request[bhttp::field::content_type];
    if (!type_header.starts_with("application/json")) {
      return Problem(415, "Unsupported media type",
                     "send the command as JSON with Content-Type: application/json");
    }
    auto body = ParseJsonObject(c.request.body());
    if (!body) return std::unexpected(body.error());
    static const std::set<std::string> kFields = {"stream", "type", "expected_version",
                                                  "idempotency_key", "data"};
    for (const auto& [key, value] : *body) {
      if (key == "actor" || key == "role" || key == "network") {
        return std::unexpected(Invalid("field '" + std::string(key) +
                                       "': who acts comes from the bearer token, never from the "
                                       "body; leave it out"));
      }
      if (!kFields.contains(key)) {
        return std::unexpected(Invalid("field '" + std::string(key) +
                                       "' is not part of a command; send stream, type, data, "
                                       "and optionally expected_version and idempotency_key"));
      }
    }
    CommandRequest command;
    const auto* stream = body->if_contains("stream");
    const auto* type = body->if_contains("type");
    if (!stream || !stream->is_string() || !type || !type->is_string()) {
      return std::unexpected(
          Invalid("stream and type are required strings, e.g. {\"stream\": \"milestone-m1\", "
                  "\"type\": \"StartMilestone\", \"data\": {}}"));
    }
    command.stream = std::string(stream->as_string());
    command.type = std::string(type->as_string());
    if (const auto* data = body->if_contains("data")) {
      if (!data->is_object()) return std::unexpected(Invalid("data must be a JSON object"));
      command.data = data->as_object();
    }
    if (const auto* v = body->if_contains("expected_version")) {
      if (!v->is_int64() || v->as_int64() < 0) {
        return std::unexpected(Invalid("expected_version must be a whole number, 0 or more"));
      }
      command.expected_version = v->as_int64();
    }
    if (const auto* k = body->if_contains("idempotency_key")) {
      if (!k->is_string() || k->as_string().empty() || k->as_string().size() > 200) {
        return std::unexpected(Invalid("idempotency_key must be a string of 1 to 200 characters"));
      }
      command.idempotency_key = std::string(k->as_string());
    }
    command.actor = c.who->actor;
    command.correlation_id = std::string(c.request_id);
    auto result = p.commands.Handle(command);
    const std::string label = known_commands.contains(command.type) ? command.type : "unknown";
    if (!result) {
      p.metrics.CountCommand(label, std::string(ToString(result.error().code)));
      return std::unexpected(result.error());
    }
    p.metrics.CountCommand(label, result->replayed ? "replayed" : "ok");
    boost::json::array events;
    for (const auto& e : result->events) events.push_back(EventToJson(e));
    return Json(200, object{{"stream", result->stream},
                            {"version", result->last_version},
                            {"replayed", result->replayed},
                            {"events", std::move(events)}});
  }

  std::expected<Response, Error> GetStream(const Call& c) {
    const std::string& stream = c.params[0];
    if (auto name = ParseStreamName(stream); !name) return std::unexpected(name.error());
    auto as_of = AsOf(c);
    if (!as_of) return std::unexpected(as_of.error());
    std::optional<std::int64_t> version;
    if (!Param(c, "version").empty()) {
      auto v = Number(c, "version", 1, std::numeric_limits<std::int32_t>::max(), std::nullopt);
      if (!v) return std::unexpected(v.error());
      version = *v;
    }
    if (version && *as_of) return std::unexpected(Invalid("give as_of or version, not both"));
    auto folded = p.commands.Load(stream, version, *as_of);
    if (!folded) return std::unexpected(folded.error());
    if (folded->version == 0 || !Sees(*c.who, folded->state->network_id())) {
      return std::unexpected(StreamNotFound(stream, *as_of));
    }
    object out = StreamJson(stream, *folded);
    if (*as_of) out["as_of"] = FormatRfc3339(**as_of);
    if (!*as_of && !version) {
      boost::json::array allowed;
      for (const auto& command : folded->state->AllowedCommands()) {
        if (workflows::RoleMayIssue(c.who->actor.role, command)) allowed.push_back(command.c_str());
      }
      out["allowed"] = std::move(allowed);
    }
    return Json(200, out);
  }

  // The stream's first event, when `who` may see the stream.
  std::expected<void, Error> CheckVisible(const std::string& stream, const Identity& who) {
    if (auto name = ParseStreamName(stream); !name) return std::unexpected(name.error());
    auto first = p.store.ReadStream(stream, 1, 1);
    if (!first) return std::unexpected(first.error());
    if (first->empty() || !Sees(who, NetworkKeyOf(first->front()))) {
      return std::unexpected(StreamNotFound(stream, std::nullopt));
    }
    return {};
  }

  std::expected<Response, Error> GetStreamEvents(const Call& c) {
    const std::string& stream = c.params[0];
    if (auto ok = CheckVisible(stream, *c.who); !ok) return std::unexpected(ok.error());
    auto after = Number(c, "cursor", 0, std::numeric_limits<std::int32_t>::max(), 0);
    if (!after) return std::unexpected(after.error());
    auto limit = Number(c, "limit", 1, kMaxPage, 100);
    if (!limit) return std::unexpected(limit.error());
    auto events = p.store.ReadStream(stream, *after + 1, static_cast<std::size_t>(*limit) + 1);
    if (!events) return std::unexpected(events.error());
    boost::json::array items;
    const bool more = events->size() > static_cast<std::size_t>(*limit);
    if (more) events->pop_back();
    for (const auto& e : *events) items.push_back(EventToJson(e));
    boost::json::value next = nullptr;
    if (more) next = std::to_string(events->back().version);
    return Json(200, object{{"stream", stream}, {"items", std::move(items)}, {"next", next}});
  }

  std::expected<Response, Error> GetStreamDiff(const Call& c) {
    const std::string& stream = c.params[0];
    if (auto ok = CheckVisible(stream, *c.who); !ok) return std::unexpected(ok.error());
    const std::int64_t kMax = std::numeric_limits<std::int32_t>::max();
    auto from = Number(c, "from", 0, kMax, std::nullopt);
    if (!from) return std::unexpected(from.error());
    auto to = Number(c, "to", 1, kMax, std::nullopt);
    if (!to) return std::unexpected(to.error());
    if (*from >= *to) {
      return std::unexpected(
          Invalid("from must be below to, e.g. from=2&to=5 (0 is before the "
                  "first event)"));
    }
    auto before = p.commands.Load(stream, *from);
    if (!before) return std::unexpected(before.error());
    auto after = p.commands.Load(stream, *to);
    if (!after) return std::unexpected(after.error());
    if (after->version < *to) {
      return std::unexpected(Invalid("to " + std::to_string(*to) +
                                     " is past the stream's last "
                                     "version, " +
                                     std::to_string(after->version)));
    }
    auto events = p.store.ReadStream(stream, *from + 1, static_cast<std::size_t>(*to - *from));
    if (!events) return std::unexpected(events.error());
    return Json(200, DiffJson(stream, *before, *after, *events));
  }

  std::expected<Response, Error> GetNetworks(const Call& c) {
    projections::NetworkFilter filter{Param(c, "officer"), Param(c, "stage"), Param(c, "region"),
                                      ""};
    if (auto ok = Check(filter); !ok) return std::unexpected(ok.error());
    if (c.who->actor.role == "network") filter.network = c.who->actor.network;
    auto page = PageOf(c);
    if (!page) return std::unexpected(page.error());
    auto rows = p.queries.Networks(filter, *page);
    if (!rows) return std::unexpected(rows.error());
    return Listing(*rows);
  }

  std::expected<Response, Error> GetNetwork(const Call& c) {
    const std::string& id = c.params[0];
    if (!IsValidId(id)) {
      return std::unexpected(Invalid("network id: 1 to 64 characters from A-Z a-z 0-9 _ -"));
    }
    auto as_of = AsOf(c);
    if (!as_of) return std::unexpected(as_of.error());
    const auto not_found = NotFound("network " + id + " not found" +
                                    (*as_of ? " as of " + FormatRfc3339(**as_of) : ""));
    if (!Sees(*c.who, id)) return std::unexpected(not_found);
    if (*as_of) {
      auto network = p.commands.LoadNetwork(id, *as_of);
      if (!network) {
        if (network.error().code == ErrorCode::kNotFound) return std::unexpected(not_found);
        return std::unexpected(network.error());
      }
      return Json(200, FoldedNetworkJson(*network, *as_of, p.commands.workflows()));
    }
    auto row = p.queries.Network(id);
    if (!row) return std::unexpected(row.error());
    if (!*row) return std::unexpected(not_found);
    return Json(200, **row);
  }

  // A network token's scope over a listing's `network` filter: its own
  // network; asking for another yields nothing, never their rows.
  static bool Scope(const Identity& who, std::string& network) {
    if (who.actor.role != "network") return true;
    if (!network.empty() && network != who.actor.network) return false;
    network = who.actor.network;
    return true;
  }

  std::expected<Response, Error> GetMilestones(const Call& c) {
    projections::MilestoneFilter filter{Param(c, "network"), Param(c, "officer"),
                                        Param(c, "status"), Param(c, "due_before")};
    if (auto ok = Check(filter); !ok) return std::unexpected(ok.error());
    auto page = PageOf(c);
    if (!page) return std::unexpected(page.error());
    if (!Scope(*c.who, filter.network)) return Listing({});
    auto rows = p.queries.Milestones(filter, *page);
    if (!rows) return std::unexpected(rows.error());
    return Listing(*rows);
  }

  std::expected<Response, Error> GetSteps(const Call& c) {
    projections::StepFilter filter{Param(c, "network"), Param(c, "plan"), Param(c, "status")};
    if (auto ok = Check(filter); !ok) return std::unexpected(ok.error());
    auto page = PageOf(c);
    if (!page) return std::unexpected(page.error());
    if (!Scope(*c.who, filter.network)) return Listing({});
    auto rows = p.queries.Steps(filter, *page);
    if (!rows) return std::unexpected(rows.error());
    return Listing(*rows);
  }

  template <typename Read>
  std::expected<Response, Error> GetRow(const Call& c, std::string_view noun, Read&& read) {
    const std::string& id = c.params[0];
    const auto not_found = NotFound(std::string(noun) + " " + id + " not found");
    if (!IsValidId(id)) {
      return std::unexpected(
          Invalid(std::string(noun) + " id: 1 to 64 characters from A-Z a-z 0-9 _ -"));
    }
    auto row = read(id);
    if (!row) return std::unexpected(row.error());
    if (!*row) return std::unexpected(not_found);
    const auto* network = (*row)->if_contains("network_id");
    if (!network || !network->is_string() || !Sees(*c.who, network->as_string())) {
      return std::unexpected(not_found);
    }
    return Json(200, **row);
  }
  std::expected<Response, Error> GetPlan(const Call& c) {
    return GetRow(c, "plan", [&](const std::string& id) { return p.queries.Plan(id); });
  }
  std::expected<Response, Error> GetAssessment(const Call& c) {
    return GetRow(c, "assessment", [&](const std::string& id) { return p.queries.Assessment(id); });
  }

  // The programme report; a network token's covers its own network only.
  std::expected<Response, Error> GetReport(const Call& c) {
    projections::ReportRequest request{Param(c, "from"), Param(c, "to"), Param(c, "region"),
                                       Param(c, "officer"), ""};
    if (request.from.empty() || request.to.empty()) {
      return std::unexpected(
          Invalid("query parameters from and to are required: the period's "
                  "first and last day, YYYY-MM-DD"));
    }
    if (c.who->actor.role == "network") request.network = c.who->actor.network;
    auto report = projections::ProgrammeReport(p.store, p.commands.workflows(), request);
    if (!report) return std::unexpected(report.error());
    const std::string_view accept = c.request[bhttp::field::accept];
    if (accept.find("text/csv") != std::string_view::npos) {
      Response r{bhttp::status::ok, 11};
      r.set(bhttp::field::content_type, "text/csv; charset=utf-8");
      r.body() = ReportCsv(*report);
      return r;
    }
    return Json(200, *report);
  }

  std::expected<Response, Error> Healthz(const Call&) {
    return Json(200, object{{"status", "alive"}});
  }
  std::expected<Response, Error> Readyz(const Call&) {
    const auto reasons = p.not_ready();
    if (reasons.empty()) return Json(200, object{{"status", "ready"}});
    std::string detail;
    for (const auto& r : reasons) detail += (detail.empty() ? "" : "; ") + r;
    return std::unexpected(MakeError(ErrorCode::kUnavailable, "not ready: " + detail));
  }
  std::expected<Response, Error> GetMetrics(const Call&) {
    Response r{bhttp::status::ok, 11};
    r.set(bhttp::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
    r.body() = p.metrics.Render(p.lag());
    return r;
  }
  std::expected<Response, Error> GetOpenApi(const Call&) {
    Response r{bhttp::status::ok, 11};
    r.set(bhttp::field::content_type, "application/json");
    r.body() = std::string(Api::OpenApiDocument());
    return r;
  }
};

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

std::set<std::string> KnownCommands(const std::vector<const Workflow*>& workflows) {
  std::set<std::string> out;
  for (const Workflow* w : workflows) {
    for (const auto& t : w->transitions()) out.insert(t.command);
  }
  return out;
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
    : ports_(std::move(ports)), known_commands_(KnownCommands(ports_.commands.workflows())) {}

std::vector<RouteInfo> Api::Routes() {
  std::vector<RouteInfo> out;
  for (const auto& r : Table()) {
    out.push_back({std::string(bhttp::to_string(r.method)), std::string(r.path)});
  }
  return out;
}

Api::Handled Api::Handle(const Request& request, std::string_view request_id) {
  // The token is checked only on routes that need one, when one matches.
  return Answer(request, request_id, [&]() -> std::expected<std::optional<Identity>, Error> {
    const std::string_view token = BearerToken(request);
    if (token.empty()) return std::nullopt;
    auto identity = Authenticate(ports_.tokens, token);
    if (!identity) return std::unexpected(identity.error());
    return std::move(*identity);
  });
}

Api::Handled Api::HandleAs(const Request& request, const std::optional<Identity>& identity,
                           std::string_view request_id) {
  return Answer(request, request_id,
                [&]() -> std::expected<std::optional<Identity>, Error> { return identity; });
}

Api::Handled Api::Answer(
    const Request& request, std::string_view request_id,
    const std::function<std::expected<std::optional<Identity>, Error>()>& who) {
  const auto start = std::chrono::steady_clock::now();
  Handlers handlers{ports_, known_commands_};
  Handled out{{}, "unmatched", ""};
  const auto answer = [&]() -> Response {
    auto target = ParseTarget(request.target());
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
      std::optional<Identity> identity;
      if (route.needs_token) {
        auto found = who();
        if (!found) return Problem(found.error());
        if (!*found) {
          return Problem(MakeError(ErrorCode::kUnauthenticated,
                                   "this route needs a token: send Authorization: Bearer <token> "
                                   "(an admin makes one with waymark token create)"));
        }
        identity = std::move(*found);
        out.actor = identity->token_id + "/" + identity->actor.name;
      }
      Call call{request, *target, std::move(params), identity ? &*identity : nullptr, request_id};
      try {
        auto response = (handlers.*route.handle)(call);
        return response ? std::move(*response) : Problem(response.error());
      } catch (const std::exception& e) {
        return Problem(500, "Internal error",
                       "the server failed on this request (request id " + std::string(request_id) +
                           "); the operator's log has the cause");
      }
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
  };
  out.response = answer();
  out.response.set("X-Request-Id", request_id);
  out.response.keep_alive(request.keep_alive());
  out.response.prepare_payload();
  const bool known_method = request.method() != bhttp::verb::unknown;
  ports_.metrics.ObserveRequest(
      out.route, known_method ? std::string(request.method_string()) : "other",
      out.response.result_int(),
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  return out;
}

}  // namespace waymark::http
