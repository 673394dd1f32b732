// The officer's home: their networks with a RAG status each, and one queue
// of the milestones that need attention across them, updated live.

#include <fmt/format.h>

#include <map>
#include <set>
#include <tuple>

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

// What the caseload is narrowed to and ordered by (the page's query).
struct Narrowing {
  bool all = false;  // an officer's "all networks" (covering a colleague)
  std::string q, stage, rag, officer, sort;

  static Narrowing Of(const Visit& v) {
    return {v.Param("scope") == "all", v.Param("q"),   v.Param("stage"), v.Param("rag"),
            v.Param("officer"),        v.Param("sort")};
  }
  std::string Query() const {
    std::string out;
    const auto add = [&](std::string_view key, const std::string& value) {
      if (!value.empty())
        out += (out.empty() ? "" : "&") + std::string(key) + "=" + UrlEncode(value);
    };
    add("scope", all ? "all" : "");
    add("q", q);
    add("stage", stage);
    add("rag", rag);
    add("officer", officer);
    add("sort", sort);
    return out;
  }
};

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// A network in the caseload: its row and its status.
struct CaseloadRow {
  const boost::json::object* row;
  Rag rag;
};

int RagOrder(std::string_view word) { return word == "Red" ? 0 : word == "Amber" ? 1 : 2; }

int StageOrder(std::string_view stage) {
  static constexpr std::string_view kStages[] = {"startup", "development", "participation",
                                                 "growth"};
  for (int i = 0; i < 4; ++i) {
    if (kStages[i] == stage) return i;
  }
  return 4;
}

// The search, filters and order, as a form that keeps what was chosen.
std::string NarrowingForm(const Visit& v, const Narrowing& n,
                          const std::vector<boost::json::object>& networks) {
  const bool officer = v.who.actor.role == "officer";
  std::set<std::string> officers;
  for (const auto& row : networks) {
    if (!Str(row, "officer").empty()) officers.insert(Str(row, "officer"));
  }
  Options stages{{"", "Any stage"}};
  for (const char* s : {"startup", "development", "participation", "growth"}) {
    stages.emplace_back(s, Humanize(s));
  }
  Options who{{"", "Any officer"}};
  for (const auto& o : officers) who.emplace_back(o, o);
  std::string out =
      "<form class=\"row noprint narrowing\" method=\"get\" action=\"/\" role=\"search\">";
  if (officer) {
    out += SelectHtml("c-scope", "scope", "Show",
                      {{"", "My networks"}, {"all", "All networks (to cover a colleague)"}},
                      n.all ? "all" : "");
  }
  out +=
      "<label for=\"c-q\">Name or region</label><input id=\"c-q\" name=\"q\" type=\"search\" "
      "value=\"" +
      Escape(n.q) + "\">";
  out += SelectHtml("c-stage", "stage", "Stage", stages, n.stage);
  out += SelectHtml("c-rag", "rag", "Status",
                    {{"", "Any status"}, {"Red", "Red"}, {"Amber", "Amber"}, {"Green", "Green"}},
                    n.rag);
  if (!officer || n.all) out += SelectHtml("c-officer", "officer", "Officer", who, n.officer);
  out += SelectHtml("c-sort", "sort", "Order by",
                    {{"", "Name"},
                     {"region", "Region"},
                     {"stage", "Stage"},
                     {"rag", "Status (red first)"},
                     {"members", "Members (most first)"}},
                    n.sort);
  out += "<button type=\"submit\" class=\"secondary\">Show</button>";
  if (!n.Query().empty()) out += " <a href=\"/\">Clear</a>";
  return out + "</form>";
}

}  // namespace

