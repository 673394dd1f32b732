#pragma once

// Frozen fixtures: the JSON of every event type of a workflow at schema
// version 1, as released (tests/fixtures/<kind>_events_v1.json), folded
// history by history to the state and data recorded beside each history
// (`ends_in`, `folds_to`). An incompatible change to an event fails here.

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <fstream>
#include <set>
#include <sstream>

#include "core/workflow.hpp"

namespace waymark::testing {

inline void ExpectReleasedEventsLoad(const Workflow& workflow) {
  const std::string kind(workflow.kind());
  std::ifstream file(std::string(WAYMARK_FIXTURES_DIR) + "/" + kind + "_events_v1.json");
  ASSERT_TRUE(file) << "fixture missing for " << kind;
  std::stringstream text;
  text << file.rdbuf();
  const auto fixture = boost::json::parse(text.str()).as_object();
  std::set<std::string> types;
  for (const auto& history : fixture.at("histories").as_array()) {
    auto state = workflow.NewState("x1");
    std::int64_t version = 0;
    for (const auto& e : history.at("events").as_array()) {
      RecordedEvent r;
      r.stream = kind + "-x1";
      r.version = ++version;
      r.type = std::string(e.at("type").as_string());
      r.schema_version = static_cast<int>(e.at("schema_version").as_int64());
      r.data = e.at("data").as_object();
      auto applied = state->Apply(r);
      ASSERT_TRUE(applied) << applied.error().message;
      types.insert(r.type);
    }
    const auto folded = state->ToJson();
    EXPECT_EQ(folded.at("state"), history.at("ends_in"));
    // Every field of the state as released folds to the same value (a later
    // version may add fields; none may change or vanish).
    ASSERT_TRUE(history.as_object().contains("folds_to")) << kind << ": a history without folds_to";
    for (const auto& [field, value] : history.at("folds_to").as_object()) {
      const auto* now = folded.if_contains(field);
      EXPECT_TRUE(now && *now == value)
          << kind << " history ending " << history.at("ends_in") << ": field '" << field
          << "' folds to " << (now ? boost::json::serialize(*now) : "nothing") << ", released "
          << boost::json::serialize(value);
    }
  }
  std::set<std::string> released;
  for (const auto& t : workflow.transitions()) released.insert(t.event);
  EXPECT_EQ(types, released) << "every event type has a frozen fixture";
}

}  // namespace waymark::testing
