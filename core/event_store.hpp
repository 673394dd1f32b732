#pragma once

#include <cstddef>
#include <expected>
#include <functional>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/event.hpp"

namespace waymark {

// The system of record: an append-only log of streams.
//
// Thread-safety: every method may be called from any thread concurrently.
// Ownership: the store owns its connections; results are copies.
// Failure: expected failures come back as Error values (kValidation,
// kConflict, kCorrupt for stored data that does not decode, kUnavailable when
// the backing system fails). Nothing is ever half-written: a failed call
// leaves the store as it was.
class EventStore {
 public:
  virtual ~EventStore() = default;

  // Appends all of request.events to request.stream in one atomic step, or
  // nothing. A stale expected_version is kConflict. When
  // request.metadata.idempotency_key was already used on this stream, returns
  // the first append's result with replayed = true and writes nothing.
  virtual std::expected<AppendResult, Error> Append(const AppendRequest& request) = 0;

  // The result of the append made on `stream` with `idempotency_key`, as
  // Append returned it the first time (replayed = true), or nullopt if none.
  virtual std::expected<std::optional<AppendResult>, Error> FindAppend(
      std::string_view stream, std::string_view idempotency_key) = 0;

  // The stream's events with version >= from_version, in version order, at
  // most max_count. An unknown stream yields an empty vector.
  virtual std::expected<std::vector<RecordedEvent>, Error> ReadStream(std::string_view stream,
                                                                      std::int64_t from_version,
                                                                      std::size_t max_count) = 0;

  // Committed events ordered after `after` in cursor order, at most
  // max_count. Gap-safe: never returns an event while an append that would
  // order before it may still commit, so a reader that resumes from the last
  // cursor it saw never skips an event.
  virtual std::expected<std::vector<RecordedEvent>, Error> ReadAll(GlobalCursor after,
                                                                   std::size_t max_count) = 0;

  // ReadAll's events in their wire form: same events, same order, same
  // gap-safety, without decoding data and metadata. For forwarders (the relay).
  virtual std::expected<std::vector<WireEvent>, Error> ReadAllWire(GlobalCursor after,
                                                                   std::size_t max_count) = 0;

  // The streams of one network: `network-<id>` and every stream whose first
  // event names it (data.network_id), in the order they began.
  virtual std::expected<std::vector<std::string>, Error> StreamsOfNetwork(
      std::string_view network_id) = 0;

  // How many events the store holds (committed), e.g. for progress reports.
  virtual std::expected<std::size_t, Error> CountEvents() = 0;

  // Writes already-recorded events (an export) verbatim: versions, positions,
  // times and hashes. Refuses, writing nothing, unless the store is empty and
  // every chain in `events` verifies.
  virtual std::expected<std::size_t, Error> Import(std::span<const RecordedEvent> events) = 0;
};

// An EventStore that forwards every call to another; a wrapper for a
// cross-cutting concern (metrics, a fault staged by a test) overrides only
// the calls it changes, as leveldb's EnvWrapper does. `inner` must outlive it.
class EventStoreWrapper : public EventStore {
 public:
  explicit EventStoreWrapper(EventStore& inner) : inner_(inner) {}
  std::expected<AppendResult, Error> Append(const AppendRequest& r) override {
    return inner_.Append(r);
  }
  std::expected<std::optional<AppendResult>, Error> FindAppend(std::string_view s,
                                                               std::string_view k) override {
    return inner_.FindAppend(s, k);
  }
  std::expected<std::vector<RecordedEvent>, Error> ReadStream(std::string_view s, std::int64_t v,
                                                              std::size_t n) override {
    return inner_.ReadStream(s, v, n);
  }
  std::expected<std::vector<RecordedEvent>, Error> ReadAll(GlobalCursor c, std::size_t n) override {
    return inner_.ReadAll(c, n);
  }
  std::expected<std::vector<WireEvent>, Error> ReadAllWire(GlobalCursor c, std::size_t n) override {
    return inner_.ReadAllWire(c, n);
  }
  std::expected<std::vector<std::string>, Error> StreamsOfNetwork(std::string_view n) override {
    return inner_.StreamsOfNetwork(n);
  }
  std::expected<std::size_t, Error> CountEvents() override { return inner_.CountEvents(); }
  std::expected<std::size_t, Error> Import(std::span<const RecordedEvent> e) override {
    return inner_.Import(e);
  }

 protected:
  EventStore& inner() { return inner_; }

 private:
  EventStore& inner_;
};

// Calls `visit` for each event of `stream` in version order, or, when
// `stream` is empty, for each event in the store in cursor order, reading
// pages of `page_size`. Stops early when `visit` returns false. Returns how
// many events were visited.
std::expected<std::size_t, Error> ForEachEvent(
    EventStore& store, std::string_view stream,
    const std::function<bool(const RecordedEvent&)>& visit, std::size_t page_size = 1000);

// The wire form of a decoded event; stores without a faster path use it.
WireEvent ToWireEvent(const RecordedEvent& event);

// Checks an export before import: chains intact, stream names valid,
// positions unique. Shared by every store's Import.
std::expected<void, Error> ValidateImport(std::span<const RecordedEvent> events);

}  // namespace waymark
