#include "application/report_tables.hpp"

#include <boost/json/serialize.hpp>
#include <cstdio>

#include "core/csv.hpp"

namespace waymark::app {

using boost::json::object;

std::string ReportCell(const boost::json::value* v) {
  if (!v || v->is_null()) return "";
  if (v->is_string()) return std::string(v->as_string());
  if (v->is_double()) {  // as people write it ("3.22"), never "3.22E0"
    char text[32];
    std::snprintf(text, sizeof text, "%.15g", v->get_double());
    return text;
  }
  return boost::json::serialize(*v);
}

std::vector<ReportTable> ReportTables(const object& r) {
  std::vector<ReportTable> out;
  const auto& period = r.at("period").as_object();
  const auto& selection = r.at("selection").as_object();
  out.push_back({"report",
                 "Programme report",
                 {"from", "to", "region", "officer", "networks", "last_position"},
                 {object{{"from", period.at("from")},
                         {"to", period.at("to")},
                         {"region", selection.at("region")},
                         {"officer", selection.at("officer")},
                         {"networks", r.at("networks")},
                         {"last_position", r.at("last_position")}}}});
  const auto& stages = r.at("stages").as_object();
  ReportTable by_stage{"stages", "Networks by stage", {"stage", "start", "end"}, {}};
  std::vector<std::string> names;
  for (const auto& [name, n] : stages.at("start").as_object()) names.emplace_back(name);
  for (const auto& [name, n] : stages.at("end").as_object()) {
    if (std::find(names.begin(), names.end(), std::string(name)) == names.end()) {
      names.emplace_back(name);
    }
  }
  for (const auto& name : names) {
    const auto* start = stages.at("start").as_object().if_contains(name);
    const auto* end = stages.at("end").as_object().if_contains(name);
    by_stage.rows.push_back(object{{"stage", name},
                                   {"start", start ? *start : boost::json::value(0)},
                                   {"end", end ? *end : boost::json::value(0)}});
  }
  out.push_back(std::move(by_stage));
  ReportTable moves{"stage_moves",
                    "Stage moves (forward " + ReportCell(stages.if_contains("forward")) +
                        ", back " + ReportCell(stages.if_contains("back")) + ")",
                    {"network_id", "date", "from", "to", "direction", "assessment_id"},
                    {}};
  for (const auto& m : stages.at("moves").as_array()) moves.rows.push_back(m.as_object());
  out.push_back(std::move(moves));
  ReportTable dims{"dimensions",
                   "Strengths and weaknesses: first and latest approved assessment per network",
                   {"dimension", "networks", "first_mean", "latest_mean", "change", "improved",
                    "held", "declined"},
                   {}};
  for (const auto& d : r.at("dimensions").as_array()) dims.rows.push_back(d.as_object());
  out.push_back(std::move(dims));
  out.push_back(
      {"milestones",
       "Milestones due in the period",
       {"due", "achieved_on_time", "achieved_late", "overdue", "cancelled", "open", "on_time_rate"},
       {r.at("milestones").as_object()}});
  out.push_back({"steps",
                 "Sustainability steps in the period",
                 {"embedded", "reviewed"},
                 {r.at("steps").as_object()}});
  const auto list = [&](const char* key, std::string section, std::string title,
                        std::vector<std::string> columns) {
    ReportTable t{std::move(section), std::move(title), std::move(columns), {}};
    for (const auto& row : r.at(key).as_array()) t.rows.push_back(row.as_object());
    out.push_back(std::move(t));
  };
  list("opportunities", "opportunities", "Opportunities brokered", {"kind", "count", "value_gbp"});
  list("representation", "representation", "Representation won", {"level", "count"});
  list("referrals", "referrals", "Referrals to partner agencies", {"agency", "count", "members"});
  const auto& membership = r.at("membership").as_object();
  ReportTable members{"membership", "Membership", {"when", "members", "active_members"}, {}};
  for (const char* when : {"start", "end"}) {
    object row = membership.at(when).as_object();
    row["when"] = when;
    members.rows.push_back(std::move(row));
  }
  out.push_back(std::move(members));
  return out;
}

std::string ReportCsv(const object& report) {
  std::string out;
  bool first = true;
  for (const auto& table : ReportTables(report)) {
    if (!first) out += "\r\n";
    first = false;
    out += "section";
    for (const auto& c : table.columns) out += "," + CsvField(c);
    out += "\r\n";
    for (const auto& row : table.rows) {
      out += CsvField(table.section);
      for (const auto& c : table.columns) out += "," + CsvField(ReportCell(row.if_contains(c)));
      out += "\r\n";
    }
  }
  return out;
}

}  // namespace waymark::app
