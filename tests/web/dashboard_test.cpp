// The dashboard as a plain function of a request (no sockets, no browser):
// escaping and form parsing, charts' determinism, and the session, form
// token and access rules, and pages with rows, on the application's
// in-memory parts. The pages themselves run in a real browser in
// tests/browser/.

#include "adapters/web/dashboard.hpp"

#include <gtest/gtest.h>

#include <boost/beast/http/field.hpp>

#include "adapters/api/api.hpp"
#include "adapters/web/charts.hpp"
#include "adapters/web/forms.hpp"
#include "adapters/web/html.hpp"
#include "adapters/web/records.hpp"
#include "core/checkpoint_store.hpp"
#include "core/timer_store.hpp"
#include "tests/support/memory_programme.hpp"
#include "tests/workflows/development_cycle.hpp"
#include "workflows/assessment/assessment_workflow.hpp"

namespace waymark::web {
namespace {

namespace bhttp = boost::beast::http;

TEST(Html, EscapesEveryCharacterThatEndsTextOrAnAttribute) {
  EXPECT_EQ(Escape(R"(<script>alert("x" & 'y')</script>)"),
            "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;");
  EXPECT_EQ(Escape("Fife — plain"), "Fife — plain");
}

TEST(Html, FormsDecodeAndRefuseWhatIsNotText) {
  auto form = ParseForm("summary=Sent+to+all%0D%0Amembers&links=https%3A%2F%2Fa.example&_csrf=");
  ASSERT_TRUE(form) << form.error().message;
  EXPECT_EQ(form->at("summary"), "Sent to all\r\nmembers");
  EXPECT_EQ(form->at("links"), "https://a.example");
  EXPECT_EQ(form->at("_csrf"), "");
  EXPECT_FALSE(ParseForm("a=1&a=2"));         // repeated
  EXPECT_FALSE(ParseForm("a=%zz"));           // bad escape
  EXPECT_FALSE(ParseForm("a=%0"));            // cut escape
  EXPECT_FALSE(ParseForm("a=x%00y"));         // NUL
  EXPECT_FALSE(ParseForm("a=%1b"));           // another control character
  EXPECT_FALSE(ParseForm("a=%ff%fe"));        // not UTF-8
  EXPECT_FALSE(ParseForm("a=%ed%a0%80"));     // a surrogate
  EXPECT_TRUE(ParseForm("a=%e2%80%94&&b="));  // an em dash; empty pairs skipped
  EXPECT_EQ(Humanize("SubmitEvidence"), "Submit evidence");
  EXPECT_EQ(Humanize("value_gbp"), "Value gbp");
}

TEST(Charts, AreTheSameBytesForTheSameDataAndEscapeTheirText) {
  const std::vector<std::string> axes = {"membership", "influence", "conduit"};
  const std::vector<Series> series = {{"Self <score>", {4, 3, std::nullopt}},
                                      {"Moderated", {4, 2, 5}}};
  const auto a = RadarChart("r", "Round <1>", "desc & more", axes, series, 5);
  EXPECT_EQ(a, RadarChart("r", "Round <1>", "desc & more", axes, series, 5));
  EXPECT_NE(a.find("<title id=\"r-t\">Round &lt;1&gt;</title>"), std::string::npos);
  EXPECT_NE(a.find("<desc id=\"r-d\">desc &amp; more</desc>"), std::string::npos);
  EXPECT_NE(a.find("Self &lt;score&gt;"), std::string::npos);
  EXPECT_EQ(a.find("<score>"), std::string::npos);
  EXPECT_NE(a.find("stroke-dasharray"), std::string::npos);  // the second series' second cue
  // Each series differs by colour, dash and marker, so none rests on colour alone.
  for (std::size_t i = 0; i < 3; ++i) {
    for (std::size_t j = i + 1; j < 3; ++j) {
      EXPECT_NE(StyleOf(i).dash, StyleOf(j).dash);
      EXPECT_NE(StyleOf(i).shape, StyleOf(j).shape);
    }
  }
  const auto t =
      Timeline("t", "Plan", {{"Survey <x>", "2026-11-09", Shape::kTriangle, "#d55e00", "Overdue"}},
               "2026-11-28");
  EXPECT_NE(t.find("today"), std::string::npos);
  EXPECT_NE(t.find("Survey &lt;x&gt; due 2026-11-09 (Overdue)"), std::string::npos);
  EXPECT_EQ(t.find("<a "), std::string::npos);  // one image, no controls inside
}

class DashboardTest : public ::testing::Test {
 protected:
  DashboardTest()
      : parts_(*ParseRfc3339("2026-11-28T10:00:00Z")),
        dashboard_({parts_.programme, parts_.metrics}) {}

  // The session cookie of a token signed in (one session per token).
  std::string SessionCookie(const std::string& token) {
    auto& cookie = cookies_[token];
    if (cookie.empty()) {
      auto identity = Authenticate(*tokens_, token);
      EXPECT_TRUE(identity);
      auto begun = BeginSession(*sessions_, clock_, *identity);
      EXPECT_TRUE(begun);
      cookie = "waymark_session=" + begun->cookie;
    }
    return cookie;
  }

  std::string Token(std::string_view role, std::string_view network = "") {
    auto issued = CreateToken(*tokens_, clock_, role, std::string(role) + "-person", network);
    EXPECT_TRUE(issued) << issued.error().message;
    return issued->token;
  }

  http::Handled Send(bhttp::verb method, std::string target, std::string cookie = "",
                     std::string form = "", std::string origin = "") {
    http::Request request{method, target, 11};
    request.set(bhttp::field::host, "waymark.test");
    if (!cookie.empty()) request.set(bhttp::field::cookie, cookie);
    if (!origin.empty()) request.set(bhttp::field::origin, origin);
    if (!form.empty()) {
      request.set(bhttp::field::content_type, "application/x-www-form-urlencoded");
    }
    request.body() = std::move(form);
    request.prepare_payload();
    return dashboard_.Handle(request, "req-1");
  }

  // The form token of a session: as a page of it carries it.
  std::string CsrfOf(const std::string& token) {
    auto page = Send(bhttp::verb::get, "/networks/ne", SessionCookie(token));
    const std::string body = page.response.body();
    const auto at = body.find("name=\"_csrf\" value=\"");
    EXPECT_NE(at, std::string::npos) << body;
    return body.substr(at + 20, 64);
  }

