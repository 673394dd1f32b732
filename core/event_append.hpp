#pragma once

#include <cstddef>
#include <expected>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/event.hpp"

namespace waymark {

// Limits every store enforces on an append.
inline constexpr std::size_t kMaxEventsPerAppend = 1000;
inline constexpr std::size_t kMaxEventBytes = 256 * 1024;  // canonical data + metadata
inline constexpr std::size_t kMaxMetadataField = 200;

// What validation already computed and sealing reuses.
struct ValidatedAppend {
  std::vector<std::string> data_json;  // canonical JSON of each event's data
};

// Checks everything about a request that does not depend on stored state:
// stream name, expected version, event types, schema versions, that data is
// an object, sizes, metadata. The error names the field and what is accepted.
std::expected<ValidatedAppend, Error> ValidateAppendRequest(const AppendRequest& request);

// Checks the expected version against the stream's current version (0 when
// the stream does not exist); a stale one is a kConflict.
std::expected<void, Error> CheckExpectedVersion(const AppendRequest& request,
                                                std::int64_t current_version);

// The events to store, with the canonical text a store writes.
struct SealedAppend {
  std::vector<RecordedEvent> events;
  std::vector<std::string> data_json;  // per event, canonical
  std::string metadata_json;           // shared by the append's events, canonical
};

// The network the events of an append belong to: the stream's own
// (`current_network`) when it has events, else the request's network_id,
// else NetworkKeyOf the stream and its first event. kValidation when the
// request names a network other than the stream's.
std::expected<std::string, Error> NetworkOfAppend(const AppendRequest& request,
                                                  std::int64_t current_version,
                                                  std::string_view current_network);

// Turns a validated request into the events to store: versions following
// `current_version`, recorded_at = `now`, the hash chain continued from
// `current_hash`, each of network `network_id`. Position and commit are left
// for the store to fill.
SealedAppend SealEvents(const AppendRequest& request, ValidatedAppend validated,
                        std::int64_t current_version, std::string_view current_hash, Timestamp now,
                        std::string_view network_id);

}  // namespace waymark
