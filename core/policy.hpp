#pragma once

#include <boost/json/object.hpp>
#include <expected>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/event.hpp"
#include "core/time.hpp"
#include "core/workflow.hpp"

namespace waymark {

// A durable timer: when `fire_at` passes, `command` is issued (once: its
// idempotency key makes a repeat change nothing). One timer per key;
// scheduling a key again replaces it.
struct Timer {
  std::string key;
  Timestamp fire_at;
  CommandRequest command;
};

// What the engine does about one event.
struct Reaction {
  std::vector<CommandRequest> commands;  // issued now, in order
  std::vector<Timer> schedule;           // set (or replace) these timers
  std::vector<std::string> cancel;       // drop these timers
};

// The engine reacting to its own events (DESIGN.md "Policies and timers").
// A policy is deterministic: the same event and history give the same
// reaction, and every command it issues carries an idempotency key derived
// from the event, so reacting twice (after a crash, say) changes nothing.
// Its commands are attributed to actor `waymark/<name>` with role `system`.
class Policy {
 public:
  // The event's stream as it stood right after the event, folded on first
  // use, once per event however many policies ask. The state lives until
  // React returns; the workflows' views (ViewAssessment, ViewMilestone) read it.
  using StateAfter = std::function<std::expected<const WorkflowState*, Error>()>;

  virtual ~Policy() = default;
  virtual std::string_view name() const = 0;
  virtual std::expected<Reaction, Error> React(const RecordedEvent& event,
                                               const StateAfter& state_after) const = 0;
};

// A command from a policy: actor waymark/<policy>, role system, correlated
// with the event that caused it, and idempotent under `key`.
CommandRequest PolicyCommand(std::string_view policy, const RecordedEvent& cause,
                             std::string stream, std::string type, boost::json::object data,
                             std::string key);

// Timers persist their command; this is its JSON (and back).
boost::json::object CommandToJson(const CommandRequest& command);
std::expected<CommandRequest, Error> CommandFromJson(const boost::json::value& json);

}  // namespace waymark
