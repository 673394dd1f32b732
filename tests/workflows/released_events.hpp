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

// Folds every history of one fixture file; returns the (type, schema
// version) pairs it holds.
inline std::set<std::pair<std::string, int>> ExpectFixtureFolds(const Workflow& workflow,
                                                                const std::string& path) {
  const std::string kind(workflow.kind());
  std::set<std::pair<std::string, int>> seen;
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  const auto fixture = boost::json::parse(text.str()).as_object();
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
      EXPECT_TRUE(applied) << path << ": " << applied.error().message;
      if (!applied) return seen;
      seen.insert({r.type, r.schema_version});
    }
    const auto folded = state->ToJson();
    EXPECT_EQ(folded.at("state"), history.at("ends_in")) << path;
    // Every field of the state as released folds to the same value (a later
    // version may add fields; none may change or vanish).
    EXPECT_TRUE(history.as_object().contains("folds_to")) << path << ": a history without folds_to";
    if (!history.as_object().contains("folds_to")) continue;
    for (const auto& [field, value] : history.at("folds_to").as_object()) {
      const auto* now = folded.if_contains(field);
      EXPECT_TRUE(now && *now == value)
          << path << ", history ending " << history.at("ends_in") << ": field '" << field
          << "' folds to " << (now ? boost::json::serialize(*now) : "nothing") << ", released "
          << boost::json::serialize(value);
    }
  }
  return seen;
}

// Every fixture file of the kind (<kind>_events_v1.json, _v2, ...) folds as
// released, and together they hold every event type in every version it has
// been recorded in up to now, so each released shape stays readable.
inline void ExpectReleasedEventsLoad(const Workflow& workflow) {
  const std::string kind(workflow.kind());
  std::set<std::pair<std::string, int>> seen;
  int files = 0;
  for (int v = 1; v <= 9; ++v) {
    const std::string path =
        std::string(WAYMARK_FIXTURES_DIR) + "/" + kind + "_events_v" + std::to_string(v) + ".json";
    if (!std::ifstream(path)) continue;
    ++files;
    for (const auto& s : ExpectFixtureFolds(workflow, path)) seen.insert(s);
  }
  ASSERT_GT(files, 0) << "fixture missing for " << kind;
  std::set<std::pair<std::string, int>> released;
  for (const auto& t : workflow.transitions()) {
    for (int v = 1; v <= t.schema_version; ++v) released.insert({t.event, v});
  }
  for (const auto& r : released) {
    EXPECT_TRUE(seen.contains(r))
        << "no frozen fixture of " << r.first << " in schema version " << r.second
        << ": add a history holding it to a new tests/fixtures/" << kind
        << "_events_vN.json (one file per release; never edit a released one)";
  }
}

}  // namespace waymark::testing
