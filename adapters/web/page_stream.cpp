// A record's page (assessment, plan, milestone, step) in its people's words:
// what it is, where it stands, what this person may do with it now; the
// engine's own terms (stream, version, the state as stored) only in the
// auditors' details.

#include <fmt/format.h>

#include <boost/json/serialize.hpp>

#include "adapters/web/html.hpp"
#include "adapters/web/pages.hpp"
#include "adapters/web/records.hpp"
#include "core/stream_name.hpp"
#include "workflows/assessment/assessment_workflow.hpp"

namespace waymark::web {
namespace {

// A definition list of the facts given (an empty value is left out).
struct Facts {
  std::string html;
  void Add(std::string_view term, const std::string& shown_html) {
    if (shown_html.empty()) return;
    html += "<dt>" + Escape(term) + "</dt><dd>" + shown_html + "</dd>";
  }
  void Text(std::string_view term, const std::string& text) {
    if (!text.empty()) Add(term, Escape(text));
  }
  std::string Html() const { return html.empty() ? "" : "<dl class=\"facts\">" + html + "</dl>"; }
};

std::string Link(std::string_view href, const std::string& text) {
  return "<a href=\"" + std::string(href) + "\">" + Escape(text) + "</a>";
}

std::string AssessmentFacts(const boost::json::object& s) {
  Facts f;
  f.Text("Period", Str(s, "period"));
  f.Text("Submitted by", Str(s, "submitted_by"));
  f.Text("Approved by", Str(s, "approved_by"));
  f.Text("Returned for changes because", Str(s, "return_reason"));
  f.Text("Withdrawn because", Str(s, "withdraw_reason"));
  return f.Html();
}

std::string MilestoneFacts(const boost::json::object& s, const Records& records) {
  Facts f;
  const std::string plan = Str(s, "plan_id");
  const std::string plan_title = records.Title("plan-" + plan);
  if (!plan_title.empty()) f.Add("Plan", Link(StreamHref("plan-" + plan), plan_title));
  f.Text("Action it delivers", records.ActionTitle(plan, Str(s, "action_id")));
  std::string due = Escape(app::LongDate(Str(s, "due")));
  if (!Str(s, "original_due").empty() && Str(s, "original_due") != Str(s, "due")) {
    due += " <span class=\"hint\">(first due " + Escape(app::LongDate(Str(s, "original_due"))) +
           ")</span>";
  }
  f.Add("Due", due);
  f.Text("At risk because", Str(s, "at_risk_reason"));
  f.Text("Evidence", Str(s, "evidence_summary"));
  if (const auto* links = s.if_contains("evidence_links");
      links && links->is_array() && !links->get_array().empty()) {
    f.Add("Evidence links", ValueHtml(*links));
  }
  f.Text("Evidence submitted by", Str(s, "evidence_submitted_by"));
  f.Text("Evidence rejected because", Str(s, "rejection_reason"));
  f.Text("Verified by", Str(s, "verified_by"));
  f.Text("Cancelled because", Str(s, "cancel_reason"));
  if (const auto* on_time = s.if_contains("on_time"); on_time && on_time->is_bool()) {
    f.Text("Delivered", on_time->get_bool() ? "On time" : "After its due date");
  }
  return f.Html();
}

// Who agreed the plan and when, from its history.
std::string Agreements(const std::vector<RecordedEvent>& events) {
  std::string out;
  for (const auto& e : events) {
    if (e.type != "PlanAgreed") continue;
    out += "<li>" + Escape(Str(e.data, "agreed_by")) + " <span class=\"hint\">(" +
           Escape(app::RoleLabel(Str(e.data, "party")).value_or("")) + "), " +
           Escape(app::LondonTime(e.metadata.recorded_at)) + "</span></li>";
  }
  return out.empty() ? std::string() : "<ul class=\"plain\">" + out + "</ul>";
}

std::string PlanFacts(const boost::json::object& s, const std::string& plan_id,
                      const Records& records, const std::vector<RecordedEvent>& events) {
  Facts f;
  const std::string from = records.Title("assessment-" + Str(s, "assessment_id"));
  if (!from.empty()) {
    f.Add("From the", Link(StreamHref("assessment-" + Str(s, "assessment_id")), from));
  }
  f.Add("Agreed by", Agreements(events));
  std::int64_t total = 0, achieved = 0;
  for (const auto& [id, status] : Obj(s, "milestones")) {
    ++total;
    achieved += status.is_string() && status.get_string() == "achieved";
  }
  if (total > 0) {
    f.Add("Progress", fmt::format("<meter min=\"0\" max=\"{0}\" value=\"{1}\">{1} of {0}</meter> "
                                  "{1} of {0} milestones achieved",
                                  total, achieved));
  }
  f.Text("Returned because", Str(s, "return_reason"));
  f.Text("Being revised because", Str(s, "revise_reason"));
  f.Text("Abandoned because", Str(s, "abandon_reason"));
  return f.Html() + PlanActions(records, plan_id, s);
}

std::string StepFacts(const boost::json::object& s, const Records& records) {
  Facts f;
  f.Text("Kind", Humanize(Str(s, "kind")));
  const std::string plan = Str(s, "plan_id");
  if (!plan.empty() && !records.Title("plan-" + plan).empty()) {
    f.Add("Plan", Link(StreamHref("plan-" + plan), records.Title("plan-" + plan)));
  }
  f.Text("Target", Str(s, "target"));
  f.Text("Evidence it is embedded", Str(s, "evidence"));
  f.Text("Last review", Str(s, "outcome"));
  f.Text("Why", Str(s, "reason"));
  if (const auto* cycles = s.if_contains("cycles"); cycles && cycles->is_int64()) {
    f.Text("Reviews", std::to_string(cycles->get_int64()));
  }
  return f.Html();
}

// The engine's own view, for auditors: the stream, its version, the state as stored.
std::string ForAuditors(const std::string& stream, const FoldedStream& folded,
                        const boost::json::object& state) {
  boost::json::object facts;
  for (const auto& [key, value] : state) {
    if (value.is_string() && value.get_string().empty()) continue;
    facts.emplace(key, value);
  }
  return fmt::format(
      "<details class=\"audit\"><summary>For auditors</summary><p>Stream {} at version {} · <a "
      "href=\"{}/history\">its history, event by event</a></p>{}</details>",
      Escape(stream), folded.version, StreamHref(stream), ValueHtml(facts));
}

}  // namespace

PageResult StreamPage(const Visit& v, const std::string& stream, const ScoresTyped* typed) {
  auto name = ParseStreamName(stream);
  if (!name) return std::unexpected(name.error());
  auto position = v.app.Position();
  if (!position) return std::unexpected(position.error());
  // Now, or (for auditors and anyone looking back) as of a time or at a version.
  app::StreamPoint at;
  auto as_of = AsOfOf(v);
  if (!as_of) return std::unexpected(as_of.error());
  at.as_of = *as_of;
  if (const std::string version = v.Param("version"); !version.empty()) {
    auto n = app::ParseWholeNumber("version", version, 1, 1'000'000'000);
    if (!n) return std::unexpected(n.error());
    at.version = *n;
  }
  auto view = v.app.Stream(v.who, stream, at);
  const bool past = !at.now();
  if ((!view && past && view.error().code == ErrorCode::kNotFound && at.as_of) ||
      (view && past && view->folded.version == 0)) {
    return std::unexpected(MakeError(ErrorCode::kNotFound,
                                     "This record was not yet recorded at the time asked (" +
                                         (at.as_of ? app::LondonTime(*at.as_of) : std::string("")) +
                                         "); it begins later."));
  }
  if (!view) return std::unexpected(view.error());
  const FoldedStream* folded = &view->folded;
  const auto state = folded->state->ToJson();
  const std::string network = folded->state->network_id();
  const std::string status = folded->state->state();
  auto network_folded = v.app.NetworkFolded(v.who, network, at.as_of);
  if (!network_folded) return std::unexpected(network_folded.error());
  const Records records(*network_folded);
  std::string title = records.Title(stream);
  if (title.empty()) title = Humanize(name->kind);
  if (name->kind == "assessment" || name->kind == "plan") {  // our words, not typed ones
    title[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(title[0])));
  }

  std::string live;
  const std::string headline =
      name->kind == "milestone" ? StatusBadge(MilestoneLook(status))
                                : "<span class=\"status\">" + Escape(Humanize(status)) + "</span>";
  live += fmt::format(
      "<p class=\"sub\">{} · {} of <a href=\"{}\">{}</a> · <a "
      "href=\"{}/history\">what happened, step by step</a></p>",
      headline, Escape(Humanize(name->kind)), NetworkHref(network), Escape(records.NetworkName()),
      StreamHref(stream));
  std::string facts;
  if (name->kind == "assessment") facts = AssessmentFacts(state);
  if (name->kind == "milestone") facts = MilestoneFacts(state, records);
  if (name->kind == "step") facts = StepFacts(state, records);
  if (name->kind == "plan") {
    auto events = v.app.History(v.who, stream);
    if (!events) return std::unexpected(events.error());
    facts = PlanFacts(state, std::string(name->id), records, *events);
  }
  live += "<section class=\"card\" aria-labelledby=\"facts-h\"><h2 id=\"facts-h\">About this " +
          Escape(std::string(name->kind)) + "</h2>" + facts + ForAuditors(stream, *folded, state) +
          "</section>";
  if (name->kind == "assessment") {
    live += AssessmentSection(v, records, stream, *folded, past ? nullptr : typed, past);
  }
  if (past) {  // as it stood: nothing to do in the past, nothing live
    const std::string when =
        at.as_of ? "As of " + app::LondonTime(*at.as_of)
                 : fmt::format("As it stood after its change number {}", folded->version);
    return Page{
        title,
        fmt::format("<h1>{}</h1>{}<div class=\"banner asof\" role=\"note\"><strong>{}"
                    "</strong> — this {} as it stood then, from its history. <a "
                    "href=\"{}\">Back to now</a></div>{}",
                    Escape(title), AsOfForm(v, StreamHref(stream), at.as_of, "it"), Escape(when),
                    Escape(std::string(name->kind)), StreamHref(stream), live)};
  }
  live += CommandForms(v, &records, stream, *folded, StreamHref(stream));

  if (v.Param("part") == "live") return Page{"", live, 200, true};
  const std::string body = fmt::format(
      "<h1>{}</h1>{}<p class=\"hint\" id=\"live-note\" role=\"status\"></p><div "
      "data-live=\"{}?part=live\" data-position=\"{}\">{}</div>",
      Escape(title), AsOfForm(v, StreamHref(stream), std::nullopt, "it"), StreamHref(stream),
      *position, live);
  return Page{title, body};
}

}  // namespace waymark::web
