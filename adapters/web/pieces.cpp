// The dashboard's shared pieces: links, statuses, JSON as HTML, and the
// forms for commands, generated from the workflows' own field declarations.

#include <fmt/format.h>

#include <boost/json/serialize.hpp>

#include "adapters/web/html.hpp"
#include "adapters/web/pages.hpp"
#include "core/secrets.hpp"
#include "core/stream_name.hpp"
#include "workflows/roles.hpp"

namespace waymark::web {

const Workflow* WorkflowOf(const std::vector<const Workflow*>& workflows, std::string_view kind) {
  for (const Workflow* w : workflows) {
    if (w->kind() == kind) return w;
  }
  return nullptr;
}

std::string StateBeforeFirstEvent(const Workflow& workflow) {
  return workflow.NewState("")->state();
}

std::string StreamHref(std::string_view stream) { return "/streams/" + UrlEncode(stream); }
std::string NetworkHref(std::string_view network_id) {
  return "/networks/" + UrlEncode(network_id);
}

std::string Str(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

StatusLook MilestoneLook(std::string_view status) {
  if (status == "overdue") return {"Overdue", Shape::kTriangle, "#d55e00"};
  if (status == "at_risk") return {"At risk", Shape::kDiamond, "#e69f00"};
  if (status == "evidence_submitted") return {"Awaiting verification", Shape::kSquare, "#cc79a7"};
  if (status == "achieved") return {"Achieved", Shape::kCircle, "#009e73"};
  if (status == "cancelled") return {"Cancelled", Shape::kCross, "#555555"};
  if (status == "in_progress") return {"In progress", Shape::kSquare, "#0072b2"};
  if (status == "planned") return {"Planned", Shape::kRing, "#0072b2"};
  return {Humanize(status), Shape::kRing, "#555555"};
}

std::string StatusBadge(const StatusLook& look) {
  return "<span class=\"status\">" + StatusIcon(look.shape, look.colour) + Escape(look.word) +
         "</span>";
}

std::string ValueHtml(const boost::json::value& value) {
  if (value.is_string()) return Escape(value.get_string());
  if (value.is_null()) return "<span class=\"hint\">none</span>";
  if (value.is_bool()) return value.get_bool() ? "yes" : "no";
  if (value.is_array()) {
    const auto& a = value.get_array();
    if (a.empty()) return "<span class=\"hint\">none</span>";
    std::string out = "<ul>";
    for (const auto& item : a) {
      const bool link = item.is_string() && (item.get_string().starts_with("https://") ||
                                             item.get_string().starts_with("http://"));
      out += "<li>" +
             (link ? "<a href=\"" + Escape(item.get_string()) + "\" rel=\"noopener noreferrer\">" +
                         Escape(item.get_string()) + "</a>"
                   : ValueHtml(item)) +
             "</li>";
    }
    return out + "</ul>";
  }
  if (value.is_object()) {
    const auto& o = value.get_object();
    if (o.empty()) return "<span class=\"hint\">none</span>";
    std::string out = "<dl class=\"facts\">";
    for (const auto& [k, v] : o) {
      // Field names read as words; ids used as keys (a plan's milestones) stay as they are.
      const bool field = k.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") == std::string::npos;
      out += "<dt>" + Escape(field ? Humanize(k) : std::string(k)) + "</dt><dd>" + ValueHtml(v) +
             "</dd>";
    }
    return out + "</dl>";
  }
  return Escape(boost::json::serialize(value));
}

namespace {

std::string FieldInput(const CommandField& f, const std::string& id, const std::string& prefill) {
  const std::string required = f.required ? " required" : "";
  const std::string name = Escape(f.name);
  if (f.kind == "choice") {
    std::string out = "<select id=\"" + id + "\" name=\"" + name + "\"" + required + ">";
    if (!f.required) out += "<option value=\"\">— none —</option>";
    for (const auto& c : f.choices) {
      out += "<option value=\"" + Escape(c) + "\">" + Escape(Humanize(c)) + "</option>";
    }
    return out + "</select>";
  }
  if (f.kind == "int") {
    return fmt::format(
        "<input id=\"{}\" name=\"{}\" type=\"number\" step=\"1\" min=\"{}\" max=\"{}\"{}>", id,
        name, f.min, f.max, required);
  }
  if (f.kind == "date") {
    return fmt::format("<input id=\"{}\" name=\"{}\" type=\"date\"{}>", id, name, required);
  }
  if (f.kind == "links") {
    return fmt::format("<textarea id=\"{}\" name=\"{}\" rows=\"3\"{}></textarea>", id, name,
                       required);
  }
  if (f.kind == "text" && f.max > 200) {
    return fmt::format("<textarea id=\"{}\" name=\"{}\" rows=\"3\" maxlength=\"{}\"{}></textarea>",
                       id, name, f.max, required);
  }
  const std::string extra =
      f.kind == "text"     ? fmt::format(" maxlength=\"{}\"", f.max)
      : f.kind == "pounds" ? std::string(" inputmode=\"decimal\" placeholder=\"1250.50\"")
      : f.kind == "instant"
          ? std::string(" placeholder=\"2026-11-28T12:00:00Z\"")
          : std::string(" pattern=\"[A-Za-z0-9_\\-]{1,64}\" spellcheck=\"false\"");
  return fmt::format("<input id=\"{}\" name=\"{}\" type=\"text\" value=\"{}\"{}{}>", id, name,
                     Escape(prefill), extra, required);
}

std::string Hint(const CommandField& f) {
  if (f.kind == "links") return "one http(s) address per line, up to 20";
  if (f.kind == "pounds") return "pounds, up to two decimals";
  if (f.kind == "id") return "letters, digits, _ and -";
  if (f.kind == "int") return fmt::format("{} to {}", f.min, f.max);
  if (f.kind == "text") return fmt::format("up to {} characters", f.max);
  return {};
}

std::string IdSafe(std::string_view s) {
  std::string out;
  for (char c : s) out.push_back(std::isalnum(static_cast<unsigned char>(c)) ? c : '-');
  return out;
}

// A command's fields as labelled inputs; `prefill` gives some a value.
std::string Fields(const CommandSpec& spec, const std::string& prefix,
                   const std::map<std::string, std::string>& prefill) {
  std::string fields;
  for (const auto& f : spec.fields) {
    const std::string id = "f-" + prefix + "-" + spec.command + "-" + IdSafe(f.name);
    const auto value = prefill.find(f.name);
    const std::string hint = Hint(f);
    fields += "<label for=\"" + id + "\">" + Escape(Humanize(f.name)) +
              (f.required ? "" : " <span class=\"hint\">(optional)</span>") +
              (hint.empty() ? "" : " <span class=\"hint\">— " + Escape(hint) + "</span>") +
              "</label>" + FieldInput(f, id, value == prefill.end() ? "" : value->second);
  }
  return fields;
}

}  // namespace

std::string BeginForms(const Visit& v, const std::vector<std::string>& kinds,
                       const std::map<std::string, std::string>& prefill,
                       const std::map<std::string, std::string>& suggested_ids,
                       const std::string& back) {
  std::string forms;
  for (const auto& kind : kinds) {
    if (const Workflow* w = WorkflowOf(v.app.workflows(), kind)) {
      const auto table = w->transitions();
      const std::string before = StateBeforeFirstEvent(*w);
      for (const auto& spec : w->commands()) {
        const bool begins = std::any_of(table.begin(), table.end(), [&](const Transition& t) {
          return t.from == before && t.command == spec.command;
        });
        if (!begins || !workflows::RoleMayIssue(v.who.actor.role, spec.command)) continue;
        const std::string prefix = "new-" + kind;
        const auto suggested = suggested_ids.find(kind);
        forms += fmt::format(
            "<details class=\"command\"><summary>{}</summary><form class=\"stack\" "
            "method=\"post\" action=\"/commands\"><input type=\"hidden\" name=\"_csrf\" "
            "value=\"{}\"><input type=\"hidden\" name=\"_kind\" value=\"{}\"><input "
            "type=\"hidden\" name=\"_type\" value=\"{}\"><input type=\"hidden\" "
            "name=\"_version\" value=\"0\"><input type=\"hidden\" name=\"_key\" "
            "value=\"{}\"><input type=\"hidden\" name=\"_back\" value=\"{}\"><label "
            "for=\"{}-id\">New {} id <span class=\"hint\">— letters, digits, _ and -; its "
            "stream is {}-&lt;id&gt;</span></label><input id=\"{}-id\" name=\"_id\" type=\"text\" "
            "required pattern=\"[A-Za-z0-9_\\-]{{1,64}}\" spellcheck=\"false\" value=\"{}\">{}"
            "<button type=\"submit\">{}</button></form></details>",
            Escape(Humanize(spec.command)), v.csrf, Escape(kind), Escape(spec.command),
            RandomHex(12), Escape(back), prefix, Escape(kind), Escape(kind), prefix,
            suggested == suggested_ids.end() ? "" : Escape(suggested->second),
            Fields(spec, prefix, prefill), Escape(Humanize(spec.command)));
      }
    }
  }
  if (forms.empty()) return {};
  return "<section class=\"card\" aria-labelledby=\"begin-h\"><h2 id=\"begin-h\">Start "
         "something new</h2>" +
         forms + "</section>";
}

std::string CommandForms(const Visit& v, const std::string& stream, const FoldedStream& folded,
                         const std::string& back, std::map<std::string, std::string> prefill) {
  if (folded.state) prefill["network_id"] = folded.state->network_id();
  auto name = ParseStreamName(stream);
  if (!name || !folded.state) return {};
  const Workflow* workflow = WorkflowOf(v.app.workflows(), name->kind);
  if (!workflow) return {};
  const auto specs = workflow->commands();
  std::string buttons, forms, notes;
  const Timestamp now = v.app.clock().Now();
  for (const auto& command : folded.state->AllowedCommands()) {
    if (!workflows::RoleMayIssue(v.who.actor.role, command)) continue;
    const auto spec = std::find_if(specs.begin(), specs.end(),
                                   [&](const CommandSpec& s) { return s.command == command; });
    if (spec == specs.end()) continue;
    const bool nothing_to_fill = std::none_of(spec->fields.begin(), spec->fields.end(),
                                              [](const CommandField& f) { return f.required; });
    if (nothing_to_fill) {
      // Offer it only if the stream would take it from this person now.
      CommandRequest trial;
      trial.stream = stream;
      trial.type = command;
      trial.actor = v.who.actor;
      auto decided = folded.state->Decide(trial, now);
      if (!decided && decided.error().code == ErrorCode::kNotAllowed) {
        notes += "<p class=\"hint\">" + Escape(Humanize(command)) +
                 " is not offered: " + Escape(decided.error().message) + "</p>";
        continue;
      }
    }
    const std::string hidden = fmt::format(
        "<input type=\"hidden\" name=\"_csrf\" value=\"{}\"><input type=\"hidden\" "
        "name=\"_stream\" value=\"{}\"><input type=\"hidden\" name=\"_type\" value=\"{}\"><input "
        "type=\"hidden\" name=\"_version\" value=\"{}\"><input type=\"hidden\" name=\"_key\" "
        "value=\"{}\"><input type=\"hidden\" name=\"_back\" value=\"{}\">",
        v.csrf, Escape(stream), Escape(command), folded.version, RandomHex(12), Escape(back));
    if (spec->fields.empty()) {
      buttons += "<form class=\"inline\" method=\"post\" action=\"/commands\">" + hidden +
                 "<button type=\"submit\">" + Escape(Humanize(command)) + "</button></form>";
      continue;
    }
    forms += "<details class=\"command\"><summary>" + Escape(Humanize(command)) +
             "</summary><form class=\"stack\" method=\"post\" action=\"/commands\">" + hidden +
             Fields(*spec, IdSafe(stream), prefill) + "<button type=\"submit\">" +
             Escape(Humanize(command)) + "</button></form></details>";
  }
  if (buttons.empty() && forms.empty() && notes.empty()) return {};
  return "<section class=\"card\" aria-labelledby=\"do-" + IdSafe(stream) + "\"><h2 id=\"do-" +
         IdSafe(stream) + "\">What you can do</h2>" +
         (buttons.empty() ? "" : "<div class=\"actions\">" + buttons + "</div>") + forms + notes +
         "</section>";
}

}  // namespace waymark::web
