#pragma once

#include <atomic>
#include <cstddef>
#include <expected>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/checkpoint_store.hpp"
#include "core/clock.hpp"
#include "core/command_handler.hpp"
#include "core/event_store.hpp"
#include "core/policy.hpp"
#include "core/run_loop.hpp"
#include "core/timer_store.hpp"

namespace waymark {

// What a run of the policies did.
struct PolicyProgress {
  std::size_t events = 0;        // events read
  std::size_t commands = 0;      // commands applied (repeats of earlier ones included)
  std::size_t refused = 0;       // commands the workflows refused (reported, not retried)
  std::size_t timers_fired = 0;  // timers whose command was issued
};

// Runs the policies over the event store's committed events, in commit
// order, from the checkpoint `policies`, and fires the durable timers that
// are due. Runs only where it is started (`waymark project`, `serve`); a
// replay or a read-model rebuild never runs it, so history is never acted on
// twice by those.
//
// Exactly once in effect: the checkpoint moves after an event's reactions
// are done; after a crash the event is reacted to again and the repeated
// commands are answered by their idempotency keys. A refused command (the
// state moved on, say) is reported and not retried; an unavailable store
// stops the run before the checkpoint moves past the event.
//
// Not thread-safe: one runner per checkpoint at a time (callers hold a
// leader lock). All references must outlive the runner.
class PolicyRunner {
 public:
  static constexpr std::string_view kCheckpoint = "policies";
  using Report = std::function<void(const std::string&)>;

  PolicyRunner(EventStore& store, CheckpointStore& checkpoints, TimerStore& timers,
               CommandHandler& handler, Clock& clock, std::vector<const Policy*> policies,
               Report report = {});

  // Reacts to every event committed after the checkpoint and fires every
  // timer due now, repeating until a pass finds nothing to do (a policy's
  // commands are events that other policies may react to). Stops early when
  // `stop` becomes true.
  std::expected<PolicyProgress, Error> CatchUp(const std::atomic<bool>* stop = nullptr);

  // The two halves of CatchUp, for a run loop that runs them as two units:
  // reacts to every event committed after the checkpoint / fires the timers
  // due now (a page of them). Each returns how many it handled.
  std::expected<std::size_t, Error> ReactToNewEvents(PolicyProgress& progress);
  std::expected<std::size_t, Error> FireDueTimers(PolicyProgress& progress);

 private:
  // Applies `command`; a refusal is reported and counted, a failure returned.
  std::expected<bool, Error> Issue(const CommandRequest& command, PolicyProgress& progress);

  EventStore& store_;
  CheckpointStore& checkpoints_;
  TimerStore& timers_;
  CommandHandler& handler_;
  Clock& clock_;
  std::vector<const Policy*> policies_;
  Report report_;
};

// Half of a PolicyRunner as a unit of a run loop: reacting to new events, or
// firing due timers. Both halves share the runner (and its leadership).
class PolicyWork final : public Work {
 public:
  enum class Part { kReactions, kTimers };
  PolicyWork(PolicyRunner& runner, Part part) : runner_(runner), part_(part) {}

  std::expected<StepResult, Error> Step(const std::atomic<bool>& stop) override;

  // Everything done so far.
  const PolicyProgress& totals() const { return totals_; }

 private:
  PolicyRunner& runner_;
  Part part_;
  PolicyProgress totals_;
};

}  // namespace waymark
