// The API's stream routes: commands, a stream's state, history and diff.

#include <limits>

#include "adapters/api/api_handlers.hpp"
#include "application/views.hpp"
#include "core/event_json.hpp"

namespace waymark::api {

using namespace api_detail;

std::expected<Response, Error> Handlers::PostCommand(const Call& c) {
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
  auto result = p.app.Issue(*c.who, std::move(command), c.request_id);
  if (!result) return std::unexpected(result.error());
  boost::json::array events;
  for (const auto& e : result->events) events.push_back(EventToJson(e));
  return Json(200, object{{"stream", result->stream},
                          {"version", result->last_version},
                          {"replayed", result->replayed},
                          {"events", std::move(events)}});
}

std::expected<Response, Error> Handlers::GetStream(const Call& c) {
  const std::string& stream = c.params[0];
  auto as_of = AsOf(c);
  if (!as_of) return std::unexpected(as_of.error());
  app::StreamPoint at{*as_of, std::nullopt};
  if (!Param(c, "version").empty()) {
    auto v = Number(c, "version", 1, std::numeric_limits<std::int32_t>::max(), std::nullopt);
    if (!v) return std::unexpected(v.error());
    at.version = *v;
  }
  auto view = p.app.Stream(*c.who, stream, at);
  if (!view) return std::unexpected(view.error());
  object out = app::StreamJson(stream, view->folded);
  if (at.as_of) out["as_of"] = FormatRfc3339(*at.as_of);
  if (at.now()) {
    boost::json::array allowed;
    for (const auto& command : view->allowed) allowed.push_back(command.c_str());
    out["allowed"] = std::move(allowed);
  }
  return Json(200, out);
}

std::expected<Response, Error> Handlers::GetStreamEvents(const Call& c) {
  auto after = Number(c, "cursor", 0, std::numeric_limits<std::int32_t>::max(), 0);
  if (!after) return std::unexpected(after.error());
  auto limit = Number(c, "limit", 1, kMaxPage, 100);
  if (!limit) return std::unexpected(limit.error());
  const std::string& stream = c.params[0];
  auto page = p.app.Events(*c.who, stream, *after, static_cast<std::size_t>(*limit));
  if (!page) return std::unexpected(page.error());
  boost::json::array items;
  for (const auto& e : page->events) items.push_back(EventToJson(e));
  boost::json::value next = nullptr;
  if (page->next) next = std::to_string(*page->next);
  return Json(200, object{{"stream", stream}, {"items", std::move(items)}, {"next", next}});
}

std::expected<Response, Error> Handlers::GetStreamDiff(const Call& c) {
  const std::int64_t kMax = std::numeric_limits<std::int32_t>::max();
  auto from = Number(c, "from", 0, kMax, std::nullopt);
  if (!from) return std::unexpected(from.error());
  auto to = Number(c, "to", 1, kMax, std::nullopt);
  if (!to) return std::unexpected(to.error());
  auto diff = p.app.Diff(*c.who, c.params[0], *from, *to);
  if (!diff) return std::unexpected(diff.error());
  return Json(200, app::DiffJson(diff->stream, diff->before, diff->after, diff->events));
}

}  // namespace waymark::api
