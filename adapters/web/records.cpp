#include "adapters/web/records.hpp"

#include <algorithm>
#include <cctype>
#include <map>

#include "adapters/web/html.hpp"
#include "adapters/web/pages.hpp"
#include "core/stream_name.hpp"

namespace waymark::web {
namespace {

const boost::json::array* Array(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_array() ? &v->get_array() : nullptr;
}

}  // namespace

std::string Shortened(std::string_view text, std::size_t max) {
  if (text.size() <= max) return std::string(text);
  std::size_t cut = text.rfind(' ', max);
  if (cut == std::string_view::npos || cut < max / 2) cut = max;
  // Never inside a UTF-8 sequence.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  std::string out(text.substr(0, cut));
  while (!out.empty() && (out.back() == ' ' || out.back() == ',' || out.back() == ':' ||
                          out.back() == ';' || out.back() == '.')) {
    out.pop_back();
  }
  return out + "…";
}

std::string IdFromTitle(std::string_view title, std::size_t max) {
  std::string out;
  bool gap = false;
  for (const char c : title) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) && u < 0x80) {
      if (gap && !out.empty()) out.push_back('-');
      gap = false;
      out.push_back(static_cast<char>(std::tolower(u)));
    } else if (c != '\'') {  // "members'" → "members"
      gap = true;
    }
    if (out.size() >= max) break;
  }
  if (out.size() > max) out.resize(max);
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

Records::Records(const FoldedNetwork& network) : network_(network) {}

const FoldedNetworkStream* Records::Find(std::string_view stream) const {
  for (const auto& s : network_.streams) {
    if (s.stream == stream) return &s;
  }
  return nullptr;
}

bool Records::Holds(std::string_view stream) const {
  const auto* s = Find(stream);
  return s && s->folded.version > 0;
}

std::string Records::NetworkName() const {
  if (network_.streams.empty()) return {};
  return Str(network_.network().folded.state->ToJson(), "name");
}

std::string Records::Title(std::string_view stream) const {
  const auto* s = Find(stream);
  if (!s || !s->folded.state) return {};
  const auto state = s->folded.state->ToJson();
  if (s->kind == "network") return Str(state, "name");
  if (s->kind == "assessment") return Str(state, "period") + " assessment";
  if (s->kind == "plan") {
    const std::string from = Title("assessment-" + Str(state, "assessment_id"));
    return from.empty() ? std::string("Action plan") : "Action plan from the " + from;
  }
  if (s->kind == "milestone") return Str(state, "title");
  if (s->kind == "step") return Shortened(Str(state, "description"), 80);
  return {};
}

std::string Records::ActionTitle(std::string_view plan_id, std::string_view action_id) const {
  const auto* plan = Find("plan-" + std::string(plan_id));
  if (!plan || !plan->folded.state) return {};
  const auto state = plan->folded.state->ToJson();
  if (const auto* actions = Array(state, "actions")) {
    for (const auto& a : *actions) {
      if (a.is_object() && Str(a.get_object(), "action_id") == action_id) {
        return Shortened(Str(a.get_object(), "description"), 90);
      }
    }
  }
  return {};
}

namespace {

bool IsIdCharacter(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
}

// "CompletePlan": a capital, then lower case, then at least one more capital.
bool IsCamelCase(std::string_view token) {
  if (token.size() < 3 || !std::isupper(static_cast<unsigned char>(token[0]))) return false;
  int capitals = 0;
  for (const char c : token) {
    if (!std::isalpha(static_cast<unsigned char>(c))) return false;
    capitals += std::isupper(static_cast<unsigned char>(c)) != 0;
  }
  return capitals >= 2;
}

std::string Lowered(std::string text) {
  if (!text.empty() && !(text.size() > 1 && std::isupper(static_cast<unsigned char>(text[1])))) {
    text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  }
  return text;
}

}  // namespace

std::string Records::InWords(std::string_view message) const {
  // "<Command> refused: " says nothing the page does not.
  if (const auto colon = message.find(" refused: ");
      colon != std::string_view::npos && IsCamelCase(message.substr(0, colon))) {
    message.remove_prefix(colon + 10);
  }
  std::map<std::string, std::string, std::less<>> titles;
  for (const auto& s : network_.streams) {
    const std::string title = Title(s.stream);
    if (title.empty()) continue;
    titles[s.stream] = "“" + title + "”";
    if (const auto name = ParseStreamName(s.stream))
      titles[std::string(name->id)] = "“" + title + "”";
  }
  std::string out;
  std::size_t i = 0;
  while (i < message.size()) {
    if (!IsIdCharacter(message[i])) {
      out.push_back(message[i++]);
      continue;
    }
    std::size_t end = i;
    while (end < message.size() && IsIdCharacter(message[end])) ++end;
    const std::string_view token = message.substr(i, end - i);
    if (const auto it = titles.find(token); it != titles.end() && !it->second.empty()) {
      out += it->second;
    } else if (token.size() == 10 && token[4] == '-' && token[7] == '-' &&
               std::isdigit(static_cast<unsigned char>(token[0]))) {
      out += app::LongDate(token);
    } else if (IsCamelCase(token)) {
      out += Lowered(Humanize(token));
    } else if (token.find('_') != std::string_view::npos &&
               std::none_of(token.begin(), token.end(),
                            [](char c) { return std::isupper(static_cast<unsigned char>(c)); })) {
      out += Lowered(Humanize(token));
    } else {
      out += token;
    }
    i = end;
  }
  return out;
}

std::vector<Choice> Records::ChoicesFor(std::string_view field, std::string_view plan_id) const {
  std::vector<Choice> out;
  const auto of_kind = [&](std::string_view kind) {
    for (auto it = network_.streams.rbegin(); it != network_.streams.rend(); ++it) {
      if (it->kind != kind || it->folded.version == 0) continue;
      const auto name = ParseStreamName(it->stream);
      if (!name) continue;
      std::string label = Title(it->stream);
      const std::string state = it->folded.state->state();
      if (kind != "milestone") label += " (" + Humanize(state) + ")";
      out.push_back({std::string(name->id), std::move(label)});
    }
  };
  if (field == "assessment_id") of_kind("assessment");
  if (field == "plan_id") of_kind("plan");
  if (field == "milestone_id") of_kind("milestone");
  if (field == "action_id") {
    const auto* plan = Find("plan-" + std::string(plan_id));
    if (!plan || !plan->folded.state) return out;
    const auto state = plan->folded.state->ToJson();
    const auto* dropped = state.if_contains("dropped_actions");
    if (const auto* actions = Array(state, "actions")) {
      for (const auto& a : *actions) {
        if (!a.is_object()) continue;
        const std::string id = Str(a.get_object(), "action_id");
        if (dropped && dropped->is_object() && dropped->get_object().contains(id)) continue;
        out.push_back({id, Shortened(Str(a.get_object(), "description"), 90)});
      }
    }
  }
  return out;
}

}  // namespace waymark::web
