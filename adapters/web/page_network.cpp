// A network's page: folded from history (so the same page shows the network
// as it stood on any date), with its stage history, the latest assessment as
// a radar, each dimension's trend, the plans' milestones on a timeline and
// the steps in their cycle.

#include <fmt/format.h>

#include <boost/json/serialize.hpp>
#include <map>

#include "adapters/web/forms.hpp"
#include "adapters/web/html.hpp"
#include "adapters/web/pages.hpp"
#include "adapters/web/records.hpp"
#include "core/stream_name.hpp"
#include "workflows/assessment/assessment_workflow.hpp"
#include "workflows/network/network_workflow.hpp"

namespace waymark::web {
namespace {

std::optional<double> ScoreOf(const boost::json::object& scores, std::string_view dimension) {
  const auto* entry = scores.if_contains(dimension);
  if (!entry) return std::nullopt;
  if (entry->is_int64()) return static_cast<double>(entry->get_int64());
  if (entry->is_object()) {
    const auto* s = entry->get_object().if_contains("score");
    if (s && s->is_int64()) return static_cast<double>(s->get_int64());
  }
  return std::nullopt;
}

std::string ScoreText(const std::optional<double>& v) {
  return v ? fmt::format("{:.0f}", *v) : std::string("<span class=\"hint\">—</span>");
}

// The time a page is asked "as of": YYYY-MM-DD (the end of that day, UTC) or RFC 3339.
std::expected<std::optional<Timestamp>, Error> AsOf(const Visit& v) { return AsOfOf(v); }

// The states of a workflow in the order its table names them, less the
// state before the first event.
std::vector<std::string> CycleOf(const std::vector<const Workflow*>& workflows,
                                 std::string_view kind) {
  std::vector<std::string> out;
  const Workflow* w = WorkflowOf(workflows, kind);
  if (!w) return out;
  const std::string before = StateBeforeFirstEvent(*w);
  for (const auto& t : w->transitions()) {
    for (const auto& s : {t.from, t.to}) {
      if (s != before && std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
    }
  }
  return out;
}

std::string StageHistory(const std::vector<RecordedEvent>& events, const Records& records) {
  std::string rows;
  for (const auto& e : events) {
    std::string change, detail;
    if (e.type == "NetworkRegistered") {
      change = "Registered at " +
               Humanize(Str(e.data, "stage").empty() ? "startup" : Str(e.data, "stage"));
      detail = Escape(Str(e.data, "basis"));
    } else if (e.type == workflows::network_events::kStageAdvanced) {
      change = "Advanced to " + Humanize(Str(e.data, "to"));
      detail = Escape(Str(e.data, "reason"));
      if (const auto a = Str(e.data, "assessment_id"); !a.empty()) {
        const std::string title = records.Title("assessment-" + a);
        detail += " <span class=\"hint\">(resting on the <a href=\"" +
                  StreamHref("assessment-" + a) + "\">" +
                  Escape(title.empty() ? std::string("assessment") : title) + "</a>)</span>";
      }
    } else if (e.type == workflows::network_events::kStageReturned) {
      change = "Returned to " + Humanize(Str(e.data, "to"));
      detail = Escape(Str(e.data, "reason"));
    } else {
      continue;
    }
    rows += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                        Escape(app::LondonTime(e.metadata.recorded_at)), Escape(change), detail,
                        Escape(e.metadata.actor));
  }
  if (rows.empty()) return "<p>No stage recorded.</p>";
  return "<table><thead><tr><th scope=\"col\">Date</th><th scope=\"col\">Change</th><th "
         "scope=\"col\">Why</th><th scope=\"col\">By</th></tr></thead><tbody>" +
         rows + "</tbody></table>";
}

// The score that counts for a dimension: the moderated one where given.
std::optional<double> Counted(const boost::json::object& s, std::string_view d) {
  auto m = ScoreOf(Obj(s, "moderated"), d);
  return m ? m : ScoreOf(Obj(s, "scores"), d);
}

// A network's streams folded, by kind, in the order they began.
struct NetworkStreams {
  std::vector<const FoldedNetworkStream*> assessments, approved, plans, milestones, steps;
  explicit NetworkStreams(const FoldedNetwork& network) {
    for (const auto& s : network.streams) {
      if (s.kind == "assessment") assessments.push_back(&s);
      if (s.kind == "assessment" && s.folded.state->state() == "approved") approved.push_back(&s);
      if (s.kind == "plan") plans.push_back(&s);
      if (s.kind == "milestone") milestones.push_back(&s);
      if (s.kind == "step") steps.push_back(&s);
    }
  }
};

// The note above a page as of a time: when, and the position of the
// network's last event at or before it.
std::string AsOfBanner(const Visit& v, const FoldedNetwork& network, Timestamp as_of) {
  std::int64_t position = 0;
  for (const auto& s : network.streams) {
    auto last = v.app.Events(v.who, s.stream, s.folded.version - 1, 1);
    if (last && !last->events.empty()) {
      position = std::max(position, last->events.front().position);
    }
  }
  return fmt::format(
      "<div class=\"banner asof\" role=\"note\"><strong>As of {}</strong> — the network as it "
      "stood then, from its history. <a href=\"{}\">Back to now</a><details "
      "class=\"audit\"><summary>For auditors</summary><p>As of {} UTC, the network's last "
      "event at or before it at position {}.</p></details></div>",
      Escape(app::LondonTime(as_of)), NetworkHref(network.network_id), Escape(FormatRfc3339(as_of)),
      position);
}

// The heading, the facts under it, and the "as of" form.
std::string Heading(const Visit& v, const FoldedNetwork& network,
                    const std::optional<Timestamp>& as_of) {
  const auto state = network.network().folded.state->ToJson();
  std::string out = fmt::format(
      "<h1>{}</h1><p class=\"sub\">{} · {} stage · officer {} · {} members ({} "
      "active) · {}</p>",
      Escape(Str(state, "name")), Escape(Str(state, "region")),
      Escape(Humanize(Str(state, "stage"))),
      Str(state, "officer").empty() ? std::string("no one yet") : Escape(Str(state, "officer")),
      state.contains("members") ? boost::json::serialize(state.at("members")) : "0",
      state.contains("active_members") ? boost::json::serialize(state.at("active_members")) : "0",
      Escape(Humanize(Str(state, "state"))));
  out += AsOfForm(v, NetworkHref(network.network_id), as_of, "the network") +
         "<p class=\"noprint\"><a href=\"" + StreamHref(network.network().stream) +
         "/history\">History of the network's record</a></p>";
  return out;
}

// The latest approved assessment: a radar beside its table, with the previous round.
std::string LatestAssessment(const boost::json::object& state, const NetworkStreams& streams) {
  const auto& approved = streams.approved;
  const auto& last = Obj(state, "last_assessment");
  std::string live;
  live +=
      "<section class=\"card\" aria-labelledby=\"assess-h\"><h2 id=\"assess-h\">Latest "
      "assessment</h2>";
  const FoldedNetworkStream* latest = nullptr;
  for (const auto* a : approved) {
    if ("assessment-" + Str(last, "assessment_id") == a->stream) latest = a;
  }
  if (!latest && !approved.empty()) latest = approved.back();
  if (!latest) {
    live += "<p>No assessment approved yet.</p>";
  } else {
    const auto s = latest->folded.state->ToJson();
    const FoldedNetworkStream* previous = nullptr;
    for (const auto* a : approved) {
      if (a == latest) break;
      previous = a;
    }
    const auto ps = previous ? previous->folded.state->ToJson() : boost::json::object{};
    std::vector<std::string> axes(workflows::kDimensions.begin(), workflows::kDimensions.end());
    Series self{"Self score", {}}, moderated{"Moderated score", {}},
        prior{"Previous round" + (previous ? " (" + Str(ps, "period") + ")" : ""), {}};
    std::string rows;
    for (const auto& d : axes) {
      self.values.push_back(ScoreOf(Obj(s, "scores"), d));
      moderated.values.push_back(Counted(s, d));
      if (previous) prior.values.push_back(Counted(ps, d));
      rows += fmt::format(
          "<tr><th scope=\"row\">{}</th><td class=\"num\">{}</td><td class=\"num\">{}</td>{}</tr>",
          Escape(Humanize(d)), ScoreText(self.values.back()), ScoreText(moderated.values.back()),
          previous ? "<td class=\"num\">" + ScoreText(prior.values.back()) + "</td>" : "");
    }
    // The strongest and weakest dimensions, by the score that counts.
    std::optional<double> high, low;
    for (const auto& value : moderated.values) {
      if (!value) continue;
      high = std::max(high.value_or(*value), *value);
      low = std::min(low.value_or(*value), *value);
    }
    std::vector<std::string> strongest, weakest;
    for (std::size_t i = 0; i < axes.size(); ++i) {
      const auto& value = moderated.values[i];
      if (value && high && *value == *high) strongest.push_back(Humanize(axes[i]));
      if (value && low && *value == *low && *low != *high) weakest.push_back(Humanize(axes[i]));
    }
    const auto joined = [](const std::vector<std::string>& names) {
      std::string out;
      for (std::size_t i = 0; i < names.size(); ++i) {
        out += (i == 0 ? "" : i + 1 == names.size() ? " and " : ", ") + names[i];
      }
      return out;
    };
    std::string extremes;
    if (high) {
      extremes = fmt::format("<p class=\"extremes\"><strong>Strongest:</strong> {} ({:.0f} of 5)",
                             Escape(joined(strongest)), *high);
      if (!weakest.empty()) {
        extremes += fmt::format(" · <strong>Weakest:</strong> {} ({:.0f} of 5)",
                                Escape(joined(weakest)), *low);
      }
      extremes += "</p>";
    }
    std::vector<Series> series{self, moderated};
    if (previous) series.push_back(prior);
    live += fmt::format(
        "<p class=\"sub\"><a href=\"{}\">{}</a>, approved{}</p>{}<div class=\"grid\"><div>{}</div>"
        "<div><table><caption>Scores out of 5</caption><thead><tr><th "
        "scope=\"col\">Dimension</th><th scope=\"col\" class=\"num\">Self</th><th scope=\"col\" "
        "class=\"num\">Moderated</th>{}</tr></thead><tbody>{}</tbody></table></div></div>",
        StreamHref(latest->stream), Escape(Str(s, "period")),
        Str(s, "approved_by").empty() ? "" : " by " + Escape(Str(s, "approved_by")), extremes,
        RadarChart("radar", "Assessment " + Str(s, "period") + ": the ten dimensions",
                   "Self and moderated scores out of 5" +
                       std::string(previous ? ", with the previous round" : "") +
                       "; the numbers are in the table beside the chart.",
                   axes, series, 5),
        previous ? "<th scope=\"col\" class=\"num\">Previous</th>" : "", rows);
  }
  live += "</section>";

  return live;
}

// Each dimension across the approved rounds, as sparklines and numbers.
std::string Trends(const NetworkStreams& streams) {
  const auto& approved = streams.approved;
  std::string live;
  if (approved.size() > 1) {
    std::string rows, head;
    for (const auto* a : approved) {
      head += "<th scope=\"col\" class=\"num\">" +
              Escape(Str(a->folded.state->ToJson(), "period")) + "</th>";
    }
    int i = 0;
    for (const auto& d : workflows::kDimensions) {
      std::vector<std::optional<double>> values;
      std::string cells;
      for (const auto* a : approved) {
        values.push_back(Counted(a->folded.state->ToJson(), d));
        cells += "<td class=\"num\">" + ScoreText(values.back()) + "</td>";
      }
      rows += fmt::format(
          "<tr><th scope=\"row\">{}</th><td>{}</td>{}</tr>", Escape(Humanize(d)),
          Sparkline(fmt::format("trend-{}", i++), Humanize(d) + " across rounds", values, 1, 5),
          cells);
    }
    live +=
        "<section class=\"card\" aria-labelledby=\"trend-h\"><h2 id=\"trend-h\">Each "
        "dimension across rounds</h2><table><thead><tr><th scope=\"col\">Dimension</th><th "
        "scope=\"col\">Trend</th>" +
        head + "</tr></thead><tbody>" + rows + "</tbody></table></section>";
  }

  return live;
}

// The plans, newest first, each with its actions and its milestones on a timeline.
std::string Plans(const Visit& v, const NetworkStreams& streams, const Records& records) {
  const auto& plans = streams.plans;
  const auto& milestones = streams.milestones;
  std::string live;
  live +=
      "<section class=\"card\" aria-labelledby=\"plan-h\"><h2 id=\"plan-h\">Action plans and "
      "milestones</h2>";
  if (plans.empty()) live += "<p>No plan yet.</p>";
  int timeline = 0;
  for (auto it = plans.rbegin(); it != plans.rend(); ++it) {
    const auto* p = *it;
    const auto ps = p->folded.state->ToJson();
    const std::string plan_id = p->stream.substr(5);
    const std::string title = records.Title(p->stream);
    live += fmt::format("<h3><a href=\"{}\">{}</a> <span class=\"hint\">— {}</span></h3>",
                        StreamHref(p->stream), Escape(title), Escape(Humanize(Str(ps, "state"))));
    live += PlanActions(records, plan_id, ps);
    std::vector<TimelineItem> items;
    std::string rows;
    for (const auto* m : milestones) {
      const auto ms = m->folded.state->ToJson();
      if (Str(ms, "plan_id") != plan_id) continue;
      const auto look = MilestoneLook(Str(ms, "state"));
      items.push_back({Str(ms, "title"), Str(ms, "due"), look.shape, look.colour, look.word});
      rows +=
          fmt::format("<tr><td><a href=\"{}\">{}</a></td><td>{}</td><td>{}{}</td><td>{}</td></tr>",
                      StreamHref(m->stream), Escape(Str(ms, "title")),
                      Escape(Shortened(records.ActionTitle(plan_id, Str(ms, "action_id")), 60)),
                      Escape(app::LongDate(Str(ms, "due"))),
                      Str(ms, "original_due") != Str(ms, "due")
                          ? " <span class=\"hint\">(was " +
                                Escape(app::LongDate(Str(ms, "original_due"))) + ")</span>"
                          : "",
                      StatusBadge(look));
    }
    if (!items.empty()) {
      live += Timeline(fmt::format("timeline-{}", timeline++), "Milestones of the " + title, items,
                       v.today);
      live +=
          "<table><caption>Milestones</caption><thead><tr><th scope=\"col\">Milestone</th><th "
          "scope=\"col\">Action it delivers</th><th scope=\"col\">Due</th><th "
          "scope=\"col\">Status</th></tr></thead><tbody>" +
          rows + "</tbody></table>";
    }
  }
  live += "</section>";

  return live;
}

// The sustainability steps, each shown where it is in its cycle.
std::string Steps(const Visit& v, const NetworkStreams& streams) {
  const auto& steps = streams.steps;
  std::string live;
  live +=
      "<section class=\"card\" aria-labelledby=\"steps-h\"><h2 id=\"steps-h\">Sustainability "
      "steps</h2>";
  if (steps.empty()) {
    live += "<p>No step yet.</p>";
  } else {
    const auto cycle = CycleOf(v.app.workflows(), "step");
    live +=
        "<table><thead><tr><th scope=\"col\">Step</th><th scope=\"col\">Kind</th><th "
        "scope=\"col\">Where it is</th><th scope=\"col\" class=\"num\">Reviews</th></tr>"
        "</thead><tbody>";
    for (const auto* s : steps) {
      const auto ss = s->folded.state->ToJson();
      std::string states = "<ol class=\"cycle\">";
      for (const auto& c : cycle) {
        const bool now = c == Str(ss, "state");
        states += std::string(now ? "<li class=\"now\" aria-current=\"step\">" : "<li>") +
                  Escape(Humanize(c)) + "</li>";
      }
      states += "</ol>";
      live += fmt::format(
          "<tr><td><a href=\"{}\">{}</a></td><td>{}</td><td>{}</td><td class=\"num\">{}</td></tr>",
          StreamHref(s->stream), Escape(Str(ss, "description")), Escape(Humanize(Str(ss, "kind"))),
          states, ss.contains("cycles") ? boost::json::serialize(ss.at("cycles")) : "0");
    }
    live += "</tbody></table>";
  }
  live += "</section>";

  return live;
}

// What this person may do now: the network's own commands, and forms that
// begin its other records (a milestone for its newest plan that is under
// way; never a form that would change the network a record belongs to).
std::string Forms(const Visit& v, const FoldedNetwork& network, const NetworkStreams& streams,
                  const Records& records) {
  const auto& network_id = network.network_id;
  const auto& own = network.network();
  std::string live = CommandForms(v, &records, own.stream, own.folded, NetworkHref(network_id));
  std::map<std::string, std::map<std::string, std::string>> fixed;
  for (const char* kind : {"assessment", "plan", "milestone", "step"}) {
    fixed[kind]["network_id"] = network_id;
  }
  const FoldedNetworkStream* plan = nullptr;  // the newest active, else the newest
  for (const auto* p : streams.plans) {
    const std::string state = p->folded.state->state();
    if (state == "active" || !plan || plan->folded.state->state() != "active") plan = p;
  }
  if (plan) fixed["milestone"]["plan_id"] = plan->stream.substr(5);
  live += BeginForms(v, &records, {"assessment", "plan", "milestone", "step"}, fixed,
                     NetworkHref(network_id));
  return live;
}

}  // namespace

namespace {
// Who owns an action, in words: the drafted plan's "network" and "officer"
// as people say them, anything typed as typed.
std::string OwnerInWords(std::string_view owner) {
  if (owner == "network") return "The network";
  if (owner == "officer") return "The development officer";
  return std::string(owner);
}
}  // namespace

// A plan's actions, each with the milestones that deliver it.
std::string PlanActions(const Records& records, const std::string& plan_id,
                        const boost::json::object& plan) {
  const auto* actions = plan.if_contains("actions");
  if (!actions || !actions->is_array() || actions->get_array().empty()) {
    return "<p>No actions yet.</p>";
  }
  const auto* dropped_value = plan.if_contains("dropped_actions");
  static const boost::json::object kNone;
  const auto& dropped =
      dropped_value && dropped_value->is_object() ? dropped_value->get_object() : kNone;
  std::string rows;
  for (const auto& a : actions->get_array()) {
    if (!a.is_object()) continue;
    const auto& ao = a.get_object();
    const std::string action = Str(ao, "action_id");
    std::string delivered_by;
    for (const auto& m : records.network().streams) {
      if (m.kind != "milestone") continue;
      const auto ms = m.folded.state->ToJson();
      if (Str(ms, "plan_id") != plan_id || Str(ms, "action_id") != action) continue;
      delivered_by += "<li><a href=\"" + StreamHref(m.stream) + "\">" + Escape(Str(ms, "title")) +
                      "</a> " + StatusBadge(MilestoneLook(Str(ms, "state"))) + "</li>";
    }
    rows += fmt::format(
        "<tr><td>{}{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", Escape(Str(ao, "description")),
        dropped.contains(action)
            ? " <span class=\"hint\">(dropped: " + Escape(Str(dropped, action)) + ")</span>"
            : "",
        Escape(Humanize(Str(ao, "theme"))), Escape(OwnerInWords(Str(ao, "owner"))),
        delivered_by.empty() ? "<span class=\"hint\">none yet</span>"
                             : "<ul class=\"plain\">" + delivered_by + "</ul>");
  }
  return "<table><caption>Actions</caption><thead><tr><th scope=\"col\">Action</th><th "
         "scope=\"col\">Theme</th><th scope=\"col\">Owner</th><th scope=\"col\">Delivered "
         "by</th></tr></thead><tbody>" +
         rows + "</tbody></table>";
}

PageResult NetworkPage(const Visit& v, const std::string& network_id) {
  if (auto ok = app::CheckId("network", network_id); !ok) return std::unexpected(ok.error());
  auto as_of = AsOf(v);
  if (!as_of) return std::unexpected(as_of.error());
  std::int64_t live_position = 0;
  if (!*as_of) {
    auto position = v.app.Position();
    if (!position) return std::unexpected(position.error());
    live_position = *position;
  }
  auto folded = v.app.NetworkFolded(v.who, network_id, *as_of);
  if (!folded) return std::unexpected(folded.error());
  const auto& own = folded->network();
  const auto state = own.folded.state->ToJson();
  auto network_events = v.app.History(v.who, own.stream);
  if (!network_events) return std::unexpected(network_events.error());
  std::erase_if(*network_events,
                [&](const RecordedEvent& e) { return e.version > own.folded.version; });
  const NetworkStreams streams(*folded);
  const Records records(*folded);

  std::string body = Heading(v, *folded, *as_of);
  if (*as_of) body += AsOfBanner(v, *folded, **as_of);
  std::string live = LatestAssessment(state, streams) + Trends(streams) +
                     Plans(v, streams, records) + Steps(v, streams) +
                     "<section class=\"card\" aria-labelledby=\"stage-h\"><h2 "
                     "id=\"stage-h\">Stage history</h2>" +
                     StageHistory(*network_events, records) + "</section>";
  if (!*as_of) live += Forms(v, *folded, streams, records);

  if (v.Param("part") == "live" && !*as_of) return Page{"", live, 200, true};
  if (*as_of) {
    body += live;
  } else {
    body += fmt::format(
        "<p class=\"hint\" id=\"live-note\" role=\"status\"></p><div data-live=\"{}?part=live\" "
        "data-position=\"{}\">{}</div>",
        NetworkHref(network_id), live_position, live);
  }
  const std::string name = Str(state, "name");
  return Page{name.empty() ? network_id : name, body};
}

}  // namespace waymark::web
