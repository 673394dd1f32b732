#include "core/policy_runner.hpp"

#include <optional>

namespace waymark {
namespace {

constexpr std::size_t kPage = 500;
// A command of the engine's that keeps losing races (the handler already
// decides again three times each) is given up on after this many tries.
constexpr int kConflictTries = 5;

// Answers that repeating the command cannot change: refused by the
// workflow, or a stream whose history cannot be read (an event no consumer
// of this build can apply; DESIGN.md: mended by an upcaster, never by an edit).
// Only an unavailable store is worth stopping for.
bool IsFinal(ErrorCode code) {
  return code == ErrorCode::kValidation || code == ErrorCode::kNotAllowed ||
         code == ErrorCode::kNotFound || code == ErrorCode::kForbidden ||
         code == ErrorCode::kCorrupt;
}

}  // namespace

PolicyRunner::PolicyRunner(EventStore& store, CheckpointStore& checkpoints, TimerStore& timers,
                           CommandHandler& handler, Clock& clock,
                           std::vector<const Policy*> policies, Report report)
    : store_(store),
      checkpoints_(checkpoints),
      timers_(timers),
      handler_(handler),
      clock_(clock),
      policies_(std::move(policies)),
      report_(std::move(report)) {}

std::expected<PolicyProgress, Error> PolicyRunner::CatchUp(const std::atomic<bool>* stop) {
  PolicyProgress progress;
  while (!(stop && *stop)) {
    auto reacted = ReactToNewEvents(progress);
    if (!reacted) return std::unexpected(reacted.error());
    auto fired = FireDueTimers(progress);
    if (!fired) return std::unexpected(fired.error());
    if (*reacted == 0 && *fired == 0) break;
  }
  return progress;
}

std::expected<bool, Error> PolicyRunner::Issue(const CommandRequest& command,
                                               PolicyProgress& progress) {
  auto result = handler_.Handle(command);
  for (int tries = 1;
       !result && result.error().code == ErrorCode::kConflict && tries < kConflictTries; ++tries) {
    result = handler_.Handle(command);
  }
  if (result) {
    ++progress.commands;
    return true;
  }
  // Refused, conflicting or unreadable: recorded, and the work behind it goes on.
  if (!IsFinal(result.error().code) && result.error().code != ErrorCode::kConflict) {
    return std::unexpected(result.error());
  }
  ++progress.refused;
  if (report_) {
    report_(command.actor.name + ": " + command.type + " on " + command.stream +
            (result.error().code == ErrorCode::kConflict ? " conflicted: " : " refused: ") +
            result.error().message);
  }
  return false;
}

std::expected<std::size_t, Error> PolicyRunner::ReactToNewEvents(PolicyProgress& progress) {
  auto cursor = checkpoints_.Load(kCheckpoint);
  if (!cursor) return std::unexpected(cursor.error());
  std::size_t seen = 0;
  for (;;) {
    auto page = store_.ReadAll(*cursor, kPage);
    if (!page) return std::unexpected(page.error());
    if (page->empty()) return seen;
    for (const auto& event : *page) {
      auto failed = [&](const Error& e) -> std::expected<std::size_t, Error> {
        // Keep what is done: the events before this one are not reacted to again.
        if (seen > 0) (void)checkpoints_.Save(kCheckpoint, *cursor);
        return std::unexpected(e);
      };
      std::optional<std::expected<FoldedStream, Error>> folded;
      const Policy::StateAfter state_after = [&]() -> std::expected<const WorkflowState*, Error> {
        if (!folded) folded = handler_.Load(event.stream, event.version);
        if (!*folded) return std::unexpected(folded->error());
        return (*folded)->state.get();
      };
      for (const Policy* policy : policies_) {
        auto reaction = policy->React(event, state_after);
        if (!reaction && IsFinal(reaction.error().code)) {
          // An event this build cannot read: said, and the events behind it go on.
          ++progress.refused;
          if (report_) {
            report_(std::string(policy->name()) + ": cannot react to " + event.stream + "@" +
                    std::to_string(event.version) + ": " + reaction.error().message);
          }
          continue;
        }
        if (!reaction) return failed(reaction.error());
        for (const auto& timer : reaction->schedule) {
          if (auto s = timers_.Schedule(timer); !s) return failed(s.error());
        }
        for (const auto& key : reaction->cancel) {
          if (auto c = timers_.Cancel(key); !c) return failed(c.error());
        }
        for (const auto& command : reaction->commands) {
          if (auto issued = Issue(command, progress); !issued) return failed(issued.error());
        }
      }
      *cursor = event.cursor();
      ++seen;
      ++progress.events;
    }
    if (auto saved = checkpoints_.Save(kCheckpoint, *cursor); !saved) {
      return std::unexpected(saved.error());
    }
  }
}

std::expected<std::size_t, Error> PolicyRunner::FireDueTimers(PolicyProgress& progress) {
  auto due = timers_.Due(clock_.Now(), kPage);
  if (!due) return std::unexpected(due.error());
  for (const auto& timer : *due) {
    // Applied or refused (the state moved on), the timer is done with.
    auto issued = Issue(timer.command, progress);
    if (!issued) return std::unexpected(issued.error());
    if (*issued) ++progress.timers_fired;
    if (auto removed = timers_.Remove(timer); !removed) return std::unexpected(removed.error());
  }
  return due->size();
}

std::expected<StepResult, Error> PolicyWork::Step(const std::atomic<bool>&) {
  auto done = part_ == Part::kReactions ? runner_.ReactToNewEvents(totals_)
                                        : runner_.FireDueTimers(totals_);
  if (!done) return std::unexpected(done.error());
  return StepResult{*done > 0, true, {}};
}

}  // namespace waymark
