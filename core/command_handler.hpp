#pragma once

#include <cstdint>
#include <expected>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/event_store.hpp"
#include "core/fold.hpp"
#include "core/id_generator.hpp"
#include "core/workflow.hpp"

namespace waymark {

// One stream of a network, folded.
struct FoldedNetworkStream {
  std::string stream;
  std::string kind;  // the stream's kind: "network", "plan", ...
  FoldedStream folded;
};

// A whole network folded from history: streams.front() is the network's own.
struct FoldedNetwork {
  std::string network_id;
  std::vector<FoldedNetworkStream> streams;
  const FoldedNetworkStream& network() const { return streams.front(); }
};

// Runs commands: load the stream, fold it through its workflow, decide,
// append with the version it decided on. The one path for the API, the CLI,
// policies and timers.
//
// Thread-safe as far as the store is; holds no state between calls.
// `store`, `clock`, `ids` and the workflows must outlive the handler.
class CommandHandler {
 public:
  CommandHandler(EventStore& store, Domain domain, Clock& clock, IdGenerator& ids);

  // Applies `command` once or refuses it with a typed Error, writing nothing:
  // kValidation (malformed, a role the domain does not have, or naming a
  // stream of another network), kForbidden for an observer's role,
  // kNotFound (naming a stream that does not exist; for the tenant role's actor a
  // stream of another network is decided as one not begun, so it gets the
  // answers a missing stream gets, and only a command that would begin it
  // hears kConflict "exists already"),
  // kForbidden (role, or a network starting another network's stream),
  // kNotAllowed (state; Error::allowed lists what is), kConflict (a stale
  // expected_version, or an idempotency key first used for a different
  // command or actor; a person's key beginning with "waymark/", the engine's
  // own namespace, is kValidation), kUnavailable (the store). The streams an event
  // names are its `network_id` and the fields of the domain's references; a
  // stream's network is the one its first event names; the named
  // stream may refuse being named (WorkflowState::AcceptsReference, kNotAllowed). A command with no
  // expected_version that loses a race to another writer is decided again on the fresh state, up to
  // three times. A repeated idempotency key with the same command and actor returns the first
  // result.
  std::expected<AppendResult, Error> Handle(const CommandRequest& command);

  // The stream folded from its start up to `to_version` and/or events
  // recorded at or before `as_of` (all of it by default). Never reads the
  // clock. kValidation for a stream name no workflow serves.
  std::expected<FoldedStream, Error> Load(std::string_view stream,
                                          std::optional<std::int64_t> to_version = std::nullopt,
                                          std::optional<Timestamp> as_of = std::nullopt) const;

  // A whole network as it stood at `as_of` (now by default), folded from
  // history: its own stream first, then every other stream of it in the
  // order they began; streams begun after `as_of` are left out. kNotFound
  // when the network had no events by then.
  std::expected<FoldedNetwork, Error> LoadNetwork(
      std::string_view network_id, std::optional<Timestamp> as_of = std::nullopt) const;

  // The workflows it serves.
  const std::vector<const Workflow*>& workflows() const { return domain_.workflows; }

 private:
  std::expected<const Workflow*, Error> WorkflowFor(std::string_view stream) const;
  std::expected<AppendResult, Error> DecideAndAppend(const CommandRequest& command,
                                                     const EventMetadata& metadata,
                                                     const std::string& digest, bool foreign);
  std::expected<void, Error> CheckReferences(const CommandRequest& command,
                                             const WorkflowState& state,
                                             const std::vector<NewEvent>& events) const;
  std::expected<void, Error> CheckActor(const Actor& actor) const;
  bool ActsForOneNetwork(const Actor& actor) const;

  EventStore& store_;
  Domain domain_;
  Clock& clock_;
  IdGenerator& ids_;
};

}  // namespace waymark
