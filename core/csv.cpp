#include "core/csv.hpp"

#include "core/canonical_json.hpp"
#include "core/time.hpp"

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

std::string_view HistoryCsvHeader() {
  return "version,recorded_at,actor,role,type,reason,data,correlation_id,causation_id,"
         "idempotency_key,position,hash";
}

std::string EventReason(const RecordedEvent& e) {
  const auto* reason = e.data.if_contains("reason");
  return reason && reason->is_string() ? std::string(reason->get_string()) : std::string{};
}

std::string HistoryCsvRow(const RecordedEvent& e) {
  return std::to_string(e.version) + ',' + FormatRfc3339(e.metadata.recorded_at) + ',' +
         CsvField(e.metadata.actor) + ',' + CsvField(e.metadata.role) + ',' + e.type + ',' +
         CsvField(EventReason(e)) + ',' + CsvField(CanonicalJson(e.data)) + ',' +
         CsvField(e.metadata.correlation_id) + ',' + CsvField(e.metadata.causation_id) + ',' +
         CsvField(e.metadata.idempotency_key) + ',' + std::to_string(e.position) + ',' + e.hash;
}

}  // namespace waymark
