// The API as a door of its own pipeline: no sockets. On the application's
// in-memory parts, read models projected when a test wants rows (the same
// routes run against PostgreSQL in tests/e2e/http_api_test.py).

#include "adapters/api/api.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <random>
#include <set>

#include "tests/support/memory_programme.hpp"

namespace waymark::api {
namespace {

namespace bhttp = boost::beast::http;

class ApiTest : public ::testing::Test {
 protected:
  ApiTest()
      : parts_(*ParseRfc3339("2026-11-28T10:00:00Z")),
        api_(ApiPorts{parts_.programme, metrics_, clock_}) {}

  std::string Token(std::string_view role, std::string_view network = "") {
    auto token = parts_.Token(role, network);
    EXPECT_FALSE(token.empty());
    return token;
  }

  Response Send(bhttp::verb method, std::string target, std::string token = "",
                std::string body = "") {
    Request request{method, target, 11};
    if (!token.empty()) request.set(bhttp::field::authorization, "Bearer " + token);
    if (!body.empty()) request.set(bhttp::field::content_type, "application/json");
    request.body() = std::move(body);
    request.prepare_payload();
    return api_.Handle(request, "req-1").response;
  }

  Response Command(const std::string& token, std::string_view stream, std::string_view type,
                   std::string_view data) {
    return Send(bhttp::verb::post, "/api/v1/commands", token,
                std::string(R"({"stream":")") + std::string(stream) + R"(","type":")" +
                    std::string(type) + R"(","data":)" + std::string(data) + "}");
  }

  std::size_t Stored() { return *store_->CountEvents(); }