  void Register(std::string_view id) {
    CommandRequest c{"network-" + std::string(id),
                     "RegisterNetwork",
                     {{"name", std::string(id)}, {"region", "North"}},
                     std::nullopt,
                     "",
                     {"ada", "admin", ""},
                     "",
                     ""};
    ASSERT_TRUE(handler_.Handle(c));
  }

  testing::MemoryProgramme parts_;
  ManualClock& clock_ = parts_.clock;
  std::unique_ptr<EventStore>& store_ = parts_.store;
  CommandHandler& handler_ = parts_.handler;
  std::unique_ptr<TokenStore>& tokens_ = parts_.tokens;
  std::unique_ptr<SessionStore>& sessions_ = parts_.sessions;
  std::map<std::string, std::string> cookies_;
  Dashboard dashboard_;
};

TEST_F(DashboardTest, TheSiteRoutesTheApisPathsToTheApiAndEveryOtherToTheDashboard) {
  api::Api api({parts_.programme, parts_.metrics, clock_});
  std::vector<http::DoorRoute> routes;
  for (const auto& path : api::Api::Paths()) routes.push_back({path, &api});
  http::Pipeline site(routes, dashboard_, parts_.metrics, clock_);
  const auto get = [&](const std::string& path, const std::string& cookie = "") {
    http::Request request{bhttp::verb::get, path, 11};
    if (!cookie.empty()) request.set(bhttp::field::cookie, cookie);
    return site.Handle(request, "r").response;
  };
  for (const char* path : {"/api/v1/networks", "/api/v1/nope", "/healthz", "/readyz?x=1"}) {
    const auto r = get(path);
    EXPECT_NE(std::string(r[bhttp::field::content_type]).find("json"), std::string::npos) << path;
  }
  EXPECT_EQ(std::string(get("/metrics")[bhttp::field::content_type]).substr(0, 10), "text/plain");
  for (const char* path : {"/", "/nope", "/healthzx", "/apiary", "/networks/ne"}) {
    EXPECT_EQ(get(path).result_int(), 303u) << path;  // the dashboard's: sign in first
  }
  // Signed in, an address the dashboard does not know is a page with a way back.
  const auto unknown = get("/nope", SessionCookie(Token("officer")));
  EXPECT_EQ(unknown.result_int(), 404u);
  EXPECT_EQ(unknown[bhttp::field::content_type], "text/html; charset=utf-8");
  EXPECT_NE(unknown.body().find("<a href=\"/\">Back</a>"), std::string::npos) << unknown.body();
}

TEST_F(DashboardTest, SignsInWithATokenIntoAnHttpOnlyStrictCookie) {
  auto first = Send(bhttp::verb::get, "/");
  EXPECT_EQ(first.response.result_int(), 303u);
  EXPECT_EQ(first.response[bhttp::field::location], "/signin");

  auto form = Send(bhttp::verb::get, "/signin");
  ASSERT_EQ(form.response.result_int(), 200u);
  const std::string nonce_cookie(form.response[bhttp::field::set_cookie]);
  EXPECT_NE(nonce_cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(nonce_cookie.find("SameSite=Strict"), std::string::npos);
  const std::string nonce = nonce_cookie.substr(15, nonce_cookie.find(';') - 15);
  const std::string csp(form.response["Content-Security-Policy"]);
  EXPECT_NE(csp.find("script-src 'self'"), std::string::npos);
  EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos);

  const std::string token = Token("officer");
  // Without the sign-in page's nonce: refused.
  EXPECT_EQ(
      Send(bhttp::verb::post, "/signin", "", "token=" + token + "&_csrf=x").response.result_int(),
      403u);
  // A wrong token: back to the form, saying so.
  auto wrong = Send(bhttp::verb::post, "/signin", "waymark_signin=" + nonce,
                    "token=wmk_0000000000000000_00&_csrf=" + nonce);
  EXPECT_EQ(wrong.response[bhttp::field::location], "/signin?revoked=1");
  auto ok = Send(bhttp::verb::post, "/signin", "waymark_signin=" + nonce,
                 "token=" + token + "&_csrf=" + nonce);
  ASSERT_EQ(ok.response.result_int(), 303u) << ok.response.body();
  bool session = false;
  for (const auto& field : ok.response.base()) {
    if (field.name() != bhttp::field::set_cookie) continue;
    const std::string value(field.value());
    if (!value.starts_with("waymark_session=")) continue;
    session = true;
    // The server's own session, never the token itself.
    EXPECT_TRUE(value.starts_with("waymark_session=wms_")) << value;
    EXPECT_EQ(value.find(token.substr(21)), std::string::npos) << value;
    EXPECT_NE(value.find("HttpOnly"), std::string::npos);
    EXPECT_NE(value.find("SameSite=Strict"), std::string::npos);
    EXPECT_NE(value.find("Path=/"), std::string::npos);
  }
  EXPECT_TRUE(session);
  EXPECT_FALSE(ok.actor.empty());
  EXPECT_EQ(ok.actor.find(token), std::string::npos);  // logs name the token's id, not the token
}

TEST_F(DashboardTest, AFormIsTakenOnlyWithItsSessionsTokenFromThisSite) {
  Register("ne");
  const std::string token = Token("network", "ne");
  const std::string cookie = SessionCookie(token);
  const std::string csrf = CsrfOf(token);
  const auto count = [&] { return *store_->CountEvents(); };
  const std::string form =
      "_stream=network-ne&_type=RecordMembership&_version=1&members=30&active_members=12";
  const auto before = count();
  EXPECT_EQ(Send(bhttp::verb::post, "/commands", cookie, form).response.result_int(), 403u);
  EXPECT_EQ(Send(bhttp::verb::post, "/commands", cookie, form + "&_csrf=" + std::string(64, '0'))
                .response.result_int(),
            403u);
  EXPECT_EQ(Send(bhttp::verb::post, "/commands", cookie, form + "&_csrf=" + csrf,
                 "https://elsewhere.example")
                .response.result_int(),
            403u);
  // Another session's token is not this one's.
  const std::string other = CsrfOf(Token("network", "ne"));
  EXPECT_EQ(
      Send(bhttp::verb::post, "/commands", cookie, form + "&_csrf=" + other).response.result_int(),
      403u);
  EXPECT_EQ(count(), before);
  // A field the command does not have, or a bad number: refused, nothing stored.
  auto extra = Send(bhttp::verb::post, "/commands", cookie, form + "&_csrf=" + csrf + "&actor=x");
  EXPECT_EQ(extra.response.result_int(), 400u);
  EXPECT_NE(extra.response.body().find("field &#39;actor&#39; is not one of"), std::string::npos);
  auto bad =
      Send(bhttp::verb::post, "/commands", cookie,
           "_stream=network-ne&_type=RecordMembership&members=many&active_members=1&_csrf=" + csrf);
  EXPECT_EQ(bad.response.result_int(), 400u);
  EXPECT_NE(bad.response.body().find("field members: a whole number from 0 to 1000000"),
            std::string::npos);
  EXPECT_EQ(count(), before);
  // From this site, with its token: recorded under the session's actor, back to the page.
  auto taken = Send(bhttp::verb::post, "/commands", cookie,
                    form + "&_csrf=" + csrf + "&_back=%2Fnetworks%2Fne", "http://waymark.test");
  ASSERT_EQ(taken.response.result_int(), 303u) << taken.response.body();
  EXPECT_EQ(taken.response[bhttp::field::location], "/networks/ne?done=RecordMembership");
  EXPECT_EQ(count(), before + 1);
  auto events = store_->ReadStream("network-ne", 2, 1);
  EXPECT_EQ(events->front().metadata.actor, "network-person");
  EXPECT_EQ(events->front().data.at("members").as_int64(), 30);
  // The same form again: its version is stale now; the page says what changed
  // and offers the form again with what was typed, at the version it is now.
  auto again = Send(bhttp::verb::post, "/commands", cookie, form + "&_csrf=" + csrf);
  EXPECT_EQ(again.response.result_int(), 409u);
  const std::string stale = again.response.body();
  EXPECT_NE(stale.find("Someone changed this network since you opened the page"), std::string::npos)
      << stale;
  EXPECT_NE(stale.find("What changed since you opened the page"), std::string::npos);
  EXPECT_NE(stale.find("<li>Membership recorded <span class=\"hint\">— network-person"),
            std::string::npos);
  EXPECT_NE(stale.find("name=\"members\" required type=\"number\" step=\"1\" min=\"0\" "
                       "max=\"1000000\" value=\"30\""),
            std::string::npos)
      << stale;
  EXPECT_NE(stale.find("name=\"_version\" value=\"2\""), std::string::npos);
  EXPECT_EQ(count(), before + 1);
  // Back only to a page of this site.
  auto away =
      Send(bhttp::verb::post, "/commands", cookie,
           "_stream=network-ne&_type=RecordMembership&members=31&active_members=12&_csrf=" + csrf +
               "&_back=%2F%2Fevil.example");
  EXPECT_EQ(away.response[bhttp::field::location], "/?done=RecordMembership");
}

TEST_F(DashboardTest, AFormBeginsANewStreamWithTheIdTypedIn) {
  Register("ne");
  const std::string token = Token("officer");
  const std::string cookie = SessionCookie(token);
  // The network's page offers to begin its other kinds of record, never to
  // change the network, with no id to type: a milestone waits for a plan.
  const std::string page = Send(bhttp::verb::get, "/networks/ne", cookie).response.body();
  for (const char* begin : {"Start assessment", "Identify step"}) {
    EXPECT_NE(page.find(std::string("<summary>") + begin + "</summary>"), std::string::npos)
        << begin;
  }
  EXPECT_NE(page.find("Schedule milestone needs a plan first."), std::string::npos) << page;
  EXPECT_EQ(page.find("its stream is"), std::string::npos);
  EXPECT_EQ(page.find("name=\"network_id\" type=\"text\""), std::string::npos);
  EXPECT_EQ(page.find("name=\"_id\" type=\"text\" required"), std::string::npos);
  const std::string csrf = CsrfOf(token);
  const std::string form = "_csrf=" + csrf +
                           "&_kind=assessment&_type=StartAssessment&_version=0&network_id=ne"
                           "&period=2027+spring&_back=%2Fnetworks%2Fne&_id=";
  auto made = Send(bhttp::verb::post, "/commands", cookie, form + "ne-round1");
  ASSERT_EQ(made.response.result_int(), 303u) << made.response.body();
  EXPECT_EQ(made.response[bhttp::field::location],
            "/streams/assessment-ne-round1?done=StartAssessment");
  EXPECT_EQ(store_->ReadStream("assessment-ne-round1", 1, 5)->size(), 1u);
  // The same id again is refused (it exists), and a malformed id names the rule.
  EXPECT_EQ(Send(bhttp::verb::post, "/commands", cookie, form + "ne-round1").response.result_int(),
            409u);
  auto bad = Send(bhttp::verb::post, "/commands", cookie, form + "no%20spaces");
  EXPECT_EQ(bad.response.result_int(), 400u);
  EXPECT_NE(bad.response.body().find("must be 1 to 64 characters"), std::string::npos);
  // Left empty, the id is made from the title (after the network's), unique.
  auto named = Send(bhttp::verb::post, "/commands", cookie, form);
  ASSERT_EQ(named.response.result_int(), 303u) << named.response.body();
  EXPECT_EQ(named.response[bhttp::field::location],
            "/streams/assessment-ne-2027-spring?done=StartAssessment");
  EXPECT_EQ(Send(bhttp::verb::post, "/commands", cookie, form).response[bhttp::field::location],
            "/streams/assessment-ne-2027-spring-2?done=StartAssessment");
  // A network may not begin an assessment: its page does not offer to.
  const std::string own =
      Send(bhttp::verb::get, "/networks/ne", SessionCookie(Token("network", "ne"))).response.body();
  EXPECT_EQ(own.find("<summary>Start assessment</summary>"), std::string::npos);
  EXPECT_NE(own.find("<summary>Identify step</summary>"), std::string::npos);
}

TEST_F(DashboardTest, ANetworkSeesOnlyItsOwn) {
  Register("ne");
  Register("nw");
  const std::string cookie = SessionCookie(Token("network", "ne"));
  EXPECT_EQ(Send(bhttp::verb::get, "/networks/ne", cookie).response.result_int(), 200u);
  auto other = Send(bhttp::verb::get, "/networks/nw", cookie);
  EXPECT_EQ(other.response.result_int(), 404u);
  EXPECT_EQ(other.response.body().find(">nw<"), std::string::npos);
  EXPECT_EQ(Send(bhttp::verb::get, "/streams/network-nw/history", cookie).response.result_int(),
            404u);
  EXPECT_EQ(Send(bhttp::verb::get, "/networks/nope", cookie).response.result_int(), 404u);
  auto home = Send(bhttp::verb::get, "/", cookie);
  EXPECT_EQ(home.response[bhttp::field::location], "/networks/ne");
  // The officer sees both.
  const std::string officer = SessionCookie(Token("officer"));
  EXPECT_EQ(Send(bhttp::verb::get, "/networks/nw", officer).response.result_int(), 200u);
}

TEST_F(DashboardTest, LiveUpdatesAndAssetsNeedTheirOwnAnswers) {
  EXPECT_EQ(Send(bhttp::verb::get, "/live").response.result_int(), 401u);
  auto live = Send(bhttp::verb::get, "/live", SessionCookie(Token("auditor")));
  EXPECT_TRUE(live.live);
  EXPECT_EQ(live.response.result_int(), 200u);
  auto css = Send(bhttp::verb::get, "/static/app.css");
  EXPECT_EQ(css.response.result_int(), 200u);
  EXPECT_LT(Dashboard::AssetBytes(), 100u * 1024);
  // A revoked or unknown session is sent to sign in again, its cookie cleared.
  auto stale = Send(bhttp::verb::get, "/", "waymark_session=wmk_0000000000000000_00");
  EXPECT_EQ(stale.response[bhttp::field::location], "/signin?revoked=1");
}

TEST_F(DashboardTest, SessionsAreTheServersOwnAndEndOnTheServer) {
  Register("ne");
  const std::string token = Token("officer");
  // The token itself is no session.
  EXPECT_EQ(
      Send(bhttp::verb::get, "/", "waymark_session=" + token).response[bhttp::field::location],
      "/signin?revoked=1");
  const std::string cookie = SessionCookie(token);
  ASSERT_EQ(Send(bhttp::verb::get, "/networks/ne", cookie).response.result_int(), 200u);
  auto live = Send(bhttp::verb::get, "/live", cookie);
  ASSERT_TRUE(live.live);
  ASSERT_FALSE(live.live_owner.empty());  // the server caps and ends streams by it
  EXPECT_TRUE(*SessionStands(*sessions_, *tokens_, clock_, live.live_owner));
  // Signing out ends it on the server: the same cookie no longer signs in.
  auto out = Send(bhttp::verb::post, "/signout", cookie, "_csrf=" + CsrfOf(token), "");
  EXPECT_EQ(out.response[bhttp::field::location], "/signin");
  EXPECT_EQ(Send(bhttp::verb::get, "/networks/ne", cookie).response[bhttp::field::location],
            "/signin?revoked=1");
  EXPECT_FALSE(*SessionStands(*sessions_, *tokens_, clock_, live.live_owner));

  // A session expires on the server's clock after 12 hours.
  cookies_.clear();
  const std::string second = SessionCookie(token);
  clock_.Advance(std::chrono::hours(12) - std::chrono::seconds(1));
  EXPECT_EQ(Send(bhttp::verb::get, "/networks/ne", second).response.result_int(), 200u);
  clock_.Advance(std::chrono::seconds(1));
  EXPECT_EQ(Send(bhttp::verb::get, "/networks/ne", second).response[bhttp::field::location],
            "/signin?revoked=1");

  // Revoking the token ends every session resting on it.
  cookies_.clear();
  const std::string third = SessionCookie(token);
  auto owner = Send(bhttp::verb::get, "/live", third).live_owner;
  auto identity = Authenticate(*tokens_, token);
  ASSERT_TRUE(identity);
  ASSERT_TRUE(*tokens_->Revoke(identity->token_id, clock_.Now()));
  EXPECT_EQ(Send(bhttp::verb::get, "/networks/ne", third).response[bhttp::field::location],
            "/signin?revoked=1");
  EXPECT_FALSE(*SessionStands(*sessions_, *tokens_, clock_, owner));
}

// Pages over rows: DESIGN.md's development cycle recorded, projected into the
// in-memory read models, and read through each person's pages.
class DashboardWithRowsTest : public DashboardTest {
 protected:
  void SetUp() override {
    testing::DevelopmentCycle(*store_, *checkpoints_, *timers_, clock_).Run();
    parts_.Project();
  }
  std::string CookieOf(std::string_view role, std::string_view name,
                       std::string_view network = "") {
    auto issued = CreateToken(*tokens_, clock_, role, name, network);
    EXPECT_TRUE(issued);
    return SessionCookie(issued->token);
  }
  std::string Page(const std::string& target, const std::string& cookie, unsigned status = 200) {
    auto handled = Send(bhttp::verb::get, target, cookie);
    EXPECT_EQ(handled.response.result_int(), status) << target << "\n" << handled.response.body();
    return handled.response.body();
  }

