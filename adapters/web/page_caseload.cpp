// The officer's home: their networks with a RAG status each, and one queue
// of the milestones that need attention across them, updated live.

#include <fmt/format.h>

#include <map>

#include "adapters/web/html.hpp"
#include "adapters/web/pages.hpp"

namespace waymark::web {
namespace {

std::int64_t Int(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_int64() ? v->get_int64() : 0;
}

struct Rag {
  std::string word, colour;
  Shape shape;
  std::string why;
};

// Red: a milestone overdue; amber: one at risk or awaiting verification past
// its date; green: on track.
Rag RagOf(int overdue, int at_risk) {
  if (overdue > 0) {
    return {"Red", "#d55e00", Shape::kTriangle,
            fmt::format("{} overdue milestone{}", overdue, overdue == 1 ? "" : "s")};
  }
  if (at_risk > 0) {
    return {"Amber", "#e69f00", Shape::kDiamond,
            fmt::format("{} milestone{} at risk", at_risk, at_risk == 1 ? "" : "s")};
  }
  return {"Green", "#009e73", Shape::kCircle, "on track"};
}

// All pages of a listing.
template <typename Read>
std::expected<std::vector<boost::json::object>, Error> All(Read&& read) {
  std::vector<boost::json::object> out;
  projections::Page page{"", 500};
  while (true) {
    auto rows = read(page);
    if (!rows) return std::unexpected(rows.error());
    for (auto& r : rows->rows) out.push_back(std::move(r));
    if (rows->next.empty()) return out;
    page.after = rows->next;
  }
}

}  // namespace

PageResult CaseloadPage(const Visit& v) {
  const bool officer = v.who.actor.role == "officer";
  const std::string officer_filter = officer ? v.who.actor.name : "";
  auto position = v.app.Position();
  if (!position) return std::unexpected(position.error());
  auto networks = All([&](const projections::Page& p) {
    return v.app.Networks(v.who, {officer_filter, "", "", ""}, p);
  });
  if (!networks) return std::unexpected(networks.error());
  const std::string horizon = AddDays(v.today, 31);  // due within 30 days: before day 31
  auto due = All([&](const projections::Page& p) {
    return v.app.Milestones(v.who, {"", officer_filter, "", horizon}, p);
  });
  if (!due) return std::unexpected(due.error());
  auto at_risk = All([&](const projections::Page& p) {
    return v.app.Milestones(v.who, {"", officer_filter, "at_risk", ""}, p);
  });
  if (!at_risk) return std::unexpected(at_risk.error());

  // The queue: open milestones due within 30 days (overdue ones among them)
  // and every one at risk, by due date.
  std::map<std::pair<std::string, std::string>, boost::json::object> queue;
  for (auto* rows : {&*due, &*at_risk}) {
    for (auto& row : *rows) {
      const std::string status = Str(row, "status");
      if (status == "achieved" || status == "cancelled") continue;
      queue.emplace(std::pair{Str(row, "due"), Str(row, "milestone_id")}, row);
    }
  }
  std::map<std::string, std::pair<int, int>> attention;  // network → overdue, at risk
  for (const auto& [key, row] : queue) {
    const std::string status = Str(row, "status");
    if (status == "overdue") ++attention[Str(row, "network_id")].first;
    if (status == "at_risk") ++attention[Str(row, "network_id")].second;
  }
  std::map<std::string, std::string> names;
  for (const auto& n : *networks) names[Str(n, "network_id")] = Str(n, "name");

  std::string live;
  live += fmt::format(
      "<section class=\"card\" aria-labelledby=\"queue-h\"><h2 id=\"queue-h\">Needs attention "
      "<span class=\"hint\">— overdue, at risk and due within 30 days ({} milestone{})</span></h2>",
      queue.size(), queue.size() == 1 ? "" : "s");
  if (queue.empty()) {
    live += "<p>Nothing is overdue, at risk or due in the next 30 days.</p>";
  } else {
    live +=
        "<table id=\"queue\"><thead><tr><th scope=\"col\">Due</th><th "
        "scope=\"col\">Milestone</th><th scope=\"col\">Network</th><th "
        "scope=\"col\">Status</th></tr></thead><tbody>";
    for (const auto& [key, row] : queue) {
      const std::string id = Str(row, "milestone_id"), network = Str(row, "network_id");
      const std::string name = names.contains(network) ? names[network] : network;
      live += fmt::format(
          "<tr><td>{}</td><td><a href=\"{}\">{}</a></td><td><a href=\"{}\">{}</a></td><td>{}</td>"
          "</tr>",
          Escape(app::LongDate(Str(row, "due"))), StreamHref("milestone-" + id),
          Escape(Str(row, "title")), NetworkHref(network), Escape(name),
          StatusBadge(MilestoneLook(Str(row, "status"))));
    }
    live += "</tbody></table>";
  }
  live += "</section>";

  live += fmt::format(
      "<section class=\"card\" aria-labelledby=\"networks-h\"><h2 id=\"networks-h\">{} "
      "<span class=\"hint\">({})</span></h2>",
      officer ? "Your networks" : "All networks", networks->size());
  live +=
      "<table><thead><tr><th scope=\"col\">Network</th><th scope=\"col\">Region</th><th "
      "scope=\"col\">Stage</th><th scope=\"col\">Last approved assessment</th><th scope=\"col\" "
      "class=\"num\">Members</th><th scope=\"col\">Status</th>" +
      std::string(officer ? "" : "<th scope=\"col\">Officer</th>") + "</tr></thead><tbody>";
  for (const auto& n : *networks) {
    const std::string id = Str(n, "network_id");
    const auto [overdue, risk] = attention[id];
    const Rag rag =
        RagOf(std::max<int>(overdue, static_cast<int>(Int(n, "overdue_milestones"))), risk);
    const std::string assessment = Str(n, "latest_assessment_period");
    live += fmt::format(
        "<tr><td><a href=\"{}\">{}</a></td><td>{}</td><td>{}{}</td><td>{}</td><td "
        "class=\"num\">{}</td><td><span class=\"status\">{}{}</span> <span class=\"hint\">— "
        "{}</span></td>{}</tr>",
        NetworkHref(id), Escape(Str(n, "name")), Escape(Str(n, "region")),
        Escape(Humanize(Str(n, "stage"))),
        Str(n, "status") != Str(n, "stage") && !Str(n, "status").empty()
            ? " <span class=\"hint\">(" + Escape(Str(n, "status")) + ")</span>"
            : "",
        assessment.empty() ? "<span class=\"hint\">none yet</span>" : Escape(assessment),
        Int(n, "members"), StatusIcon(rag.shape, rag.colour), rag.word, Escape(rag.why),
        officer ? "" : "<td>" + Escape(Str(n, "officer")) + "</td>");
  }
  live += "</tbody></table></section>";
  live += BeginForms(v, nullptr, {"network"}, {}, "/");

  if (v.Param("part") == "live") return Page{"", live, 200, true};
  std::string body = fmt::format(
      "<h1>{}</h1><p class=\"sub\">{} · <span id=\"live-note\" role=\"status\">Updates as "
      "things change</span></p><div data-live=\"/caseload?part=live\" data-position=\"{}\">{}"
      "</div>",
      officer ? "Your caseload" : "The programme's networks", Escape(app::LongDate(v.today)),
      *position, live);
  return Page{officer ? "Caseload" : "Networks", body};
}

}  // namespace waymark::web
