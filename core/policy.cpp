#include "core/policy.hpp"

namespace waymark {

CommandRequest PolicyCommand(std::string_view policy, const RecordedEvent& cause,
                             std::string stream, std::string type, boost::json::object data,
                             std::string key) {
  CommandRequest c;
  c.stream = std::move(stream);
  c.type = std::move(type);
  c.data = std::move(data);
  c.idempotency_key = std::move(key);
  c.actor = {"waymark/" + std::string(policy), std::string(kEngineRole), ""};
  c.correlation_id = cause.metadata.correlation_id;
  c.causation_id = cause.stream + "@" + std::to_string(cause.version);
  return c;
}

boost::json::object CommandToJson(const CommandRequest& c) {
  return {{"stream", c.stream},
          {"type", c.type},
          {"data", c.data},
          {"idempotency_key", c.idempotency_key},
          {"actor", c.actor.name},
          {"role", c.actor.role},
          {"correlation_id", c.correlation_id},
          {"causation_id", c.causation_id}};
}

std::expected<CommandRequest, Error> CommandFromJson(const boost::json::value& json) {
  const auto* o = json.if_object();
  auto text = [&](std::string_view field) -> const boost::json::string* {
    const auto* v = o ? o->if_contains(field) : nullptr;
    return v ? v->if_string() : nullptr;
  };
  const auto* data = o ? o->if_contains("data") : nullptr;
  for (const char* field :
       {"stream", "type", "idempotency_key", "actor", "role", "correlation_id", "causation_id"}) {
    if (!text(field)) {
      return std::unexpected(
          MakeError(ErrorCode::kCorrupt, "stored command lacks '" + std::string(field) + "'"));
    }
  }
  if (!data || !data->is_object())
    return std::unexpected(MakeError(ErrorCode::kCorrupt, "stored command lacks 'data'"));
  CommandRequest c;
  c.stream = *text("stream");
  c.type = *text("type");
  c.data = data->get_object();
  c.idempotency_key = *text("idempotency_key");
  c.actor = {std::string(*text("actor")), std::string(*text("role")), ""};
  c.correlation_id = *text("correlation_id");
  c.causation_id = *text("causation_id");
  return c;
}

}  // namespace waymark
