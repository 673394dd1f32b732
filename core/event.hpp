#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/time.hpp"

namespace waymark {

// Who did it, why, and as part of what: stored with every event.
struct EventMetadata {
  std::string actor;            // a person's or a system's name, e.g. "waymark/overdue-timer"
  std::string role;             // admin | officer | network | auditor | system
  std::string correlation_id;   // the request or flow the event belongs to
  std::string causation_id;     // the command or event that caused it
  std::string idempotency_key;  // the key the command was issued with, or empty
  Timestamp recorded_at{};      // set by the store when the event is appended
};

// An event about to be appended. `data` must be a JSON object; the store
// refuses anything else.
struct NewEvent {
  std::string type;  // past tense, e.g. "NetworkRegistered"
  int schema_version = 1;
  boost::json::value data = boost::json::object{};
};

// Where an event sits in the store's commit order. Events are read by cursor,
// not by position alone: positions are handed out before commit, so a later
// position can commit first; the cursor orders by commit, then position.
struct GlobalCursor {
  std::uint64_t commit = 0;  // the appending transaction's commit-order key
  std::int64_t position = 0;
  auto operator<=>(const GlobalCursor&) const = default;
  std::string ToString() const;                                // "commit:position"
  static std::optional<GlobalCursor> Parse(std::string_view);  // inverse of ToString
};

// An event as stored.
struct RecordedEvent {
  std::string stream;
  std::int64_t version = 0;   // 1-based, no gaps within a stream
  std::int64_t position = 0;  // global, unique, increasing within one append
  std::uint64_t commit = 0;   // see GlobalCursor
  std::string type;
  int schema_version = 1;
  boost::json::object data;
  EventMetadata metadata;
  std::string hash;  // hex SHA-256(previous event's hash || canonical event)
  // The network the stream belongs to (the tenant: who may see it). Stored
  // with every event, the same for all of a stream's; not hashed, since it
  // is decided by what is (core/network_key.hpp, from the stream's name and
  // first event), which `audit verify` checks.
  std::string network_id;

  GlobalCursor cursor() const { return {commit, position}; }
};

// An event already in its wire form (the JSON of EventToJson: same fields,
// member order unspecified), for forwarding without decoding it.
struct WireEvent {
  GlobalCursor cursor;
  std::string stream;
  std::int64_t version = 0;
  std::string type;
  std::string network_id;  // the stream's network: the key it is published under
  std::string json;
};

// One atomic append to one stream.
struct AppendRequest {
  std::string stream;
  // nullopt: append at the end, whatever the version; 0: the stream must not
  // exist yet; N: the stream must be at version N.
  std::optional<std::int64_t> expected_version;
  std::vector<NewEvent> events;
  EventMetadata metadata;  // recorded_at is ignored: the store sets it
  // With an idempotency key: a digest of the request that made the events
  // (the command handler's), kept with the key so that a repeat of the key
  // with a different request can be told apart. Empty: none kept.
  std::string request_digest{};
  // The network the stream belongs to, as the command handler decided it.
  // Empty: the store decides it the same way (NetworkKeyOf: the id of a
  // network-<id> stream, else the first event's data.network_id, else the
  // stream's name). A stream's network never changes: an append to an
  // existing stream naming another is kValidation.
  std::string network_id{};
};

struct AppendResult {
  std::string stream;
  std::int64_t first_version = 0;
  std::int64_t last_version = 0;
  std::vector<RecordedEvent> events;
  bool replayed = false;         // true: the idempotency key was used before; nothing was written
  std::string request_digest{};  // replayed: the digest the key was first used with ("" if none)
};

}  // namespace waymark
