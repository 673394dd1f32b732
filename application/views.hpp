#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/command_handler.hpp"

namespace waymark::app {

// One stream folded: {"stream", "kind", "version", "status", "network_id", "state"}.
boost::json::object StreamJson(std::string_view stream, const FoldedStream& folded);

// A whole network folded from history, as `replay --network` prints it and
// GET /api/v1/networks/{id}?as_of= answers: {"network_id", "network":
// {"stream","version","state"}, "<kind>s": [...] for every other kind, in
// the order the streams began (an empty list for each of `workflows`' kinds
// it has none of), "as_of" when given}.
boost::json::object FoldedNetworkJson(const FoldedNetwork& network,
                                      const std::optional<Timestamp>& as_of,
                                      const std::vector<const Workflow*>& workflows);

// What changed on a stream between two versions: {"stream", "from", "to",
// "changes": [{"path" (JSON Pointer into the state), "before", "after"}],
// "events": [who, when, what and why of each event in (from, to]]}.
// `events` are the stream's events from + 1 to `to`.
boost::json::object DiffJson(std::string_view stream, const FoldedStream& from,
                             const FoldedStream& to, const std::vector<RecordedEvent>& events);

// A stream's history as CSV (`waymark history --format csv`, the dashboard's
// download): the header row, and one row per event (no line ends).
std::string_view HistoryCsvHeader();
std::string HistoryCsvRow(const RecordedEvent& event);

// The "why" of an event: its reason, when the command gave one.
std::string EventReason(const RecordedEvent& event);

}  // namespace waymark::app