  std::unique_ptr<CheckpointStore> checkpoints_ = MakeMemoryCheckpointStore();
  std::unique_ptr<TimerStore> timers_ = MakeMemoryTimerStore();
};

TEST_F(DashboardWithRowsTest, AnOfficersCaseloadListsTheirNetworksByNameAndNoOneElses) {
  const std::string olivia = CookieOf("officer", "olivia");
  const std::string caseload = Page("/", olivia);
  EXPECT_NE(caseload.find("Your networks <span class=\"hint\">(1)</span>"), std::string::npos)
      << caseload;
  EXPECT_NE(caseload.find(">Northside LSEN</a>"), std::string::npos);
  EXPECT_EQ(caseload.find("Westway"), std::string::npos);  // no officer: not hers
  // An admin sees the programme's networks, by name, with their officers.
  const std::string all = Page("/", CookieOf("admin", "ada"));
  const auto northside = all.find(">Northside LSEN</a>"), westway = all.find(">Westway</a>");
  ASSERT_NE(northside, std::string::npos);
  ASSERT_NE(westway, std::string::npos);
  EXPECT_LT(northside, westway);
  EXPECT_NE(all.find("<td>olivia</td>"), std::string::npos);
}

TEST_F(DashboardWithRowsTest, RecordPagesShowWhatTheCycleRecorded) {
  const std::string olivia = CookieOf("officer", "olivia");
  const std::string network = Page("/networks/ne", olivia);
  EXPECT_NE(network.find("<h1>Northside LSEN</h1>"), std::string::npos) << network;
  EXPECT_NE(network.find("North West"), std::string::npos);
  const std::string milestone = Page("/streams/milestone-m1", olivia);
  EXPECT_NE(milestone.find("Achieved"), std::string::npos) << milestone;
  const std::string history = Page("/streams/milestone-m1/history", olivia);
  EXPECT_NE(history.find("Hash chain intact"), std::string::npos);
  const std::string report = Page("/report?from=2026-01-01&to=2027-12-31", olivia);
  EXPECT_NE(report.find("Networks by stage at the end of the period"), std::string::npos);
  // As of before the network was registered, it is not there.
  Page("/networks/ne?as_of=2020-01-01", olivia, 404);
  Page("/networks/ne?as_of=someday", olivia, 400);
}

TEST_F(DashboardWithRowsTest, WhatNeedsYouListsEachPersonsStepsWithACountInTheNavigation) {
  const Actor olivia{"olivia", "officer", ""}, nadia{"nadia", "network", "ne"};
  const auto must = [&](const std::string& stream, const std::string& type,
                        boost::json::object data, const Actor& actor) {
    auto r = handler_.Handle({stream, type, std::move(data), std::nullopt, "", actor, "", ""});
    ASSERT_TRUE(r) << type << ": " << r.error().message;
  };
  must("assessment-a2", "StartAssessment", {{"network_id", "ne"}, {"period", "2027"}}, olivia);
  for (auto dimension : workflows::kDimensions) {
    must("assessment-a2", "ScoreDimension", {{"dimension", dimension}, {"score", 3}, {"note", "n"}},
         nadia);
  }
  must("assessment-a2", "SubmitAssessment", {}, nadia);
  parts_.Project();

  const std::string officer = Page("/tasks", CookieOf("officer", "olivia"));
  EXPECT_NE(officer.find("<a href=\"/streams/assessment-a2\"><strong>Approve the "
                         "assessment</strong></a> <span>Assessment 2027</span>"),
            std::string::npos)
      << officer;
  EXPECT_NE(officer.find("· Northside LSEN"), std::string::npos);
  EXPECT_NE(officer.find("What needs you <span class=\"count\">1</span>"), std::string::npos);
  // The navigation counts on every page.
  EXPECT_NE(Page("/", CookieOf("officer", "olivia")).find("<span class=\"count\">1</span>"),
            std::string::npos);
  // Another officer's caseload is not theirs; nadia submitted it, so it waits on no network.
  EXPECT_NE(Page("/tasks", CookieOf("officer", "oscar")).find("Nothing waits on you"),
            std::string::npos);
  const std::string network = Page("/tasks", CookieOf("network", "nadia", "ne"));
  EXPECT_EQ(network.find("Approve the assessment"), std::string::npos);
  // An auditor has no such list.
  const std::string auditor = Page("/networks/ne", CookieOf("auditor", "aud"));
  EXPECT_EQ(auditor.find("What needs you"), std::string::npos);
}

TEST_F(DashboardWithRowsTest, ANetworksPagesHoldItsOwnRowsOnly) {
  const std::string nadia = CookieOf("network", "nadia", "ne");
  EXPECT_NE(Page("/networks/ne", nadia).find("Northside LSEN"), std::string::npos);
  Page("/networks/nw", nadia, 404);
  Page("/streams/network-nw/history", nadia, 404);
  const std::string report = Page("/report?from=2026-01-01&to=2027-12-31", nadia);
  EXPECT_EQ(report.find("Westway"), std::string::npos);
}

TEST_F(DashboardWithRowsTest, FormsNameRecordsByTheirTitlesNeverByIds) {
  const std::string olivia = CookieOf("officer", "olivia");
  const std::string network = Page("/networks/ne", olivia);
  // Advancing a stage rests on an assessment chosen by its period and state.
  EXPECT_NE(network.find("<option value=\"a1\" selected>2026 assessment (Approved)</option>"),
            std::string::npos)
      << network;
  EXPECT_EQ(network.find("name=\"assessment_id\" type=\"text\""), std::string::npos);
  // The plans by what they come from, never "plan a1".
  EXPECT_NE(network.find(">Action plan from the 2026 assessment</a>"), std::string::npos);
  // A milestone's page names its plan and action in words; ids only for auditors.
  const std::string milestone = Page("/streams/milestone-m1", olivia);
  EXPECT_NE(milestone.find("<dt>Plan</dt><dd><a href=\"/streams/plan-a1\">Action plan from the "
                           "2026 assessment</a></dd>"),
            std::string::npos)
      << milestone;
  const auto auditors = milestone.find("<details class=\"audit\"><summary>For auditors</summary>");
  ASSERT_NE(auditors, std::string::npos);
  EXPECT_EQ(milestone.substr(0, auditors).find("version"), std::string::npos);
  EXPECT_NE(milestone.find("Stream milestone-m1 at version", auditors), std::string::npos);
}

TEST_F(DashboardWithRowsTest, ARefusedFormComesBackWithWhatWasTypedAndTheReasonBesideIt) {
  ASSERT_TRUE(handler_.Handle({"assessment-a2", "StartAssessment",
                               boost::json::object{{"network_id", "ne"}, {"period", "2027"}},
                               std::nullopt, "", Actor{"olivia", "officer", ""}, "", ""}));
  const std::string token = Token("network", "ne");
  const std::string cookie = SessionCookie(token);
  const auto before = *store_->CountEvents();
  auto refused = Send(bhttp::verb::post, "/commands", cookie,
                      "_csrf=" + CsrfOf(token) +
                          "&_stream=assessment-a2&_type=ScoreDimension&_version=1&dimension="
                          "influence&score=9&note=Seat+on+the+partnership+board&_back=%2F");
  EXPECT_EQ(refused.response.result_int(), 400u);
  const std::string body = refused.response.body();
  EXPECT_NE(body.find("<option value=\"influence\" selected>Influence</option>"), std::string::npos)
      << body;
  EXPECT_NE(body.find(">Seat on the partnership board</textarea>"), std::string::npos);
  EXPECT_NE(body.find("aria-invalid=\"true\" aria-describedby=\"f-assessment-a2-ScoreDimension-"
                      "score-error\""),
            std::string::npos);
  EXPECT_NE(body.find("<p class=\"field-error\" id=\"f-assessment-a2-ScoreDimension-score-error\">"
                      "Score must be"),
            std::string::npos)
      << body;
  EXPECT_EQ(*store_->CountEvents(), before);
}

TEST_F(DashboardWithRowsTest, WhatCannotBeUndoneIsConfirmedFirst) {
  const Actor olivia{"olivia", "officer", ""}, nadia{"nadia", "network", "ne"};
  ASSERT_TRUE(handler_.Handle({"assessment-a2", "StartAssessment",
                               boost::json::object{{"network_id", "ne"}, {"period", "2027"}},
                               std::nullopt, "", olivia, "", ""}));
  for (auto dimension : workflows::kDimensions) {
    ASSERT_TRUE(handler_.Handle(
        {"assessment-a2", "ScoreDimension",
         boost::json::object{{"dimension", dimension}, {"score", 3}, {"note", "from the survey"}},
         std::nullopt, "", nadia, "", ""}));
  }
  EXPECT_TRUE(NeedsConfirmation("SubmitAssessment"));
  EXPECT_TRUE(NeedsConfirmation("VerifyMilestone"));
  EXPECT_FALSE(NeedsConfirmation("ScoreDimension"));
  const std::string token = Token("network", "ne");
  const std::string cookie = SessionCookie(token);
  const std::string form = "_csrf=" + CsrfOf(token) +
                           "&_stream=assessment-a2&_type=SubmitAssessment&_version=11&_key=k1"
                           "&_back=%2Fstreams%2Fassessment-a2";
  const auto before = *store_->CountEvents();
  auto asked = Send(bhttp::verb::post, "/commands", cookie, form);
  EXPECT_EQ(asked.response.result_int(), 200u);
  const std::string page = asked.response.body();
  EXPECT_NE(page.find("<h1>Submit assessment?</h1>"), std::string::npos) << page;
  EXPECT_NE(page.find("<dd class=\"typed\">2027 assessment</dd>"), std::string::npos);
  EXPECT_NE(page.find("cannot undo this yourself"), std::string::npos);
  EXPECT_NE(page.find("name=\"_confirm\" value=\"yes\""), std::string::npos);
  EXPECT_EQ(*store_->CountEvents(), before);  // nothing yet
  auto done = Send(bhttp::verb::post, "/commands", cookie, form + "&_confirm=yes");
  ASSERT_EQ(done.response.result_int(), 303u) << done.response.body();
  EXPECT_EQ(*store_->CountEvents(), before + 1);
  // Not offered to confirm what the record would refuse: a second submission.
  auto twice = Send(bhttp::verb::post, "/commands", cookie,
                    "_csrf=" + CsrfOf(token) +
                        "&_stream=assessment-a2&_type=SubmitAssessment&_version=12&_back=%2F");
  EXPECT_EQ(twice.response.result_int(), 422u) << twice.response.body();
}

TEST_F(DashboardWithRowsTest, AnAssessmentIsScoredOnOnePageADimensionAtATimeOrAllAtOnce) {
  ASSERT_TRUE(handler_.Handle({"assessment-a2", "StartAssessment",
                               boost::json::object{{"network_id", "ne"}, {"period", "2027"}},
                               std::nullopt, "", Actor{"olivia", "officer", ""}, "", ""}));
  const std::string token = Token("network", "ne");
  const std::string cookie = SessionCookie(token);
  const std::string page = Page("/streams/assessment-a2", cookie);
  EXPECT_NE(page.find("— 0 of 10 scored"), std::string::npos) << page;
  EXPECT_NE(page.find("An active and growing membership of social enterprises."),
            std::string::npos);
  EXPECT_NE(page.find("Last round (2026): <strong>"), std::string::npos);  // a1, approved
  EXPECT_NE(page.find("name=\"score.joint_working\" value=\"5\""), std::string::npos);
  EXPECT_EQ(page.find("<summary>Score dimension</summary>"), std::string::npos);  // not twice
  const std::string form =
      "_csrf=" + CsrfOf(token) + "&_stream=assessment-a2&_type=ScoreDimension&_version=1&_key=k";
  const auto before = *store_->CountEvents();
  // A score without what it rests on: refused, everything typed kept, nothing saved.
  auto refused = Send(bhttp::verb::post, "/scores", cookie,
                      form +
                          "&_only=&score.membership=4&note.membership=Survey&score.influence=2"
                          "&note.influence=");
  EXPECT_EQ(refused.response.result_int(), 400u);
  const std::string again = refused.response.body();
  EXPECT_NE(again.find("Everything you typed is kept below"), std::string::npos) << again;
  EXPECT_NE(again.find("name=\"score.membership\" value=\"4\" checked"), std::string::npos);
  EXPECT_NE(again.find(">Survey</textarea>"), std::string::npos);
  EXPECT_NE(again.find("<p class=\"field-error\" id=\"d-influence-error\" role=\"alert\">say "
                       "what the score rests on</p>"),
            std::string::npos);
  EXPECT_EQ(*store_->CountEvents(), before);
  // All chosen at once: each saved in turn, back to the page.
  auto saved = Send(bhttp::verb::post, "/scores", cookie,
                    form +
                        "&_only=&score.membership=4&note.membership=Survey&score.influence=2"
                        "&note.influence=Not+yet+invited");
  ASSERT_EQ(saved.response.result_int(), 303u) << saved.response.body();
  EXPECT_EQ(*store_->CountEvents(), before + 2);
  EXPECT_NE(Page("/streams/assessment-a2", cookie).find("— 2 of 10 scored"), std::string::npos);
  // One on its own; the same again is nothing new.
  const std::string next =
      "_csrf=" + CsrfOf(token) + "&_stream=assessment-a2&_type=ScoreDimension&_version=3";
  auto one = Send(bhttp::verb::post, "/scores", cookie,
                  next +
                      "&_only=conduit&score.conduit=3&note.conduit=Monthly+bulletin"
                      "&score.membership=5&note.membership=changed+but+not+asked");
  ASSERT_EQ(one.response.result_int(), 303u) << one.response.body();
  EXPECT_EQ(one.response[bhttp::field::location],
            "/streams/assessment-a2?done=ScoreDimension#d-conduit");
  EXPECT_EQ(*store_->CountEvents(), before + 3);
  auto state = store_->ReadStream("assessment-a2", 1, 10);
  EXPECT_EQ(state->back().data.at("dimension").as_string(), "conduit");
  auto nothing = Send(
      bhttp::verb::post, "/scores", cookie,
      "_csrf=" + CsrfOf(token) + "&_stream=assessment-a2&_type=ScoreDimension&_version=4&_only=");
  EXPECT_EQ(nothing.response.result_int(), 400u);
  EXPECT_NE(nothing.response.body().find("nothing new to save"), std::string::npos);
}

TEST_F(DashboardWithRowsTest, ARecordPageShowsItAsItStoodAtATimeOrAVersion) {
  const std::string auditor = CookieOf("auditor", "audrey");
  const Actor olivia{"olivia", "officer", ""}, nadia{"nadia", "network", "ne"};
  ASSERT_TRUE(handler_.Handle({"assessment-a3", "StartAssessment",
                               boost::json::object{{"network_id", "ne"}, {"period", "2028"}},
                               std::nullopt, "", olivia, "", ""}));
  const Timestamp begun = clock_.Now();
  clock_.Advance(std::chrono::hours(2));
  ASSERT_TRUE(handler_.Handle(
      {"assessment-a3", "ScoreDimension",
       boost::json::object{{"dimension", "membership"}, {"score", 4}, {"note", "survey"}},
       std::nullopt, "", nadia, "", ""}));
  const std::string now = Page("/streams/assessment-a3", auditor);
  EXPECT_NE(now.find("— 1 of 10 scored"), std::string::npos) << now;
  const std::string then =
      Page("/streams/assessment-a3?as_of=" + FormatRfc3339(begun + std::chrono::hours(1)), auditor);
  EXPECT_NE(then.find("— 0 of 10 scored"), std::string::npos) << then;
  EXPECT_NE(then.find("<div class=\"banner asof\" role=\"note\"><strong>As of " +
                      app::LondonTime(begun + std::chrono::hours(1)) + "</strong>"),
            std::string::npos);
  EXPECT_EQ(then.find("action=\"/commands\""), std::string::npos);  // nothing to do in the past
  EXPECT_EQ(then.find("data-live"), std::string::npos);
  // The form's day and UK time (GMT in November) ask the same.
  const std::string local = FormatRfc3339(begun + std::chrono::hours(1));
  const std::string form = Page(
      "/streams/assessment-a3?on=" + local.substr(0, 10) + "&at=" + local.substr(11, 5), auditor);
  EXPECT_NE(form.find("— 0 of 10 scored"), std::string::npos);
  const std::string first = Page("/streams/milestone-m1?version=1", auditor);
  EXPECT_NE(first.find("As it stood after its change number 1"), std::string::npos) << first;
  EXPECT_NE(first.find("Planned"), std::string::npos);
  // Before it began, and a malformed time: refused in words.
  const std::string early = Page("/streams/milestone-m1?on=2020-01-01&at=09:00", auditor, 404);
  EXPECT_NE(early.find("not yet recorded at the time asked (1 January 2020, 09:00 GMT)"),
            std::string::npos)
      << early;
  Page("/streams/milestone-m1?on=2026-11-28&at=noon", auditor, 400);
  Page("/streams/milestone-m1?version=0", auditor, 400);
}

TEST_F(DashboardWithRowsTest, TheCaseloadIsSearchedFilteredSortedAndCoversAColleague) {
  const std::string ada = CookieOf("admin", "ada");
  const std::string north = Page("/?q=NORTH", ada);
  EXPECT_NE(north.find(">Northside LSEN</a>"), std::string::npos) << north;
  EXPECT_EQ(north.find(">Westway</a>"), std::string::npos);
  EXPECT_NE(north.find("All networks <span class=\"hint\">(1 of 2)</span>"), std::string::npos);
  EXPECT_NE(north.find("name=\"q\" type=\"search\" value=\"NORTH\""), std::string::npos);
  EXPECT_NE(north.find("data-live=\"/caseload?q=NORTH&amp;part=live\""), std::string::npos);
  EXPECT_NE(Page("/?q=nowhere", ada).find("No network matches."), std::string::npos);
  const std::string theirs = Page("/?officer=olivia", ada);
  EXPECT_NE(theirs.find(">Northside LSEN</a>"), std::string::npos);
  EXPECT_EQ(theirs.find(">Westway</a>"), std::string::npos);
  // Northside has members, Westway none: most first.
  const std::string by_members = Page("/?sort=members", ada);
  EXPECT_LT(by_members.find(">Northside LSEN</a>"), by_members.find(">Westway</a>"));
  // An officer sees her own, and all of them to cover a colleague.
  const std::string olivia = CookieOf("officer", "olivia");
  EXPECT_EQ(Page("/", olivia).find(">Westway</a>"), std::string::npos);
  const std::string all = Page("/?scope=all", olivia);
  EXPECT_NE(all.find(">Westway</a>"), std::string::npos) << all;
  EXPECT_NE(all.find("<option value=\"all\" selected>All networks"), std::string::npos);
}

TEST_F(DashboardWithRowsTest, TheAdministratorGivesAndRevokesAccess) {
  const std::string ada = CookieOf("admin", "ada");
  EXPECT_NE(Page("/tokens", ada).find("<h1>Access</h1>"), std::string::npos);
  Page("/tokens", CookieOf("officer", "olivia"), 403);
  const auto post = [&](const std::string& path, const std::string& form) {
    const std::string csrf = [&] {
      const std::string body = Page("/tokens", ada);
      const auto at = body.find("name=\"_csrf\" value=\"");
      return body.substr(at + 20, 64);
    }();
    return Send(bhttp::verb::post, path, ada, "_csrf=" + csrf + "&" + form);
  };
  // A network that is not registered: refused, the name typed kept.
  auto refused = post("/tokens", "name=Morag&role=network&network=nowhere");
  EXPECT_EQ(refused.response.result_int(), 400u);
  EXPECT_NE(refused.response.body().find("network &#39;nowhere&#39; is not registered"),
            std::string::npos)
      << refused.response.body();
  EXPECT_NE(refused.response.body().find("value=\"Morag\""), std::string::npos);
  auto made = post("/tokens", "name=Morag&role=network&network=ne");
  ASSERT_EQ(made.response.result_int(), 200u) << made.response.body();
  const std::string body = made.response.body();
  const auto at = body.find("id=\"new-token\" type=\"text\" readonly value=\"");
  ASSERT_NE(at, std::string::npos) << body;
  const std::size_t from = body.find("value=\"", at) + 7;
  const std::string token = body.substr(from, body.find('"', from) - from);
  auto identity = Authenticate(*tokens_, token);
  ASSERT_TRUE(identity) << token;
  EXPECT_EQ(identity->actor.network, "ne");
  // Revoked only once confirmed.
  auto asked = post("/tokens/revoke", "token=" + identity->token_id);
  EXPECT_EQ(asked.response.result_int(), 200u);
  EXPECT_NE(asked.response.body().find("Yes, revoke access"), std::string::npos);
  EXPECT_TRUE(Authenticate(*tokens_, token));
  auto revoked = post("/tokens/revoke", "token=" + identity->token_id + "&_confirm=yes");
  EXPECT_EQ(revoked.response[bhttp::field::location], "/tokens?done=RevokeAccess");
  EXPECT_FALSE(Authenticate(*tokens_, token));
  EXPECT_EQ(post("/tokens/revoke", "token=" + identity->token_id).response.result_int(), 404u);
}

TEST_F(DashboardWithRowsTest, AnAuditorChecksEveryHashChainNetworkByNetwork) {
  const std::string audrey = CookieOf("auditor", "audrey");
  Page("/audit", CookieOf("officer", "olivia"), 403);
  const std::string page = Page("/audit", audrey);
  EXPECT_NE(page.find("<tr data-network=\"ne\">"), std::string::npos) << page;
  EXPECT_NE(page.find("not checked yet"), std::string::npos);
  // One network's row, as the page's script asks for it.
  const std::string row = Page("/audit?check=ne&part=row", audrey);
  EXPECT_TRUE(row.starts_with("<tr data-network=\"ne\" data-events=\"")) << row;
  EXPECT_NE(row.find("data-ok=\"yes\""), std::string::npos);
  EXPECT_NE(row.find("<span class=\"ok\">Intact</span>"), std::string::npos);
  Page("/audit?check=nowhere&part=row", audrey, 404);
  // All at once: every event the store holds is in a network's chains.
  const std::string all = Page("/audit?check=all", audrey);
  const std::size_t held = *store_->CountEvents();
  EXPECT_NE(all.find("All " + std::to_string(held) +
                     " events the store holds are in the chains "
                     "checked."),
            std::string::npos)
      << all;
  EXPECT_NE(Page("/audit?check=total&part=row&counted=1", audrey).find("belong to no registered"),
            std::string::npos);
}

TEST_F(DashboardWithRowsTest, TheEventLogFindsEventsByPersonTypeNetworkAndDay) {
  const std::string audrey = CookieOf("auditor", "audrey");
  std::vector<RecordedEvent> all;
  for (GlobalCursor after;;) {
    auto page = store_->ReadAll(after, 1000);
    ASSERT_TRUE(page);
    if (page->empty()) break;
    all.insert(all.end(), page->begin(), page->end());
    after = page->back().cursor();
  }
  const auto rows = [](const std::string& page) {
    std::size_t n = 0;
    for (auto at = page.find("<tr><td><time"); at != std::string::npos;
         at = page.find("<tr><td><time", at + 1)) {
      ++n;
    }
    return n;
  };
  const auto count = [&](auto&& keep) {
    return static_cast<std::size_t>(std::count_if(all.begin(), all.end(), keep));
  };
  ASSERT_GT(all.size(), 50u);  // more than one page

  // Everything, newest first, fifty at a time; the older ones a link away.
  const std::string first = Page("/log", audrey);
  EXPECT_NE(first.find("<a href=\"/log\">Event log</a>"), std::string::npos);
  EXPECT_EQ(rows(first), 50u) << first;
  const auto next = first.find("rel=\"next\" href=\"");
  ASSERT_NE(next, std::string::npos);
  const std::size_t from = next + 17;
  std::string older = first.substr(from, first.find('"', from) - from);
  for (std::size_t at; (at = older.find("&amp;")) != std::string::npos;) older.replace(at, 5, "&");
  EXPECT_EQ(rows(first) + rows(Page(older, audrey)), std::min<std::size_t>(all.size(), 100));
  const std::string newest = all.back().metadata.actor;
  EXPECT_NE(first.find("<td>" + newest + " <span class=\"hint\">"), std::string::npos);

  // By person: only theirs.
  const auto oscars = count([](const RecordedEvent& e) { return e.metadata.actor == "oscar"; });
  ASSERT_GT(oscars, 0u);
  ASSERT_LT(oscars, 50u);
  const std::string oscar = Page("/log?person=oscar", audrey);
  EXPECT_EQ(rows(oscar), oscars) << oscar;
  EXPECT_EQ(oscar.find("<td>olivia <span"), std::string::npos);
  EXPECT_NE(oscar.find("<option value=\"oscar\" selected>oscar</option>"), std::string::npos);
  // By what happened and network, in words.
  const auto registered = count(
      [](const RecordedEvent& e) { return e.type == "NetworkRegistered" && e.network_id == "nw"; });
  ASSERT_EQ(registered, 1u);
  const std::string nw = Page("/log?type=NetworkRegistered&network=nw", audrey);
  EXPECT_EQ(rows(nw), 1u) << nw;
  EXPECT_NE(nw.find("Network registered"), std::string::npos);
  EXPECT_NE(nw.find(">Westway</a></td>"), std::string::npos);
  // By UK days: the day the cycle began has events, the day before none.
  const std::string day = FormatRfc3339(all.front().metadata.recorded_at).substr(0, 10);
  const auto that_day = count([&](const RecordedEvent& e) {
    return FormatRfc3339(e.metadata.recorded_at).starts_with(day);
  });
  EXPECT_EQ(rows(Page("/log?person=oscar&from=" + day + "&to=" + day, audrey)),
            count([&](const RecordedEvent& e) {
              return e.metadata.actor == "oscar" &&
                     FormatRfc3339(e.metadata.recorded_at).starts_with(day);
            }));
  EXPECT_GT(that_day, 0u);
  const std::string before = AddDays(day, -1);
  EXPECT_NE(Page("/log?to=" + before, audrey).find("No event matches"), std::string::npos);

  // A search that is not one: refused beside the form, which keeps what was chosen.
  const std::string bad = Page("/log?person=oscar&from=someday", audrey, 422);
  EXPECT_NE(bad.find("from &#39;someday&#39; is not a day"), std::string::npos) << bad;
  EXPECT_NE(bad.find("<option value=\"oscar\" selected>"), std::string::npos);
  Page("/log?from=2026-12-02&to=2026-12-01", audrey, 422);
  Page("/log?type=PlanTeleported", audrey, 422);
  Page("/log?after=not-a-cursor", audrey, 422);

  // A network sees its own events only, and chooses no network.
  const std::string nadia = Page("/log", CookieOf("network", "nadia", "ne"));
  EXPECT_EQ(nadia.find(">Westway</a>"), std::string::npos);
  EXPECT_EQ(nadia.find("id=\"l-network\""), std::string::npos);
  EXPECT_EQ(rows(Page("/log?network=nw", CookieOf("network", "nadia", "ne"))), 0u);
}

TEST(Records, TitlesBecomeIdsAndLongTextIsShortenedAtAWord) {
  EXPECT_EQ(IdFromTitle("Members' mapping survey"), "members-mapping-survey");
  EXPECT_EQ(IdFromTitle("  2027 — Spring!  "), "2027-spring");
  EXPECT_EQ(IdFromTitle("Été"), "t");
  EXPECT_EQ(IdFromTitle("—"), "");
  EXPECT_LE(IdFromTitle(std::string(100, 'a')).size(), 40u);
  EXPECT_EQ(Shortened("Strengthen membership: scored 2 of 5", 20), "Strengthen…");
  EXPECT_EQ(Shortened("short", 20), "short");
}

}  // namespace
}  // namespace waymark::web
