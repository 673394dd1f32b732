#include "core/event_json.hpp"

#include "core/canonical_json.hpp"

namespace waymark {
namespace {

Error FieldError(std::string_view field, std::string_view expected) {
  return MakeError(ErrorCode::kValidation,
                   "field '" + std::string(field) + "' is missing or not " + std::string(expected));
}

const boost::json::string* GetString(const boost::json::object& obj, std::string_view key) {
  const auto* v = obj.if_contains(key);
  return v ? v->if_string() : nullptr;
}

std::optional<std::int64_t> GetInt(const boost::json::object& obj, std::string_view key) {
  const auto* v = obj.if_contains(key);
  if (!v) return std::nullopt;
  if (const auto* i = v->if_int64()) return *i;
  if (const auto* u = v->if_uint64(); u && *u <= static_cast<std::uint64_t>(INT64_MAX)) {
    return static_cast<std::int64_t>(*u);
  }
  return std::nullopt;
}

}  // namespace

boost::json::object MetadataToJson(const EventMetadata& m) {
  return {{"actor", m.actor},
          {"role", m.role},
          {"correlation_id", m.correlation_id},
          {"causation_id", m.causation_id},
          {"idempotency_key", m.idempotency_key},
          {"recorded_at", FormatRfc3339(m.recorded_at)}};
}

boost::json::object EventToJson(const RecordedEvent& e) {
  return {{"stream", e.stream},
          {"version", e.version},
          {"position", e.position},
          {"type", e.type},
          {"schema_version", e.schema_version},
          {"data", e.data},
          {"metadata", MetadataToJson(e.metadata)},
          {"hash", e.hash}};
}

std::expected<EventMetadata, Error> MetadataFromJson(const boost::json::value& json,
                                                     bool require_recorded_at) {
  const auto* obj = json.if_object();
  if (!obj) return std::unexpected(FieldError("metadata", "an object"));
  EventMetadata m;
  struct Field {
    std::string_view name;
    std::string* target;
  };
  for (const Field& f :
       {Field{"actor", &m.actor}, Field{"role", &m.role},
        Field{"correlation_id", &m.correlation_id}, Field{"causation_id", &m.causation_id},
        Field{"idempotency_key", &m.idempotency_key}}) {
    const auto* s = GetString(*obj, f.name);
    if (!s) return std::unexpected(FieldError("metadata." + std::string(f.name), "a string"));
    *f.target = std::string(*s);
  }
  if (require_recorded_at) {
    const auto* s = GetString(*obj, "recorded_at");
    if (!s) return std::unexpected(FieldError("metadata.recorded_at", "an RFC 3339 string"));
    auto t = ParseRfc3339(*s);
    if (!t) return std::unexpected(t.error());
    m.recorded_at = *t;
  }
  return m;
}

std::expected<RecordedEvent, Error> EventFromJson(const boost::json::value& json) {
  const auto* obj = json.if_object();
  if (!obj) return std::unexpected(FieldError("event", "an object"));
  RecordedEvent e;
  const auto* stream = GetString(*obj, "stream");
  if (!stream) return std::unexpected(FieldError("stream", "a string"));
  e.stream = std::string(*stream);
  const auto version = GetInt(*obj, "version");
  if (!version || *version < 1) return std::unexpected(FieldError("version", "an integer >= 1"));
  e.version = *version;
  const auto position = GetInt(*obj, "position");
  if (!position || *position < 1) return std::unexpected(FieldError("position", "an integer >= 1"));
  e.position = *position;
  const auto* type = GetString(*obj, "type");
  if (!type) return std::unexpected(FieldError("type", "a string"));
  e.type = std::string(*type);
  const auto schema = GetInt(*obj, "schema_version");
  if (!schema || *schema < 1 || *schema > INT32_MAX) {
    return std::unexpected(FieldError("schema_version", "an integer >= 1"));
  }
  e.schema_version = static_cast<int>(*schema);
  const auto* data = obj->if_contains("data");
  if (!data || !data->is_object()) return std::unexpected(FieldError("data", "an object"));
  if (HoldsFloatingPoint(*data)) {
    return std::unexpected(
        FieldError("data", "an object whose numbers are whole (events record amounts as text)"));
  }
  e.data = data->get_object();
  const auto* metadata = obj->if_contains("metadata");
  if (!metadata) return std::unexpected(FieldError("metadata", "an object"));
  auto m = MetadataFromJson(*metadata, /*require_recorded_at=*/true);
  if (!m) return std::unexpected(m.error());
  e.metadata = std::move(*m);
  const auto* hash = GetString(*obj, "hash");
  if (!hash) return std::unexpected(FieldError("hash", "a string"));
  e.hash = std::string(*hash);
  return e;
}

}  // namespace waymark
