// The programme report for a chosen period: its tables, charts of the
// headline sections, the CSV of exactly what is shown, a print style.

#include <fmt/format.h>

#include "adapters/web/html.hpp"
#include "adapters/web/pages.hpp"
#include "application/report_tables.hpp"
#include "application/words.hpp"
#include "projections/report.hpp"

namespace waymark::web {
namespace {

projections::ReportRequest RequestOf(const Visit& v) {
  projections::ReportRequest r{v.Param("from"), v.Param("to"), v.Param("region"),
                               v.Param("officer"), ""};
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
  if (!r.officer.empty()) q += "&officer=" + UrlEncode(r.officer);
  return q;
}

// A report cell in people's words: money in pounds, rates as percentages,
// days written out, the domain's terms by their labels.
std::string CellText(std::string_view column, const boost::json::value* v) {
  const std::string text = app::ReportCell(v);
  if (text.empty() || !v) return text;
  if (column == "value_gbp") return app::Pounds(text);
  if (column.ends_with("_rate") && v->is_number()) return app::Percent(v->to_number<double>());
  if (text.size() == 10 && text[4] == '-' && text[7] == '-') return app::LongDate(text);
  if (auto label = app::LabelOf(text)) return std::string(*label);
  return text;
}

}  // namespace

PageResult ReportPage(const Visit& v) {
  const auto request = RequestOf(v);
  auto report = v.app.Report(v.who, request);
  if (!report) return std::unexpected(report.error());
  const auto tables = app::ReportTables(*report);

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
    if (!bars.empty()) {
      charts += "<figure class=\"card\">" +
                BarChart(fmt::format("chart-{}", chart++), chart_title,
                         chart_title + "; the numbers are in the table of the same section below.",
                         bars) +
                "<figcaption>" + Escape(chart_title) + "</figcaption></figure>";
    }
    std::string head, rows;
    for (const auto& c : t.columns) head += "<th scope=\"col\">" + Escape(Humanize(c)) + "</th>";
    for (const auto& row : t.rows) {
      rows += "<tr>";
      for (const auto& c : t.columns)
        rows += "<td>" + Escape(CellText(c, row.if_contains(c))) + "</td>";
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
      "<h1>Programme report</h1><p class=\"sub\">{} to {}{}{} · every figure folded from the "
      "events recorded by the end of the period</p><form class=\"row noprint\" method=\"get\" "
      "action=\"/report\"><label for=\"r-from\">From</label><input id=\"r-from\" name=\"from\" "
      "type=\"date\" value=\"{}\" required><label for=\"r-to\">To</label><input id=\"r-to\" "
      "name=\"to\" type=\"date\" value=\"{}\" required><label for=\"r-region\">Region</label>"
      "<input id=\"r-region\" name=\"region\" type=\"text\" value=\"{}\"><label "
      "for=\"r-officer\">Officer</label><input id=\"r-officer\" name=\"officer\" type=\"text\" "
      "value=\"{}\"><button type=\"submit\" class=\"secondary\">Show</button> <a "
      "href=\"/report.csv?{}\" download>Download CSV of this report</a></form><div "
      "class=\"grid\">{}</div>{}",
      Escape(request.from), Escape(request.to),
      request.region.empty() ? "" : " · region " + Escape(request.region),
      request.officer.empty() ? "" : " · officer " + Escape(request.officer), Escape(request.from),
      Escape(request.to), Escape(request.region), Escape(request.officer), Escape(Query(request)),
      charts, sections);
  return Page{"Programme report", body};
}

std::expected<std::string, Error> ReportCsvOf(const Visit& v) {
  auto report = v.app.Report(v.who, RequestOf(v));
  if (!report) return std::unexpected(report.error());
  return app::ReportCsv(*report);
}

}  // namespace waymark::web
