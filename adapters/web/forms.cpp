// The forms that issue commands (see forms.hpp), and the pages that confirm
// one or offer it again after a refusal.

#include "adapters/web/forms.hpp"

#include <fmt/format.h>

#include "adapters/http/problem.hpp"
#include "adapters/web/html.hpp"
#include "core/secrets.hpp"
#include "core/stream_name.hpp"
#include "core/time.hpp"
#include "workflows/roles.hpp"

namespace waymark::web {
namespace {

// A field's label: its name in words, a reference without its "id"
// ("plan_id" → "Plan").
std::string LabelOfField(std::string_view name) {
  if (name.ends_with("_id")) name.remove_suffix(3);
  return Humanize(name);
}

std::string ToLower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string IdSafe(std::string_view s) {
  std::string out;
  for (char c : s) out.push_back(std::isalnum(static_cast<unsigned char>(c)) ? c : '-');
  return out;
}

std::string Hint(const CommandField& f) {
  if (f.kind == "links") return "one web address (https://…) per line, up to 20";
  if (f.kind == "pounds") return "pounds and pence, e.g. 1250.50";
  if (f.kind == "int") return fmt::format("{} to {}", f.min, f.max);
  if (f.kind == "text") return fmt::format("up to {} characters", f.max);
  if (f.kind == "instant") return "a date and time, e.g. 2026-11-28T12:00:00Z";
  return {};
}

std::string Options(const std::vector<Choice>& choices, const std::string& selected,
                    bool placeholder, std::string_view none) {
  std::string out;
  if (placeholder) out += "<option value=\"\">" + Escape(none) + "</option>";
  for (const auto& c : choices) {
    out += "<option value=\"" + Escape(c.value) + "\"" + (c.value == selected ? " selected" : "") +
           ">" + Escape(c.label) + "</option>";
  }
  return out;
}

// One field's input, filled with `value`.
std::string FieldInput(const CommandField& f, const std::string& id, const std::string& value,
                       const Records* records, const FormModel& m, const std::string& extra) {
  const std::string required = f.required ? " required" : "";
  const std::string name = Escape(f.name);
  const std::string attrs = " id=\"" + id + "\" name=\"" + name + "\"" + required + extra;
  if (f.kind == "choice") {
    std::vector<Choice> choices;
    for (const auto& c : f.choices) choices.push_back({c, Humanize(c)});
    return "<select" + attrs + ">" +
           Options(choices, value, !f.required || value.empty(),
                   f.required ? "— choose —" : "— none —") +
           "</select>";
  }
  if (f.kind == "id" && records) {
    const auto choices = records->ChoicesFor(f.name, m.plan_id);
    const std::string chosen = !value.empty()                      ? value
                               : f.required && choices.size() == 1 ? choices.front().value
                                                                   : std::string();
    return "<select" + attrs + ">" +
           Options(choices, chosen, !f.required || chosen.empty(),
                   f.required ? "— choose —" : "— none —") +
           "</select>";
  }
  if (f.kind == "int") {
    return fmt::format("<input{} type=\"number\" step=\"1\" min=\"{}\" max=\"{}\" value=\"{}\">",
                       attrs, f.min, f.max, Escape(value));
  }
  if (f.kind == "date") {
    const auto floor = m.floor.find(f.name);
    return fmt::format("<input{} type=\"date\"{} value=\"{}\">", attrs,
                       floor == m.floor.end() ? "" : " min=\"" + Escape(floor->second) + "\"",
                       Escape(value));
  }
  if (f.kind == "links" || (f.kind == "text" && f.max > 200)) {
    return fmt::format("<textarea{} rows=\"3\"{}>{}</textarea>", attrs,
                       f.kind == "text" ? fmt::format(" maxlength=\"{}\"", f.max) : "",
                       Escape(value));
  }
  const std::string kind_attrs =
      f.kind == "text"     ? fmt::format(" maxlength=\"{}\"", f.max)
      : f.kind == "pounds" ? std::string(" inputmode=\"decimal\"")
      : f.kind == "id"     ? std::string(" pattern=\"[A-Za-z0-9_\\-]{1,64}\" spellcheck=\"false\"")
                           : std::string();
  return fmt::format("<input{} type=\"text\" value=\"{}\"{}>", attrs, Escape(value), kind_attrs);
}

// The command's fields: fixed ones hidden (a reference named in words),
// the rest as labelled inputs with their value and any reason beside them.
std::string Fields(const Visit& v, const Records* records, const FormModel& m,
                   const std::string& prefix) {
  std::string out;
  for (const auto& f : m.spec.fields) {
    if (const auto fixed = m.fixed.find(f.name); fixed != m.fixed.end()) {
      out += "<input type=\"hidden\" name=\"" + Escape(f.name) + "\" value=\"" +
             Escape(fixed->second) + "\">";
      if (f.name == "plan_id" && records) {
        out += "<p class=\"fixed\"><span class=\"label\">Plan</span> " +
               Escape(records->Title("plan-" + fixed->second)) + "</p>";
      }
      continue;
    }
    if (f.kind == "id" && f.name == "network_id") continue;  // the page's network, below
    const std::string id = "f-" + prefix + "-" + IdSafe(f.name);
    const auto value = m.values.find(f.name);
    const std::string typed = value == m.values.end() ? std::string() : value->second;
    const bool wrong = m.error_field == f.name && !m.error.empty();
    const std::string error_id = id + "-error";
    const std::string hint = Hint(f);
    const bool new_id = NamesNewRecord(m.spec.command, f.name);
    std::string label = "<label for=\"" + id + "\">" +
                        Escape(new_id ? std::string("Short name") : LabelOfField(f.name)) +
                        (f.required && !new_id ? "" : " <span class=\"hint\">(optional)</span>") +
                        (hint.empty() || (f.kind == "text" && f.max <= 200)
                             ? ""
                             : " <span class=\"hint\">— " + Escape(hint) + "</span>") +
                        "</label>";
    std::string input =
        FieldInput(new_id ? CommandField{f.name, "id", false, 0, 0, {}, false} : f, id, typed,
                   new_id ? nullptr : records, m,
                   wrong ? " aria-invalid=\"true\" aria-describedby=\"" + error_id + "\"" : "");
    std::string error = wrong ? "<p class=\"field-error\" id=\"" + error_id + "\">" +
                                    Escape(MessageInWords(m.error, records)) + "</p>"
                              : "";
    if (new_id) {
      out += "<details class=\"more\"" + std::string(typed.empty() ? "" : " open") +
             "><summary>Short name <span class=\"hint\">(made from the description unless you "
             "choose one)</span></summary>" +
             label + error + input + "</details>";
    } else {
      out += label + error + input;
    }
  }
  if (records && !m.fixed.contains("network_id") &&
      std::any_of(m.spec.fields.begin(), m.spec.fields.end(),
                  [](const CommandField& f) { return f.name == "network_id"; })) {
    out += "<input type=\"hidden\" name=\"network_id\" value=\"" + Escape(records->network_id()) +
           "\">";
  }
  (void)v;
  return out;
}

std::string Hidden(const Visit& v, const FormModel& m) {
  std::string out = fmt::format(
      "<input type=\"hidden\" name=\"_csrf\" value=\"{}\"><input type=\"hidden\" name=\"_type\" "
      "value=\"{}\"><input type=\"hidden\" name=\"_version\" value=\"{}\"><input type=\"hidden\" "
      "name=\"_key\" value=\"{}\"><input type=\"hidden\" name=\"_back\" value=\"{}\">",
      v.csrf, Escape(m.spec.command), m.version, Escape(m.key.empty() ? RandomHex(12) : m.key),
      Escape(m.back));
  if (m.stream.empty()) {
    out += "<input type=\"hidden\" name=\"_kind\" value=\"" + Escape(m.kind) + "\">";
  } else {
    out += "<input type=\"hidden\" name=\"_stream\" value=\"" + Escape(m.stream) + "\">";
  }
  return out;
}

// Where a new record's id is chosen, for those who want to: left empty, it
// is made from the title.
std::string NewIdField(const FormModel& m, const std::string& prefix) {
  if (!m.stream.empty()) return {};
  const bool wrong = m.error_field == "_id" && !m.error.empty();
  return fmt::format(
      "<details class=\"more\"{}><summary>Web address <span class=\"hint\">(made from the "
      "title unless you choose one)</span></summary><label for=\"{}-id\">Short name for its "
      "address <span class=\"hint\">— letters, digits and -</span></label>{}<input "
      "id=\"{}-id\" name=\"_id\" type=\"text\" pattern=\"[A-Za-z0-9_\\-]{{1,64}}\" "
      "spellcheck=\"false\" value=\"{}\"{}></details>",
      m.id.empty() && !wrong ? "" : " open", prefix,
      wrong ? "<p class=\"field-error\" id=\"" + prefix + "-id-error\">" +
                  Escape(MessageInWords(m.error)) + "</p>"
            : "",
      prefix, Escape(m.id),
      wrong ? " aria-invalid=\"true\" aria-describedby=\"" + prefix + "-id-error\"" : "");
}

std::string Capitalised(std::string text) {
  if (!text.empty()) text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
  return text;
}

// The first of the command's fields a refusal names in words ("the new due
// date must be after ..." names "due"), or "".
std::string FieldNamedIn(const CommandSpec& spec, std::string_view message) {
  for (const auto& f : spec.fields) {
    std::string words = ToLower(LabelOfField(f.name));
    for (std::size_t at = message.find(words); at != std::string_view::npos;
         at = message.find(words, at + 1)) {
      const bool starts = at == 0 || !std::isalnum(static_cast<unsigned char>(message[at - 1]));
      const std::size_t end = at + words.size();
      const bool ends =
          end == message.size() || !std::isalnum(static_cast<unsigned char>(message[end]));
      if (starts && ends) return f.name;
    }
  }
  return {};
}

// The record a form acts on, in words: "the 2026 spring assessment".
std::string RecordInWords(const Records* records, const FormModel& m) {
  if (m.stream.empty()) return "a new " + Humanize(m.kind);
  const std::string title = records ? records->Title(m.stream) : std::string();
  if (title.empty()) return "this " + Humanize(m.kind);
  return m.kind == "network" ? title : "“" + title + "”";
}

std::string TypedSummary(const Records* records, const FormModel& m) {
  std::string rows;
  const auto row = [&](std::string_view term, const std::string& shown) {
    rows += "<dt>" + Escape(term) + "</dt><dd class=\"typed\">" + Escape(shown) + "</dd>";
  };
  if (!m.stream.empty() && records && !records->Title(m.stream).empty() && m.kind != "network") {
    row(Humanize(m.kind), records->Title(m.stream));
  }
  if (records && !records->NetworkName().empty()) row("Network", records->NetworkName());
  for (const auto& f : m.spec.fields) {
    const auto value = m.values.find(f.name);
    if (value == m.values.end() || value->second.empty()) continue;
    std::string shown = value->second;
    if (f.kind == "choice") shown = Humanize(shown);
    if (f.kind == "date") shown = app::LongDate(shown);
    if (f.kind == "id" && records) {
      for (const auto& c : records->ChoicesFor(f.name, m.plan_id)) {
        if (c.value == value->second) shown = c.label;
      }
    }
    row(LabelOfField(f.name), shown);
  }
  return rows.empty() ? std::string() : "<dl class=\"facts\">" + rows + "</dl>";
}

// Everything posted, sent again (the confirmation's and the edit's forms).
std::string Resent(const Visit& v, const FormModel& m) {
  std::string out = Hidden(v, m);
  if (!m.id.empty()) out += "<input type=\"hidden\" name=\"_id\" value=\"" + Escape(m.id) + "\">";
  for (const auto& [name, value] : m.values) {
    out += "<input type=\"hidden\" name=\"" + Escape(name) + "\" value=\"" + Escape(value) + "\">";
  }
  for (const auto& [name, value] : m.fixed) {
    if (m.values.contains(name)) continue;
    out += "<input type=\"hidden\" name=\"" + Escape(name) + "\" value=\"" + Escape(value) + "\">";
  }
  return out;
}

}  // namespace

bool NamesNewRecord(std::string_view command, std::string_view field) {
  return command == "AddAction" && field == "action_id";
}

bool NeedsConfirmation(std::string_view command) {
  static constexpr std::string_view kFinal[] = {"Submit",   "Approve", "Agree", "Verify",
                                                "Cancel",   "Abandon", "Close", "Complete",
                                                "Withdraw", "Drop"};
  for (auto prefix : kFinal) {
    if (command.starts_with(prefix)) return true;
  }
  return false;
}

std::string FieldOfMessage(std::string_view message) {
  constexpr std::string_view kLead = "field '";
  const auto at = message.find(kLead);
  if (at == std::string_view::npos) return {};
  const auto end = message.find('\'', at + kLead.size());
  if (end == std::string_view::npos) return {};
  return std::string(message.substr(at + kLead.size(), end - at - kLead.size()));
}

std::string MessageInWords(std::string_view message, const Records* records) {
  // "ScoreDimension: " or "ScoreDimension refused: " says what the page already does.
  for (std::string_view lead : {std::string_view(": "), std::string_view(" refused: ")}) {
    const auto at = message.find(lead);
    const auto name = message.substr(0, at == std::string_view::npos ? 0 : at);
    if (name.size() > 2 && std::isupper(static_cast<unsigned char>(name[0])) &&
        std::all_of(name.begin(), name.end(),
                    [](char c) { return std::isalpha(static_cast<unsigned char>(c)); })) {
      message.remove_prefix(at + lead.size());
      break;
    }
  }
  std::string out(message);
  const std::string field = FieldOfMessage(message);
  if (field.empty()) return records ? records->InWords(out) : out;
  const std::string quoted = "field '" + field + "'";
  const auto at = out.find(quoted);
  out.replace(at, quoted.size(), LabelOfField(field));
  if (at == 0 && !out.empty()) out[0] = static_cast<char>(std::toupper(out[0]));
  return records ? records->InWords(out) : out;
}

std::string FormHtml(const Visit& v, const Records* records, const FormModel& m, bool open) {
  const std::string prefix =
      IdSafe(m.stream.empty() ? "new-" + m.kind : m.stream) + "-" + IdSafe(m.spec.command);
  const std::string label = Humanize(m.spec.command);
  const bool any_field =
      std::any_of(m.spec.fields.begin(), m.spec.fields.end(), [&](const CommandField& f) {
        return !m.fixed.contains(f.name) && !(f.kind == "id" && f.name == "network_id");
      });
  std::string top;
  if (!m.error.empty() && m.error_field.empty()) {
    top = "<p class=\"field-error\" role=\"alert\">" + Escape(MessageInWords(m.error, records)) +
          "</p>";
  }
  const std::string form = "<form class=\"" + std::string(any_field ? "stack" : "inline") +
                           "\" method=\"post\" action=\"/commands\">" + Hidden(v, m) + top +
                           Fields(v, records, m, prefix) + NewIdField(m, prefix) +
                           "<button type=\"submit\">" + Escape(label) +
                           (NeedsConfirmation(m.spec.command) ? "…" : "") + "</button></form>";
  if (open || !any_field) return form;
  return "<details class=\"command\"><summary>" + Escape(label) + "</summary>" + form +
         "</details>";
}

std::optional<FoldedNetwork> NetworkRecords(const Visit& v, const std::string& network_id) {
  if (network_id.empty()) return std::nullopt;
  auto folded = v.app.NetworkFolded(v.who, network_id, std::nullopt);
  if (!folded) return std::nullopt;
  return std::move(*folded);
}

Page ConfirmPage(const Visit& v, const Records* records, const FormModel& m,
                 const std::string& details_html) {
  const std::string label = Humanize(m.spec.command);
  std::string body = "<h1>" + Escape(label) + "?</h1>";
  body += "<div class=\"card confirm\"><p>You are about to <strong>" + Escape(ToLower(label)) +
          "</strong>:</p>" + TypedSummary(records, m) + details_html +
          "<p><strong>Once done, you cannot undo this yourself.</strong></p><div "
          "class=\"actions\"><form class=\"inline\" method=\"post\" action=\"/commands\">" +
          Resent(v, m) +
          "<input type=\"hidden\" name=\"_confirm\" value=\"yes\"><button type=\"submit\">Yes, " +
          Escape(ToLower(label)) + "</button></form>";
  if (!m.values.empty()) {
    body += "<form class=\"inline\" method=\"post\" action=\"/commands\">" + Resent(v, m) +
            "<input type=\"hidden\" name=\"_edit\" value=\"yes\"><button type=\"submit\" "
            "class=\"secondary\">Change what I wrote</button></form>";
  }
  body += "<a href=\"" + Escape(m.back) + "\">Go back without doing it</a></div></div>";
  return Page{label + "?", body};
}

Page RefusedPage(const Visit& v, const Records* records, const FormModel& m, const Error& error,
                 const std::string& changes) {
  const std::string label = Humanize(m.spec.command);
  FormModel again = m;
  again.error_field = FieldOfMessage(error.message);
  if (again.error_field.empty() && error.message.starts_with("the new id"))
    again.error_field = "_id";
  if (again.error_field.empty()) again.error_field = FieldNamedIn(m.spec, error.message);
  // Beside its field; a reason of no field is the banner's alone.
  if (!again.error_field.empty()) again.error = error.message;
  std::string body = "<h1>" + Escape(label) + ": not done yet</h1>";
  if (!error.message.empty()) {
    body += "<div class=\"banner refused\" role=\"alert\"><p>" +
            Escape(Capitalised(MessageInWords(error.message, records))) + "</p>";
    if (!error.allowed.empty()) {
      body += "<p>What can be done now: ";
      for (std::size_t i = 0; i < error.allowed.size(); ++i) {
        body += (i ? ", " : "") + Escape(Humanize(error.allowed[i]));
      }
      body += "</p>";
    }
    body += "<p>What you wrote is kept below; change it and send it again.</p></div>";
  }
  body += changes;
  body += "<section class=\"card\" aria-labelledby=\"again-h\"><h2 id=\"again-h\">" +
          Escape(label) + ": " + Escape(RecordInWords(records, m)) + "</h2>" +
          FormHtml(v, records, again, true) + "<p><a href=\"" + Escape(m.back) +
          "\">Go back without doing it</a></p></section>";
  return Page{label, body, error.message.empty() ? 200u : http::HttpStatus(error.code)};
}

std::string BeginForms(const Visit& v, const Records* records,
                       const std::vector<std::string>& kinds,
                       const std::map<std::string, std::map<std::string, std::string>>& fixed,
                       const std::string& back) {
  std::string forms, notes;
  for (const auto& kind : kinds) {
    const Workflow* w = WorkflowOf(v.app.workflows(), kind);
    if (!w) continue;
    const auto table = w->transitions();
    const std::string before = StateBeforeFirstEvent(*w);
    for (const auto& spec : w->commands()) {
      const bool begins = std::any_of(table.begin(), table.end(), [&](const Transition& t) {
        return t.from == before && t.command == spec.command;
      });
      if (!begins || !workflows::RoleMayIssue(v.who.actor.role, spec.command)) continue;
      FormModel m;
      m.kind = kind;
      m.spec = spec;
      m.back = back;
      if (const auto of_kind = fixed.find(kind); of_kind != fixed.end()) {
        for (const auto& f : spec.fields) {
          const auto it = of_kind->second.find(f.name);
          if (it != of_kind->second.end()) m.fixed[f.name] = it->second;
        }
      }
      if (const auto it = m.fixed.find("plan_id"); it != m.fixed.end()) m.plan_id = it->second;
      // A record it must name and the network has none of yet: not offered.
      std::string missing;
      for (const auto& f : spec.fields) {
        if (f.kind != "id" || !f.required || m.fixed.contains(f.name) || f.name == "network_id" ||
            !records || !records->ChoicesFor(f.name, m.plan_id).empty()) {
          continue;
        }
        missing = LabelOfField(f.name);
        break;
      }
      if (!missing.empty()) {
        notes += "<p class=\"hint\">" + Escape(Humanize(spec.command)) + " needs " +
                 (missing == "Action" ? "a plan with an action"
                                      : "a" + std::string(missing == "Assessment" ? "n " : " ") +
                                            ToLower(missing)) +
                 " first.</p>";
        continue;
      }
      forms += FormHtml(v, records, m, false);
    }
  }
  if (forms.empty() && notes.empty()) return {};
  return "<section class=\"card\" aria-labelledby=\"begin-h\"><h2 id=\"begin-h\">Start "
         "something new</h2>" +
         forms + notes + "</section>";
}

std::string CommandForms(const Visit& v, const Records* records, const std::string& stream,
                         const FoldedStream& folded, const std::string& back,
                         const std::map<std::string, std::string>& fixed) {
  auto name = ParseStreamName(stream);
  if (!name || !folded.state) return {};
  const Workflow* workflow = WorkflowOf(v.app.workflows(), name->kind);
  if (!workflow) return {};
  const auto specs = workflow->commands();
  const auto state = folded.state->ToJson();
  std::string buttons, forms, notes;
  const Timestamp now = v.app.clock().Now();
  for (const auto& command : folded.state->AllowedCommands()) {
    if (!workflows::RoleMayIssue(v.who.actor.role, command)) continue;
    if (name->kind == "assessment" && ScoredOnItsPage(command)) continue;  // its own form
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
                 " is not offered: " + Escape(MessageInWords(decided.error().message, records)) +
                 "</p>";
        continue;
      }
    }
    FormModel m;
    m.stream = stream;
    m.kind = std::string(name->kind);
    m.spec = *spec;
    m.version = folded.version;
    m.back = back;
    m.fixed["network_id"] = folded.state->network_id();
    for (const auto& [field, value] : fixed) m.fixed[field] = value;
    m.plan_id = name->kind == "plan" ? std::string(name->id) : Str(state, "plan_id");
    if (command == "RescheduleMilestone" && !Str(state, "due").empty()) {
      m.floor["due"] = AddDays(Str(state, "due"), 1);  // only later than it is due now
    }
    const bool any_field =
        std::any_of(spec->fields.begin(), spec->fields.end(),
                    [&](const CommandField& f) { return f.name != "network_id"; });
    (any_field ? forms : buttons) += FormHtml(v, records, m, false);
  }
  if (buttons.empty() && forms.empty() && notes.empty()) return {};
  return "<section class=\"card\" aria-labelledby=\"do-" + IdSafe(stream) + "\"><h2 id=\"do-" +
         IdSafe(stream) + "\">What you can do</h2>" +
         (buttons.empty() ? "" : "<div class=\"actions\">" + buttons + "</div>") + forms + notes +
         "</section>";
}

}  // namespace waymark::web
