#include "adapters/web/dashboard.hpp"

#include <fmt/format.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>
#include <boost/json/serialize.hpp>

#include "adapters/http/problem.hpp"
#include "adapters/http/request_parsing.hpp"
#include "adapters/web/forms.hpp"
#include "adapters/web/html.hpp"
#include "adapters/web/pages.hpp"
#include "core/secrets.hpp"
#include "core/stream_name.hpp"
#include "core/text_rules.hpp"
#include "core/time.hpp"

namespace waymark::web {

extern const std::string_view kAppCss;
extern const std::string_view kAppJs;

namespace {

namespace bhttp = boost::beast::http;
using http::Handled;
using http::Request;
using http::Response;

constexpr std::string_view kSessionCookie = "waymark_session";
constexpr std::string_view kSigninCookie = "waymark_signin";
constexpr int kSessionSeconds = 12 * 3600;

constexpr std::string_view kSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

// A session's form token: HMAC-SHA-256 keyed by the session's secret, so
// only a page served to that session can carry it.
std::string CsrfToken(std::string_view session) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  constexpr std::string_view kPurpose = "waymark dashboard form";
  HMAC(EVP_sha256(), session.data(), static_cast<int>(session.size()),
       reinterpret_cast<const unsigned char*>(kPurpose.data()), kPurpose.size(), mac, &length);
  return HexOf(mac, length);
}

bool SameSecret(std::string_view a, std::string_view b) {
  return a.size() == b.size() && !a.empty() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

// The value of cookie `name` in the request, or "".
std::string Cookie(const Request& request, std::string_view name) {
  for (const auto& field : request.base()) {
    if (field.name() != bhttp::field::cookie) continue;
    std::string_view rest = field.value();
    while (!rest.empty()) {
      const auto semi = rest.find(';');
      std::string_view pair = rest.substr(0, semi);
      rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
      while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
      const auto eq = pair.find('=');
      if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
        return std::string(pair.substr(eq + 1));
      }
    }
  }
  return {};
}

std::string SetCookie(std::string_view name, std::string_view value, int max_age) {
  return fmt::format("{}={}; Path=/; Max-Age={}; HttpOnly; SameSite=Strict", name, value, max_age);
}

Response Html(unsigned status, std::string body) {
  Response r{static_cast<bhttp::status>(status), 11};
  r.set(bhttp::field::content_type, "text/html; charset=utf-8");
  r.set(bhttp::field::cache_control, "no-store");
  r.set("Content-Security-Policy", kSecurityPolicy);
  r.set("X-Content-Type-Options", "nosniff");
  r.set("X-Frame-Options", "DENY");
  r.set("Referrer-Policy", "same-origin");
  r.body() = std::move(body);
  return r;
}

Response Redirect(std::string_view location) {
  Response r{bhttp::status::see_other, 11};
  r.set(bhttp::field::location, location);
  r.set(bhttp::field::cache_control, "no-store");
  return r;
}

Response Text(unsigned status, std::string_view type, std::string body) {
  Response r{static_cast<bhttp::status>(status), 11};
  r.set(bhttp::field::content_type, type);
  r.set("X-Content-Type-Options", "nosniff");
  r.body() = std::move(body);
  return r;
}

// The page around `body`: header with what this person may go to, skip link, main.
// `tasks`: how many steps wait on this person, shown in the navigation
// ("100+" past 100; none shown when unknown, -1).
std::string Layout(std::string_view title, std::string_view body, const Identity* who,
                   std::string_view csrf, int tasks = -1) {
  std::string nav;
  if (who) {
    nav += "<nav aria-label=\"Main\"><ul>";
    if (app::TakesSteps(*who)) {
      nav += "<li><a href=\"/tasks\">What needs you" +
             (tasks < 0
                  ? std::string()
                  : " <span class=\"count\">" +
                        (tasks > 100 ? std::string("100+") : std::to_string(tasks)) + "</span>") +
             "</a></li>";
    }
    if (app::IsNetwork(*who)) {
      nav += "<li><a href=\"" + NetworkHref(who->actor.network) + "\">My network</a></li>";
    } else {
      nav += "<li><a href=\"/\">Caseload</a></li>";
    }
    nav += "<li><a href=\"/report\">Programme report</a></li>";
    if (who->actor.role == "auditor" || who->actor.role == "admin") {
      nav += "<li><a href=\"/log\">Event log</a></li><li><a href=\"/audit\">Integrity</a></li>";
    }
    if (who->actor.role == "admin") nav += "<li><a href=\"/tokens\">Access</a></li>";
    nav += "</ul></nav>";
    nav += fmt::format(
        "<div class=\"who\"><span>{} <span class=\"hint\">({})</span></span>"
        "<form class=\"inline\" method=\"post\" action=\"/signout\"><input type=\"hidden\" "
        "name=\"_csrf\" value=\"{}\"><button type=\"submit\">Sign out</button></form></div>",
        Escape(who->actor.name), Escape(app::RoleLabel(who->actor.role).value_or(who->actor.role)),
        csrf);
  }
  return fmt::format(
      "<!doctype html><html lang=\"en-GB\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
      "content=\"width=device-width, initial-scale=1\"><title>{} · Waymark</title><link "
      "rel=\"icon\" href=\"data:,\"><link rel=\"stylesheet\" href=\"/static/app.css\"><script "
      "src=\"/static/app.js\" defer></script></head><body><a class=\"skip\" href=\"#main\">Skip "
      "to content</a><header class=\"top\"><a class=\"brand\" href=\"/\">Waymark</a>{}</header>"
      "<main id=\"main\" tabindex=\"-1\">{}</main></body></html>",
      Escape(title), nav, body);
}

namespace {
// The request being answered on this thread (Dashboard::Handle sets it): a
// page that shows a 5xx error tells the person general words and the request
// id, and the cause goes to the log line, never to the page.
struct CurrentRequest {
  std::string_view id;
  std::string* cause;
};
thread_local CurrentRequest* current_request = nullptr;
}  // namespace

std::string ErrorBody(const Error& raw, std::string_view back) {
  std::string ignored;
  const Error error = current_request
                          ? http::ForClient(raw, current_request->id, *current_request->cause)
                          : http::ForClient(raw, "unknown", ignored);
  std::string body = "<h1>" + Escape(error.code == ErrorCode::kNotFound ? "Not found" : "Refused") +
                     "</h1><div class=\"banner refused\" role=\"alert\"><p>" +
                     Escape(error.message) + "</p>";
  if (!error.allowed.empty()) {
    body += "<p>Allowed now: ";
    for (std::size_t i = 0; i < error.allowed.size(); ++i) {
      body += (i ? ", " : "") + Escape(Humanize(error.allowed[i]));
    }
    body += "</p>";
  }
  body += "</div><p><a href=\"" + Escape(back.empty() ? "/" : back) + "\">Back</a></p>";
  return body;
}

// A path inside this site ("/..." but not "//..."), or "/".
std::string LocalPath(std::string_view path) {
  if (path.size() > 1000 || !path.starts_with('/') || path.starts_with("//") ||
      path.find_first_of("\\\r\n") != std::string_view::npos) {
    return "/";
  }
  return std::string(path);
}

// Whether the request comes from a page of this site (the browser says so
// in Origin or Sec-Fetch-Site; a client that says neither is let through to
// the form token).
bool SameOrigin(const Request& request) {
  const std::string_view site = request["Sec-Fetch-Site"];
  if (!site.empty() && site != "same-origin" && site != "none") return false;
  const std::string_view origin = request[bhttp::field::origin];
  if (origin.empty()) return true;
  const std::string_view host = request[bhttp::field::host];
  return origin == "http://" + std::string(host) || origin == "https://" + std::string(host);
}

// Whether `target` is the dashboard's (its path, the query aside).
bool Owns(std::string_view target) {
  static constexpr std::string_view kPrefixes[] = {"/static/", "/networks/", "/streams/"};
  static constexpr std::string_view kPaths[] = {"/",           "/signin",   "/signout", "/report",
                                                "/report.csv", "/commands", "/live",    "/caseload",
                                                "/tasks",      "/scores"};
  const std::string_view path = target.substr(0, target.find('?'));
  for (auto p : kPaths) {
    if (path == p) return true;
  }
  for (auto p : kPrefixes) {
    if (path.starts_with(p)) return true;
  }
  return false;
}

std::string Today(Clock& clock) { return FormatRfc3339(clock.Now()).substr(0, 10); }

// A form field's value as the command's JSON, by the field's kind.
std::expected<boost::json::value, Error> FieldValue(const CommandField& f,
                                                    const std::string& text) {
  const auto bad = [&](std::string expected) {
    return std::unexpected(
        MakeError(ErrorCode::kValidation, "field " + f.name + ": " + std::move(expected)));
  };
  if (f.kind == "int") {
    if (text.empty() || text.size() > 18 ||
        text.find_first_not_of("-0123456789") != std::string::npos) {
      return bad(fmt::format("a whole number from {} to {}", f.min, f.max));
    }
    try {
      return boost::json::value(std::stoll(text));
    } catch (const std::exception&) {
      return bad(fmt::format("a whole number from {} to {}", f.min, f.max));
    }
  }
  if (f.kind == "links") return boost::json::value(NonEmptyLines(text));
  return boost::json::value(text);
}

// The CommandSpec of `type` on streams of `kind`.
std::expected<CommandSpec, Error> SpecOf(const std::vector<const Workflow*>& workflows,
                                         std::string_view kind, const std::string& type) {
  const Workflow* w = WorkflowOf(workflows, kind);
  if (!w) {
    return std::unexpected(MakeError(
        ErrorCode::kValidation,
        "there are no records of kind '" + std::string(TruncateCharacters(kind, 40)) + "'"));
  }
  std::string known;
  for (auto& spec : w->commands()) {
    if (spec.command == type) return spec;
    known += (known.empty() ? "" : ", ") + spec.command;
  }
  return std::unexpected(MakeError(
      ErrorCode::kValidation,
      "'" + type + "' is not a " + std::string(kind) + " command; expected one of " + known));
}

// The sign-in page (GET) and form (POST): the token checked, kept in the
// session cookie; the form carries the page's nonce cookie.
Response SignIn(app::Programme& app, const Request& request, const http::Target& target,
                Handled& out) {
  const bool get = request.method() == bhttp::verb::get;
  const bool post = request.method() == bhttp::verb::post;
  if (get) {
    const std::string nonce = RandomHex(16);
    const std::string note = Escape(
        target.query.contains("revoked") ? "That token is not valid (unknown or revoked)." : "");
    Response r = Html(
        200,
        Layout("Sign in",
               fmt::format(
                   "<div class=\"signin card\"><h1>Sign in to Waymark</h1>{}<p "
                   "class=\"sub\">Paste the sign-in token you were given. No token yet? "
                   "Ask your development officer (or, for officers, the programme's "
                   "administrator) for access. It is kept in a cookie this site alone "
                   "reads, never in the browser's storage.</p><form class=\"stack\" "
                   "method=\"post\" action=\"/signin\"><input type=\"hidden\" name=\"_csrf\" "
                   "value=\"{}\"><label for=\"token\">Token</label><input id=\"token\" "
                   "name=\"token\" type=\"password\" autocomplete=\"off\" required "
                   "spellcheck=\"false\"><button type=\"submit\">Sign in</button></form></div>",
                   note.empty() ? ""
                                : "<div class=\"banner refused\" role=\"alert\">" + note + "</div>",
                   nonce),
               nullptr, ""));
    r.set(bhttp::field::set_cookie, SetCookie(kSigninCookie, nonce, 600));
    return r;
  }
  if (!post)
    return Html(405, Layout("Method not allowed", "<h1>Use GET or POST</h1>", nullptr, ""));
  auto form = ParseForm(request.body());
  if (!form)
    return Html(400, Layout("Bad request", ErrorBody(form.error(), "/signin"), nullptr, ""));
  if (!SameOrigin(request) || !SameSecret((*form)["_csrf"], Cookie(request, kSigninCookie))) {
    return Html(403, Layout("Refused",
                            ErrorBody(MakeError(ErrorCode::kForbidden,
                                                "the sign-in form did not come from this "
                                                "site's sign-in page; open it again"),
                                      "/signin"),
                            nullptr, ""));
  }
  const std::string token = (*form)["token"];
  auto identity = app.Authenticate(token);
  if (!identity) {
    if (identity.error().code == ErrorCode::kUnavailable) {
      return Html(503, Layout("Unavailable", ErrorBody(identity.error(), "/signin"), nullptr, ""));
    }
    return Redirect("/signin?revoked=1");
  }
  out.actor = identity->token_id + "/" + identity->actor.name;
  // The cookie holds a session of the server's own, never the token.
  auto session = app.BeginSession(*identity);
  if (!session) {
    return Html(http::HttpStatus(session.error().code),
                Layout("Unavailable", ErrorBody(session.error(), "/signin"), nullptr, ""));
  }
  Response r = Redirect("/");
  r.insert(bhttp::field::set_cookie, SetCookie(kSessionCookie, session->cookie, kSessionSeconds));
  r.insert(bhttp::field::set_cookie, SetCookie(kSigninCookie, "", 0));
  return r;
}

// The field whose words make a new record's id, by kind.
std::string_view TitleFieldOf(std::string_view kind) {
  if (kind == "network") return "name";
  if (kind == "assessment") return "period";
  if (kind == "plan") return "assessment_id";
  if (kind == "milestone") return "title";
  return "description";  // a step
}

// A new record's id made from its title (with its network's id before it,
// so two networks' "Members' survey" differ), the first of -2, -3, ... not
// taken yet; "" when the title has no letters or digits.
std::expected<std::string, Error> NewIdFrom(const Visit& v, const FormModel& m) {
  const auto title = m.values.find(std::string(TitleFieldOf(m.kind)));
  std::string base = IdFromTitle(title == m.values.end() ? "" : title->second);
  if (base.empty()) return std::string();
  const auto network = m.fixed.find("network_id");
  if (m.kind != "network" && m.kind != "plan" && network != m.fixed.end() &&
      !base.starts_with(network->second + "-")) {
    base = network->second + "-" + base;
  }
  base.resize(std::min<std::size_t>(base.size(), 60));
  for (int n = 1; n < 100; ++n) {
    const std::string id = n == 1 ? base : base + "-" + std::to_string(n);
    auto seen = v.app.Stream(v.who, m.kind + "-" + id);
    if (!seen && seen.error().code == ErrorCode::kNotFound) return id;
    if (!seen) return std::unexpected(seen.error());
    if (seen->folded.version == 0) return id;
  }
  return std::unexpected(MakeError(ErrorCode::kConflict,
                                   "there are already 99 records with this title; choose "
                                   "a short name for its address"));
}

// An action's id made from its description, unique in its plan.
std::string NewActionIdFrom(const Records* records, const FormModel& m) {
  const auto description = m.values.find("description");
  std::string base = IdFromTitle(description == m.values.end() ? "" : description->second, 32);
  if (base.empty()) base = "action";
  const auto taken = records ? records->ChoicesFor("action_id", m.plan_id) : std::vector<Choice>{};
  for (int n = 1;; ++n) {
    const std::string id = n == 1 ? base : base + "-" + std::to_string(n);
    if (std::none_of(taken.begin(), taken.end(), [&](const Choice& c) { return c.value == id; })) {
      return id;
    }
  }
}

// What changed on `stream` after `version`, for a form refused as stale.
std::string ChangesSince(const Visit& v, const std::string& stream, std::int64_t version) {
  auto page = v.app.Events(v.who, stream, version, 20);
  if (!page || page->events.empty()) return {};
  std::string items;
  for (const auto& e : page->events) {
    items += "<li>" + Escape(Humanize(e.type)) + " <span class=\"hint\">— " +
             Escape(e.metadata.actor) + ", " + Escape(app::LondonTime(e.metadata.recorded_at)) +
             "</span></li>";
  }
  return "<section class=\"card\" aria-labelledby=\"changed-h\"><h2 id=\"changed-h\">What "
         "changed since you opened the page</h2><ul>" +
         items + "</ul></section>";
}

// A posted form as its model: what was typed (kept, whatever happens next),
// the stream it acts on or the kind it begins.
std::expected<FormModel, Error> Submission(const Visit& v,
                                           std::map<std::string, std::string>& form) {
  FormModel m;
  m.back = LocalPath(form["_back"]);
  m.stream = form["_stream"];
  m.key = form["_key"];
  m.id = form["_id"];
  std::string_view kind;
  if (m.stream.empty()) {
    m.kind = form["_kind"];
    kind = m.kind;
  } else {
    auto name = ParseStreamName(m.stream);
    if (!name) return std::unexpected(name.error());
    m.kind = std::string(name->kind);
    kind = m.kind;
    if (name->kind == "plan") m.plan_id = std::string(name->id);
  }
  auto spec = SpecOf(v.app.workflows(), kind, form["_type"]);
  if (!spec) return std::unexpected(spec.error());
  m.spec = std::move(*spec);
  if (const std::string& version = form["_version"]; !version.empty()) {
    auto parsed = app::ParseWholeNumber("_version", version, 0, 1'000'000'000'000);
    if (!parsed) return std::unexpected(parsed.error());
    m.version = *parsed;
  }
  for (const auto& [name, value] : form) {
    if (name.starts_with('_')) continue;
    const auto f = std::find_if(m.spec.fields.begin(), m.spec.fields.end(),
                                [&](const CommandField& c) { return c.name == name; });
    if (f == m.spec.fields.end()) {
      return std::unexpected(MakeError(
          ErrorCode::kValidation, "field '" + name + "' is not one of " + m.spec.command + "'s"));
    }
    (name == "network_id" ? m.fixed : m.values)[name] = value;
  }
  if (const auto plan = m.values.find("plan_id"); m.plan_id.empty() && plan != m.values.end()) {
    m.plan_id = plan->second;
  }
  return m;
}

// A form's command: its fields read by the command's own field kinds, run
// through the command handler as this session's actor (after the person
// confirms, for what they cannot undo); back to the page it came from (or
// the record it began). Refused, the form comes back with what was typed and
// the reason beside its field; stale, with what changed since.
Response PostCommand(const Visit& v, std::map<std::string, std::string>& form,
                     std::string_view request_id) {
  auto submitted = Submission(v, form);
  if (!submitted) {  // not a form of these pages
    return Html(
        http::HttpStatus(submitted.error().code),
        Layout("Refused", ErrorBody(submitted.error(), LocalPath(form["_back"])), &v.who, v.csrf));
  }
  FormModel& m = *submitted;
  // The network's records, for the choices of a form shown again.
  std::optional<FoldedNetwork> network;
  std::optional<Records> records;
  const auto with_records = [&]() -> const Records* {
    if (records) return &*records;
    std::string network_id = m.fixed.contains("network_id") ? m.fixed["network_id"] : "";
    if (network_id.empty() && !m.stream.empty()) {
      if (auto seen = v.app.Stream(v.who, m.stream)) {
        network_id = seen->folded.state->network_id();
        if (m.kind == "milestone") m.plan_id = Str(seen->folded.state->ToJson(), "plan_id");
      }
    }
    network = NetworkRecords(v, network_id);
    if (!network) return nullptr;
    records.emplace(*network);
    return &*records;
  };
  const auto show = [&](const Page& page) {
    return Html(page.status, Layout(page.title, page.body, &v.who, v.csrf));
  };
  const auto refuse = [&](const Error& e, const std::string& changes = {}) {
    const Records* r = with_records();
    return show(RefusedPage(v, r, m, e, changes));
  };
  if (form["_edit"] == "yes") return show(RefusedPage(v, with_records(), m, Error{}, {}));

  std::string stream = m.stream;
  std::string back = m.back;
  if (stream.empty()) {  // a form that begins a stream
    std::string id = m.id;
    if (id.empty()) {
      auto made = NewIdFrom(v, m);
      if (!made) return refuse(made.error());
      id = *made;
    }
    if (!IsValidId(id)) {
      return refuse(MakeError(ErrorCode::kValidation,
                              "the new id '" + std::string(TruncateCharacters(id, 80)) +
                                  "' must be 1 to 64 characters from A-Z a-z 0-9 _ -"));
    }
    stream = m.kind + "-" + id;
    back = m.kind == "network" ? NetworkHref(id) : StreamHref(stream);  // to it
  }
  CommandRequest command;
  command.stream = stream;
  command.type = m.spec.command;
  for (const auto& f : m.spec.fields) {
    std::string value;
    if (const auto typed = m.values.find(f.name); typed != m.values.end()) {
      value = typed->second;
    } else if (const auto given = m.fixed.find(f.name); given != m.fixed.end()) {
      value = given->second;
    } else if (!NamesNewRecord(m.spec.command, f.name)) {
      continue;  // not sent: the command says whether it is needed
    }
    if (value.empty() && NamesNewRecord(m.spec.command, f.name)) {
      value = NewActionIdFrom(with_records(), m);
    }
    if (value.empty() && !f.required) continue;
    auto json = FieldValue(f, value);
    if (!json) return refuse(json.error());
    command.data[f.name] = std::move(*json);
  }
  if (!form["_version"].empty()) command.expected_version = m.version;
  command.idempotency_key = m.key;

  if (NeedsConfirmation(m.spec.command) && form["_confirm"] != "yes") {
    // Asked only for what the record would take now.
    if (auto seen = v.app.Stream(v.who, stream)) {
      CommandRequest trial = command;
      trial.actor = v.who.actor;
      if (auto decided = seen->folded.state->Decide(trial, v.app.clock().Now()); !decided) {
        return refuse(decided.error());
      }
    }
    std::string details;
    if (m.kind == "assessment") {
      if (auto seen = v.app.Stream(v.who, stream)) {
        details = ScoresSummary(seen->folded.state->ToJson());
      }
    }
    return show(ConfirmPage(v, with_records(), m, details));
  }
  auto result = v.app.Issue(v.who, std::move(command), request_id);
  if (!result) {
    Error e = result.error();
    if (e.code == ErrorCode::kConflict && !m.stream.empty()) {
      e.message = "Someone changed this " + m.kind +
                  " since you opened the page: nothing was "
                  "recorded. What changed is below; check it, then send your form again.";
      const std::string changes = ChangesSince(v, m.stream, m.version);
      if (auto now = v.app.Stream(v.who, m.stream)) m.version = now->folded.version;
      m.key.clear();  // a new attempt
      return refuse(e, changes);
    }
    return refuse(e);
  }
  return Redirect(back + (back.find('?') == std::string::npos ? "?" : "&") +
                  "done=" + UrlEncode(m.spec.command));
}

// A download's file name, after what it holds and when:
// "milestone-fife-4-history-2026-12-01.csv", "programme-report-2026-01-01-to-2026-12-31.csv".
std::string DownloadName(const Visit& v, const std::vector<std::string>& segments) {
  const std::string& file = segments.back();
  const std::string extension = file.substr(file.find('.'));
  std::string name;
  if (segments.front() == "streams") {
    name = segments[1] + "-history-" + v.today;
  } else {
    std::string from = v.Param("from"), to = v.Param("to");
    name = "programme-report-" + (from.empty() ? v.today.substr(0, 4) + "-01-01" : from) + "-to-" +
           (to.empty() ? v.today.substr(0, 4) + "-12-31" : to);
  }
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') c = '-';
  }
  return name + extension;
}

