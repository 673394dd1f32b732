#pragma once

#include <string>
#include <string_view>

#include "core/event.hpp"

namespace waymark {

// A CSV field as RFC 4180 quotes it (only when it must). A cell that a
// spreadsheet would take for a formula (IsFormulaCell) is neutralised by
// OWASP's rule: quoted, with an apostrophe before it ("'=HYPERLINK(…)").
std::string CsvField(std::string_view text);

// True for text beginning with = + - @ tab or CR that is not a plain number
// ("-0.50" stays a number).
bool IsFormulaCell(std::string_view text);

// A stream's history as CSV (`waymark history --format csv`, the dashboard's
// download): the header row, and one row per event (no line ends).
std::string_view HistoryCsvHeader();
std::string HistoryCsvRow(const RecordedEvent& event);

// The "why" of an event: its reason, when the command gave one.
std::string EventReason(const RecordedEvent& event);

}  // namespace waymark
