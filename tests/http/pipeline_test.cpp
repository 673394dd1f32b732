// The request pipeline both front doors share: routing by path alone, the
// request id, keep-alive, metrics, and the final catch.

#include "adapters/http/pipeline.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace waymark::http {
namespace {

namespace bhttp = boost::beast::http;

// A door that answers with its name, takes a while on the test's clock, or throws.
class NamedDoor final : public Door {
 public:
  NamedDoor(std::string name, ManualClock& clock) : name_(std::move(name)), clock_(clock) {}
  Response Answer(const Request& request, std::string_view, Handled& out) override {
    out.route = name_ + "-route";
    if (request.target() == "/api/throw" || request.target() == "/throw") {
      throw std::runtime_error("the cause, for the log");
    }
    clock_.Advance(std::chrono::milliseconds(40));
    Response r{bhttp::status::ok, 11};
    r.body() = name_;
    return r;
  }
  Response Failure(std::string_view request_id) override {
    Response r{bhttp::status::internal_server_error, 11};
    r.body() = name_ + " failed, request " + std::string(request_id);
    return r;
  }

 private:
  std::string name_;
  ManualClock& clock_;
};

class PipelineTest : public ::testing::Test {
 protected:
  Handled Get(const std::string& target, bool keep_alive = true) {
    Request request{bhttp::verb::get, target, 11};
    request.keep_alive(keep_alive);
    return site_.Handle(request, "req-7");
  }

  ManualClock clock_{*ParseRfc3339("2026-12-02T09:00:00Z")};
  Metrics metrics_;
  NamedDoor api_{"api", clock_}, web_{"web", clock_};
  Pipeline site_{{{"/api/", &api_}, {"/healthz", &api_}}, web_, metrics_, clock_};
};

TEST_F(PipelineTest, RoutesByThePathAloneAndEverythingElseToTheFallback) {
  EXPECT_EQ(Get("/api/v1/networks").response.body(), "api");
  EXPECT_EQ(Get("/healthz?verbose=1").response.body(), "api");
  EXPECT_EQ(Get("/healthz/more").response.body(), "web");  // exact paths are exact
  EXPECT_EQ(Get("/apiary").response.body(), "web");
  EXPECT_EQ(Get("/api").response.body(), "web");  // only what is below /api/
  EXPECT_EQ(Get("/").response.body(), "web");
}

TEST_F(PipelineTest, EveryAnswerCarriesTheRequestIdAndTheClientsKeepAlive) {
  auto kept = Get("/api/x");
  EXPECT_EQ(kept.response["X-Request-Id"], "req-7");
  EXPECT_TRUE(kept.response.keep_alive());
  EXPECT_EQ(kept.response[bhttp::field::content_length], "3");
  EXPECT_FALSE(Get("/api/x", false).response.keep_alive());
}

TEST_F(PipelineTest, AThrowingDoorAnswersItsFailureAndTheCauseGoesToTheLogLineOnly) {
  auto failed = Get("/throw");
  EXPECT_EQ(failed.response.result_int(), 500u);
  EXPECT_EQ(failed.response.body(), "web failed, request req-7");
  EXPECT_EQ(failed.cause, "the cause, for the log");
  EXPECT_EQ(failed.response["X-Request-Id"], "req-7");
  EXPECT_EQ(Get("/api/throw").response.body(), "api failed, request req-7");
}

TEST_F(PipelineTest, CountsEachRequestByRouteMethodAndStatusTimedOnTheMonotonicClock) {
  Get("/api/x");
  Get("/throw");
  const std::string text = metrics_.Render({});
  EXPECT_NE(text.find("route=\"api-route\",method=\"GET\",status=\"200\"} 1"), std::string::npos)
      << text;
  EXPECT_NE(text.find("route=\"unmatched\",method=\"GET\",status=\"500\"} 1"), std::string::npos)
      << text;
  // The 40 ms the door took on the test's clock land in the 0.05 s bucket, not below.
  EXPECT_NE(text.find("route=\"api-route\",le=\"0.025\"} 0"), std::string::npos) << text;
  EXPECT_NE(text.find("route=\"api-route\",le=\"0.05\"} 1"), std::string::npos) << text;
}

}  // namespace
}  // namespace waymark::http