  testing::MemoryProgramme parts_;
  ManualClock& clock_ = parts_.clock;
  std::unique_ptr<EventStore>& store_ = parts_.store;
  CommandHandler& handler_ = parts_.handler;
  std::unique_ptr<TokenStore>& tokens_ = parts_.tokens;
  http::Metrics& metrics_ = parts_.metrics;
  Api api_;
};

TEST_F(ApiTest, EveryRouteServedIsDocumentedAndEveryDocumentedRouteIsServed) {
  const auto doc = boost::json::parse(Api::OpenApiDocument()).as_object();
  EXPECT_EQ(doc.at("openapi").as_string(), "3.1.0");
  std::set<std::pair<std::string, std::string>> documented, served;
  for (const auto& [path, operations] : doc.at("paths").as_object()) {
    for (const auto& [method, operation] : operations.as_object()) {
      std::string upper(method);
      for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      documented.insert({upper, std::string(path)});
    }
  }
  for (const auto& route : Api::Routes()) served.insert({route.method, route.path});
  EXPECT_EQ(served, documented);
}

TEST_F(ApiTest, ACommandIsRecordedUnderTheTokensActorAndRole) {
  const auto officer = Token("officer");
  auto response =
      Command(officer, "network-ne", "RegisterNetwork", R"({"name":"Northside","region":"North"})");
  ASSERT_EQ(response.result_int(), 200u) << response.body();
  EXPECT_EQ(response["X-Request-Id"], "req-1");
  auto events = store_->ReadStream("network-ne", 1, 10);
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ(events->front().metadata.actor, "officer-person");
  EXPECT_EQ(events->front().metadata.role, "officer");
  EXPECT_EQ(events->front().metadata.correlation_id, "req-1");
}

TEST_F(ApiTest, StatusesFollowTheContract) {
  const auto officer = Token("officer"), auditor = Token("auditor");
  ASSERT_EQ(Command(officer, "network-ne", "RegisterNetwork", R"({"name":"N","region":"R"})")
                .result_int(),
            200u);
  EXPECT_EQ(Command("", "network-ne", "SuspendNetwork", "{}").result_int(), 401u);
  EXPECT_EQ(Command(auditor, "network-ne", "SuspendNetwork", R"({"reason":"x"})").result_int(),
            403u);
  EXPECT_EQ(Command(officer, "network-ne", "RegisterNetwork", R"({"name":"N","region":"R"})")
                .result_int(),
            422u);
  auto stale = Send(bhttp::verb::post, "/api/v1/commands", officer,
                    R"({"stream":"network-ne","type":"SuspendNetwork","expected_version":5,)"
                    R"("data":{"reason":"x"}})");
  EXPECT_EQ(stale.result_int(), 409u);
  EXPECT_EQ(stale[bhttp::field::content_type], "application/problem+json");
  EXPECT_EQ(Send(bhttp::verb::get, "/api/v1/streams/network-zz", officer).result_int(), 404u);
  EXPECT_EQ(Send(bhttp::verb::get, "/api/v1/streams/bad name", officer).result_int(), 400u);
  EXPECT_EQ(Send(bhttp::verb::delete_, "/api/v1/streams/network-ne", officer).result_int(), 405u);
  EXPECT_EQ(Send(bhttp::verb::get, "/nowhere", officer).result_int(), 404u);
  EXPECT_EQ(Send(bhttp::verb::get, "/healthz").result_int(), 200u);
  EXPECT_EQ(Stored(), 1u);
}

TEST_F(ApiTest, ANetworkTokenGetsTheSameAnswerForAnothersStreamAndForNone) {
  const auto officer = Token("officer"), sw = Token("network", "sw");
  ASSERT_EQ(Command(officer, "network-ne", "RegisterNetwork", R"({"name":"N","region":"R"})")
                .result_int(),
            200u);
  auto other = Send(bhttp::verb::get, "/api/v1/streams/network-ne", sw);
  auto none = Send(bhttp::verb::get, "/api/v1/streams/network-nx", sw);
  EXPECT_EQ(other.result_int(), 404u);
  EXPECT_EQ(none.result_int(), 404u);
  const auto detail = [](const Response& r) {
    std::string d(boost::json::parse(r.body()).at("detail").as_string());
    return d.substr(0, d.find("network-"));
  };
  EXPECT_EQ(detail(other), detail(none));
  auto act = Command(sw, "network-ne", "RecordMembership", R"({"members":1,"active_members":1})");
  auto act_none =
      Command(sw, "network-nx", "RecordMembership", R"({"members":1,"active_members":1})");
  EXPECT_EQ(act.result_int(), 404u);
  EXPECT_EQ(act_none.result_int(), 404u);
  EXPECT_EQ(Stored(), 1u);
}

TEST_F(ApiTest, ListingsAndRowsHoldWhatTheTokenMaySeeOnly) {
  const auto officer = Token("officer"), ne = Token("network", "ne");
  for (const auto& [id, name] : {std::pair{"nw", "Westway"}, std::pair{"ne", "Northside"}}) {
    ASSERT_EQ(Command(officer, std::string("network-") + id, "RegisterNetwork",
                      std::string(R"({"name":")") + name + R"(","region":"North"})")
                  .result_int(),
              200u);
  }
  ASSERT_EQ(Command(officer, "step-w1", "IdentifyStep",
                    R"({"network_id":"nw","kind":"structure","description":"A board"})")
                .result_int(),
            200u);
  parts_.Project();
  const auto items = [&](const std::string& target, const std::string& token) {
    auto r = Send(bhttp::verb::get, target, token);
    EXPECT_EQ(r.result_int(), 200u) << target << " " << r.body();
    std::vector<std::string> ids;
    const boost::json::value body = boost::json::parse(r.body());
    for (const auto& row : body.at("items").as_array()) {
      const auto& o = row.as_object();
      ids.emplace_back(o.contains("step_id") ? o.at("step_id").as_string()
                                             : o.at("network_id").as_string());
    }
    return ids;
  };
  using Ids = std::vector<std::string>;
  EXPECT_EQ(items("/api/v1/networks", officer), (Ids{"ne", "nw"}));  // by name
  EXPECT_EQ(items("/api/v1/networks?limit=1", officer), Ids{"ne"});
  EXPECT_EQ(items("/api/v1/networks", ne), Ids{"ne"});
  EXPECT_EQ(items("/api/v1/steps", officer), Ids{"w1"});
  EXPECT_EQ(items("/api/v1/steps?network=nw", ne), Ids{});
  EXPECT_EQ(items("/api/v1/steps", ne), Ids{});
  auto row = Send(bhttp::verb::get, "/api/v1/networks/nw", officer);
  ASSERT_EQ(row.result_int(), 200u);
  EXPECT_EQ(boost::json::parse(row.body()).at("name").as_string(), "Westway");
  EXPECT_EQ(Send(bhttp::verb::get, "/api/v1/networks/nw", ne).result_int(), 404u);
  EXPECT_EQ(
      Send(bhttp::verb::get, "/api/v1/networks/nw?as_of=2026-11-28T10:00:00Z", ne).result_int(),
      404u);
  EXPECT_EQ(Send(bhttp::verb::get, "/api/v1/networks/nw?as_of=2026-11-28T10:00:00Z", officer)
                .result_int(),
            200u);
  EXPECT_EQ(Send(bhttp::verb::get, "/api/v1/networks?cursor=forged", officer).result_int(), 400u);
}

TEST_F(ApiTest, RandomBytesAndMangledRequestsAreRefusedAndChangeNothing) {
  const auto officer = Token("officer");
  const std::string valid =
      R"({"stream":"network-ne","type":"RegisterNetwork","data":{"name":"N","region":"R"}})";
  std::mt19937 random(20261128);
  std::size_t applied = 0;  // events the 200 answers reported as new
  for (int i = 0; i < 3000; ++i) {
    std::string body = valid;
    const int edits = 1 + static_cast<int>(random() % 4);
    for (int e = 0; e < edits; ++e) {
      const std::size_t at = random() % body.size();
      switch (random() % 3) {
        case 0:
          body[at] = static_cast<char>(random() % 256);
          break;
        case 1:
          body.erase(at, 1 + random() % 5);
          break;
        default:
          body.insert(at, 1, "{}[]\",:\\0x"[random() % 10]);
      }
      if (body.empty()) body = "{";
    }
    std::string target = "/api/v1/commands";
    if (i % 5 == 0) target[random() % target.size()] = static_cast<char>(random() % 256);
    auto response = Send(bhttp::verb::post, target, officer, body);
    ASSERT_LT(response.result_int(), 500u) << body;
    if (response.result_int() != 200) {
      auto problem = boost::json::parse(response.body());
      ASSERT_FALSE(problem.at("detail").as_string().empty()) << body;
    } else if (!boost::json::parse(response.body()).at("replayed").as_bool()) {
      // A mangling that is still a valid command (a changed name, say) is applied.
      applied += boost::json::parse(response.body()).at("events").as_array().size();
    }
    // Nothing is stored but what an accepted command reported.
    ASSERT_EQ(Stored(), applied) << body;
  }
}

TEST(Tokens, AreRandomHashedAndComparedByTheirWholeSecret) {
  ManualClock clock(*ParseRfc3339("2026-11-28T10:00:00Z"));
  auto store = MakeMemoryTokenStore();
  auto a = CreateToken(*store, clock, "officer", "Olivia", "");
  auto b = CreateToken(*store, clock, "officer", "Olivia", "");
  ASSERT_TRUE(a && b);
  EXPECT_NE(a->token, b->token);
  // wmk_ + 16 hex id + _ + 64 hex secret: 256 random bits of secret.
  EXPECT_EQ(a->token.size(), 4u + 16 + 1 + 64);
  auto stored = store->Find(a->record.id);
  ASSERT_TRUE(stored && *stored);
  EXPECT_EQ(a->token.find((*stored)->second), std::string::npos);  // the hash, not the secret
  auto who = Authenticate(*store, a->token);
  ASSERT_TRUE(who) << who.error().message;
  EXPECT_EQ(who->actor.name, "Olivia");
  EXPECT_EQ(who->actor.role, "officer");
  std::string wrong = a->token;
  wrong.back() = wrong.back() == '0' ? '1' : '0';
  for (const auto& bad : {wrong, std::string("wmk_x"), std::string(""), a->token + "0",
                          "wmk_" + std::string(16, '0') + "_" + std::string(64, '0')}) {
    auto refused = Authenticate(*store, bad);
    ASSERT_FALSE(refused) << bad;
    EXPECT_EQ(refused.error().code, ErrorCode::kUnauthenticated);
    if (!bad.empty()) {
      EXPECT_EQ(refused.error().message.find(bad), std::string::npos);
    }
  }
  ASSERT_TRUE(*store->Revoke(a->record.id, clock.Now()));
  EXPECT_FALSE(Authenticate(*store, a->token));
  EXPECT_TRUE(Authenticate(*store, b->token));
}

TEST(Tokens, CreationNamesWhatIsAccepted) {
  ManualClock clock(*ParseRfc3339("2026-11-28T10:00:00Z"));
  auto store = MakeMemoryTokenStore();
  EXPECT_NE(CreateToken(*store, clock, "system", "x", "")
                .error()
                .message.find("admin, officer, network, auditor"),
            std::string::npos);
  EXPECT_FALSE(CreateToken(*store, clock, "network", "Nadia", ""));
  EXPECT_FALSE(CreateToken(*store, clock, "officer", "Olivia", "ne"));
  EXPECT_FALSE(CreateToken(*store, clock, "officer", "", ""));
  EXPECT_FALSE(CreateToken(*store, clock, "officer", "bad\nname", ""));
  EXPECT_TRUE(CreateToken(*store, clock, "network", "Nadia", "ne"));
  EXPECT_EQ(store->List()->size(), 1u);
}

}  // namespace
}  // namespace waymark::api
