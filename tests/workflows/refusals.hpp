#pragma once

// Checks on a workflow state's refusals that every workflow's tests make.

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "core/workflow.hpp"

namespace waymark::testing {

// Decides `command` as an actor of `role` (a network acts for "ne").
inline std::expected<std::vector<NewEvent>, Error> DecideAs(const WorkflowState& state,
                                                            CommandRequest command,
                                                            const std::string& role,
                                                            Timestamp now) {
  command.actor = {"someone", role, role == "network" ? "ne" : ""};
  return state.Decide(command, now);
}

// Every (command, role) pair is refused as forbidden.
template <typename MakeCommand>
void ExpectForbidden(const WorkflowState& state, MakeCommand valid,
                     const std::vector<std::pair<std::string, std::string>>& pairs, Timestamp now) {
  for (const auto& [type, role] : pairs) {
    auto r = DecideAs(state, valid(type), role, now);
    ASSERT_FALSE(r) << role << " " << type;
    EXPECT_EQ(r.error().code, ErrorCode::kForbidden) << role << " " << type;
  }
}

// One field set to a bad value, and what the refusal must say.
struct BadField {
  std::string field;
  boost::json::value value;
  std::string says;
};

// `command` with each bad field in turn is refused as a validation error
// whose message says what the case expects.
inline void ExpectValidationRefusals(const WorkflowState& state, const CommandRequest& command,
                                     const std::vector<BadField>& cases, Timestamp now) {
  for (const auto& c : cases) {
    auto bad = command;
    bad.data[c.field] = c.value;
    auto r = state.Decide(bad, now);
    ASSERT_FALSE(r) << c.field;
    EXPECT_EQ(r.error().code, ErrorCode::kValidation) << c.field;
    EXPECT_NE(r.error().message.find(c.says), std::string::npos) << r.error().message;
  }
}

}  // namespace waymark::testing
