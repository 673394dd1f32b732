#include "application/programme.hpp"

#include <algorithm>
#include <set>

#include "core/stream_name.hpp"
#include "workflows/roles.hpp"

namespace waymark::app {
namespace {

std::unexpected<Error> Refuse(ErrorCode code, std::string message) {
  return std::unexpected(MakeError(code, std::move(message)));
}

// The same answer for a stream that is not there and one the caller may not see.
std::unexpected<Error> StreamNotFound(std::string_view stream, const StreamPoint& at = {}) {
  std::string where;
  if (at.as_of) where = " as of " + FormatRfc3339(*at.as_of);
  return Refuse(ErrorCode::kNotFound, "stream " + std::string(stream) + " not found" + where);
}

std::vector<std::string> KnownCommands(const std::vector<const Workflow*>& workflows) {
  std::vector<std::string> out;
  for (const Workflow* w : workflows) {
    for (const auto& t : w->transitions()) out.push_back(t.command);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace

bool IsNetwork(const Caller& caller) { return caller.actor.role == "network"; }

bool Sees(const Caller& caller, std::string_view network_id) {
  return !IsNetwork(caller) || caller.actor.network == network_id;
}

bool TakesSteps(const Caller& caller) {
  const std::string& role = caller.actor.role;
  return IsNetwork(caller) || role == "officer" || role == "admin";
}

Programme::Programme(ProgrammePorts ports)
    : ports_(ports), known_commands_(KnownCommands(ports.commands.workflows())) {}

// ---- Who asks ---------------------------------------------------------------

std::expected<Caller, Error> Programme::Authenticate(std::string_view token) {
  return waymark::Authenticate(ports_.tokens, token);
}

std::expected<SessionIdentity, Error> Programme::Session(std::string_view cookie) {
  return AuthenticateSession(ports_.sessions, ports_.tokens, ports_.clock, cookie);
}

std::expected<BegunSession, Error> Programme::BeginSession(const Caller& caller) {
  return waymark::BeginSession(ports_.sessions, ports_.clock, caller);
}

std::expected<void, Error> Programme::EndSession(std::string_view cookie) {
  return waymark::EndSession(ports_.sessions, ports_.clock, cookie);
}

// ---- Integrity ------------------------------------------------------------------

namespace {
std::expected<void, Error> Auditing(const Caller& caller) {
  if (caller.actor.role == "auditor" || caller.actor.role == "admin") return {};
  return std::unexpected(
      MakeError(ErrorCode::kForbidden, "checking every hash chain is an auditor's or admin's"));
}
}  // namespace

std::expected<ChainCheck, Error> Programme::CheckChains(const Caller& caller,
                                                        std::string_view network_id) {
  if (auto ok = Auditing(caller); !ok) return std::unexpected(ok.error());
  if (auto ok = CheckId("network", network_id); !ok) return std::unexpected(ok.error());
  auto streams = ports_.store.StreamsOfNetwork(network_id);
  if (!streams) return std::unexpected(streams.error());
  ChainCheck check{std::string(network_id), streams->size(), 0, std::nullopt};
  constexpr std::size_t kPage = 1000;
  for (const auto& stream : *streams) {
    ChainVerifier verifier;  // one stream's chain, in version order
    for (std::int64_t from = 1;;) {
      auto events = ports_.store.ReadStream(stream, from, kPage);
      if (!events) return std::unexpected(events.error());
      for (const auto& e : *events) {
        ++check.events;
        if (!check.broken) check.broken = verifier.Feed(e);
      }
      if (events->size() < kPage) break;
      from += static_cast<std::int64_t>(kPage);
    }
  }
  return check;
}

std::expected<std::size_t, Error> Programme::CountEvents(const Caller& caller) {
  if (auto ok = Auditing(caller); !ok) return std::unexpected(ok.error());
  return ports_.store.CountEvents();
}

// ---- Access ---------------------------------------------------------------------

namespace {
std::expected<void, Error> AdminOnly(const Caller& caller) {
  if (caller.actor.role == "admin") return {};
  return std::unexpected(
      MakeError(ErrorCode::kForbidden, "only the programme's administrator manages access"));
}
}  // namespace

std::expected<std::vector<TokenRecord>, Error> Programme::Tokens(const Caller& caller) {
  if (auto ok = AdminOnly(caller); !ok) return std::unexpected(ok.error());
  return ports_.tokens.List();
}

std::expected<IssuedToken, Error> Programme::IssueToken(const Caller& caller, std::string_view role,
                                                        std::string_view name,
                                                        std::string_view network_id) {
  if (auto ok = AdminOnly(caller); !ok) return std::unexpected(ok.error());
  if (role == "network" && !network_id.empty()) {
    if (auto row = Network(caller, network_id); !row) {
      if (row.error().code != ErrorCode::kNotFound) return std::unexpected(row.error());
      return std::unexpected(MakeError(ErrorCode::kValidation,
                                       "network '" + std::string(network_id) +
                                           "' is not registered; choose one of the programme's"));
    }
  }
  return CreateToken(ports_.tokens, ports_.clock, role, name, network_id);
}

std::expected<void, Error> Programme::RevokeToken(const Caller& caller, std::string_view id) {
  if (auto ok = AdminOnly(caller); !ok) return std::unexpected(ok.error());
  auto revoked = ports_.tokens.Revoke(id, ports_.clock.Now());
  if (!revoked) return std::unexpected(revoked.error());
  if (!*revoked) {
    return std::unexpected(
        MakeError(ErrorCode::kNotFound, "no such token, or it was revoked already"));
  }
  return {};
}

// ---- Commands -----------------------------------------------------------------

std::expected<AppendResult, Error> Programme::Issue(const Caller& caller, CommandRequest command,
                                                    std::string_view correlation_id) {
  command.actor = caller.actor;
  command.correlation_id = std::string(correlation_id);
  auto result = ports_.commands.Handle(command);
  // Only the workflows' own command names become metric labels.
  const bool known =
      std::binary_search(known_commands_.begin(), known_commands_.end(), command.type);
  ports_.meter.CountCommand(known ? command.type : "unknown",
                            !result            ? std::string(ToString(result.error().code))
                            : result->replayed ? "replayed"
                                               : "ok");
  return result;
}

// ---- Streams --------------------------------------------------------------------

std::expected<void, Error> Programme::CheckVisible(const Caller& caller, std::string_view stream) {
  if (auto name = ParseStreamName(stream); !name) return std::unexpected(name.error());
  auto first = ports_.store.ReadStream(stream, 1, 1);
  if (!first) return std::unexpected(first.error());
  if (first->empty() || !Sees(caller, first->front().network_id)) return StreamNotFound(stream);
  return {};
}

std::expected<StreamView, Error> Programme::Stream(const Caller& caller, std::string_view stream,
                                                   const StreamPoint& at) {
  if (auto name = ParseStreamName(stream); !name) return std::unexpected(name.error());
  if (at.as_of && at.version)
    return Refuse(ErrorCode::kValidation, "give as_of or version, not both");
  auto folded = ports_.commands.Load(stream, at.version, at.as_of);
  if (!folded) return std::unexpected(folded.error());
  if (folded->version == 0 || !Sees(caller, folded->state->network_id())) {
    return StreamNotFound(stream, at);
  }
  StreamView view{std::string(stream), std::move(*folded), at, {}};
  if (at.now()) {
    for (const auto& command : view.folded.state->AllowedCommands()) {
      if (workflows::RoleMayIssue(caller.actor.role, command)) view.allowed.push_back(command);
    }
  }
  return view;
}

std::expected<EventPage, Error> Programme::Events(const Caller& caller, std::string_view stream,
                                                  std::int64_t after, std::size_t limit) {
  if (auto ok = CheckVisible(caller, stream); !ok) return std::unexpected(ok.error());
  auto events = ports_.store.ReadStream(stream, after + 1, limit + 1);
  if (!events) return std::unexpected(events.error());
  EventPage page{std::move(*events), std::nullopt};
  if (page.events.size() > limit) {
    page.events.pop_back();
    page.next = page.events.back().version;
  }
  return page;
}

std::expected<std::vector<RecordedEvent>, Error> Programme::History(const Caller& caller,
                                                                    std::string_view stream) {
  if (auto name = ParseStreamName(stream); !name) return std::unexpected(name.error());
  std::vector<RecordedEvent> out;
  constexpr std::size_t kPage = 500;
  while (true) {
    auto page = ports_.store.ReadStream(stream, static_cast<std::int64_t>(out.size()) + 1, kPage);
    if (!page) return std::unexpected(page.error());
    for (auto& e : *page) out.push_back(std::move(e));
    if (page->size() < kPage) break;
  }
  if (out.empty() || !Sees(caller, out.front().network_id)) return StreamNotFound(stream);
  return out;
}

std::expected<StreamDiff, Error> Programme::Diff(const Caller& caller, std::string_view stream,
                                                 std::int64_t from, std::int64_t to) {
  if (auto ok = CheckVisible(caller, stream); !ok) return std::unexpected(ok.error());
  if (from < 0 || from >= to) {
    return Refuse(ErrorCode::kValidation,
                  "from must be below to, e.g. from=2&to=5 (0 is before the first event)");
  }
  auto before = ports_.commands.Load(stream, from);
  if (!before) return std::unexpected(before.error());
  auto after = ports_.commands.Load(stream, to);
  if (!after) return std::unexpected(after.error());
  if (after->version < to) {
    return Refuse(ErrorCode::kValidation, "to " + std::to_string(to) +
                                              " is past the stream's last version, " +
                                              std::to_string(after->version));
  }
  auto events = ports_.store.ReadStream(stream, from + 1, static_cast<std::size_t>(to - from));
  if (!events) return std::unexpected(events.error());
  return StreamDiff{std::string(stream), std::move(*before), std::move(*after), std::move(*events)};
}

// ---- Networks -------------------------------------------------------------------

std::expected<boost::json::object, Error> Programme::Network(const Caller& caller,
                                                             std::string_view id) {
  if (auto ok = CheckId("network", id); !ok) return std::unexpected(ok.error());
  const auto not_found = Refuse(ErrorCode::kNotFound, "network " + std::string(id) + " not found");
  if (!Sees(caller, id)) return not_found;
  auto row = ports_.queries.Network(id);
  if (!row) return std::unexpected(row.error());
  if (!*row) return not_found;
  return std::move(**row);
}

std::expected<FoldedNetwork, Error> Programme::NetworkFolded(const Caller& caller,
                                                             std::string_view id,
                                                             std::optional<Timestamp> as_of) {
  if (auto ok = CheckId("network", id); !ok) return std::unexpected(ok.error());
  const auto not_found =
      Refuse(ErrorCode::kNotFound, "network " + std::string(id) + " not found" +
                                       (as_of ? " as of " + FormatRfc3339(*as_of) : ""));
  if (!Sees(caller, id)) return not_found;
  auto network = ports_.commands.LoadNetwork(id, as_of);
  if (!network) {
    if (network.error().code == ErrorCode::kNotFound) return not_found;
    return std::unexpected(network.error());
  }
  return network;
}

// ---- Listings -------------------------------------------------------------------

namespace {

// A filter's refusal, naming the parameter as the doors do.
template <typename Filter>
std::expected<void, Error> Check(const Filter& filter) {
  auto ok = projections::CheckFilter(filter);
  if (!ok) return Refuse(ErrorCode::kValidation, "query parameter " + ok.error().message);
  return {};
}

// A network's caller's scope over a listing's `network` filter: its own
// network; asking for another yields nothing, never their rows.
bool Scope(const Caller& caller, std::string& network) {
  if (!IsNetwork(caller)) return true;
  if (!network.empty() && network != caller.actor.network) return false;
  network = caller.actor.network;
  return true;
}

}  // namespace

std::expected<projections::RowPage, Error> Programme::Networks(const Caller& caller,
                                                               projections::NetworkFilter filter,
                                                               const projections::Page& page) {
  if (auto ok = Check(filter); !ok) return std::unexpected(ok.error());
  if (!Scope(caller, filter.network)) return projections::RowPage{};
  return ports_.queries.Networks(filter, page);
}

std::expected<projections::RowPage, Error> Programme::Milestones(
    const Caller& caller, projections::MilestoneFilter filter, const projections::Page& page) {
  if (auto ok = Check(filter); !ok) return std::unexpected(ok.error());
  if (!Scope(caller, filter.network)) return projections::RowPage{};
  return ports_.queries.Milestones(filter, page);
}

std::expected<projections::RowPage, Error> Programme::Steps(const Caller& caller,
                                                            projections::StepFilter filter,
                                                            const projections::Page& page) {
  if (auto ok = Check(filter); !ok) return std::unexpected(ok.error());
  if (!Scope(caller, filter.network)) return projections::RowPage{};
  return ports_.queries.Steps(filter, page);
}

std::expected<projections::RowPage, Error> Programme::Tasks(const Caller& caller,
                                                            const projections::Page& page) {
  projections::TaskFilter filter;
  filter.today = FormatRfc3339(ports_.clock.Now()).substr(0, 10);
  if (!TakesSteps(caller)) return projections::RowPage{};
  if (IsNetwork(caller)) {
    filter.party = caller.actor.role;
    filter.network = caller.actor.network;
  } else {
    filter.party = "officer";  // an officer's caseload; an admin covers every officer's
    if (caller.actor.role == "officer") filter.officer = caller.actor.name;
    filter.person = caller.actor.name;
  }
  return ports_.queries.Tasks(filter, page);
}

template <typename Read>
std::expected<boost::json::object, Error> Programme::Row(const Caller& caller,
                                                         std::string_view noun, std::string_view id,
                                                         Read&& read) {
  if (auto ok = CheckId(noun, id); !ok) return std::unexpected(ok.error());
  const auto not_found =
      Refuse(ErrorCode::kNotFound, std::string(noun) + " " + std::string(id) + " not found");
  auto row = read(id);
  if (!row) return std::unexpected(row.error());
  if (!*row) return not_found;
  const auto* network = (*row)->if_contains("network_id");
  if (!network || !network->is_string() || !Sees(caller, network->as_string())) return not_found;
  return std::move(**row);
}

std::expected<boost::json::object, Error> Programme::Plan(const Caller& caller,
                                                          std::string_view id) {
  return Row(caller, "plan", id, [&](std::string_view i) { return ports_.queries.Plan(i); });
}

std::expected<boost::json::object, Error> Programme::Assessment(const Caller& caller,
                                                                std::string_view id) {
  return Row(caller, "assessment", id,
             [&](std::string_view i) { return ports_.queries.Assessment(i); });
}

std::expected<std::vector<boost::json::object>, Error> Programme::Correlated(
    const Caller& caller, std::string_view correlation_id, std::size_t limit) {
  auto rows = ports_.queries.Correlated(correlation_id, limit);
  if (!rows) return std::unexpected(rows.error());
  std::erase_if(*rows, [&](const boost::json::object& row) {
    const auto* network = row.if_contains("network_id");
    return !network || !network->is_string() || !Sees(caller, network->as_string());
  });
  return rows;
}

std::vector<std::string> Programme::EventTypes() const {
  std::set<std::string> types;
  for (const Workflow* w : ports_.commands.workflows()) {
    for (const auto& t : w->transitions()) types.insert(t.event);
  }
  return {types.begin(), types.end()};
}

std::expected<projections::RowPage, Error> Programme::AuditLog(const Caller& caller,
                                                               projections::AuditFilter filter,
                                                               const projections::Page& page) {
  const auto types = EventTypes();
  if (auto ok = projections::CheckFilter(filter, types); !ok) {
    return Refuse(ErrorCode::kValidation, "query parameter " + ok.error().message);
  }
  if (!Scope(caller, filter.network)) return projections::RowPage{};
  return ports_.queries.AuditLog(filter, page);
}

std::expected<std::vector<std::string>, Error> Programme::AuditActors(const Caller& caller) {
  return ports_.queries.AuditActors(IsNetwork(caller) ? caller.actor.network : "", 500);
}

std::expected<std::int64_t, Error> Programme::Position() { return ports_.queries.Position(); }

// ---- The programme report -------------------------------------------------------

std::expected<boost::json::object, Error> Programme::Report(const Caller& caller,
                                                            projections::ReportRequest request) {
  if (request.from.empty() || request.to.empty()) {
    return Refuse(ErrorCode::kValidation,
                  "query parameters from and to are required: the period's first and last day, "
                  "YYYY-MM-DD");
  }
  request.network = IsNetwork(caller) ? caller.actor.network : "";
  return projections::ProgrammeReport(ports_.store, workflows(), request);
}

// ---- Reading what people type -------------------------------------------------

std::expected<std::optional<Timestamp>, Error> ParseAsOf(std::string_view text, AsOfForm form,
                                                         std::string_view name) {
  if (text.empty()) return std::nullopt;
  if (form == AsOfForm::kTimeOrDay && text.size() == 10) {
    if (auto t = ParseRfc3339(std::string(text) + "T23:59:59.999999Z")) return *t;
  } else if (auto t = ParseRfc3339(text)) {
    return *t;
  }
  const std::string accepted = form == AsOfForm::kTimeOrDay
                                   ? "a date YYYY-MM-DD or a time, e.g. 2026-11-28T12:00:00Z"
                                   : "a time in RFC 3339, e.g. 2026-11-28T12:00:00Z";
  return Refuse(ErrorCode::kValidation, std::string(name) + " '" + std::string(text.substr(0, 80)) +
                                            "' is not a time; expected " + accepted);
}

std::expected<std::int64_t, Error> ParseWholeNumber(std::string_view name, std::string_view text,
                                                    std::int64_t min, std::int64_t max) {
  if (text.empty() || text.size() > 18 || text.find_first_not_of("0123456789") != text.npos ||
      std::stoll(std::string(text)) < min || std::stoll(std::string(text)) > max) {
    return Refuse(ErrorCode::kValidation, std::string(name) + " '" +
                                              std::string(text.substr(0, 40)) +
                                              "' is not a whole number from " +
                                              std::to_string(min) + " to " + std::to_string(max));
  }
  return std::stoll(std::string(text));
}

std::expected<void, Error> CheckId(std::string_view noun, std::string_view id) {
  if (IsValidId(id)) return {};
  return Refuse(ErrorCode::kValidation,
                std::string(noun) + " id: 1 to 64 characters from A-Z a-z 0-9 _ -");
}

}  // namespace waymark::app
