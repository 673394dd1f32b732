// An assessment on one page: the ten dimensions, each with what it asks and
// what each score means, the previous round beside it; scored (by the
// network) or moderated (by the officer) in one form whose dimensions save
// one at a time or all together, everything typed kept on a refusal.

#include <fmt/format.h>

#include <boost/json/serialize.hpp>

#include "adapters/web/forms.hpp"
#include "adapters/web/html.hpp"
#include "adapters/web/pages.hpp"
#include "adapters/web/records.hpp"
#include "core/secrets.hpp"
#include "core/stream_name.hpp"
#include "workflows/assessment/assessment_workflow.hpp"
#include "workflows/roles.hpp"

namespace waymark::web {
namespace {

constexpr std::string_view kScore = "ScoreDimension";
constexpr std::string_view kModerate = "ModerateScore";

// A dimension's entry of scores or moderated ({score, note|reason, ...}), or null.
const boost::json::object* Entry(const boost::json::object& state, std::string_view which,
                                 std::string_view dimension) {
  const auto& all = Obj(state, which);
  const auto* e = all.if_contains(dimension);
  return e && e->is_object() ? &e->get_object() : nullptr;
}

std::string ScoreOf(const boost::json::object* entry) {
  if (!entry) return {};
  const auto* s = entry->if_contains("score");
  return s && s->is_int64() ? std::to_string(s->get_int64()) : std::string();
}

std::string LinesOf(const boost::json::object* entry, std::string_view key) {
  std::string out;
  if (!entry) return out;
  const auto* v = entry->if_contains(key);
  if (!v || !v->is_array()) return out;
  for (const auto& line : v->get_array()) {
    if (line.is_string()) out += (out.empty() ? "" : "\n") + std::string(line.get_string());
  }
  return out;
}

// The approved assessment of the same network before this one, or null.
const FoldedNetworkStream* PreviousRound(const Records& records, std::string_view stream) {
  const FoldedNetworkStream* previous = nullptr;
  for (const auto& s : records.network().streams) {
    if (s.stream == stream) break;
    if (s.kind == "assessment" && s.folded.state->state() == "approved") previous = &s;
  }
  return previous;
}

// "Last round (2026 spring): 2 — “note”", or "".
std::string PreviousLine(const FoldedNetworkStream* previous, std::string_view dimension) {
  if (!previous) return {};
  const auto state = previous->folded.state->ToJson();
  const auto* moderated = Entry(state, "moderated", dimension);
  const auto* self = Entry(state, "scores", dimension);
  const std::string counted = moderated ? ScoreOf(moderated) : ScoreOf(self);
  if (counted.empty()) return {};
  const std::string note = self ? Str(*self, "note") : std::string();
  return "<p class=\"previous\">Last round (" + Escape(Str(state, "period")) + "): <strong>" +
         counted + "</strong>" + (note.empty() ? "" : " — “" + Escape(note) + "”") + "</p>";
}

std::size_t Scored(const boost::json::object& state) { return Obj(state, "scores").size(); }

// The typed value of `name`, else the saved one.
std::string ValueOf(const ScoresTyped* typed, const std::string& name, std::string saved) {
  if (typed) {
    const auto it = typed->values.find(name);
    if (it != typed->values.end()) return it->second;
  }
  return saved;
}

// One dimension's part of the form: the scale with its guide, the previous
// round, the note (or the moderation's reason) and its own save button.
std::string DimensionFieldset(std::string_view command, std::string_view dimension,
                              const boost::json::object& state, const FoldedNetworkStream* previous,
                              const ScoresTyped* typed) {
  const std::string d(dimension);
  const auto guide = app::GuideOf(dimension);
  const bool moderating = command == kModerate;
  const auto* self = Entry(state, "scores", dimension);
  const auto* moderated = Entry(state, "moderated", dimension);
  const auto* saved = moderating ? moderated : self;
  const std::string label = Humanize(dimension);
  const std::string chosen = ValueOf(typed, "score." + d, ScoreOf(saved));
  const bool wrong = typed && typed->dimension == d && !typed->error.empty();
  std::string out = "<fieldset class=\"dimension\" id=\"d-" + d + "\"" +
                    (wrong ? " aria-describedby=\"d-" + d + "-error\"" : "") + "><legend>" +
                    Escape(label) + " <span class=\"hint\">— " +
                    (saved ? (moderating ? "moderated " : "scored ") + ScoreOf(saved)
                           : std::string(moderating ? "not moderated" : "not scored yet")) +
                    "</span></legend>";
  if (guide) out += "<p class=\"asks\">" + Escape(guide->asks) + "</p>";
  if (wrong) {
    out += "<p class=\"field-error\" id=\"d-" + d + "-error\" role=\"alert\">" +
           Escape(MessageInWords(typed->error)) + "</p>";
  }
  if (moderating && self) {
    out += "<p class=\"self\">The network's score: <strong>" + ScoreOf(self) + "</strong>" +
           (Str(*self, "note").empty() ? "" : " — “" + Escape(Str(*self, "note")) + "”") + "</p>";
  }
  out += PreviousLine(previous, dimension);
  out += "<fieldset class=\"scale\"><legend class=\"visually-hidden\">" +
         Escape((moderating ? "Moderated score for " : "Score for ") + label) + "</legend>";
  for (int n = 1; n <= 5; ++n) {
    const std::string value = std::to_string(n);
    out += fmt::format(
        "<label><input type=\"radio\" name=\"score.{}\" value=\"{}\"{}> <strong>{}</strong> "
        "<span>{}</span></label>",
        d, n, chosen == value ? " checked" : "", n,
        guide ? Escape(guide->levels[n - 1]) : std::string());
  }
  out += "</fieldset>";
  const std::string text_name = (moderating ? "reason." : "note.") + d;
  const std::string text =
      ValueOf(typed, text_name, saved ? Str(*saved, moderating ? "reason" : "note") : "");
  out += fmt::format(
      "<label for=\"t-{0}\">{1}</label><textarea id=\"t-{0}\" name=\"{2}\" rows=\"2\" "
      "maxlength=\"{3}\">{4}</textarea>",
      d, moderating ? "Why the score differs" : "What the score rests on", text_name,
      moderating ? 1000 : 2000, Escape(text));
  if (!moderating) {
    out += fmt::format(
        "<label for=\"e-{0}\">Evidence <span class=\"hint\">(optional) — one web address "
        "(https://…) per line</span></label><textarea id=\"e-{0}\" name=\"evidence.{0}\" "
        "rows=\"1\">{1}</textarea>",
        d, Escape(ValueOf(typed, "evidence." + d, LinesOf(self, "evidence"))));
  }
  out += "<button type=\"submit\" class=\"secondary\" name=\"_only\" value=\"" + d + "\">Save " +
         Escape(ToLowerFirst(label)) + "</button></fieldset>";
  return out;
}

// The scores as they stand, with the moderation and the previous round beside them.
std::string ScoresTable(const boost::json::object& state, const FoldedNetworkStream* previous) {
  const auto prior = previous ? previous->folded.state->ToJson() : boost::json::object{};
  std::string rows;
  for (const auto& d : workflows::kDimensions) {
    const auto* self = Entry(state, "scores", d);
    const auto* mod = Entry(state, "moderated", d);
    const auto none = std::string("<span class=\"hint\">—</span>");
    std::string before;
    if (previous) {
      const auto* pm = Entry(prior, "moderated", d);
      const std::string counted = pm ? ScoreOf(pm) : ScoreOf(Entry(prior, "scores", d));
      before = "<td class=\"num\">" + (counted.empty() ? none : counted) + "</td>";
    }
    rows += fmt::format(
        "<tr><th scope=\"row\">{}</th><td class=\"num\">{}</td><td>{}</td><td>{}</td><td "
        "class=\"num\">{}</td><td>{}</td>{}</tr>",
        Escape(Humanize(d)), self ? ScoreOf(self) : none, self ? Escape(Str(*self, "note")) : "",
        self && self->contains("evidence") ? ValueHtml(self->at("evidence")) : "",
        mod ? ScoreOf(mod) : none,
        mod ? Escape(Str(*mod, "reason")) + " <span class=\"hint\">(" +
                  Escape(Str(*mod, "moderated_by")) + ")</span>"
            : "",
        before);
  }
  return "<table><caption>Scores out of 5, with notes, evidence and moderation</caption><thead><tr>"
         "<th scope=\"col\">Dimension</th><th scope=\"col\" class=\"num\">Self</th><th "
         "scope=\"col\">Note</th><th scope=\"col\">Evidence</th><th scope=\"col\" "
         "class=\"num\">Moderated</th><th scope=\"col\">Why moderated</th>" +
         std::string(previous ? "<th scope=\"col\" class=\"num\">" +
                                    Escape("Last round (" +
                                           Str(previous->folded.state->ToJson(), "period") + ")") +
                                    "</th>"
                              : "") +
         "</tr></thead><tbody>" + rows + "</tbody></table>";
}

}  // namespace

std::string ToLowerFirst(std::string text) {
  if (!text.empty()) text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  return text;
}

bool ScoredOnItsPage(std::string_view command) { return command == kScore || command == kModerate; }

std::string AssessmentSection(const Visit& v, const Records& records, const std::string& stream,
                              const FoldedStream& folded, const ScoresTyped* typed, bool past) {
  const auto state = folded.state->ToJson();
  const auto* previous = PreviousRound(records, stream);
  const auto allowed = folded.state->AllowedCommands();
  std::string command;
  for (const auto c : {kScore, kModerate}) {
    if (past) break;  // nothing to do in the past
    if (std::find(allowed.begin(), allowed.end(), c) != allowed.end() &&
        workflows::RoleMayIssue(v.who.actor.role, c)) {
      command = c;
    }
  }
  const std::string count =
      fmt::format("{} of {} scored", Scored(state), workflows::kDimensions.size());
  if (command.empty()) {
    return "<section class=\"card\" aria-labelledby=\"scores-h\"><h2 id=\"scores-h\">Scores "
           "<span class=\"hint\">— " +
           count + "</span></h2>" + ScoresTable(state, previous) + "</section>";
  }
  std::string fieldsets;
  for (const auto& d : workflows::kDimensions) {
    fieldsets += DimensionFieldset(command, d, state, previous, typed);
  }
  const bool moderating = command == kModerate;
  return fmt::format(
      "<section class=\"card\" aria-labelledby=\"scores-h\"><h2 id=\"scores-h\">{} <span "
      "class=\"hint\" id=\"scored\">— {}</span></h2><p>{}</p><form class=\"scores\" "
      "method=\"post\" action=\"/scores\"><input type=\"hidden\" name=\"_csrf\" "
      "value=\"{}\"><input "
      "type=\"hidden\" name=\"_stream\" value=\"{}\"><input type=\"hidden\" name=\"_type\" "
      "value=\"{}\"><input type=\"hidden\" name=\"_version\" value=\"{}\"><input type=\"hidden\" "
      "name=\"_key\" value=\"{}\">{}<div class=\"actions\"><button type=\"submit\" name=\"_only\" "
      "value=\"\">{}</button></div></form></section>",
      moderating ? "Moderate the scores" : "Score each dimension", count,
      moderating ? "Where the evidence shows a different score from the network's own, choose it "
                   "and say why; the moderated score is the one that counts."
                 : "Choose the score that fits best and say what it rests on. Save a dimension "
                   "at a time, or all you have scored at once; nothing is sent for approval "
                   "until you submit.",
      v.csrf, Escape(stream), command, folded.version, RandomHex(12), fieldsets,
      moderating ? "Save all moderated scores" : "Save all scores");
}

std::string ScoresSummary(const boost::json::object& state) {
  std::string items;
  for (const auto& d : workflows::kDimensions) {
    const auto* self = Entry(state, "scores", d);
    items += "<li>" + Escape(Humanize(d)) + ": " +
             (self ? "<strong>" + ScoreOf(self) + "</strong>"
                   : std::string("<span class=\"hint\">not scored</span>")) +
             "</li>";
  }
  return fmt::format("<p>{} of {} dimensions scored:</p><ul class=\"summary\">{}</ul>",
                     Scored(state), workflows::kDimensions.size(), items);
}

std::expected<std::string, ScoresRefusal> PostScores(const Visit& v,
                                                     std::map<std::string, std::string>& form,
                                                     std::string_view request_id) {
  const std::string stream = form["_stream"];
  const std::string type = form["_type"];
  const std::string only = form["_only"];
  ScoresTyped typed;
  for (const auto& [name, value] : form) {
    if (!name.starts_with('_')) typed.values[name] = value;
  }
  const auto refuse = [&](std::string dimension, Error e) {
    typed.dimension = std::move(dimension);
    typed.error = e.message;
    return std::unexpected(ScoresRefusal{stream, std::move(typed), std::move(e)});
  };
  auto name = ParseStreamName(stream);
  if (!name || name->kind != "assessment" || !ScoredOnItsPage(type)) {
    return refuse("", MakeError(ErrorCode::kValidation,
                                "this form scores or moderates an assessment; reload its page"));
  }
  auto version = app::ParseWholeNumber("_version", form["_version"], 0, 1'000'000'000);
  if (!version) return refuse("", version.error());
  auto view = v.app.Stream(v.who, stream);
  if (!view) return refuse("", view.error());
  const auto state = view->folded.state->ToJson();
  const bool moderating = type == kModerate;
  const std::string text_key = moderating ? "reason" : "note";

  // The dimensions to save: the one asked, or each with a score chosen that
  // differs from what is saved; every one checked before any is sent.
  std::vector<CommandRequest> commands;
  for (const auto& d : workflows::kDimensions) {
    const std::string dim(d);
    if (!only.empty() && only != dim) continue;
    const std::string score = typed.values["score." + dim];
    const std::string text = typed.values[text_key + "." + dim];
    const std::string evidence = typed.values["evidence." + dim];
    const auto* saved = Entry(state, moderating ? "moderated" : "scores", d);
    if (score.empty()) {
      if (!only.empty()) {
        return refuse(dim, MakeError(ErrorCode::kValidation,
                                     "choose a score from 1 to 5 for " + Humanize(d)));
      }
      continue;
    }
    const bool changed = !saved || ScoreOf(saved) != score || Str(*saved, text_key) != text ||
                         (!moderating && LinesOf(saved, "evidence") != evidence);
    if (!changed && only.empty()) continue;
    auto n = app::ParseWholeNumber("score", score, 1, 5);
    if (!n) return refuse(dim, n.error());
    if (text.empty()) {
      return refuse(
          dim, MakeError(ErrorCode::kValidation, moderating ? "say why the moderated score differs"
                                                            : "say what the score rests on"));
    }
    CommandRequest c;
    c.stream = stream;
    c.type = type;
    c.data = {{"dimension", dim}, {"score", *n}, {text_key, text}};
    if (!moderating) c.data["evidence"] = NonEmptyLines(evidence);
    commands.push_back(std::move(c));
  }
  if (commands.empty()) {
    return refuse("", MakeError(ErrorCode::kValidation,
                                "nothing new to save: choose a score for a dimension first"));
  }
  std::int64_t expected = *version;
  std::string last;
  for (auto& c : commands) {
    const std::string dim(c.data.at("dimension").as_string());
    c.expected_version = expected;
    c.idempotency_key = form["_key"].empty() ? "" : form["_key"] + "-" + dim;
    auto done = v.app.Issue(v.who, c, request_id);
    if (!done) {
      Error e = done.error();
      if (e.code == ErrorCode::kConflict) {
        e.message = "Someone changed this assessment since you opened the page: " +
                    ToLowerFirst(Humanize(dim)) +
                    " was not saved. Your scores are kept below; check them and save again.";
      }
      return refuse(dim, std::move(e));
    }
    expected = done->last_version;
    last = dim;
  }
  return StreamHref(stream) + "?done=" + UrlEncode(type) + (only.empty() ? "" : "#d-" + last);
}

}  // namespace waymark::web