// A page, a live region's fragment, a download or the event stream, by path.
Response GetPage(const Visit& v, const std::string& path, Handled& out) {
  const auto& segments = v.target.segments;
  if (path == "/live") {
    out.route = "/live";
    out.live = true;
    return Text(200, "text/event-stream", "");
  }

  // Pages.
  PageResult page = std::unexpected(MakeError(ErrorCode::kNotFound, "no page " + path));
  std::optional<std::expected<std::string, Error>> download;
  std::string download_type;
  if (path == "/" || path == "/caseload") {
    out.route = "/";
    if (app::IsNetwork(v.who)) return Redirect(NetworkHref(v.who.actor.network));
    page = CaseloadPage(v);
  } else if (segments.size() == 2 && segments[0] == "networks") {
    out.route = "/networks/{id}";
    page = NetworkPage(v, segments[1]);
  } else if (segments.size() == 2 && segments[0] == "streams") {
    out.route = "/streams/{stream}";
    if (segments[1].starts_with("network-")) return Redirect(NetworkHref(segments[1].substr(8)));
    page = StreamPage(v, segments[1]);
  } else if (segments.size() == 3 && segments[0] == "streams" && segments[2] == "history") {
    out.route = "/streams/{stream}/history";
    page = HistoryPage(v, segments[1]);
  } else if (segments.size() == 3 && segments[0] == "streams" && segments[2] == "history.jsonl") {
    out.route = "/streams/{stream}/history.jsonl";
    download = HistoryJsonLines(v, segments[1]);
    download_type = "application/jsonl; charset=utf-8";
  } else if (segments.size() == 3 && segments[0] == "streams" && segments[2] == "history.csv") {
    out.route = "/streams/{stream}/history.csv";
    download = HistoryCsv(v, segments[1]);
    download_type = "text/csv; charset=utf-8";
  } else if (path == "/tasks") {
    out.route = "/tasks";
    page = TasksPage(v);
  } else if (path == "/tokens") {
    out.route = "/tokens";
    page = TokensPage(v);
  } else if (path == "/audit") {
    out.route = "/audit";
    page = AuditPage(v);
  } else if (path == "/log") {
    out.route = "/log";
    page = LogPage(v);
  } else if (path == "/report") {
    out.route = "/report";
    page = ReportPage(v);
  } else if (path == "/report.csv") {
    out.route = "/report.csv";
    download = ReportCsvOf(v);
    download_type = "text/csv; charset=utf-8";
  } else {
    out.route = "unmatched";
  }
  if (download) {
    if (!*download) {
      return Html(http::HttpStatus(download->error().code),
                  Layout("Refused", ErrorBody(download->error(), "/"), &v.who, v.csrf));
    }
    Response r = Text(200, download_type, std::move(**download));
    r.set(bhttp::field::content_disposition,
          "attachment; filename=\"" + DownloadName(v, segments) + "\"");
    r.set(bhttp::field::cache_control, "no-store");
    return r;
  }
  if (!page) {
    const auto& e = page.error();
    return Html(http::HttpStatus(e.code),
                Layout(e.code == ErrorCode::kNotFound ? "Not found" : "Refused", ErrorBody(e, "/"),
                       &v.who, v.csrf));
  }
  if (page->fragment) return Html(page->status, std::move(page->body));
  std::string body = std::move(page->body);
  if (const std::string done = v.Param("done"); !done.empty()) {
    body = "<div class=\"banner done\" role=\"status\">Done: " + Escape(Humanize(done)) +
           ".</div>" + body;
  }
  auto waiting = OwnTasks(v, 101);  // the navigation's count; a page is shown without it
  return Html(page->status, Layout(page->title, body, &v.who, v.csrf,
                                   waiting ? static_cast<int>(waiting->size()) : -1));
}

