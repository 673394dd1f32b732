#include "application/views.hpp"

#include "core/canonical_json.hpp"
#include "core/csv.hpp"
#include "core/stream_name.hpp"

namespace waymark::app {
namespace {

using boost::json::object;
using boost::json::value;

// JSON Pointer escaping of one reference token (RFC 6901).
std::string Token(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

// Objects are compared key by key; anything else whole.
void Diff(const std::string& path, const value* before, const value* after,
          boost::json::array& changes) {
  if (before && after && *before == *after) return;
  if (before && after && before->is_object() && after->is_object()) {
    const auto& b = before->as_object();
    const auto& a = after->as_object();
    for (const auto& [key, v] : b) Diff(path + "/" + Token(key), &v, a.if_contains(key), changes);
    for (const auto& [key, v] : a) {
      if (!b.contains(key)) Diff(path + "/" + Token(key), nullptr, &v, changes);
    }
    return;
  }
  changes.push_back(object{{"path", path},
                           {"before", before ? *before : value(nullptr)},
                           {"after", after ? *after : value(nullptr)}});
}

}  // namespace

object StreamJson(std::string_view stream, const FoldedStream& folded) {
  auto name = ParseStreamName(stream);
  return object{{"stream", stream},
                {"kind", name ? std::string(name->kind) : std::string()},
                {"version", folded.version},
                {"status", folded.state->state()},
                {"network_id", folded.state->network_id()},
                {"state", folded.state->ToJson()}};
}

object FoldedNetworkJson(const FoldedNetwork& network, const std::optional<Timestamp>& as_of,
                         const std::vector<const Workflow*>& workflows) {
  object out{{"network_id", network.network_id}};
  for (const Workflow* w : workflows) {
    if (w->kind() != "network") out[std::string(w->kind()) + "s"] = boost::json::array{};
  }
  for (const auto& s : network.streams) {
    object item{
        {"stream", s.stream}, {"version", s.folded.version}, {"state", s.folded.state->ToJson()}};
    if (&s == &network.network()) {
      out["network"] = std::move(item);
    } else {
      out[s.kind + "s"].as_array().push_back(std::move(item));
    }
  }
  if (as_of) out["as_of"] = FormatRfc3339(*as_of);
  return out;
}

object DiffJson(std::string_view stream, const FoldedStream& from, const FoldedStream& to,
                const std::vector<RecordedEvent>& events) {
  boost::json::array changes;
  const value before = from.state->ToJson(), after = to.state->ToJson();
  Diff("", &before, &after, changes);
  boost::json::array history;
  for (const auto& e : events) {
    history.push_back(object{{"version", e.version},
                             {"type", e.type},
                             {"recorded_at", FormatRfc3339(e.metadata.recorded_at)},
                             {"actor", e.metadata.actor},
                             {"role", e.metadata.role},
                             {"correlation_id", e.metadata.correlation_id},
                             {"causation_id", e.metadata.causation_id},
                             {"data", e.data}});
  }
  return object{{"stream", stream},
                {"from", from.version},
                {"to", to.version},
                {"status_before", from.state->state()},
                {"status_after", to.state->state()},
                {"changes", std::move(changes)},
                {"events", std::move(history)}};
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

}  // namespace waymark::app
