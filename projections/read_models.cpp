#include "projections/read_models.hpp"

#include <algorithm>

#include "core/time.hpp"

namespace waymark::projections {
namespace {

const ReadModel kModels[] = {
    {"rm_networks", "network", "network_id", {"open_milestones", "overdue_milestones"}},
    {"rm_assessments", "assessment", "assessment_id", {}},
    {"rm_plans", "plan", "plan_id", {}},
    {"rm_milestones", "milestone", "milestone_id", {}},
    {"rm_steps", "step", "step_id", {}},
    {"rm_audit_log", "", "position", {}},
    {"rm_assessment_scores", "", "row_id", {}, true},
    {"rm_stage_history", "", "row_id", {}, true},
    {"rm_membership_history", "", "row_id", {}, true},
    {"rm_outcomes", "", "row_id", {}, true},
    {"rm_tasks", "", "task_id", {"officer"}, false, true},
};

}  // namespace

std::span<const ReadModel> AllReadModels() { return kModels; }

const ReadModel* FindReadModel(std::string_view table) {
  for (const auto& m : kModels) {
    if (m.table == table) return &m;
  }
  return nullptr;
}

boost::json::object StateRow(const ReadModel& model, std::string_view id,
                             const WorkflowState& state, const RecordedEvent& last) {
  boost::json::object row = state.ReadModelRow();
  row[model.key] = id;
  row["status"] = state.state();
  row["version"] = last.version;
  row["updated_at"] = FormatRfc3339(last.metadata.recorded_at);
  return row;
}

std::vector<boost::json::object> TaskRows(std::string_view stream, const WorkflowState& state,
                                          const RecordedEvent& last) {
  const auto text_or_null = [](const std::string& s) {
    return s.empty() ? boost::json::value(nullptr) : boost::json::value(s);
  };
  std::vector<boost::json::object> out;
  for (const auto& t : state.Tasks()) {
    out.push_back({{"task_id", std::string(stream) + ":" + t.key},
                   {"stream", stream},
                   {"network_id", state.network_id()},
                   {"kind", t.kind},
                   {"party", t.party},
                   {"title", t.title},
                   {"since", text_or_null(t.since)},
                   {"due", text_or_null(t.due)},
                   {"shown_from", text_or_null(t.shown_from)},
                   {"not_by", text_or_null(t.not_by)},
                   {"status", state.state()},
                   {"version", last.version},
                   {"updated_at", FormatRfc3339(last.metadata.recorded_at)}});
  }
  return out;
}

const std::vector<std::string>& AuditEntry::Columns() {
  static const std::vector<std::string> columns = {
      "position",    "stream",         "version",      "type",       "actor",  "role",
      "recorded_at", "correlation_id", "causation_id", "network_id", "summary"};
  return columns;
}

AuditEntry AuditRow(const RecordedEvent& e, std::string_view network_id) {
  // A line a person can scan: the event's own words (reasons, titles,
  // outcomes) first, then the other plain fields.
  std::string summary;
  auto add = [&](std::string_view key, const boost::json::value& v) {
    std::string text;
    if (v.is_string())
      text = v.get_string();
    else if (v.is_int64())
      text = std::to_string(v.get_int64());
    else
      return;
    if (text.empty()) return;
    summary += (summary.empty() ? "" : "; ") + std::string(key) + ": " + text;
  };
  for (const char* first : {"title", "reason", "summary", "outcome", "description", "to"}) {
    if (const auto* v = e.data.if_contains(first)) add(first, *v);
  }
  // The rest in key order, as stored (canonical JSON), whatever the store.
  std::vector<std::string_view> rest;
  for (const auto& [key, v] : e.data) rest.push_back(key);
  std::sort(rest.begin(), rest.end());
  for (const std::string_view k : rest) {
    if (k == "title" || k == "reason" || k == "summary" || k == "outcome" || k == "description" ||
        k == "to") {
      continue;
    }
    add(k, e.data.at(k));
  }
  if (summary.size() > 300) {  // cut at a character boundary
    std::size_t cut = 297;
    while (cut > 0 && (static_cast<unsigned char>(summary[cut]) & 0xC0) == 0x80) --cut;
    summary = summary.substr(0, cut) + "...";
  }
  return {e.position,
          e.stream,
          e.version,
          e.type,
          e.metadata.actor,
          e.metadata.role,
          FormatRfc3339(e.metadata.recorded_at),
          e.metadata.correlation_id,
          e.metadata.causation_id,
          std::string(network_id),
          std::move(summary)};
}

}  // namespace waymark::projections