// Who a session cookie speaks for (nullopt: nobody), or the answer to send
// instead when the session store cannot say.
std::expected<std::optional<SessionIdentity>, Response> SessionOf(app::Programme& app,
                                                                  const std::string& cookie) {
  if (cookie.empty()) return std::nullopt;
  auto identity = app.Session(cookie);
  if (identity) return std::move(*identity);
  if (identity.error().code == ErrorCode::kUnauthenticated) return std::nullopt;
  return std::unexpected(
      Html(http::HttpStatus(identity.error().code),
           Layout("Unavailable", ErrorBody(identity.error(), "/"), nullptr, "")));
}

// A form posted by a signed-in person: sign-out or a command.
Response Post(const Visit& v, const std::string& path, const std::string& session,
              std::string_view request_id, Handled& out) {
  auto form = ParseForm(v.request.body());
  if (!form) return Html(400, Layout("Bad request", ErrorBody(form.error(), "/"), &v.who, v.csrf));
  if (!SameOrigin(v.request) || !SameSecret((*form)["_csrf"], v.csrf)) {
    return Html(403, Layout("Refused",
                            ErrorBody(MakeError(ErrorCode::kForbidden,
                                                "this form did not come from a page of this "
                                                "session; reload the page and try again"),
                                      "/"),
                            &v.who, v.csrf));
  }
  if (path == "/signout") {
    out.route = "/signout";
    // The session ends on the server, not only in this browser.
    if (auto ended = v.app.EndSession(session); !ended) {
      return Html(http::HttpStatus(ended.error().code),
                  Layout("Unavailable", ErrorBody(ended.error(), "/"), &v.who, v.csrf));
    }
    Response r = Redirect("/signin");
    r.set(bhttp::field::set_cookie, SetCookie(kSessionCookie, "", 0));
    return r;
  }
  if (path == "/commands") {
    out.route = "/commands";
    return PostCommand(v, *form, request_id);
  }
  if (path == "/tokens" || path == "/tokens/revoke") {
    out.route = path;
    std::optional<PageResult> page;
    if (path == "/tokens") {
      page = PostToken(v, *form);
    } else {
      Page confirm;
      auto next = RevokeToken(v, *form, confirm);
      if (next && !next->empty()) return Redirect(*next);
      page = next ? PageResult(std::move(confirm)) : PageResult(std::unexpected(next.error()));
    }
    if (!*page) {
      return Html(http::HttpStatus((*page).error().code),
                  Layout("Refused", ErrorBody((*page).error(), "/tokens"), &v.who, v.csrf));
    }
    return Html((*page)->status, Layout((*page)->title, (*page)->body, &v.who, v.csrf));
  }
  if (path == "/scores") {
    out.route = "/scores";
    auto saved = PostScores(v, *form, request_id);
    if (saved) return Redirect(*saved);
    const auto& refusal = saved.error();
    auto page = StreamPage(v, refusal.stream, &refusal.typed);
    if (!page) {
      return Html(http::HttpStatus(page.error().code),
                  Layout("Refused", ErrorBody(page.error(), "/"), &v.who, v.csrf));
    }
    return Html(http::HttpStatus(refusal.error.code),
                Layout(page->title,
                       "<div class=\"banner refused\" role=\"alert\"><p>" +
                           Escape(MessageInWords(refusal.error.message)) +
                           "</p><p>Everything you typed is kept below.</p></div>" + page->body,
                       &v.who, v.csrf));
  }
  return Html(404,
              Layout("Not found",
                     ErrorBody(MakeError(ErrorCode::kNotFound, "nothing to post to here"), "/"),
                     &v.who, v.csrf));
}

