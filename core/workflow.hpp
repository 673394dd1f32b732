#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <expected>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/event.hpp"
#include "core/time.hpp"

namespace waymark {

// The role the engine's own policies and timers act under; their
// idempotency keys live in the engine's namespace ("waymark/...").
inline constexpr std::string_view kEngineRole = "system";

// Who issues a command.
struct Actor {
  std::string name;     // recorded as metadata.actor
  std::string role;     // admin | officer | network | auditor | system
  std::string network;  // with role "network": the one network it acts for
};

// One command, as the API and the CLI hand it to the command handler.
struct CommandRequest {
  std::string stream;
  std::string type;  // e.g. "RegisterNetwork"
  boost::json::object data;
  std::optional<std::int64_t> expected_version;  // set: a stale version is a conflict
  std::string idempotency_key;                   // set: a repeat returns the first result
  Actor actor;
  std::string correlation_id;  // empty: the handler makes one
  std::string causation_id;
};

// One stream's state, folded from its events through its workflow.
// Not thread-safe; owned by whoever folded it.
class WorkflowState {
 public:
  virtual ~WorkflowState() = default;

  // Folds one stored event; events come in version order. Pure: reads no
  // clock and no other stream. An event the workflow cannot apply is kCorrupt.
  virtual std::expected<void, Error> Apply(const RecordedEvent& event) = 0;

  // The events `command` produces on this state, or a typed refusal:
  // kValidation (bad data: the field and what is accepted), kNotAllowed (not
  // in this state; Error::allowed lists what is), kForbidden (role).
  // `now` is the handler's clock reading, for commands that record a time.
  virtual std::expected<std::vector<NewEvent>, Error> Decide(const CommandRequest& command,
                                                             Timestamp now) const = 0;

  // The commands this state accepts (before guards on their data).
  virtual std::vector<std::string> AllowedCommands() const = 0;

  // The network the stream belongs to; empty before its first event.
  virtual std::string network_id() const = 0;

  // The state as JSON for people and the API: at least {"state": NAME}.
  virtual boost::json::object ToJson() const = 0;

  // The machine's current state's name, e.g. "draft" (ToJson's "state").
  virtual std::string state() const = 0;

  // Whether this stream accepts being named by `event`, an event another
  // stream is about to record (a milestone naming its plan, an assessment
  // naming its network): a refusal (kNotAllowed) says why. Most accept any.
  virtual std::expected<void, Error> AcceptsReference(const NewEvent& event) const {
    (void)event;
    return {};
  }

  // The stream's columns in its read model (DESIGN.md's rm_<kind>s), written
  // beside the machine so the read side needs no knowledge of the state's
  // insides. Column → value; null for "none". The projector adds the key,
  // status, version and updated_at. Empty for a kind with no read model.
  virtual boost::json::object ReadModelRow() const = 0;

  // The rows `event`, just applied, adds to history read models (the
  // programme report's: stage moves, membership, scores, outcomes): one row
  // per table and event, or several told apart by `key`. The projector adds
  // the stream, version, position and recorded_at. None by default.
  struct HistoryRow {
    std::string_view table;
    std::string key;
    boost::json::object row;
  };
  virtual std::vector<HistoryRow> HistoryRows(const RecordedEvent& event) const {
    (void)event;
    return {};
  }

  // The steps this stream's state waits on someone to take (DESIGN.md's
  // rm_tasks), each told apart within the stream by `key`. The projector
  // adds the stream, its network, version and updated_at; the officer of a
  // network's tasks comes from the network. None by default.
  struct Task {
    std::string key;         // unique within the stream, e.g. "approve"
    std::string kind;        // what is to be done, e.g. "approve_assessment"
    std::string party;       // whose work it is: a role, e.g. "officer"
    std::string title;       // what it is about, in the record's own words
    std::string since;       // when it began waiting (RFC 3339), or ""
    std::string due;         // the day it is due (YYYY-MM-DD), or ""
    std::string shown_from;  // the day from which it is shown (YYYY-MM-DD), "" for at once
    std::string not_by;      // a person who may not take it (four eyes), or ""
  };
  virtual std::vector<Task> Tasks() const { return {}; }
};

// One row of a workflow's transition table: in state `from`, command
// `command` records event `event` and leads to state `to`.
struct Transition {
  std::string from;
  std::string command;
  std::string event;
  std::string to;
  int schema_version = 1;  // the version `event` is recorded in now
};

// One field of a command's data, as a person or a client fills it in. Read
// from the event's field declarations (workflows/event_fields.hpp), so forms
// and their rules are never written twice.
struct CommandField {
  std::string name;
  // "id", "text", "date", "instant", "links" (a list of URLs), "choice",
  // "int", "pounds"
  std::string kind;
  bool required = true;
  std::int64_t min = 0, max = 0;     // int: bounds; text: max characters; links: max count
  std::vector<std::string> choices;  // choice: the accepted values
  bool multiline = false;            // text: tab and newline allowed (a note, not a name)
};

// A command and the fields its issuer fills in (not those the engine fills:
// who and when, a network's own id, scores an event records).
struct CommandSpec {
  std::string command;
  std::vector<CommandField> fields;
};

// One kind of stream ("network", "assessment", ...): makes empty states.
// Thread-safe; stateless.
class Workflow {
 public:
  virtual ~Workflow() = default;
  virtual std::string_view kind() const = 0;
  // The state of stream `<kind>-<id>` before any event.
  virtual std::unique_ptr<WorkflowState> NewState(std::string_view id) const = 0;
  // The transition table, row by row, as the machine defines it: the one
  // source for allowed commands, diagrams and table-driven tests.
  virtual std::vector<Transition> transitions() const = 0;
  // Every command of the table with its fields, in table order.
  virtual std::vector<CommandSpec> commands() const = 0;
};

// What a domain tells the command handler beyond its workflows: who may act
// at all, and what an event names. The engine knows no role by name.
struct AccessModel {
  std::vector<std::string> roles;      // every role an actor may have (the engine's own too)
  std::vector<std::string> observers;  // roles that read and verify but issue no command
  // The role that acts for one network alone (Actor::network): another
  // network's stream is, for it, one that does not exist.
  std::string tenant_role;
  // Event fields that name a stream of another kind ({"plan_id", "plan"}):
  // the named stream must exist, belong to the same network, and accept it.
  std::vector<std::pair<std::string, std::string>> references;
};

// A domain as the engine runs it: its workflows and its access model.
struct Domain {
  std::vector<const Workflow*> workflows;
  AccessModel access;
};

}  // namespace waymark
