#pragma once

// What every TimerStore does, checked on the in-memory one and PostgreSQL's.

#include <gtest/gtest.h>

#include "core/timer_store.hpp"

namespace waymark::testing {

inline Timer TestTimer(std::string key, Timestamp at, std::string idempotency_key) {
  CommandRequest c;
  c.stream = "milestone-" + key;
  c.type = "MarkMilestoneOverdue";
  c.data = {{"note", "ünïcode ok"}};
  c.idempotency_key = std::move(idempotency_key);
  c.actor = {"waymark/milestone-overdue", "system", ""};
  c.correlation_id = "corr";
  c.causation_id = c.stream + "@1";
  return {std::move(key), at, std::move(c)};
}

inline void ExpectTimerStoreContract(TimerStore& timers) {
  const Timestamp t0 = *ParseRfc3339("2026-12-21T00:00:00.000001Z");
  const auto hour = std::chrono::hours(1);
  ASSERT_TRUE(timers.Schedule(TestTimer("b", t0 + hour, "k-b")));
  ASSERT_TRUE(timers.Schedule(TestTimer("a", t0, "k-a")));
  ASSERT_TRUE(timers.Schedule(TestTimer("c", t0 + 5 * hour, "k-c")));

  auto none = timers.Due(t0 - std::chrono::microseconds(1), 10);
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty()) << "nothing is due before its time";
  auto due = timers.Due(t0 + hour, 10);
  ASSERT_TRUE(due);
  ASSERT_EQ(due->size(), 2u);
  EXPECT_EQ((*due)[0].key, "a");  // earliest first
  EXPECT_EQ((*due)[0].fire_at, t0);
  EXPECT_EQ((*due)[0].command.stream, "milestone-a");
  EXPECT_EQ((*due)[0].command.data.at("note").as_string(), "ünïcode ok");
  EXPECT_EQ((*due)[0].command.actor.role, "system");
  EXPECT_EQ((*due)[0].command.causation_id, "milestone-a@1");
  EXPECT_EQ(timers.Due(t0 + hour, 1)->size(), 1u);

  // A timer replaced while it fired stays; the one that fired goes.
  ASSERT_TRUE(timers.Schedule(TestTimer("b", t0 + 2 * hour, "k-b2")));
  ASSERT_TRUE(timers.Remove((*due)[1]));
  ASSERT_TRUE(timers.Remove((*due)[0]));
  auto later = timers.Due(t0 + 10 * hour, 10);
  ASSERT_EQ(later->size(), 2u);
  EXPECT_EQ((*later)[0].key, "b");
  EXPECT_EQ((*later)[0].command.idempotency_key, "k-b2");
  ASSERT_TRUE(timers.Cancel("b"));
  ASSERT_TRUE(timers.Cancel("no-such-timer"));
  EXPECT_EQ(timers.Due(t0 + 10 * hour, 10)->size(), 1u);
}

}  // namespace waymark::testing
