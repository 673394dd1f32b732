#pragma once

#include <cstdint>
#include <expected>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/event_store.hpp"
#include "core/time.hpp"
#include "core/workflow.hpp"

namespace waymark {

// A stream's state folded from its history.
struct FoldedStream {
  std::unique_ptr<WorkflowState> state;
  std::int64_t version = 0;  // the last event folded; 0 for a stream with none
};

// Folds `stream` through `workflow` from the start, up to `to_version`
// and/or events recorded at or before `as_of` (all of it by default). Reads
// no clock. kCorrupt for an event the workflow cannot apply.
std::expected<FoldedStream, Error> FoldStream(EventStore& store, const Workflow& workflow,
                                              std::string_view stream,
                                              std::optional<std::int64_t> to_version = std::nullopt,
                                              std::optional<Timestamp> as_of = std::nullopt);

// The first text in `value` (keys: one line; values: the multi-line rule),
// at any depth, that core/text_rules.hpp's rule refuses, as TextProblem
// words it ("" when every text keeps the rule).
std::string JsonTextProblem(const boost::json::value& value);

// What an import must pass so that every consumer can hold what it brings:
// each event folded through its kind's workflow (the one validation of every
// field, core/text_rules.hpp's rule included), stream by stream in version
// order, and its metadata's texts (actor, role, keys, ids) by the same rule.
// kValidation naming the stream and version of the first that fails, or a
// stream of a kind no workflow serves.
std::expected<void, Error> CheckFolds(std::span<const RecordedEvent> events,
                                      std::span<const Workflow* const> workflows);

}  // namespace waymark
