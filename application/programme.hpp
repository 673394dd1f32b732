#pragma once

// The application layer: every use case the front doors (the HTTP API, the
// dashboard, the CLI) offer, each taking who asks and owning what only it
// should decide once — what that person may see, how a time or a version is
// read from text, what is counted. A door translates a request into one of
// these calls and the result into JSON, HTML or text, and nothing else.

#include <boost/json/object.hpp>
#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "application/sessions.hpp"
#include "application/tokens.hpp"
#include "core/clock.hpp"
#include "core/command_handler.hpp"
#include "core/event_store.hpp"
#include "core/hash_chain.hpp"
#include "projections/read_model_queries.hpp"
#include "projections/report.hpp"

namespace waymark::app {

// Who asks: the identity a token or a dashboard session stands for.
using Caller = Identity;

// Whether `caller` may see what belongs to network `network_id`: a network
// sees its own network only; officers, admins and auditors see every one.
bool Sees(const Caller& caller, std::string_view network_id);

// Whether `caller` speaks for one network (their pages and listings are that network's).
bool IsNetwork(const Caller& caller);

// Whether steps of the programme wait on `caller` (networks, officers and
// admins; an auditor reads and verifies).
bool TakesSteps(const Caller& caller);

// Where the commands issued are counted, by type and outcome ("ok",
// "replayed", or the refusal's code). Thread-safe.
class CommandMeter {
 public:
  virtual ~CommandMeter() = default;
  virtual void CountCommand(const std::string& type, const std::string& outcome) = 0;
};

// What the application stands on; all owned elsewhere, thread-safe, and
// outliving the Programme.
struct ProgrammePorts {
  CommandHandler& commands;
  EventStore& store;
  projections::ReadModelQueries& queries;
  TokenStore& tokens;
  SessionStore& sessions;
  Clock& clock;
  CommandMeter& meter;
};

// A point in a stream's history: now (neither), as of a time, or at a version.
struct StreamPoint {
  std::optional<Timestamp> as_of;
  std::optional<std::int64_t> version;
  bool now() const { return !as_of && !version; }
};

// A stream folded to a point, and (now only) the commands its state accepts
// that the caller's role may issue.
struct StreamView {
  std::string stream;
  FoldedStream folded;
  StreamPoint at;
  std::vector<std::string> allowed;
};

// A page of one stream's events (after a version), and the version to continue after.
struct EventPage {
  std::vector<RecordedEvent> events;
  std::optional<std::int64_t> next;
};

// A stream at two versions, and the events between them (from, to].
struct StreamDiff {
  std::string stream;
  FoldedStream before, after;
  std::vector<RecordedEvent> events;
};

// One network's hash chains checked: every stream of it, each event's hash
// recomputed from its content and the one before, each row held to its
// stream's network.
struct ChainCheck {
  std::string network_id;
  std::size_t streams = 0, events = 0;
  std::optional<BrokenLink> broken;  // the first place it does not hold
};

// The use cases. Every call that reads something of a network's answers
// kNotFound, in the same words, for what does not exist and for what the
// caller may not see. Thread-safe.
class Programme {
 public:
  explicit Programme(ProgrammePorts ports);

  // ---- Who asks ---------------------------------------------------------
  // The identity of a bearer token (kUnauthenticated, never quoting it).
  std::expected<Caller, Error> Authenticate(std::string_view token);
  // The identity and session id of a dashboard session cookie.
  std::expected<SessionIdentity, Error> Session(std::string_view cookie);
  std::expected<BegunSession, Error> BeginSession(const Caller& caller);
  std::expected<void, Error> EndSession(std::string_view cookie);

  // ---- Integrity (auditors' and admins'; kForbidden for anyone else) -----
  // Every stream of one network checked (a network's whole history, read
  // stream by stream: a programme-wide check is one call per network).
  std::expected<ChainCheck, Error> CheckChains(const Caller& caller, std::string_view network_id);
  // How many events the store holds (to find those no network's check covers).
  std::expected<std::size_t, Error> CountEvents(const Caller& caller);

  // ---- Access (an admin's alone; kForbidden for anyone else) -------------
  // Every token, revoked ones too, oldest first.
  std::expected<std::vector<TokenRecord>, Error> Tokens(const Caller& caller);
  // A new token under the rules of `waymark token create`, and for a
  // network's coordinator a network that is registered (kValidation naming
  // what is accepted).
  std::expected<IssuedToken, Error> IssueToken(const Caller& caller, std::string_view role,
                                               std::string_view name, std::string_view network_id);
  // kNotFound for an unknown or already revoked token.
  std::expected<void, Error> RevokeToken(const Caller& caller, std::string_view id);

  // ---- Commands ---------------------------------------------------------
  // Runs `command` as the caller (its actor is the caller's, whatever it
  // held), recorded under `correlation_id` (the request's id), and counts it.
  std::expected<AppendResult, Error> Issue(const Caller& caller, CommandRequest command,
                                           std::string_view correlation_id);

