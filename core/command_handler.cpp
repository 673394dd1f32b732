#include "core/command_handler.hpp"

#include <algorithm>

#include "core/canonical_json.hpp"
#include "core/hash_chain.hpp"
#include "core/network_key.hpp"
#include "core/stream_name.hpp"
#include "core/text_rules.hpp"

namespace waymark {
namespace {

constexpr int kAttemptsWithoutExpectedVersion = 3;

std::string_view StringField(const boost::json::value& data, std::string_view field) {
  const auto* object = data.if_object();
  const auto* value = object ? object->if_contains(field) : nullptr;
  return value && value->is_string() ? std::string_view(value->get_string()) : std::string_view{};
}

std::unexpected<Error> Refuse(ErrorCode code, std::string message) {
  return std::unexpected(MakeError(code, std::move(message)));
}

bool Has(const std::vector<std::string>& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

// Keys of the engine's own commands (policies, timers) live under this
// prefix, which no person's command may use: a token cannot claim a key the
// engine will need.
constexpr std::string_view kEngineKeyPrefix = "waymark/";

// The key as stored: a person's as given (checked), the engine's under its prefix.
std::expected<std::string, Error> StoredKey(const CommandRequest& command) {
  const std::string& key = command.idempotency_key;
  if (key.empty()) return key;
  if (CharacterCount(key) > 200 || !TextProblem(key, TextLines::kOne).empty()) {
    return Refuse(ErrorCode::kValidation,
                  "idempotency_key must be 1 to 200 characters on one line, without control "
                  "characters");
  }
  if (command.actor.role == kEngineRole) {
    return key.starts_with(kEngineKeyPrefix) ? key : std::string(kEngineKeyPrefix) + key;
  }
  if (key.starts_with(kEngineKeyPrefix)) {
    return Refuse(ErrorCode::kValidation, "idempotency keys beginning with '" +
                                              std::string(kEngineKeyPrefix) +
                                              "' are the engine's own; choose another key");
  }
  return key;
}

// What a repeat of an idempotency key must match: the command and who issued it.
std::string RequestDigest(const CommandRequest& command) {
  boost::json::object request{{"stream", command.stream},   {"type", command.type},
                              {"data", command.data},       {"actor", command.actor.name},
                              {"role", command.actor.role}, {"network", command.actor.network}};
  if (command.expected_version) request["expected_version"] = *command.expected_version;
  return ChainHashOfCanonical("", CanonicalJson(request));
}

// The first result for a repeated key, unless the key was first used for another request.
std::expected<AppendResult, Error> Replay(AppendResult first, const CommandRequest& command,
                                          std::string_view digest) {
  if (!first.request_digest.empty() && first.request_digest != digest) {
    return Refuse(ErrorCode::kConflict,
                  "idempotency key '" + command.idempotency_key + "' was first used on " +
                      command.stream +
                      " for a different command (type, data, expected version or actor); repeat "
                      "that command to get its result, or use a new key");
  }
  return first;
}

// For a network's own actor, a stream of another network is not there: the
// same answer whether it exists or not.
std::unexpected<Error> NotOwnStream(const CommandRequest& command) {
  return Refuse(ErrorCode::kNotFound, "network " + command.actor.network + " has no stream " +
                                          command.stream + "; a network acts on its own streams");
}

}  // namespace

CommandHandler::CommandHandler(EventStore& store, Domain domain, Clock& clock, IdGenerator& ids)
    : store_(store), domain_(std::move(domain)), clock_(clock), ids_(ids) {}

bool CommandHandler::ActsForOneNetwork(const Actor& actor) const {
  return !domain_.access.tenant_role.empty() && actor.role == domain_.access.tenant_role;
}

std::expected<void, Error> CommandHandler::CheckActor(const Actor& actor) const {
  const AccessModel& access = domain_.access;
  if (actor.name.empty())
    return Refuse(ErrorCode::kValidation, "no actor: name who issues the command");
  if (CharacterCount(actor.name) > 200 || !TextProblem(actor.name, TextLines::kOne).empty()) {
    return Refuse(ErrorCode::kValidation,
                  "the actor's name must be 1 to 200 characters on one line, without control "
                  "characters");
  }
  if (!Has(access.roles, actor.role)) {
    std::string known;
    for (const auto& r : access.roles) known += (known.empty() ? "" : ", ") + r;
    return Refuse(ErrorCode::kValidation, "role '" + actor.role + "' is not one of " + known);
  }
  if (Has(access.observers, actor.role)) {
    return Refuse(ErrorCode::kForbidden, actor.role + "s read and verify; they issue no commands");
  }
  if (ActsForOneNetwork(actor) && actor.network.empty()) {
    return Refuse(ErrorCode::kValidation,
                  "role " + actor.role + " needs the network it acts for (--network ID)");
  }
  return {};
}

std::expected<const Workflow*, Error> CommandHandler::WorkflowFor(std::string_view stream) const {
  auto name = ParseStreamName(stream);
  if (!name) return std::unexpected(name.error());
  for (const Workflow* w : workflows()) {
    if (w->kind() == name->kind) return w;
  }
  std::string known;
  for (const Workflow* w : workflows())
    known += (known.empty() ? "" : ", ") + std::string(w->kind());
  return Refuse(ErrorCode::kValidation, "no workflow for streams of kind '" +
                                            std::string(name->kind) + "'; known kinds: " + known);
}

std::expected<FoldedStream, Error> CommandHandler::Load(std::string_view stream,
                                                        std::optional<std::int64_t> to_version,
                                                        std::optional<Timestamp> as_of) const {
  auto workflow = WorkflowFor(stream);
  if (!workflow) return std::unexpected(workflow.error());
  return FoldStream(store_, **workflow, stream, to_version, as_of);
}

std::expected<FoldedNetwork, Error> CommandHandler::LoadNetwork(
    std::string_view network_id, std::optional<Timestamp> as_of) const {
  auto streams = store_.StreamsOfNetwork(network_id);
  if (!streams) return std::unexpected(streams.error());
  const std::string own = std::string(kNetworkKind) + "-" + std::string(network_id);
  FoldedNetwork out{std::string(network_id), {}};
  for (const auto& stream : *streams) {
    auto folded = Load(stream, std::nullopt, as_of);
    if (!folded) return std::unexpected(folded.error());
    if (folded->version == 0) continue;  // begun after as_of
    FoldedNetworkStream item{stream, std::string(ParseStreamName(stream)->kind),
                             std::move(*folded)};
    if (stream == own) {
      out.streams.insert(out.streams.begin(), std::move(item));
    } else {
      out.streams.push_back(std::move(item));
    }
  }
  if (out.streams.empty() || out.streams.front().stream != own) {
    return Refuse(ErrorCode::kNotFound, "network " + std::string(network_id) + " has no events" +
                                            (as_of ? " at " + FormatRfc3339(*as_of) : ""));
  }
  return out;
}

std::expected<AppendResult, Error> CommandHandler::Handle(const CommandRequest& request) {
  if (auto actor = CheckActor(request.actor); !actor) return std::unexpected(actor.error());
  if (auto workflow = WorkflowFor(request.stream); !workflow) {
    return std::unexpected(workflow.error());
  }
  auto key = StoredKey(request);
  if (!key) return std::unexpected(key.error());
  CommandRequest command = request;
  command.idempotency_key = std::move(*key);
  // Access before anything else about the stream or the key: for a network,
  // another network's stream takes the path a missing one takes (one read of
  // its first event, no key looked up, decided as not begun), so neither the
  // answer nor its cost says whether it exists.
  bool own = true, foreign = false;
  if (ActsForOneNetwork(command.actor)) {
    auto first = store_.ReadStream(command.stream, 1, 1);
    if (!first) return std::unexpected(first.error());
    own = !first->empty() && first->front().network_id == command.actor.network;
    foreign = !first->empty() && !own;
  }
  const std::string digest = command.idempotency_key.empty() ? "" : RequestDigest(command);
  if (!command.idempotency_key.empty() && own) {
    auto first = store_.FindAppend(command.stream, command.idempotency_key);
    if (!first) return std::unexpected(first.error());
    if (*first) return Replay(std::move(**first), command, digest);
  }
  EventMetadata metadata{command.actor.name,
                         command.actor.role,
                         command.correlation_id.empty() ? ids_.NewId() : command.correlation_id,
                         command.causation_id.empty() ? ids_.NewId() : command.causation_id,
                         command.idempotency_key,
                         {}};
  const int attempts = command.expected_version ? 1 : kAttemptsWithoutExpectedVersion;
  for (int attempt = 1;; ++attempt) {
    auto result = DecideAndAppend(command, metadata, digest, foreign);
    if (result || result.error().code != ErrorCode::kConflict || attempt >= attempts) {
      return result;
    }
  }
}

std::expected<AppendResult, Error> CommandHandler::DecideAndAppend(const CommandRequest& command,
                                                                   const EventMetadata& metadata,
                                                                   const std::string& digest,
                                                                   bool foreign) {
  const bool as_network = ActsForOneNetwork(command.actor);
  // For a network, another network's stream is answered as one not begun:
  // decided on a fresh state without reading it, so every refusal is the one
  // a missing stream gets; only a command that would begin it learns that
  // the id is taken.
  std::optional<FoldedStream> folded;
  std::unique_ptr<WorkflowState> fresh;
  const WorkflowState* state = nullptr;
  std::int64_t version = 0;
  if (foreign) {
    fresh = (*WorkflowFor(command.stream))->NewState(ParseStreamName(command.stream)->id);
    state = fresh.get();
  } else {
    auto loaded = Load(command.stream);
    if (!loaded) return std::unexpected(loaded.error());
    folded = std::move(*loaded);
    state = folded->state.get();
    version = folded->version;
  }
  if (command.expected_version && *command.expected_version != version) {
    return Refuse(ErrorCode::kConflict, "stream " + command.stream + " is at version " +
                                            std::to_string(version) + ", not the expected " +
                                            std::to_string(*command.expected_version) +
                                            "; reload it and decide again");
  }
  auto events = state->Decide(command, clock_.Now());
  if (!events) {
    // A stream that is not there, for a network: as if another network's.
    if (as_network && version == 0 && events.error().code == ErrorCode::kNotAllowed) {
      return NotOwnStream(command);
    }
    return std::unexpected(events.error());
  }
  // The network a new stream belongs to, decided once and stored with its events.
  std::string owner;
  if (version == 0 && !events->empty()) {
    owner = NetworkKeyOf(command.stream, StringField(events->front().data, kNetworkField));
  }
  if (as_network && version == 0 && !events->empty()) {
    // A network starts streams of its own network only (whether the other exists is not said).
    if (owner != command.actor.network) {
      return Refuse(ErrorCode::kForbidden, "network " + command.actor.network +
                                               " starts streams of its own network only, not of " +
                                               owner);
    }
  }
  if (foreign) {
    return Refuse(ErrorCode::kConflict,
                  "stream " + command.stream + " exists already; begin one with another id");
  }
  if (auto refs = CheckReferences(command, *state, *events); !refs) {
    return std::unexpected(refs.error());
  }
  auto result =
      store_.Append({command.stream, version, std::move(*events), metadata, digest, owner});
  if (result && result->replayed) return Replay(std::move(*result), command, digest);
  return result;
}

std::expected<void, Error> CommandHandler::CheckReferences(
    const CommandRequest& command, const WorkflowState& state,
    const std::vector<NewEvent>& events) const {
  for (const auto& event : events) {
    // The network this event belongs to: the one it names, else its stream's.
    std::string network(StringField(event.data, kNetworkField));
    if (network.empty()) network = state.network_id();
    std::vector<std::pair<std::string, std::string>> references{
        {std::string(kNetworkField), std::string(kNetworkKind)}};
    references.insert(references.end(), domain_.access.references.begin(),
                      domain_.access.references.end());
    for (const auto& [field, kind] : references) {
      const auto id = StringField(event.data, field);
      if (id.empty()) continue;
      const std::string stream = std::string(kind) + "-" + std::string(id);
      if (stream == command.stream) continue;  // a network naming itself
      // One read of the named stream: folded where this handler serves its
      // kind (its rules are asked below), else just its first event.
      std::optional<FoldedStream> named;
      std::string owner;
      if (auto workflow = WorkflowFor(stream)) {
        auto folded = FoldStream(store_, **workflow, stream);
        if (!folded) return std::unexpected(folded.error());
        if (folded->version > 0) owner = folded->state->network_id();
        named = std::move(*folded);
      } else {
        auto first = store_.ReadStream(stream, 1, 1);
        if (!first) return std::unexpected(first.error());
        if (!first->empty()) owner = first->front().network_id;
      }
      // For a network's actor, another network's stream is not there either.
      if (owner.empty() || (ActsForOneNetwork(command.actor) && owner != network)) {
        return Refuse(ErrorCode::kNotFound, "field '" + std::string(field) + "' names " + stream +
                                                ", which does not exist; name an existing " +
                                                std::string(kind));
      }
      if (!network.empty() && owner != network) {
        return Refuse(ErrorCode::kValidation, "field '" + std::string(field) + "' names " + stream +
                                                  ", which belongs to network " + owner + ", not " +
                                                  network + "; name a " + std::string(kind) +
                                                  " of network " + network);
      }
      // The named stream's own rules (a closed plan takes no milestone, ...).
      if (!named) continue;
      if (auto accepted = named->state->AcceptsReference(event); !accepted) {
        Error e = accepted.error();
        e.message = command.type + " refused: " + e.message;
        return std::unexpected(e);
      }
    }
  }
  return {};
}

}  // namespace waymark
