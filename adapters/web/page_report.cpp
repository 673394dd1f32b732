// The programme report for a chosen period: its tables, charts of the
// headline sections, the CSV of exactly what is shown, a print style.

#include <fmt/format.h>

#include <map>
#include <set>

#include "adapters/web/html.hpp"
#include "adapters/web/pages.hpp"
#include "application/report_tables.hpp"
#include "application/words.hpp"
#include "projections/report.hpp"

namespace waymark::web {
namespace {

// The report asked for: the calendar year and (for an officer who has not
// chosen) their own caseload by default.
projections::ReportRequest RequestOf(const Visit& v) {
  projections::ReportRequest r{v.Param("from"), v.Param("to"), v.Param("region"),
                               v.Param("officer"), ""};
  if (!v.target.query.contains("officer") && v.who.actor.role == "officer") {
    r.officer = v.who.actor.name;
  }
  if (r.from.empty()) r.from = v.today.substr(0, 4) + "-01-01";
  if (r.to.empty()) r.to = v.today.substr(0, 4) + "-12-31";  // the calendar year by default
  return r;
}

double Number(const boost::json::object& row, std::string_view key) {
  const auto* v = row.if_contains(key);
  if (!v) return 0;
  if (v->is_int64()) return static_cast<double>(v->get_int64());
  if (v->is_double()) return v->get_double();
  if (v->is_string()) {
    try {
      return std::stod(std::string(v->get_string()));
    } catch (const std::exception&) {
    }
  }
  return 0;
}

std::string Query(const projections::ReportRequest& r) {
  std::string q = "from=" + UrlEncode(r.from) + "&to=" + UrlEncode(r.to);
  if (!r.region.empty()) q += "&region=" + UrlEncode(r.region);
  q += "&officer=" + UrlEncode(r.officer);  // "" (everyone's) differs from not chosen
  return q;
}

// A report cell in people's words: money in pounds, rates as percentages,
// days written out, the domain's terms by their labels.
// Names of the networks and assessments a report's rows cite by id.
struct Cited {
  std::map<std::string, std::string> networks, assessments;
};

std::string CellText(std::string_view column, const boost::json::value* v, const Cited& cited) {
  const std::string text = app::ReportCell(v);
  if (text.empty() || !v) return text;
  if (column == "network_id") {
    const auto it = cited.networks.find(text);
    return it == cited.networks.end() || it->second.empty() ? text : it->second;
  }
  if (column == "assessment_id") {
    const auto it = cited.assessments.find(text);
    return it == cited.assessments.end() || it->second.empty() ? std::string("—") : it->second;
  }
  if (column == "value_gbp") return app::Pounds(text);
  if (column.ends_with("_rate") && v->is_number()) return app::Percent(v->to_number<double>());
  if (text.size() == 10 && text[4] == '-' && text[7] == '-') return app::LongDate(text);
  if (auto label = app::LabelOf(text)) return std::string(*label);
  if (column == "direction" || column == "when") return app::Words(text);
  return text;
}

// A column's heading: its name in words, a reference without its "id".
std::string Heading(std::string_view column) {
  if (column.ends_with("_id")) column.remove_suffix(3);
  if (column == "value_gbp") return "Value";
  return Humanize(column);
}

// The report's filters as choices: each region and officer of the networks
// this person sees ("" for all).
std::string Filters(const Visit& v, const projections::ReportRequest& request,
                    const std::vector<boost::json::object>& networks) {
  std::set<std::string> regions, officers;
  for (const auto& n : networks) {
    if (!Str(n, "region").empty()) regions.insert(Str(n, "region"));
    if (!Str(n, "officer").empty()) officers.insert(Str(n, "officer"));
  }
  const auto choices = [](std::string_view all, const std::set<std::string>& values) {
    Options out{{"", std::string(all)}};
    for (const auto& value : values) out.emplace_back(value, value);
    return out;
  };
  std::string officer_choice;
  if (!app::IsNetwork(v.who)) {
    officer_choice = SelectHtml("r-officer", "officer", "Officer",
                                choices("All officers", officers), request.officer);
  }
  return fmt::format(
      "<form class=\"row noprint\" method=\"get\" action=\"/report\"><label "
      "for=\"r-from\">From</label><input id=\"r-from\" name=\"from\" type=\"date\" "
      "value=\"{}\" required><label for=\"r-to\">To</label><input id=\"r-to\" name=\"to\" "
      "type=\"date\" value=\"{}\" required>{}{}<button "
      "type=\"submit\" class=\"secondary\">Show</button> <a href=\"/report.csv?{}\" "
      "download>Download this report (CSV)</a></form>",
      Escape(request.from), Escape(request.to),
      SelectHtml("r-region", "region", "Region", choices("All regions", regions), request.region),
      officer_choice, Escape(Query(request)));
}

}  // namespace

PageResult ReportPage(const Visit& v) {
  const auto request = RequestOf(v);
  auto report = v.app.Report(v.who, request);
  if (!report) return std::unexpected(report.error());
  const auto tables = app::ReportTables(*report);
  auto all = AllNetworks(v);
  if (!all) return std::unexpected(all.error());
  const auto& networks = *all;
  Cited cited;
  for (const auto& n : networks) cited.networks[Str(n, "network_id")] = Str(n, "name");
  for (const auto& t : tables) {
    for (const auto& row : t.rows) {
      const std::string a = Str(row, "assessment_id");
      if (a.empty() || cited.assessments.contains(a)) continue;
      auto assessment = v.app.Assessment(v.who, a);
      cited.assessments[a] = assessment ? Str(*assessment, "period") + " assessment" : "";
    }
  }

  std::string charts, sections;
  int chart = 0;
  for (const auto& t : tables) {
    std::vector<std::pair<std::string, double>> bars;
    std::string chart_title;
    if (t.section == "stages") {
      chart_title = "Networks by stage at the end of the period";
      for (const auto& row : t.rows)
        bars.emplace_back(Humanize(Str(row, "stage")), Number(row, "end"));
    } else if (t.section == "milestones" && !t.rows.empty()) {
      chart_title = "Milestones due in the period, by outcome";
      const auto& row = t.rows.front();
      for (const auto* key :
           {"achieved_on_time", "achieved_late", "overdue", "cancelled", "open"}) {
        bars.emplace_back(Humanize(key), Number(row, key));
      }
    } else if (t.section == "dimensions") {
      chart_title = "Latest mean score by dimension (out of 5)";
      for (const auto& row : t.rows) {
        bars.emplace_back(Humanize(Str(row, "dimension")), Number(row, "latest_mean"));
      }
    }
    const double scale = t.section == "dimensions" ? 5 : 0;
    if (!bars.empty()) {
      charts += "<figure class=\"card\">" +
                BarChart(fmt::format("chart-{}", chart++), chart_title,
                         chart_title + "; the numbers are in the table of the same section below.",
                         bars, scale) +
                "<figcaption>" + Escape(chart_title) + "</figcaption></figure>";
    }
    std::string head, rows;
    const auto shown = [](const std::string& c) { return c != "last_position"; };  // the CSV's
    for (const auto& c : t.columns) {
      if (shown(c)) head += "<th scope=\"col\">" + Escape(Heading(c)) + "</th>";
    }
    for (const auto& row : t.rows) {
      rows += "<tr>";
      for (const auto& c : t.columns) {
        if (shown(c)) rows += "<td>" + Escape(CellText(c, row.if_contains(c), cited)) + "</td>";
      }
      rows += "</tr>";
    }
    sections += fmt::format(
        "<section class=\"card\" aria-labelledby=\"s-{}\"><h2 id=\"s-{}\">{}</h2>{}</section>",
        Escape(t.section), Escape(t.section), Escape(t.title),
        t.rows.empty()
            ? "<p>None in this period.</p>"
            : "<table><thead><tr>" + head + "</tr></thead><tbody>" + rows + "</tbody></table>");
  }
  const std::string body = fmt::format(
      "<h1>Programme report</h1><p class=\"sub\">{} to {}{}{} · every figure from what was "
      "recorded by the end of the period</p>{}<div class=\"grid\">{}</div>{}",
      Escape(app::LongDate(request.from)), Escape(app::LongDate(request.to)),
      request.region.empty() ? "" : " · " + Escape(request.region),
      request.officer.empty() ? std::string(app::IsNetwork(v.who) ? "" : " · all officers")
                              : " · " + Escape(request.officer) + "'s networks",
      Filters(v, request, networks), charts, sections);
  return Page{"Programme report", body};
}

std::expected<std::string, Error> ReportCsvOf(const Visit& v) {
  auto report = v.app.Report(v.who, RequestOf(v));
  if (!report) return std::unexpected(report.error());
  return app::ReportCsv(*report);
}

}  // namespace waymark::web
