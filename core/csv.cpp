#include "core/csv.hpp"

namespace waymark {
namespace {

// A plain number ("-0.50", "12"): never a formula, so left as it is.
bool IsPlainNumber(std::string_view text) {
  if (text.starts_with('-')) text.remove_prefix(1);
  if (text.empty() || text.front() == '.' || text.back() == '.') return false;
  bool dot = false;
  for (char c : text) {
    if (c == '.' && !dot) {
      dot = true;
    } else if (c < '0' || c > '9') {
      return false;
    }
  }
  return true;
}

}  // namespace

bool IsFormulaCell(std::string_view text) {
  if (text.empty()) return false;
  const char c = text.front();
  return (c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r') &&
         !IsPlainNumber(text);
}

std::string CsvField(std::string_view text) {
  // OWASP's rule against CSV injection: a cell a spreadsheet would run as a
  // formula is prefixed with an apostrophe (shown, never evaluated).
  const bool formula = IsFormulaCell(text);
  if (!formula && text.find_first_of(",\"\n\r") == std::string_view::npos) {
    return std::string(text);
  }
  std::string quoted = formula ? "\"'" : "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + '"';
}

}  // namespace waymark
