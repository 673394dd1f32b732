#pragma once

// Checks a workflow against its own transition table: from the initial state,
// every command in every reachable state is accepted exactly when a row says
// so, leads where the row says, and is refused as not allowed otherwise, with
// the state's allowed commands.

#include <gtest/gtest.h>

#include <deque>
#include <functional>
#include <map>
#include <set>
#include <tuple>

#include "core/workflow.hpp"

namespace waymark::testing {

// A valid command of each type, as the role that would issue it.
using ValidCommand = std::function<CommandRequest(const std::string& type)>;
// The time to decide a command at (some guards look at it).
using DecideTime = std::function<Timestamp(const std::string& type)>;

// Folds the events that `commands` produce, one after another.
inline std::unique_ptr<WorkflowState> Replay(const Workflow& workflow,
                                             const std::vector<std::string>& commands,
                                             const ValidCommand& valid, const DecideTime& at) {
  auto state = workflow.NewState("x1");
  std::int64_t version = 0;
  for (const auto& type : commands) {
    auto events = state->Decide(valid(type), at(type));
    EXPECT_TRUE(events) << type << ": " << events.error().message;
    if (!events) return state;
    for (auto& e : *events) {
      RecordedEvent r;
      r.stream = std::string(workflow.kind()) + "-x1";
      r.version = ++version;
      r.type = e.type;
      r.data = e.data.as_object();
      auto applied = state->Apply(r);
      EXPECT_TRUE(applied) << e.type << ": " << (applied ? "" : applied.error().message);
    }
  }
  return state;
}

inline std::string StateOf(const WorkflowState& s) {
  return std::string(s.ToJson().at("state").as_string());
}

// Commands to run before `command` in state `from` so that its guards can
// pass (e.g. scoring every dimension before submitting); they must leave the
// state as it was.
using Preparation =
    std::function<std::vector<std::string>(const std::string& from, const std::string& command)>;

// Walks the table breadth-first; returns the states reached.
inline std::set<std::string> WalkEveryCommandInEveryState(const Workflow& workflow,
                                                          const ValidCommand& valid,
                                                          const DecideTime& at,
                                                          const Preparation& prepare = {}) {
  const auto table = workflow.transitions();
  std::set<std::string> commands;
  for (const auto& t : table) commands.insert(t.command);
  const std::string initial = table.front().from;
  std::map<std::string, std::vector<std::string>> path{{initial, {}}};
  std::deque<std::string> queue{initial};
  std::set<std::tuple<std::string, std::string>> rows_taken;
  while (!queue.empty()) {
    const std::string from = queue.front();
    queue.pop_front();
    for (const auto& command : commands) {
      const auto row = std::find_if(table.begin(), table.end(), [&](const Transition& t) {
        return t.from == from && t.command == command;
      });
      auto prepared = path[from];
      if (prepare && row != table.end()) {
        for (auto& c : prepare(from, command)) prepared.push_back(std::move(c));
      }
      auto state = Replay(workflow, prepared, valid, at);
      EXPECT_EQ(StateOf(*state), from);
      auto decided = state->Decide(valid(command), at(command));
      if (row == table.end()) {
        EXPECT_FALSE(decided) << command << " was accepted in " << from;
        if (decided) continue;
        EXPECT_EQ(decided.error().code, ErrorCode::kNotAllowed) << decided.error().message;
        EXPECT_EQ(decided.error().allowed, state->AllowedCommands());
        continue;
      }
      rows_taken.insert({from, command});
      EXPECT_TRUE(decided) << command << " in " << from << ": " << decided.error().message;
      if (!decided) continue;
      EXPECT_EQ(decided->size(), 1u);
      EXPECT_EQ(decided->front().type, row->event);
      auto next = prepared;
      next.push_back(command);
      EXPECT_EQ(StateOf(*Replay(workflow, next, valid, at)), row->to)
          << command << " from " << from;
      if (!path.count(row->to)) {
        path[row->to] = next;
        queue.push_back(row->to);
      }
    }
  }
  EXPECT_EQ(rows_taken.size(), table.size()) << "a row of the table was never reached";
  std::set<std::string> states;
  for (const auto& [state, p] : path) states.insert(state);
  return states;
}

// The table as (from, command, to) triples, to compare with DESIGN.md.
inline std::set<std::tuple<std::string, std::string, std::string>> Triples(const Workflow& w) {
  std::set<std::tuple<std::string, std::string, std::string>> out;
  for (const auto& t : w.transitions()) out.insert({t.from, t.command, t.to});
  return out;
}

}  // namespace waymark::testing