// The request's path as its decoded segments joined ("/" for none).
std::string PathOf(const http::Target& target) {
  std::string p;
  for (const auto& s : target.segments) p += "/" + s;
  return p.empty() ? std::string("/") : p;
}

// What a request without a session gets: a sign-in page for a person, a
// plain 401 for a live region or event stream.
Response NotSignedIn(const http::Target& target, const std::string& path,
                     const std::string& session) {
  if (path == "/live" || target.query.contains("part")) {
    return Text(401, "text/plain; charset=utf-8", "sign in first\n");
  }
  Response r = Redirect(session.empty() ? "/signin" : "/signin?revoked=1");
  if (!session.empty()) r.set(bhttp::field::set_cookie, SetCookie(kSessionCookie, "", 0));
  return r;
}

Response Asset(const std::string& path) {
  const bool css = path.ends_with(".css");
  Response r = Text(200, css ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8",
                    std::string(css ? kAppCss : kAppJs));
  r.set(bhttp::field::cache_control, "public, max-age=300");
  return r;
}

}  // namespace

Dashboard::Dashboard(DashboardPorts ports)
    : ports_(ports), alone_({}, *this, ports_.metrics, ports_.app.clock()) {}

std::size_t Dashboard::AssetBytes() { return kAppCss.size() + kAppJs.size(); }

