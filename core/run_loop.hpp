#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <expected>
#include <functional>
#include <map>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace waymark {

// Who is the one active process for a piece of work (the relay of a topic,
// the embedded projector, the policies). Not thread-safe; one owner thread.
class Leadership {
 public:
  virtual ~Leadership() = default;
  // True while this process holds it, taking it when it is free; false when
  // another process holds it or the backing system is unreachable (a lost
  // connection is lost leadership). Never throws.
  virtual bool TryAcquire() = 0;
};

// Wakes a waiting loop when there may be something new to do (an append
// committed). Not thread-safe; one owner thread.
class Wakeup {
 public:
  virtual ~Wakeup() = default;
  // Returns when woken or after `timeout`. Never throws.
  virtual void Wait(std::chrono::milliseconds timeout) = 0;
};

// What one step of a unit of work did.
struct StepResult {
  bool busy = false;        // it did something; more may be due at once
  bool caught_up = true;    // nothing more is due now (what --once waits for)
  std::string waiting_for;  // when not caught up: what it is waiting for
};

// One kind of long-running work: the relay, the projector, the policies, the
// timers. Not thread-safe; the run loop calls it from one thread.
class Work {
 public:
  virtual ~Work() = default;
  // Does a bounded amount of what is due now and says how it went. An error
  // (the database or broker unreachable, say) is retried by the loop; a step
  // after an error starts again from what is durable.
  virtual std::expected<StepResult, Error> Step(const std::atomic<bool>& stop) = 0;
};

struct WorkUnit {
  std::string name;  // "relay", "read models", "policies", "timers": in log lines and errors
  Work* work = nullptr;
  // Held while the unit works; null: no leadership needed (a Kafka consumer
  // group shares the work out itself). Units may share one.
  Leadership* leader = nullptr;
  std::string leader_name;                  // e.g. "relay:waymark.events", for people
  std::string held_by = "another process";  // who else may hold it, for people
};

// How each unit fares, for those who watch the loop from other threads
// (/readyz names a unit that fails now, /metrics counts failures).
// Thread-safe; the run loop writes, anyone reads.
class UnitHealth {
 public:
  struct Unit {
    std::string name;
    bool failing = false;        // its last step failed
    int failures_in_a_row = 0;   // since its last good step
    std::uint64_t failures = 0;  // since the process started
    std::string error;           // the last failure's message
  };
  void Failed(const std::string& unit, const std::string& error);
  void Stepped(const std::string& unit);
  std::vector<Unit> Units() const;  // by name

 private:
  mutable std::mutex mu_;
  std::map<std::string, Unit> units_;  // mu_
};

struct RunOptions {
  bool once = false;  // do everything due now, then return
  // How long an idle loop waits for a wake-up before it looks again (timers come due).
  std::chrono::milliseconds idle_wait{1000};
  // After an error a unit rests, doubling from the first to the longest rest.
  std::chrono::milliseconds first_backoff{500};
  std::chrono::milliseconds max_backoff{30000};
  // Under --once: the same unit failing this many times in a row ends the run.
  int once_attempts = 3;
  // Under --once: how long a unit waits for another process's leadership to
  // go away (a crashed process's lock goes as soon as its connection closes).
  std::chrono::milliseconds once_leadership_wait{10000};
  // Under --once: how long the units get to catch up (joining a Kafka group included).
  std::chrono::milliseconds once_catch_up_limit{120000};
  // Told of every step's outcome when set; must outlive the run.
  UnitHealth* health = nullptr;
};

// A line for the operator ("standby: ...", "... (retrying in 2 s)").
using RunLog = std::function<void(const std::string&)>;

// Runs `units` in turn until `stop` becomes true, or with `once` until every
// unit is caught up and idle. One rule for errors: in follow mode a failed
// step is logged and its unit retried after a back-off (the other units go
// on); under --once a unit failing `once_attempts` times in a row, standing
// by longer than `once_leadership_wait`, or not caught up within
// `once_catch_up_limit`, ends the run with an Error naming the unit and the
// cause. Waits on `wakeup` when no unit is busy. Units and `wakeup` must
// outlive the call.
std::expected<void, Error> RunUnits(std::span<const WorkUnit> units, Wakeup& wakeup,
                                    const RunOptions& options, const RunLog& log,
                                    const std::atomic<bool>& stop);

}  // namespace waymark
