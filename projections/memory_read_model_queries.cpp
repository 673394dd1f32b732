// ReadModelQueries over the in-memory read models: the PostgreSQL queries'
// columns, filters, order and paging, in C++ (C.UTF-8 ordering is byte order).

#include <algorithm>
#include <limits>
#include <map>
#include <set>

#include "core/time.hpp"
#include "projections/memory_read_model_store.hpp"

namespace waymark::projections {
namespace {

using Row = boost::json::object;

std::string Text(const Row& row, std::string_view column) {
  const auto* v = row.if_contains(column);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

// `row`'s `columns`, in that order; a column it lacks as null.
Row Pick(const Row& row, std::initializer_list<std::string_view> columns) {
  Row out;
  for (auto c : columns) {
    const auto* v = row.if_contains(c);
    out[c] = v ? *v : boost::json::value(nullptr);
  }
  return out;
}

// Where a task with no due day sorts: after every other.
constexpr std::string_view kNoDue = "9999-12-31";

bool Matches(std::string_view filter, std::string_view value) {
  return filter.empty() || filter == value;
}

// The rows sorted by a two-part key, after the page's cursor, at most its limit.
template <typename Key>
std::expected<RowPage, Error> PageOf(std::vector<Row> rows, const Page& page, Key&& key,
                                     CursorKey first = CursorKey::kText) {
  std::vector<std::string> after;
  if (!page.after.empty()) {
    const CursorKey shape[] = {first, CursorKey::kText};
    auto decoded = DecodeCursor(page.after, shape);
    if (!decoded) return std::unexpected(decoded.error());
    after = std::move(*decoded);
  }
  std::stable_sort(rows.begin(), rows.end(),
                   [&](const Row& a, const Row& b) { return key(a) < key(b); });
  RowPage out;
  for (auto& row : rows) {
    if (!after.empty() && !(key(row) > std::pair{after[0], after[1]})) continue;
    if (page.limit != 0 && out.rows.size() == page.limit) {
      const auto [k1, k2] = key(out.rows.back());
      out.next = EncodeCursor({k1.c_str(), k2.c_str()});
      break;
    }
    out.rows.push_back(std::move(row));
  }
  return out;
}

std::optional<Row> ById(const MemoryReadModelStore& store, std::string_view table,
                        std::string_view key, std::string_view id) {
  for (auto& row : store.Rows(table)) {
    if (Text(row, key) == id) return std::move(row);
  }
  return std::nullopt;
}

}  // namespace

std::expected<RowPage, Error> MemoryReadModelQueries::Networks(const NetworkFilter& f,
                                                               const Page& page) {
  std::vector<Row> rows;
  for (const auto& row : store_.Rows("rm_networks")) {
    if (!Matches(f.officer, Text(row, "officer")) || !Matches(f.stage, Text(row, "stage")) ||
        !Matches(f.region, Text(row, "region")) || !Matches(f.network, Text(row, "network_id"))) {
      continue;
    }
    rows.push_back(Pick(row, {"network_id", "name", "region", "stage", "status", "officer",
                              "members", "active_members", "open_milestones", "overdue_milestones",
                              "latest_assessment_id", "latest_assessment_period"}));
  }
  return PageOf(std::move(rows), page,
                [](const Row& r) { return std::pair{Text(r, "name"), Text(r, "network_id")}; });
}

std::expected<RowPage, Error> MemoryReadModelQueries::Milestones(const MilestoneFilter& f,
                                                                 const Page& page) {
  std::map<std::string, std::string> officers;  // network -> its officer (the join)
  for (const auto& n : store_.Rows("rm_networks")) {
    officers[Text(n, "network_id")] = Text(n, "officer");
  }
  std::vector<Row> rows;
  for (const auto& row : store_.Rows("rm_milestones")) {
    const auto officer = officers.find(Text(row, "network_id"));
    const std::string due = Text(row, "due");
    if (!Matches(f.network, Text(row, "network_id")) || !Matches(f.status, Text(row, "status")) ||
        (!f.officer.empty() && (officer == officers.end() || officer->second != f.officer)) ||
        (!f.due_before.empty() && !(due < f.due_before))) {
      continue;
    }
    Row out = Pick(row, {"milestone_id", "network_id", "plan_id", "action_id", "title", "due",
                         "status", "original_due", "times_rescheduled", "on_time"});
    out["officer"] = officer == officers.end() ? boost::json::value(nullptr)
                                               : boost::json::value(officer->second);
    rows.push_back(std::move(out));
  }
  return PageOf(
      std::move(rows), page,
      [](const Row& r) { return std::pair{Text(r, "due"), Text(r, "milestone_id")}; },
      CursorKey::kDate);
}

std::expected<RowPage, Error> MemoryReadModelQueries::Steps(const StepFilter& f, const Page& page) {
  std::vector<Row> rows;
  for (const auto& row : store_.Rows("rm_steps")) {
    if (!Matches(f.network, Text(row, "network_id")) || !Matches(f.plan, Text(row, "plan_id")) ||
        !Matches(f.status, Text(row, "status"))) {
      continue;
    }
    rows.push_back(Pick(row, {"step_id", "network_id", "plan_id", "kind", "description", "status",
                              "target", "evidence", "outcome", "reason", "cycles"}));
  }
  return PageOf(std::move(rows), page,
                [](const Row& r) { return std::pair{Text(r, "network_id"), Text(r, "step_id")}; });
}

std::expected<RowPage, Error> MemoryReadModelQueries::Tasks(const TaskFilter& f, const Page& page) {
  std::vector<Row> rows;
  for (const auto& row : store_.Rows("rm_tasks")) {
    const std::string shown = Text(row, "shown_from"), not_by = Text(row, "not_by");
    if (Text(row, "party") != f.party || !Matches(f.network, Text(row, "network_id")) ||
        !Matches(f.officer, Text(row, "officer")) || (!shown.empty() && shown > f.today) ||
        (!f.person.empty() && not_by == f.person)) {
      continue;
    }
    rows.push_back(Pick(row, {"task_id", "stream", "network_id", "kind", "party", "officer",
                              "title", "since", "due", "status"}));
  }
  return PageOf(
      std::move(rows), page,
      [](const Row& r) {
        const std::string due = Text(r, "due");
        return std::pair{due.empty() ? std::string(kNoDue) : due, Text(r, "task_id")};
      },
      CursorKey::kDate);
}

std::expected<std::optional<Row>, Error> MemoryReadModelQueries::Network(std::string_view id) {
  auto row = ById(store_, "rm_networks", "network_id", id);
  if (!row) return std::nullopt;
  return Pick(*row,
              {"network_id", "name", "region", "stage", "status", "officer", "members",
               "active_members", "open_milestones", "overdue_milestones", "latest_assessment_id",
               "latest_assessment_period", "latest_scores", "version", "updated_at"});
}

std::expected<std::optional<Row>, Error> MemoryReadModelQueries::Plan(std::string_view id) {
  return ById(store_, "rm_plans", "plan_id", id);
}

std::expected<std::optional<Row>, Error> MemoryReadModelQueries::Assessment(std::string_view id) {
  return ById(store_, "rm_assessments", "assessment_id", id);
}

std::expected<std::vector<Row>, Error> MemoryReadModelQueries::Correlated(
    std::string_view correlation_id, std::size_t limit) {
  std::vector<Row> out;
  for (const auto& row : store_.Rows("rm_audit_log")) {  // by position
    if (out.size() >= limit) break;
    if (Text(row, "correlation_id") != correlation_id) continue;
    out.push_back(Pick(row, {"stream", "version", "type", "network_id", "recorded_at", "actor"}));
  }
  return out;
}

std::expected<RowPage, Error> MemoryReadModelQueries::AuditLog(const AuditFilter& f,
                                                               const Page& page) {
  std::int64_t before_position = std::numeric_limits<std::int64_t>::max();
  if (!page.after.empty()) {
    const CursorKey shape[] = {CursorKey::kWhole};
    auto decoded = DecodeCursor(page.after, shape);
    if (!decoded) return std::unexpected(decoded.error());
    before_position = std::stoll(decoded->front());
  }
  const auto time = [](const std::string& text) -> std::optional<Timestamp> {
    if (text.empty()) return std::nullopt;
    auto t = ParseRfc3339(text);
    return t ? std::optional(*t) : std::nullopt;
  };
  const auto from = time(f.from), before = time(f.before);
  const auto rows = store_.Rows("rm_audit_log");  // by position
  RowPage out;
  for (auto it = rows.rbegin(); it != rows.rend(); ++it) {
    const Row& row = *it;
    const std::int64_t position = row.at("position").as_int64();
    if (position >= before_position) continue;
    const auto recorded = time(Text(row, "recorded_at"));
    if (!Matches(f.actor, Text(row, "actor")) || !Matches(f.type, Text(row, "type")) ||
        !Matches(f.network, Text(row, "network_id")) ||
        (from && (!recorded || *recorded < *from)) ||
        (before && (!recorded || !(*recorded < *before)))) {
      continue;
    }
    if (page.limit != 0 && out.rows.size() == page.limit) {
      out.next = EncodeCursor({std::to_string(out.rows.back().at("position").as_int64())});
      break;
    }
    out.rows.push_back(Pick(row, {"position", "stream", "version", "type", "actor", "role",
                                  "network_id", "recorded_at", "summary", "correlation_id"}));
  }
  return out;
}

std::expected<std::vector<std::string>, Error> MemoryReadModelQueries::AuditActors(
    std::string_view network, std::size_t limit) {
  std::set<std::string> actors;
  for (const auto& row : store_.Rows("rm_audit_log")) {
    if (Matches(network, Text(row, "network_id"))) actors.insert(Text(row, "actor"));
  }
  std::vector<std::string> out(actors.begin(), actors.end());
  if (out.size() > limit) out.resize(limit);
  return out;
}

std::expected<std::int64_t, Error> MemoryReadModelQueries::Position() {
  const auto rows = store_.Rows("rm_audit_log");
  if (rows.empty()) return 0;
  const auto* p = rows.back().if_contains("position");
  return p && p->is_int64() ? p->get_int64() : 0;
}

}  // namespace waymark::projections
