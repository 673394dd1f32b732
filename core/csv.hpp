#pragma once

#include <string>
#include <string_view>

#include "core/event.hpp"

namespace waymark {

// A CSV field as RFC 4180 quotes it (only when it must).
std::string CsvField(std::string_view text);

// A stream's history as CSV (`waymark history --format csv`, the dashboard's
// download): the header row, and one row per event (no line ends).
std::string_view HistoryCsvHeader();
std::string HistoryCsvRow(const RecordedEvent& event);

// The "why" of an event: its reason, when the command gave one.
std::string EventReason(const RecordedEvent& event);

}  // namespace waymark
