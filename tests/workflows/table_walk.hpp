#pragma once

// Checks a workflow against its own transition table (see
// WalkEveryCommandInEveryState).

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
// The same, for a command issued in `state` (when valid data depends on it).
using ValidInState =
    std::function<CommandRequest(const std::string& state, const std::string& type)>;
// The time to decide a command at (some guards look at it).
using DecideTime = std::function<Timestamp(const std::string& type)>;

// Folds the events that `commands` produce, one after another.
inline std::unique_ptr<WorkflowState> Replay(const Workflow& workflow,
                                             const std::vector<CommandRequest>& commands,
                                             const DecideTime& at) {
  auto state = workflow.NewState("x1");
  std::int64_t version = 0;
  for (const auto& command : commands) {
    auto events = state->Decide(command, at(command.type));
    EXPECT_TRUE(events) << command.type << ": " << events.error().message;
    if (!events) return state;
    for (auto& e : *events) {
      RecordedEvent r;
      r.stream = std::string(workflow.kind()) + "-x1";
      r.version = ++version;
      r.type = e.type;
      r.schema_version = e.schema_version;
      r.data = e.data.as_object();
      auto applied = state->Apply(r);
      EXPECT_TRUE(applied) << e.type << ": " << (applied ? "" : applied.error().message);
    }
  }
  return state;
}

inline std::unique_ptr<WorkflowState> Replay(const Workflow& workflow,
                                             const std::vector<std::string>& commands,
                                             const ValidCommand& valid, const DecideTime& at) {
  std::vector<CommandRequest> requests;
  for (const auto& type : commands) requests.push_back(valid(type));
  return Replay(workflow, requests, at);
}

inline std::string StateOf(const WorkflowState& s) {
  return std::string(s.ToJson().at("state").as_string());
}

// The commands to replay before taking `row`, given a path that reaches its
// state: e.g. the path plus scoring every dimension before submitting, or a
// path through the stage a dormant network returns to. They must end in the
// row's state.
using Preparation = std::function<std::vector<CommandRequest>(
    const std::vector<CommandRequest>& path, const Transition& row)>;

// Where a command's data picks its row (a network registered at a stage),
// the command for that row.
using ForRow = std::function<void(CommandRequest& request, const Transition& row)>;

// Walks the table breadth-first: every command in every reachable state is
// accepted exactly when a row says so (each row of several for one command
// is taken, after its preparation), leads where the row says, and is refused
// as not allowed otherwise, with the state's allowed commands. Returns the
// states reached.
inline std::set<std::string> WalkEveryCommandInEveryState(const Workflow& workflow,
                                                          const ValidInState& valid,
                                                          const DecideTime& at,
                                                          const Preparation& prepare = {},
                                                          const ForRow& for_row = {}) {
  const auto table = workflow.transitions();
  std::set<std::string> commands;
  for (const auto& t : table) commands.insert(t.command);
  const std::string initial = table.front().from;
  std::map<std::string, std::vector<CommandRequest>> path{{initial, {}}};
  std::deque<std::string> queue{initial};
  std::set<std::tuple<std::string, std::string, std::string>> rows_taken;
  while (!queue.empty()) {
    const std::string from = queue.front();
    queue.pop_front();
    for (const auto& command : commands) {
      std::vector<const Transition*> rows;
      for (const auto& t : table) {
        if (t.from == from && t.command == command) rows.push_back(&t);
      }
      if (rows.empty()) {
        auto state = Replay(workflow, path[from], at);
        auto decided = state->Decide(valid(from, command), at(command));
        EXPECT_FALSE(decided) << command << " was accepted in " << from;
        if (decided) continue;
        EXPECT_EQ(decided.error().code, ErrorCode::kNotAllowed) << decided.error().message;
        EXPECT_EQ(decided.error().allowed, state->AllowedCommands());
        continue;
      }
      for (const Transition* row : rows) {
        auto prepared = prepare ? prepare(path[from], *row) : path[from];
        auto state = Replay(workflow, prepared, at);
        EXPECT_EQ(StateOf(*state), from);
        auto request = valid(from, command);
        if (for_row) for_row(request, *row);
        auto decided = state->Decide(request, at(command));
        EXPECT_TRUE(decided) << command << " in " << from << " to " << row->to << ": "
                             << decided.error().message;
        if (!decided) continue;
        rows_taken.insert({from, command, row->to});
        EXPECT_EQ(decided->size(), 1u);
        EXPECT_EQ(decided->front().type, row->event);
        auto next = prepared;
        next.push_back(request);
        EXPECT_EQ(StateOf(*Replay(workflow, next, at)), row->to) << command << " from " << from;
        if (!path.count(row->to)) {
          path[row->to] = next;
          queue.push_back(row->to);
        }
      }
    }
  }
  EXPECT_EQ(rows_taken.size(), table.size()) << "a row of the table was never reached";
  std::set<std::string> states;
  for (const auto& [state, p] : path) states.insert(state);
  return states;
}

inline std::set<std::string> WalkEveryCommandInEveryState(const Workflow& workflow,
                                                          const ValidCommand& valid,
                                                          const DecideTime& at,
                                                          const Preparation& prepare = {}) {
  return WalkEveryCommandInEveryState(
      workflow, [&](const std::string&, const std::string& type) { return valid(type); }, at,
      prepare);
}

// The table as (from, command, to) triples, to compare with DESIGN.md.
inline std::set<std::tuple<std::string, std::string, std::string>> Triples(const Workflow& w) {
  std::set<std::tuple<std::string, std::string, std::string>> out;
  for (const auto& t : w.transitions()) out.insert({t.from, t.command, t.to});
  return out;
}

}  // namespace waymark::testing