Handled Dashboard::Handle(const Request& request, std::string_view request_id) {
  return alone_.Handle(request, request_id);
}

Response Dashboard::Failure(std::string_view request_id) {
  return Html(500, Layout("Internal error",
                          "<h1>Something failed on our side</h1><p>Request id " +
                              Escape(request_id) + "; the operator's log has the cause.</p>",
                          nullptr, ""));
}

Response Dashboard::Answer(const Request& request, std::string_view request_id, Handled& out) {
  CurrentRequest here{request_id, &out.cause};
  current_request = &here;
  struct Reset {
    ~Reset() { current_request = nullptr; }
  } reset;

  auto target = http::ParseTarget(request.target());
  if (!target) return Html(400, Layout("Bad request", ErrorBody(target.error(), "/"), nullptr, ""));
  const std::string path = PathOf(*target);
  if (path == "/static/app.css" || path == "/static/app.js") {  // no session needed
    out.route = path;
    return Asset(path);
  }
  if (path == "/signin") {
    out.route = "/signin";
    return SignIn(ports_.app, request, *target, out);
  }

  // Everything else needs a session.
  const std::string session = Cookie(request, kSessionCookie);
  auto who = SessionOf(ports_.app, session);
  if (!who) return std::move(who.error());
  if (!*who) {
    out.route = Owns(path) ? path : "unmatched";
    return NotSignedIn(*target, path, session);
  }
  out.live_owner = (*who)->session_id;
  const Identity& identity = (*who)->identity;
  out.actor = identity.token_id + "/" + identity.actor.name;
  const std::string csrf = CsrfToken(session);
  Visit visit{ports_.app, request, *target, identity, csrf, Today(ports_.app.clock())};
  if (request.method() == bhttp::verb::post) return Post(visit, path, session, request_id, out);
  if (request.method() != bhttp::verb::get) {
    Response r = Html(405, Layout("Method not allowed", "<h1>Use GET</h1>", &identity, csrf));
    r.set(bhttp::field::allow, "GET");
    return r;
  }
  return GetPage(visit, path, out);
}

}  // namespace waymark::web
