// The API's stream routes: commands, a stream's state, history and diff.

#include <limits>

#include "adapters/http/api_handlers.hpp"
#include "adapters/http/views.hpp"
#include "core/event_json.hpp"
#include "core/network_key.hpp"
#include "core/stream_name.hpp"
#include "workflows/roles.hpp"

namespace waymark::http {

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

std::expected<Response, Error> Handlers::GetStream(const Call& c) {
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
std::expected<void, Error> Handlers::CheckVisible(const std::string& stream, const Identity& who) {
  if (auto name = ParseStreamName(stream); !name) return std::unexpected(name.error());
  auto first = p.store.ReadStream(stream, 1, 1);
  if (!first) return std::unexpected(first.error());
  if (first->empty() || !Sees(who, NetworkKeyOf(first->front()))) {
    return std::unexpected(StreamNotFound(stream, std::nullopt));
  }
  return {};
}

std::expected<Response, Error> Handlers::GetStreamEvents(const Call& c) {
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

std::expected<Response, Error> Handlers::GetStreamDiff(const Call& c) {
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

}  // namespace waymark::http
