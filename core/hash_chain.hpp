#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/event.hpp"

namespace waymark {

// The bytes an event's hash covers: the canonical JSON of
// {"data","metadata"(with recorded_at),"schema_version","stream","type","version"}.
// Position and commit are excluded: they are the store's bookkeeping, and an
// import may assign them anew.
std::string CanonicalEvent(const RecordedEvent& event);
// The same bytes from the canonical JSON of data and metadata, already made.
std::string CanonicalEvent(const RecordedEvent& event, std::string_view data_json,
                           std::string_view metadata_json);

// hex(SHA-256(previous_hash ‖ CanonicalEvent(event))), where previous_hash is
// the hex hash of the stream's previous event, or empty for version 1.
std::string ChainHash(std::string_view previous_hash, const RecordedEvent& event);
// The same, given CanonicalEvent(event).
std::string ChainHashOfCanonical(std::string_view previous_hash, std::string_view canonical_event);

// The first place where a chain does not hold.
struct BrokenLink {
  std::string stream;
  std::int64_t version = 0;
  std::string reason;
};

// Checks hash chains over events fed in commit order (each stream's events in
// version order, streams interleaved), and that each event's network_id,
// when it has one (a store's events do; an export's do not), is the one its
// stream's name and first event decide (core/network_key.hpp): a row moved to
// another network would show it to the wrong people. Keeps one entry per
// stream seen. Not thread-safe.
class ChainVerifier {
 public:
  // Returns the broken link if `event` does not continue its stream's chain.
  std::optional<BrokenLink> Feed(const RecordedEvent& event);

  std::size_t streams() const { return heads_.size(); }
  std::size_t events() const { return events_; }

 private:
  struct Head {
    std::int64_t version = 0;
    std::string hash;
    std::string network;  // decided by the first event
  };
  std::unordered_map<std::string, Head> heads_;
  std::size_t events_ = 0;
};

}  // namespace waymark