PageResult CaseloadPage(const Visit& v) {
  const Narrowing narrowing = Narrowing::Of(v);
  const bool officer = v.who.actor.role == "officer";
  const bool own = officer && !narrowing.all;
  const std::string officer_filter = own ? v.who.actor.name : "";
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

  // The networks shown: searched, filtered and ordered as asked.
  std::vector<CaseloadRow> shown;
  const std::string q = Lower(narrowing.q);
  for (const auto& n : *networks) {
    const auto [overdue, risk] = attention[Str(n, "network_id")];
    const Rag rag =
        RagOf(std::max<int>(overdue, static_cast<int>(Int(n, "overdue_milestones"))), risk);
    if (!q.empty() && Lower(Str(n, "name")).find(q) == std::string::npos &&
        Lower(Str(n, "region")).find(q) == std::string::npos) {
      continue;
    }
    if (!narrowing.stage.empty() && Str(n, "stage") != narrowing.stage) continue;
    if (!narrowing.rag.empty() && rag.word != narrowing.rag) continue;
    if (!narrowing.officer.empty() && Str(n, "officer") != narrowing.officer) continue;
    shown.push_back({&n, rag});
  }
  const auto key = [&](const CaseloadRow& r) {
    const auto& n = *r.row;
    const std::string name = Lower(Str(n, "name"));
    if (narrowing.sort == "region") return std::tuple(Lower(Str(n, "region")), 0, name);
    if (narrowing.sort == "stage")
      return std::tuple(std::string(), StageOrder(Str(n, "stage")), name);
    if (narrowing.sort == "rag") return std::tuple(std::string(), RagOrder(r.rag.word), name);
    if (narrowing.sort == "members") {
      return std::tuple(std::string(), -static_cast<int>(Int(n, "members")), name);
    }
    return std::tuple(std::string(), 0, name);
  };
  std::stable_sort(shown.begin(), shown.end(),
                   [&](const CaseloadRow& a, const CaseloadRow& b) { return key(a) < key(b); });

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

  const bool narrowed = shown.size() != networks->size();
  live += fmt::format(
      "<section class=\"card\" aria-labelledby=\"networks-h\"><h2 id=\"networks-h\">{} "
      "<span class=\"hint\">({})</span></h2>",
      own ? "Your networks" : "All networks",
      narrowed ? fmt::format("{} of {}", shown.size(), networks->size())
               : std::to_string(networks->size()));
  if (shown.empty()) {
    live += "<p>No network matches. <a href=\"/\">Show them all</a>.</p>";
  } else {
    live +=
        "<table><thead><tr><th scope=\"col\">Network</th><th scope=\"col\">Region</th><th "
        "scope=\"col\">Stage</th><th scope=\"col\">Last approved assessment</th><th "
        "scope=\"col\" class=\"num\">Members</th><th scope=\"col\">Status</th>" +
        std::string(own ? "" : "<th scope=\"col\">Officer</th>") + "</tr></thead><tbody>";
  }
  for (const auto& [row, rag] : shown) {
    const auto& n = *row;
    const std::string id = Str(n, "network_id");
    const std::string assessment = Str(n, "latest_assessment_period");
    const std::string status = Str(n, "status");
    live += fmt::format(
        "<tr><td><a href=\"{}\">{}</a></td><td>{}</td><td>{}{}</td><td>{}</td><td "
        "class=\"num\">{}</td><td><span class=\"status\">{}{}</span> <span class=\"hint\">— "
        "{}</span></td>{}</tr>",
        NetworkHref(id), Escape(Str(n, "name")), Escape(Str(n, "region")),
        Escape(Humanize(Str(n, "stage"))),
        status != Str(n, "stage") && !status.empty() && status != "active"
            ? " <span class=\"hint\">(" + Escape(Humanize(status)) + ")</span>"
            : "",
        assessment.empty() ? "<span class=\"hint\">none yet</span>" : Escape(assessment),
        Int(n, "members"), StatusIcon(rag.shape, rag.colour), rag.word, Escape(rag.why),
        own ? ""
            : "<td>" +
                  (Str(n, "officer").empty() ? std::string("<span class=\"hint\">none</span>")
                                             : Escape(Str(n, "officer"))) +
                  "</td>");
  }
  if (!shown.empty()) live += "</tbody></table>";
  live += "</section>";
  live += BeginForms(v, nullptr, {"network"}, {}, "/");

  if (v.Param("part") == "live") return Page{"", live, 200, true};
  const std::string query = narrowing.Query();
  std::string body = fmt::format(
      "<h1>{}</h1><p class=\"sub\">{} · <span id=\"live-note\" role=\"status\">Updates as "
      "things change</span></p>{}<div data-live=\"/caseload?{}part=live\" "
      "data-position=\"{}\">{}</div>",
      officer ? "Your caseload" : "The programme's networks", Escape(app::LongDate(v.today)),
      NarrowingForm(v, narrowing, *networks), query.empty() ? "" : Escape(query) + "&amp;",
      *position, live);
  return Page{officer ? "Caseload" : "Networks", body};
}

}  // namespace waymark::web
