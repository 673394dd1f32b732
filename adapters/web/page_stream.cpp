// A stream's page (assessment, plan, milestone, step): its state, what this
// person may do with it now, and the way to its history.

#include <fmt/format.h>

#include <boost/json/serialize.hpp>

#include "adapters/web/html.hpp"
#include "adapters/web/pages.hpp"
#include "core/stream_name.hpp"
#include "workflows/assessment/assessment_workflow.hpp"

namespace waymark::web {
namespace {

std::string AssessmentScores(const boost::json::object& s) {
  const auto object = [&](std::string_view key) -> const boost::json::object* {
    const auto* v = s.if_contains(key);
    return v && v->is_object() ? &v->get_object() : nullptr;
  };
  const auto* scores = object("scores");
  const auto* moderated = object("moderated");
  std::string rows;
  for (const auto& d : workflows::kDimensions) {
    const boost::json::object* self = nullptr;
    const boost::json::object* mod = nullptr;
    if (scores && scores->contains(d) && scores->at(d).is_object())
      self = &scores->at(d).get_object();
    if (moderated && moderated->contains(d) && moderated->at(d).is_object()) {
      mod = &moderated->at(d).get_object();
    }
    const auto num = [](const boost::json::object* o) {
      return o && o->contains("score") ? boost::json::serialize(o->at("score"))
                                       : std::string("<span class=\"hint\">—</span>");
    };
    rows += fmt::format(
        "<tr><th scope=\"row\">{}</th><td class=\"num\">{}</td><td>{}</td><td>{}</td><td "
        "class=\"num\">{}</td><td>{}</td></tr>",
        Escape(Humanize(d)), num(self), self ? Escape(Str(*self, "note")) : "",
        self && self->contains("evidence") ? ValueHtml(self->at("evidence")) : "", num(mod),
        mod ? Escape(Str(*mod, "reason")) + " <span class=\"hint\">(" +
                  Escape(Str(*mod, "moderated_by")) + ")</span>"
            : "");
  }
  return "<table><caption>Scores out of 5, with notes, evidence and moderation</caption><thead><tr>"
         "<th scope=\"col\">Dimension</th><th scope=\"col\" class=\"num\">Self</th><th "
         "scope=\"col\">Note</th><th scope=\"col\">Evidence</th><th scope=\"col\" "
         "class=\"num\">Moderated</th><th scope=\"col\">Why moderated</th></tr></thead><tbody>" +
         rows + "</tbody></table>";
}

}  // namespace

PageResult StreamPage(const Visit& v, const std::string& stream) {
  auto name = ParseStreamName(stream);
  if (!name) return std::unexpected(name.error());
  auto position = v.app.Position();
  if (!position) return std::unexpected(position.error());
  auto view = v.app.Stream(v.who, stream);
  if (!view) return std::unexpected(view.error());
  const FoldedStream* folded = &view->folded;
  const auto state = folded->state->ToJson();
  const std::string network = folded->state->network_id();
  const std::string status = folded->state->state();
  const std::string title = Humanize(name->kind) + " " + std::string(name->id);

  std::string live;
  const std::string headline =
      name->kind == "milestone" ? StatusBadge(MilestoneLook(status))
                                : "<span class=\"status\">" + Escape(Humanize(status)) + "</span>";
  live += fmt::format(
      "<p class=\"sub\">{} · version {} · network <a href=\"{}\">{}</a> · <a "
      "href=\"{}/history\">history</a></p>",
      headline, folded->version, NetworkHref(network), Escape(network), StreamHref(stream));
  boost::json::object facts;  // what the state holds (an empty text is nothing to show)
  for (const auto& [key, value] : state) {
    if (key == "state" || (value.is_string() && value.get_string().empty())) continue;
    facts.emplace(key, value);
  }
  if (name->kind == "assessment") {
    facts.erase("scores");
    facts.erase("moderated");
    live +=
        "<section class=\"card\" aria-labelledby=\"scores-h\"><h2 "
        "id=\"scores-h\">Scores</h2>" +
        AssessmentScores(state) + "</section>";
  }
  live += "<section class=\"card\" aria-labelledby=\"facts-h\"><h2 id=\"facts-h\">Details</h2>" +
          ValueHtml(facts) + "</section>";
  live += CommandForms(v, stream, *folded, StreamHref(stream));

  if (v.Param("part") == "live") return Page{"", live, 200, true};
  const std::string body = fmt::format(
      "<h1>{}{}</h1><p class=\"hint\" id=\"live-note\" role=\"status\"></p><div "
      "data-live=\"{}?part=live\" data-position=\"{}\">{}</div>",
      Escape(title),
      name->kind == "milestone" && !Str(state, "title").empty() ? ": " + Escape(Str(state, "title"))
                                                                : "",
      StreamHref(stream), *position, live);
  return Page{title, body};
}

}  // namespace waymark::web
