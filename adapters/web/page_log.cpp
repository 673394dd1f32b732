// The auditor's log of every event of the programme, newest first: found by
// person, by what happened, by network and between two UK days, fifty at a
// time.

#include <fmt/format.h>

#include <boost/json/serialize.hpp>
#include <map>

#include "adapters/web/html.hpp"
#include "adapters/web/pages.hpp"
#include "core/stream_name.hpp"
#include "core/time.hpp"

namespace waymark::web {
namespace {

constexpr std::size_t kPageSize = 50;

// What the log is narrowed to, as the form and the links carry it.
struct LogQuery {
  std::string person, type, network, from, to;  // from, to: UK days YYYY-MM-DD (to included)

  static LogQuery Of(const Visit& v) {
    return {v.Param("person"), v.Param("type"), v.Param("network"), v.Param("from"), v.Param("to")};
  }
  std::string Query() const {
    std::string out;
    for (const auto& [name, value] : {std::pair{"person", &person},
                                      {"type", &type},
                                      {"network", &network},
                                      {"from", &from},
                                      {"to", &to}}) {
      if (!value->empty())
        out += std::string(out.empty() ? "" : "&") + name + "=" + UrlEncode(*value);
    }
    return out;
  }
  // The filter the store reads: the days as the instants UK clocks began them.
  std::expected<projections::AuditFilter, Error> Filter() const {
    projections::AuditFilter f{person, type, network, "", ""};
    const auto start = [](std::string_view field,
                          const std::string& day) -> std::expected<std::string, Error> {
      if (day.empty()) return std::string();
      auto t = app::FromLondonTime(day, "00:00");
      if (!t) {
        return std::unexpected(MakeError(ErrorCode::kValidation,
                                         fmt::format("{} '{}' is not a day; expected YYYY-MM-DD, "
                                                     "e.g. 2026-12-01",
                                                     field, day)));
      }
      return FormatRfc3339(*t);
    };
    auto f_from = start("from", from);
    if (!f_from) return std::unexpected(f_from.error());
    auto f_to = start("to", to.empty() ? to : AddDays(to, 1));
    if (!f_to) {
      return std::unexpected(
          MakeError(ErrorCode::kValidation,
                    fmt::format("to '{}' is not a day; expected YYYY-MM-DD, e.g. 2026-12-31", to)));
    }
    if (!from.empty() && !to.empty() && to < from) {
      return std::unexpected(
          MakeError(ErrorCode::kValidation,
                    fmt::format("to ({}) is before from ({}): give the earlier day first",
                                app::LongDate(to), app::LongDate(from))));
    }
    f.from = std::move(*f_from);
    f.before = std::move(*f_to);
    return f;
  }
};

// The networks' names by id, for the rows and the choice of network.
std::expected<std::map<std::string, std::string>, Error> NetworkNames(const Visit& v) {
  auto rows = AllNetworks(v);
  if (!rows) return std::unexpected(rows.error());
  std::map<std::string, std::string> out;
  for (const auto& row : *rows) {
    const std::string name = Str(row, "name");
    out[Str(row, "network_id")] = name.empty() ? Str(row, "network_id") : name;
  }
  return out;
}

std::string FiltersForm(const Visit& v, const LogQuery& q,
                        const std::map<std::string, std::string>& networks,
                        const std::vector<std::string>& people, const std::string& error) {
  Options who{{"", "Anyone"}};
  for (const auto& p : people) who.emplace_back(p, p);
  Options what{{"", "Anything"}};
  for (const auto& t : v.app.EventTypes()) what.emplace_back(t, Humanize(t));
  Options where{{"", "Any network"}};
  for (const auto& [id, name] : networks) where.emplace_back(id, name);
  const std::string invalid =
      error.empty() ? "" : " aria-invalid=\"true\" aria-describedby=\"l-error\"";
  const auto field = [](const std::string& html) {
    return "<span class=\"field\">" + html + "</span>";
  };
  return fmt::format(
      "<form class=\"row noprint\" method=\"get\" action=\"/log\" role=\"search\">{}{}{}{}{}"
      "<button type=\"submit\" class=\"secondary\">Find events</button>{}</form>{}",
      field(SelectHtml("l-person", "person", "Person", who, q.person)),
      field(SelectHtml("l-type", "type", "What happened", what, q.type)),
      app::IsNetwork(v.who)
          ? std::string()
          : field(SelectHtml("l-network", "network", "Network", where, q.network)),
      field(fmt::format("<label for=\"l-from\">From <span class=\"hint\">(UK day)</span></label>"
                        "<input id=\"l-from\" name=\"from\" type=\"date\" max=\"{}\" "
                        "value=\"{}\"{}>",
                        Escape(v.today), Escape(q.from), invalid)),
      field(fmt::format("<label for=\"l-to\">To <span class=\"hint\">(included)</span></label>"
                        "<input id=\"l-to\" name=\"to\" type=\"date\" value=\"{}\"{}>",
                        Escape(q.to), invalid)),
      q.Query().empty() ? "" : " <a href=\"/log\">Clear</a>",
      error.empty() ? ""
                    : "<p id=\"l-error\" class=\"bad\" role=\"alert\">" + Escape(error) + "</p>");
}

// "Milestone fife-4", linked to that event in its history.
std::string RecordHtml(const boost::json::object& row) {
  const std::string stream = Str(row, "stream");
  const auto version =
      row.contains("version") && row.at("version").is_int64() ? row.at("version").as_int64() : 0;
  std::string label = stream;
  if (auto name = ParseStreamName(stream)) {
    label = Humanize(name->kind) + " " + std::string(name->id);
  }
  return fmt::format("<a href=\"{}/history#v{}\">{}</a> <span class=\"meta\">· version {}</span>",
                     StreamHref(stream), version, Escape(label), version);
}

std::string WhenOf(const boost::json::object& row) {
  auto t = ParseRfc3339(Str(row, "recorded_at"));
  return t ? fmt::format("<time datetime=\"{}\">{}</time>", Escape(Str(row, "recorded_at")),
                         Escape(app::LondonTime(*t)))
           : Escape(Str(row, "recorded_at"));
}

std::string RowHtml(const boost::json::object& row,
                    const std::map<std::string, std::string>& networks) {
  const std::string role = Str(row, "role");
  const auto network = networks.find(Str(row, "network_id"));
  const std::string summary = Str(row, "summary");
  return fmt::format(
      "<tr><td>{}</td><td>{} <span class=\"hint\">({})</span></td><td><strong>{}</strong><br>{}"
      "<details><summary>What it recorded</summary><p class=\"meta\">{}</p><p "
      "class=\"meta\">Position {} · correlation <code>{}</code></p></details></td><td>{}</td></tr>",
      WhenOf(row), Escape(Str(row, "actor")), Escape(app::RoleLabel(role).value_or(role)),
      Escape(Humanize(Str(row, "type"))), RecordHtml(row),
      summary.empty() ? "nothing besides the record" : Escape(summary),
      row.contains("position") ? boost::json::serialize(row.at("position")) : "",
      Escape(Str(row, "correlation_id")),
      network == networks.end() ? Escape(Str(row, "network_id"))
                                : fmt::format("<a href=\"{}\">{}</a>", NetworkHref(network->first),
                                              Escape(network->second)));
}

}  // namespace

PageResult LogPage(const Visit& v) {
  const LogQuery q = LogQuery::Of(v);
  auto networks = NetworkNames(v);
  if (!networks) return std::unexpected(networks.error());
  auto people = v.app.AuditActors(v.who);
  if (!people) return std::unexpected(people.error());
  std::string error, table;
  std::string next;
  auto filter = q.Filter();
  std::expected<projections::RowPage, Error> rows =
      filter ? v.app.AuditLog(v.who, *filter, {v.Param("after"), kPageSize})
             : std::expected<projections::RowPage, Error>(std::unexpected(filter.error()));
  if (!rows && rows.error().code != ErrorCode::kValidation) {
    return std::unexpected(rows.error());
  }
  if (!rows) {
    error = rows.error().message;
    table = "<p>Nothing is listed until the search above is mended.</p>";
  } else if (rows->rows.empty()) {
    table =
        "<p>No event matches. Widen the search: anyone, anything, any network, or other days.</p>";
  } else {
    std::string body;
    for (const auto& row : rows->rows) body += RowHtml(row, *networks);
    table = fmt::format(
        "<table id=\"log\"><thead><tr><th scope=\"col\">When</th><th scope=\"col\">Who</th><th "
        "scope=\"col\">What happened, to which record</th><th scope=\"col\">Network</th></tr>"
        "</thead>"
        "<tbody>{}</tbody></table>",
        body);
    if (!rows->next.empty()) {
      const std::string query = q.Query();
      next = fmt::format("<p><a rel=\"next\" href=\"/log?{}{}after={}\">Older events</a></p>",
                         Escape(query), query.empty() ? "" : "&amp;", UrlEncode(rows->next));
    }
  }
  const bool first_page = v.Param("after").empty();
  const std::string body = fmt::format(
      "<h1>Event log</h1><p class=\"sub\">Every event the programme recorded, newest first: who "
      "did what, when (UK time) and to which record. Each links to its place in the record's "
      "history.</p>{}<section class=\"card\" aria-labelledby=\"log-h\"><h2 id=\"log-h\">{}</h2>"
      "{}{}</section>",
      FiltersForm(v, q, *networks, *people, error),
      first_page ? "Newest first" : "Older events, newest first", table, next);
  return Page{"Event log", body, error.empty() ? 200u : 422u};
}

}  // namespace waymark::web
