// The run loop shared by relay, projector, policies and timers: --once ends
// when every unit is caught up; one error rule (follow mode retries with
// back-off, --once ends on a persistent error naming the unit); leadership.

#include "core/run_loop.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <vector>

namespace waymark {
namespace {

using std::chrono::milliseconds;

class ScriptedWork final : public Work {
 public:
  using Script = std::function<std::expected<StepResult, Error>(int step)>;
  explicit ScriptedWork(Script script) : script_(std::move(script)) {}
  std::expected<StepResult, Error> Step(const std::atomic<bool>&) override {
    return script_(steps_++);
  }
  int steps() const { return steps_; }

 private:
  Script script_;
  int steps_ = 0;
};

class CountingWakeup final : public Wakeup {
 public:
  void Wait(milliseconds timeout) override {
    ++waits;
    waited += timeout;
  }
  int waits = 0;
  milliseconds waited{0};
};

class ScriptedLeader final : public Leadership {
 public:
  explicit ScriptedLeader(std::function<bool(int)> held) : held_(std::move(held)) {}
  bool TryAcquire() override { return held_(calls_++); }

 private:
  std::function<bool(int)> held_;
  int calls_ = 0;
};

Error Down() { return MakeError(ErrorCode::kUnavailable, "PostgreSQL is unreachable"); }

RunOptions Fast(bool once) {
  RunOptions o;
  o.once = once;
  o.idle_wait = milliseconds(1);
  o.first_backoff = milliseconds(1);
  o.max_backoff = milliseconds(4);
  o.once_leadership_wait = milliseconds(50);
  o.once_catch_up_limit = milliseconds(200);
  return o;
}

struct Log {
  std::vector<std::string> lines;
  RunLog fn() {
    return [this](const std::string& l) { lines.push_back(l); };
  }
  bool Has(const std::string& text) const {
    for (const auto& l : lines) {
      if (l.find(text) != std::string::npos) return true;
    }
    return false;
  }
};

TEST(RunLoop, OnceRunsEveryUnitUntilAllAreCaughtUpAndIdle) {
  // The first unit has three busy steps; the second becomes busy once the
  // first is done (as policies react to what projection wrote).
  ScriptedWork a([](int step) { return StepResult{step < 3, true, {}}; });
  ScriptedWork b([&](int step) { return StepResult{step == 3, true, {}}; });
  const WorkUnit units[] = {{"a", &a, nullptr, "", ""}, {"b", &b, nullptr, "", ""}};
  CountingWakeup wakeup;
  Log log;
  std::atomic<bool> stop{false};
  auto ran = RunUnits(units, wakeup, Fast(true), log.fn(), stop);
  ASSERT_TRUE(ran) << ran.error().message;
  EXPECT_EQ(a.steps(), 5);  // 3 busy, one quiet pass while b is busy, one quiet pass
  EXPECT_EQ(b.steps(), 5);
  EXPECT_EQ(wakeup.waits, 0) << "a busy loop never waits";
}

TEST(RunLoop, OnceEndsOnAPersistentErrorNamingTheUnitWhileTheOthersRun) {
  ScriptedWork broken(
      [](int) -> std::expected<StepResult, Error> { return std::unexpected(Down()); });
  ScriptedWork fine([](int) { return StepResult{}; });
  const WorkUnit units[] = {{"fine", &fine, nullptr, "", ""},
                            {"read models", &broken, nullptr, "", ""}};
  CountingWakeup wakeup;
  Log log;
  std::atomic<bool> stop{false};
  auto ran = RunUnits(units, wakeup, Fast(true), log.fn(), stop);
  ASSERT_FALSE(ran);
  EXPECT_EQ(ran.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(ran.error().message,
            "read models: PostgreSQL is unreachable (failed 3 times in a row)");
  EXPECT_EQ(broken.steps(), 3);
  EXPECT_GE(fine.steps(), 3);
  EXPECT_TRUE(log.Has("read models: PostgreSQL is unreachable (retrying in"));
}

TEST(RunLoop, AStepThatDidNothingAfterAnErrorDoesNotRestartTheCount) {
  // A source reopened after a failure polls nothing the first time: that
  // is no sign the error went away. (A projector stuck on one event did
  // this, and --once waited out its whole catch-up limit.)
  ScriptedWork stuck([](int step) -> std::expected<StepResult, Error> {
    if (step % 2 == 0) return std::unexpected(Down());
    return StepResult{false, false, "the event source has not reached its end yet"};
  });
  const WorkUnit units[] = {{"read models", &stuck, nullptr, "", ""}};
  CountingWakeup wakeup;
  Log log;
  std::atomic<bool> stop{false};
  RunOptions options = Fast(true);
  options.once_catch_up_limit = std::chrono::seconds(30);
  auto ran = RunUnits(units, wakeup, options, log.fn(), stop);
  ASSERT_FALSE(ran);
  EXPECT_EQ(ran.error().message,
            "read models: PostgreSQL is unreachable (failed 3 times in a row)");
  EXPECT_EQ(stuck.steps(), 5);
}

TEST(RunLoop, OnceRidesOutAnErrorThatClears) {
  ScriptedWork flaky([](int step) -> std::expected<StepResult, Error> {
    if (step < 2) return std::unexpected(Down());
    return StepResult{step == 2, true, {}};
  });
  const WorkUnit units[] = {{"relay", &flaky, nullptr, "", ""}};
  CountingWakeup wakeup;
  Log log;
  std::atomic<bool> stop{false};
  ASSERT_TRUE(RunUnits(units, wakeup, Fast(true), log.fn(), stop));
  EXPECT_EQ(flaky.steps(), 4);
}

TEST(RunLoop, FollowModeBacksOffDoublingAndGoesOnUntilStopped) {
  std::atomic<bool> stop{false};
  std::vector<std::chrono::steady_clock::time_point> tried;
  ScriptedWork flaky([&](int step) -> std::expected<StepResult, Error> {
    tried.push_back(std::chrono::steady_clock::now());
    if (step < 5) return std::unexpected(Down());
    stop = true;  // recovered: the operator stops it
    return StepResult{};
  });
  const WorkUnit units[] = {{"relay", &flaky, nullptr, "", ""}};
  CountingWakeup wakeup;
  Log log;
  auto options = Fast(false);
  options.first_backoff = milliseconds(2);
  options.max_backoff = milliseconds(8);
  ASSERT_TRUE(RunUnits(units, wakeup, options, log.fn(), stop));
  ASSERT_EQ(flaky.steps(), 6);
  // Rests of 2, 4, 8, 8, 8 ms between the tries (never shorter).
  const int rests[] = {2, 4, 8, 8, 8};
  for (int i = 0; i < 5; ++i) {
    EXPECT_GE(tried[i + 1] - tried[i], milliseconds(rests[i])) << "rest " << i;
  }
  ASSERT_EQ(log.lines.size(), 5u);
  for (const auto& line : log.lines) {
    EXPECT_EQ(line.rfind("relay: PostgreSQL is unreachable (retrying in ", 0), 0u) << line;
  }
}

TEST(RunLoop, AStandbyUnderOnceGivesWayNamingWhoHoldsIt) {
  ScriptedWork relay([](int) { return StepResult{}; });
  ScriptedLeader never([](int) { return false; });
  const WorkUnit units[] = {{"relay", &relay, &never, "relay:waymark.events", "another relay"}};
  CountingWakeup wakeup;
  Log log;
  std::atomic<bool> stop{false};
  const auto start = std::chrono::steady_clock::now();
  auto ran = RunUnits(units, wakeup, Fast(true), log.fn(), stop);
  ASSERT_FALSE(ran);
  EXPECT_GE(std::chrono::steady_clock::now() - start, milliseconds(50));
  EXPECT_EQ(ran.error().code, ErrorCode::kNotAllowed);
  EXPECT_NE(ran.error().message.find("another relay stayed active on relay:waymark.events"),
            std::string::npos)
      << ran.error().message;
  EXPECT_EQ(relay.steps(), 0) << "a standby does not do the work";
  EXPECT_EQ(log.lines.size(), 1u) << "standby is said once";
  EXPECT_TRUE(log.Has("standby: another relay is active on relay:waymark.events"));
}

TEST(RunLoop, AStandbyTakesOverWhenTheLeaderGoes) {
  std::atomic<bool> stop{false};
  ScriptedWork relay([&](int step) {
    if (step == 1) stop = true;
    return StepResult{};
  });
  ScriptedLeader later([](int call) { return call >= 3; });  // the active one dies
  const WorkUnit units[] = {{"relay", &relay, &later, "relay:t", "another relay"}};
  CountingWakeup wakeup;
  Log log;
  ASSERT_TRUE(RunUnits(units, wakeup, Fast(false), log.fn(), stop));
  EXPECT_EQ(relay.steps(), 2);
  ASSERT_EQ(log.lines.size(), 2u);
  EXPECT_EQ(log.lines[0], "standby: another relay is active on relay:t");
  EXPECT_EQ(log.lines[1], "active on relay:t (relay)");
  EXPECT_GE(wakeup.waits, 3) << "a standby waits between looks";
}

TEST(RunLoop, OnceGivesUpOnAUnitThatNeverCatchesUpSayingWhatItWaitsFor) {
  ScriptedWork kafka([](int) { return StepResult{false, false, "joining the group"}; });
  const WorkUnit units[] = {{"read models", &kafka, nullptr, "", ""}};
  CountingWakeup wakeup;
  Log log;
  std::atomic<bool> stop{false};
  auto ran = RunUnits(units, wakeup, Fast(true), log.fn(), stop);
  ASSERT_FALSE(ran);
  EXPECT_EQ(ran.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(ran.error().message, "not caught up in 0.2 s (read models: joining the group)");
}

}  // namespace
}  // namespace waymark
