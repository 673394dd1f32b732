#include "core/event_append.hpp"

#include "core/canonical_json.hpp"
#include "core/event_json.hpp"
#include "core/hash_chain.hpp"
#include "core/network_key.hpp"
#include "core/stream_name.hpp"

namespace waymark {
namespace {

std::unexpected<Error> Invalid(std::string message) {
  return std::unexpected(MakeError(ErrorCode::kValidation, std::move(message)));
}

bool IsValidEventType(std::string_view type) {
  if (type.empty() || type.size() > 64 || type.front() < 'A' || type.front() > 'Z') return false;
  for (char c : type) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::expected<ValidatedAppend, Error> ValidateAppendRequest(const AppendRequest& request) {
  if (auto name = ParseStreamName(request.stream); !name) return std::unexpected(name.error());
  if (request.expected_version && *request.expected_version < 0) {
    return Invalid("expected_version " + std::to_string(*request.expected_version) +
                   " is negative; expected 0 (the stream must not exist yet) or a version >= 1");
  }
  if (request.events.empty()) return Invalid("no events to append; expected at least one");
  if (request.events.size() > kMaxEventsPerAppend) {
    return Invalid(std::to_string(request.events.size()) + " events in one append; at most " +
                   std::to_string(kMaxEventsPerAppend) + " are accepted");
  }
  const EventMetadata& m = request.metadata;
  if (m.actor.empty() || m.actor.size() > kMaxMetadataField) {
    return Invalid("metadata.actor must be 1-200 characters naming who acted");
  }
  if (m.role.empty() || m.role.size() > 32) {
    return Invalid(
        "metadata.role must be 1-32 characters (admin, officer, network, auditor, system)");
  }
  for (const auto* field : {&m.correlation_id, &m.causation_id, &m.idempotency_key}) {
    if (field->size() > kMaxMetadataField) {
      return Invalid(
          "metadata correlation_id, causation_id and idempotency_key are at most 200 "
          "characters");
    }
  }
  ValidatedAppend validated;
  validated.data_json.reserve(request.events.size());
  const std::size_t metadata_bytes = m.actor.size() + m.role.size() + m.correlation_id.size() +
                                     m.causation_id.size() + m.idempotency_key.size();
  for (std::size_t i = 0; i < request.events.size(); ++i) {
    const NewEvent& e = request.events[i];
    const std::string where =
        "event " + std::to_string(i + 1) + " of " + std::to_string(request.events.size());
    if (!IsValidEventType(e.type)) {
      return Invalid(where + ": type '" + e.type.substr(0, 80) +
                     "' is not valid; expected 1-64 letters and digits starting with A-Z, "
                     "e.g. NetworkRegistered");
    }
    if (e.schema_version < 1) {
      return Invalid(where + ": schema_version " + std::to_string(e.schema_version) +
                     " is not valid; expected an integer >= 1");
    }
    if (!e.data.is_object()) {
      return Invalid(where + ": data must be a JSON object, not " +
                     std::string(boost::json::to_string(e.data.kind())));
    }
    std::string data_json = CanonicalJson(e.data);
    const std::size_t bytes = data_json.size() + metadata_bytes;
    if (bytes > kMaxEventBytes) {
      return Invalid(where + ": " + std::to_string(bytes) + " bytes is over the limit of " +
                     std::to_string(kMaxEventBytes) + " bytes per event");
    }
    validated.data_json.push_back(std::move(data_json));
  }
  return validated;
}

std::expected<void, Error> CheckExpectedVersion(const AppendRequest& request,
                                                std::int64_t current_version) {
  if (!request.expected_version || *request.expected_version == current_version) return {};
  return std::unexpected(
      MakeError(ErrorCode::kConflict, "stream " + request.stream + " is at version " +
                                          std::to_string(current_version) + ", not the expected " +
                                          std::to_string(*request.expected_version) +
                                          "; reload the stream and decide again"));
}

std::expected<std::string, Error> NetworkOfAppend(const AppendRequest& request,
                                                  std::int64_t current_version,
                                                  std::string_view current_network) {
  if (current_version > 0) {
    if (!request.network_id.empty() && request.network_id != current_network) {
      return std::unexpected(MakeError(
          ErrorCode::kValidation, "stream " + request.stream + " belongs to network " +
                                      std::string(current_network) + ", not " + request.network_id +
                                      "; a stream never changes network"));
    }
    return std::string(current_network);
  }
  if (!request.network_id.empty()) return request.network_id;
  std::string_view named;
  if (!request.events.empty()) {
    const auto* data = request.events.front().data.if_object();
    const auto* id = data ? data->if_contains("network_id") : nullptr;
    if (id && id->is_string()) named = id->get_string();
  }
  return NetworkKeyOf(request.stream, named);
}

SealedAppend SealEvents(const AppendRequest& request, ValidatedAppend validated,
                        std::int64_t current_version, std::string_view current_hash, Timestamp now,
                        std::string_view network_id) {
  SealedAppend sealed;
  sealed.data_json = std::move(validated.data_json);
  EventMetadata metadata = request.metadata;
  metadata.recorded_at = now;
  sealed.metadata_json = CanonicalJson(MetadataToJson(metadata));
  sealed.events.reserve(request.events.size());
  std::string previous(current_hash);
  for (std::size_t i = 0; i < request.events.size(); ++i) {
    const NewEvent& e = request.events[i];
    RecordedEvent r;
    r.stream = request.stream;
    r.version = ++current_version;
    r.type = e.type;
    r.schema_version = e.schema_version;
    r.data = e.data.get_object();
    r.metadata = metadata;
    r.network_id = std::string(network_id);
    r.hash = ChainHashOfCanonical(previous,
                                  CanonicalEvent(r, sealed.data_json[i], sealed.metadata_json));
    previous = r.hash;
    sealed.events.push_back(std::move(r));
  }
  return sealed;
}

}  // namespace waymark
