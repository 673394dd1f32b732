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
};

const boost::json::value kNull = nullptr;

const boost::json::value& Field(const boost::json::object& o, std::string_view name) {
  const auto* v = o.if_contains(name);
  return v ? *v : kNull;
}

// An empty text is no value.
boost::json::value Text(const boost::json::object& o, std::string_view name) {
  const auto& v = Field(o, name);
  if (v.is_string() && v.get_string().empty()) return nullptr;
  return v;
}

std::int64_t Int(const boost::json::value& v) { return v.is_int64() ? v.get_int64() : 0; }

}  // namespace

std::span<const ReadModel> AllReadModels() { return kModels; }

const ReadModel* FindReadModel(std::string_view table) {
  for (const auto& m : kModels) {
    if (m.table == table) return &m;
  }
  return nullptr;
}

boost::json::object StateRow(const ReadModel& model, std::string_view id,
                             const boost::json::object& s, const RecordedEvent& last) {
  boost::json::object row;
  row[model.key] = id;
  row["status"] = Field(s, "state");
  row["version"] = last.version;
  row["updated_at"] = FormatRfc3339(last.metadata.recorded_at);
  if (model.kind == "network") {
    row["name"] = Field(s, "name");
    row["region"] = Field(s, "region");
    row["stage"] = Field(s, "stage");
    row["members"] = Field(s, "members");
    row["active_members"] = Field(s, "active_members");
    const auto& latest = Field(s, "last_assessment");
    if (latest.is_object()) {
      row["latest_assessment_id"] = Field(latest.get_object(), "assessment_id");
      row["latest_assessment_period"] = Field(latest.get_object(), "period");
      row["latest_scores"] = Field(latest.get_object(), "scores");
    }
  } else if (model.kind == "assessment") {
    row["network_id"] = Field(s, "network_id");
    row["period"] = Field(s, "period");
    row["submitted_by"] = Text(s, "submitted_by");
    row["approved_by"] = Text(s, "approved_by");
    const auto& scores = Field(s, "scores");
    std::int64_t scored = 0;
    if (scores.is_object()) {
      for (const auto& [dimension, score] : scores.get_object()) {
        row[dimension] = Field(score.as_object(), "score");
        ++scored;
      }
    }
    row["scored"] = scored;
  } else if (model.kind == "plan") {
    row["network_id"] = Field(s, "network_id");
    row["assessment_id"] = Field(s, "assessment_id");
    row["actions"] = Field(s, "actions");
    row["action_count"] =
        Field(s, "actions").is_array() ? Field(s, "actions").get_array().size() : 0;
    const auto& agreements = Field(s, "agreements");
    if (agreements.is_object()) {
      row["agreed_by_officer"] = Text(agreements.get_object(), "officer");
      row["agreed_by_network"] = Text(agreements.get_object(), "network");
    }
    std::int64_t total = 0, achieved = 0, open = 0;
    const auto& milestones = Field(s, "milestones");
    if (milestones.is_object()) {
      for (const auto& [id, status] : milestones.get_object()) {
        ++total;
        achieved += status == "achieved";
        open += status == "open";
      }
    }
    row["milestones_total"] = total;
    row["milestones_achieved"] = achieved;
    row["milestones_open"] = open;
    row["revisions"] = Int(Field(s, "revisions"));
  } else if (model.kind == "milestone") {
    row["plan_id"] = Field(s, "plan_id");
    row["network_id"] = Field(s, "network_id");
    row["title"] = Field(s, "title");
    row["due"] = Field(s, "due");
    row["at_risk_reason"] = Text(s, "at_risk_reason");
    row["evidence_summary"] = Text(s, "evidence_summary");
    row["evidence_links"] = Field(s, "evidence_links");
    row["rejection_reason"] = Text(s, "rejection_reason");
    row["cancel_reason"] = Text(s, "cancel_reason");
    row["reschedules"] = Int(Field(s, "reschedules"));
  } else if (model.kind == "step") {
    row["network_id"] = Field(s, "network_id");
    row["plan_id"] = Text(s, "plan_id");
    row["kind"] = Field(s, "kind");
    row["description"] = Field(s, "description");
    row["target"] = Text(s, "target");
    row["evidence"] = Text(s, "evidence");
    row["outcome"] = Text(s, "outcome");
    row["reason"] = Text(s, "reason");
    row["cycles"] = Int(Field(s, "cycles"));
  }
  return row;
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
