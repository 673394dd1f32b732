// The administrator's access page: who may sign in (each token by the
// person it was issued to, with role and network), a form that makes a new
// token and shows it once, and revocation after a confirmation; under the
// same rules as `waymark token`.

#include <fmt/format.h>

#include "adapters/web/forms.hpp"
#include "adapters/web/html.hpp"
#include "adapters/web/pages.hpp"

namespace waymark::web {
namespace {

constexpr std::string_view kRoles[] = {"officer", "network", "auditor", "admin"};

// Every network this person sees: id and name.
std::vector<std::pair<std::string, std::string>> NetworkNames(const Visit& v) {
  std::vector<std::pair<std::string, std::string>> out;
  if (auto rows = AllNetworks(v)) {
    for (const auto& row : *rows) out.emplace_back(Str(row, "network_id"), Str(row, "name"));
  }
  return out;
}

std::string CreateForm(const Visit& v,
                       const std::vector<std::pair<std::string, std::string>>& names,
                       const std::map<std::string, std::string>& typed, const std::string& error) {
  const auto value = [&](const std::string& key) {
    const auto it = typed.find(key);
    return it == typed.end() ? std::string() : it->second;
  };
  std::string roles, networks = "<option value=\"\">— not a network's coordinator —</option>";
  for (const auto role : kRoles) {
    roles += "<option value=\"" + std::string(role) + "\"" +
             (value("role") == role ? " selected" : "") + ">" +
             Escape(app::RoleLabel(role).value_or(role)) + "</option>";
  }
  for (const auto& [id, name] : names) {
    networks += "<option value=\"" + Escape(id) + "\"" +
                (value("network") == id ? " selected" : "") + ">" +
                Escape(name.empty() ? id : name) + "</option>";
  }
  return fmt::format(
      "<section class=\"card\" aria-labelledby=\"new-h\"><h2 id=\"new-h\">Give someone "
      "access</h2>{}<form class=\"stack\" method=\"post\" action=\"/tokens\"><input "
      "type=\"hidden\" name=\"_csrf\" value=\"{}\"><label for=\"t-name\">Person</label><input "
      "id=\"t-name\" name=\"name\" type=\"text\" required maxlength=\"100\" value=\"{}\"><label "
      "for=\"t-role\">Role</label><select id=\"t-role\" name=\"role\" required>{}</select><label "
      "for=\"t-network\">Network <span class=\"hint\">(for a network's coordinator: the one "
      "network they act for)</span></label><select id=\"t-network\" name=\"network\">{}</select>"
      "<button type=\"submit\">Make a sign-in token</button></form></section>",
      error.empty()
          ? ""
          : "<p class=\"field-error\" role=\"alert\">" + Escape(MessageInWords(error)) + "</p>",
      v.csrf, Escape(value("name")), roles, networks);
}

}  // namespace

PageResult TokensPage(const Visit& v, const std::map<std::string, std::string>& typed,
                      const std::string& error) {
  auto tokens = v.app.Tokens(v.who);
  if (!tokens) return std::unexpected(tokens.error());
  const auto names = NetworkNames(v);
  std::map<std::string, std::string> name_of(names.begin(), names.end());
  std::string rows;
  std::size_t active = 0;
  for (auto it = tokens->rbegin(); it != tokens->rend(); ++it) {  // newest first
    const auto& t = *it;
    active += !t.revoked_at;
    const std::string network =
        t.network_id.empty() ? std::string()
                             : (name_of.contains(t.network_id) && !name_of[t.network_id].empty()
                                    ? name_of[t.network_id]
                                    : t.network_id);
    rows += fmt::format(
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", Escape(t.name),
        Escape(app::RoleLabel(t.role).value_or(t.role)), Escape(network),
        Escape(app::LondonTime(t.created_at)),
        t.revoked_at
            ? "Revoked " + Escape(app::LondonTime(*t.revoked_at))
            : fmt::format("Active <form class=\"inline\" method=\"post\" "
                          "action=\"/tokens/revoke\"><input type=\"hidden\" name=\"_csrf\" "
                          "value=\"{}\"><input type=\"hidden\" name=\"token\" value=\"{}\"><button "
                          "type=\"submit\" class=\"secondary\">Revoke…</button></form>",
                          v.csrf, Escape(t.id)));
  }
  std::string body = fmt::format(
      "<h1>Access</h1><p class=\"sub\">{} active sign-in token{} · a token is shown once, when it "
      "is made; revoking it signs its holder out everywhere</p>",
      active, active == 1 ? "" : "s");
  body += CreateForm(v, names, typed, error);
  body +=
      "<section class=\"card\" aria-labelledby=\"who-h\"><h2 id=\"who-h\">Who may sign "
      "in</h2>" +
      (rows.empty() ? std::string("<p>No one yet.</p>")
                    : "<table><thead><tr><th scope=\"col\">Person</th><th "
                      "scope=\"col\">Role</th><th scope=\"col\">Network</th><th "
                      "scope=\"col\">Made</th><th scope=\"col\">Status</th></tr></thead><tbody>" +
                          rows + "</tbody></table>") +
      "</section>";
  return Page{"Access", body, error.empty() ? 200u : 400u};
}

PageResult PostToken(const Visit& v, std::map<std::string, std::string>& form) {
  std::map<std::string, std::string> typed{
      {"name", form["name"]}, {"role", form["role"]}, {"network", form["network"]}};
  if (form["role"] != "network") form["network"].clear();  // only a coordinator acts for one
  auto issued = v.app.IssueToken(v.who, form["role"], form["name"], form["network"]);
  if (!issued) {
    if (issued.error().code != ErrorCode::kValidation) return std::unexpected(issued.error());
    return TokensPage(v, typed, issued.error().message);
  }
  const auto& r = issued->record;
  return Page{
      "Access",
      fmt::format(
          "<h1>A sign-in token for {}</h1><div class=\"banner done\" role=\"status\"><p>Made: "
          "{}{}.</p></div><section class=\"card\"><p><strong>Give this token to {} now; it is "
          "shown only once</strong> and cannot be shown again. They paste it on the sign-in "
          "page.</p><label for=\"new-token\">Token</label><input id=\"new-token\" type=\"text\" "
          "readonly value=\"{}\" spellcheck=\"false\" class=\"token\"><p><a "
          "href=\"/tokens\">Back to access</a></p></section>",
          Escape(r.name), Escape(app::RoleLabel(r.role).value_or(r.role)),
          r.network_id.empty() ? "" : " for " + Escape(r.network_id), Escape(r.name),
          Escape(issued->token))};
}

std::expected<std::string, Error> RevokeToken(const Visit& v,
                                              std::map<std::string, std::string>& form,
                                              Page& confirm) {
  const std::string id = form["token"];
  if (form["_confirm"] != "yes") {
    auto tokens = v.app.Tokens(v.who);
    if (!tokens) return std::unexpected(tokens.error());
    const auto it = std::find_if(tokens->begin(), tokens->end(),
                                 [&](const TokenRecord& t) { return t.id == id; });
    if (it == tokens->end() || it->revoked_at) {
      return std::unexpected(
          MakeError(ErrorCode::kNotFound, "no such token, or it was revoked already"));
    }
    confirm = Page{
        "Revoke access?",
        fmt::format(
            "<h1>Revoke access?</h1><div class=\"card confirm\"><p>You are about to revoke the "
            "sign-in token of <strong>{}</strong> ({}{}). They are signed out everywhere and "
            "need a new token to sign in again.</p><p><strong>Once done, you cannot undo this "
            "yourself.</strong></p><div class=\"actions\"><form class=\"inline\" method=\"post\" "
            "action=\"/tokens/revoke\"><input type=\"hidden\" name=\"_csrf\" value=\"{}\"><input "
            "type=\"hidden\" name=\"token\" value=\"{}\"><input type=\"hidden\" name=\"_confirm\" "
            "value=\"yes\"><button type=\"submit\">Yes, revoke access</button></form><a "
            "href=\"/tokens\">Go back without doing it</a></div></div>",
            Escape(it->name), Escape(app::RoleLabel(it->role).value_or(it->role)),
            it->network_id.empty() ? "" : ", " + Escape(it->network_id), v.csrf, Escape(id))};
    return std::string();
  }
  if (auto revoked = v.app.RevokeToken(v.who, id); !revoked) {
    return std::unexpected(revoked.error());
  }
  return std::string("/tokens?done=RevokeAccess");
}

}  // namespace waymark::web
