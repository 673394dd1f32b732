#pragma once

#include <string>
#include <string_view>

namespace waymark {

// A CSV field as RFC 4180 quotes it (only when it must). A cell that a
// spreadsheet would take for a formula (IsFormulaCell) is neutralised by
// OWASP's rule: quoted, with an apostrophe before it ("'=HYPERLINK(…)").
std::string CsvField(std::string_view text);

// True for text beginning with = + - @ tab or CR that is not a plain number
// ("-0.50" stays a number).
bool IsFormulaCell(std::string_view text);

}  // namespace waymark