  // ---- Streams ----------------------------------------------------------
  // kValidation for a malformed name, or a point with both a time and a version.
  std::expected<StreamView, Error> Stream(const Caller& caller, std::string_view stream,
                                          const StreamPoint& at = {});
  // Up to `limit` events after version `after`.
  std::expected<EventPage, Error> Events(const Caller& caller, std::string_view stream,
                                         std::int64_t after, std::size_t limit);
  // Every event of the stream (streams hold few), oldest first.
  std::expected<std::vector<RecordedEvent>, Error> History(const Caller& caller,
                                                           std::string_view stream);
  // kValidation unless 0 <= from < to <= the stream's version.
  std::expected<StreamDiff, Error> Diff(const Caller& caller, std::string_view stream,
                                        std::int64_t from, std::int64_t to);

  // ---- Networks ---------------------------------------------------------
  // The network's row of rm_networks (now).
  std::expected<boost::json::object, Error> Network(const Caller& caller, std::string_view id);
  // The whole network folded from history as it stood at `as_of` (now when empty).
  std::expected<FoldedNetwork, Error> NetworkFolded(const Caller& caller, std::string_view id,
                                                    std::optional<Timestamp> as_of);

  // ---- Listings (a network's caller: its own rows only) -----------------
  std::expected<projections::RowPage, Error> Networks(const Caller& caller,
                                                      projections::NetworkFilter filter,
                                                      const projections::Page& page);
  std::expected<projections::RowPage, Error> Milestones(const Caller& caller,
                                                        projections::MilestoneFilter filter,
                                                        const projections::Page& page);
  std::expected<projections::RowPage, Error> Steps(const Caller& caller,
                                                   projections::StepFilter filter,
                                                   const projections::Page& page);
  // The steps waiting on the caller, as of today: a network's its network's;
  // an officer's those of their caseload that they may take (never
  // approving or verifying their own submission); an admin's every
  // officer's they may take; nobody else's.
  std::expected<projections::RowPage, Error> Tasks(const Caller& caller,
                                                   const projections::Page& page);
  std::expected<boost::json::object, Error> Plan(const Caller& caller, std::string_view id);
  std::expected<boost::json::object, Error> Assessment(const Caller& caller, std::string_view id);
  // The audit rows recorded under `correlation_id` that the caller may see.
  std::expected<std::vector<boost::json::object>, Error> Correlated(const Caller& caller,
                                                                    std::string_view correlation_id,
                                                                    std::size_t limit);
  // The audit log's rows the caller may see (a network's caller: its own
  // network's), newest first; kValidation for a filter that is not one.
  std::expected<projections::RowPage, Error> AuditLog(const Caller& caller,
                                                      projections::AuditFilter filter,
                                                      const projections::Page& page);
  // The people the log can be searched by (a network's caller: its own
  // network's), sorted; the event types every workflow records, sorted.
  std::expected<std::vector<std::string>, Error> AuditActors(const Caller& caller);
  std::vector<std::string> EventTypes() const;
  // The position the read models stand at (for pages that follow them live).
  std::expected<std::int64_t, Error> Position();

  // ---- The programme report (a network's caller: its own network) -------
  std::expected<boost::json::object, Error> Report(const Caller& caller,
                                                   projections::ReportRequest request);

  const std::vector<const Workflow*>& workflows() const { return ports_.commands.workflows(); }
  Clock& clock() { return ports_.clock; }

 private:
  // The stream's first event, when the caller may see the stream.
  std::expected<void, Error> CheckVisible(const Caller& caller, std::string_view stream);
  template <typename Read>
  std::expected<boost::json::object, Error> Row(const Caller& caller, std::string_view noun,
                                                std::string_view id, Read&& read);

  ProgrammePorts ports_;
  std::vector<std::string> known_commands_;  // sorted: metric labels
};

// ---- Reading what people type, the same at every door -----------------------

// How an "as of" may be written: a time (RFC 3339) only, or a day too
// (YYYY-MM-DD: the end of that day, UTC).
enum class AsOfForm { kTime, kTimeOrDay };

// "" is now (nullopt); otherwise the time, or kValidation naming `name` and
// the forms accepted.
std::expected<std::optional<Timestamp>, Error> ParseAsOf(std::string_view text,
                                                         AsOfForm form = AsOfForm::kTime,
                                                         std::string_view name = "as_of");

// A whole number in [min, max], or kValidation "<name> '<text>' is not a whole
// number from <min> to <max>".
std::expected<std::int64_t, Error> ParseWholeNumber(std::string_view name, std::string_view text,
                                                    std::int64_t min, std::int64_t max);

// A record id ([A-Za-z0-9_-]{1,64}), or kValidation "<noun> id: ...".
std::expected<void, Error> CheckId(std::string_view noun, std::string_view id);

}  // namespace waymark::app
