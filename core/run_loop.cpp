#include "core/run_loop.hpp"

#include <algorithm>
#include <thread>
#include <vector>

namespace waymark {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

struct UnitState {
  bool active = false;        // held its leadership at the last look
  bool said_standby = false;  // the standby line was logged
  Clock::time_point standby_since{};
  int failures = 0;  // in a row
  milliseconds backoff{0};
  Clock::time_point rest_until{};
  StepResult last;       // the last successful step
  bool stepped = false;  // at least one successful step since it last failed
};

std::string Seconds(milliseconds d) {
  const auto tenths = (d.count() + 50) / 100;
  return std::to_string(tenths / 10) + (tenths % 10 ? "." + std::to_string(tenths % 10) : "") +
         " s";
}

}  // namespace

void UnitHealth::Failed(const std::string& unit, const std::string& error) {
  std::lock_guard lock(mu_);
  Unit& u = units_[unit];
  u.name = unit;
  u.failing = true;
  ++u.failures_in_a_row;
  ++u.failures;
  u.error = error;
}

void UnitHealth::Stepped(const std::string& unit) {
  std::lock_guard lock(mu_);
  Unit& u = units_[unit];
  u.name = unit;
  u.failing = false;
  u.failures_in_a_row = 0;
}

std::vector<UnitHealth::Unit> UnitHealth::Units() const {
  std::lock_guard lock(mu_);
  std::vector<Unit> out;
  for (const auto& [name, u] : units_) out.push_back(u);
  return out;
}

std::expected<void, Error> RunUnits(std::span<const WorkUnit> units, Wakeup& wakeup,
                                    const RunOptions& options, const RunLog& log,
                                    const std::atomic<bool>& stop) {
  std::vector<UnitState> states(units.size());
  const auto started = Clock::now();
  while (!stop) {
    bool busy = false, all_caught_up = true;
    auto next_wake = Clock::now() + options.idle_wait;
    for (std::size_t i = 0; i < units.size() && !stop; ++i) {
      const WorkUnit& unit = units[i];
      UnitState& s = states[i];
      const auto now = Clock::now();
      if (unit.leader && !unit.leader->TryAcquire()) {
        all_caught_up = false;
        if (s.active || !s.said_standby) {
          log("standby: " + unit.held_by + " is active on " + unit.leader_name);
          s.standby_since = now;
        }
        s.active = false;
        s.said_standby = true;
        s.stepped = false;
        if (options.once && now - s.standby_since > options.once_leadership_wait) {
          return std::unexpected(MakeError(ErrorCode::kNotAllowed,
                                           unit.name + ": " + unit.held_by + " stayed active on " +
                                               unit.leader_name +
                                               "; it does this work, so --once has nothing to do"));
        }
        continue;
      }
      if (unit.leader && !s.active) log("active on " + unit.leader_name + " (" + unit.name + ")");
      s.active = true;
      if (now < s.rest_until) {  // resting after an error
        all_caught_up = false;
        next_wake = std::min(next_wake, s.rest_until);
        continue;
      }
      auto step = unit.work->Step(stop);
      if (!step) {
        if (options.health) options.health->Failed(unit.name, step.error().message);
        ++s.failures;
        s.stepped = false;
        all_caught_up = false;
        if (options.once && s.failures >= options.once_attempts) {
          return std::unexpected(
              MakeError(step.error().code, unit.name + ": " + step.error().message + " (failed " +
                                               std::to_string(s.failures) + " times in a row)"));
        }
        s.backoff =
            s.failures == 1 ? options.first_backoff : std::min(options.max_backoff, s.backoff * 2);
        s.rest_until = Clock::now() + s.backoff;
        next_wake = std::min(next_wake, s.rest_until);
        log(unit.name + ": " + step.error().message + " (retrying in " + Seconds(s.backoff) + ")");
        continue;
      }
      if (options.health) options.health->Stepped(unit.name);
      // Only a step that got somewhere clears the failures: one that did
      // nothing after an error (a source reopened, its first poll empty)
      // is no sign the error went away, and must not restart the count.
      if (step->busy || step->caught_up) s.failures = 0;
      s.last = *step;
      s.stepped = true;
      busy = busy || step->busy;
      all_caught_up = all_caught_up && step->caught_up && !step->busy;
    }
    if (stop) break;
    if (options.once) {
      if (all_caught_up) break;
      if (Clock::now() - started > options.once_catch_up_limit) {
        std::string behind;
        for (std::size_t i = 0; i < units.size(); ++i) {
          const auto& s = states[i];
          if (s.stepped && !s.last.caught_up) {
            behind += (behind.empty() ? "" : "; ") + units[i].name +
                      (s.last.waiting_for.empty() ? "" : ": " + s.last.waiting_for);
          }
        }
        return std::unexpected(MakeError(
            ErrorCode::kUnavailable,
            "not caught up in " +
                Seconds(std::chrono::duration_cast<milliseconds>(options.once_catch_up_limit)) +
                (behind.empty() ? std::string() : " (" + behind + ")")));
      }
    }
    if (!busy) {
      const auto wait = std::chrono::ceil<milliseconds>(next_wake - Clock::now());
      if (wait > milliseconds(0)) wakeup.Wait(wait);
    }
  }
  return {};
}

}  // namespace waymark
