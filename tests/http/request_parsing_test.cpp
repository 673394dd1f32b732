#include "adapters/http/request_parsing.hpp"

#include <gtest/gtest.h>

namespace waymark::http {
namespace {

TEST(ParseJsonObject, RefusesDuplicateKeysAtAnyDepthNamingTheKey) {
  auto top = ParseJsonObject(R"({"a":1,"a":2})");
  ASSERT_FALSE(top);
  EXPECT_NE(top.error().message.find("'a'"), std::string::npos);
  auto deep = ParseJsonObject(R"({"a":{"b":[{"c":1,"c":1}]}})");
  ASSERT_FALSE(deep);
  EXPECT_NE(deep.error().message.find("'c'"), std::string::npos);
  // The same key in sibling objects is fine.
  EXPECT_TRUE(ParseJsonObject(R"({"a":{"k":1},"b":{"k":1}})"));
}

TEST(ParseJsonObject, RefusesDepthInvalidUtf8TrailingDataAndNonObjects) {
  EXPECT_TRUE(
      ParseJsonObject(std::string(31, '[').insert(0, "{\"a\":") + std::string(31, ']') + "}"));
  EXPECT_FALSE(ParseJsonObject("{\"a\":" + std::string(40, '[') + std::string(40, ']') + "}"));
  EXPECT_FALSE(ParseJsonObject("{\"a\":\"\xff\"}"));
  EXPECT_FALSE(ParseJsonObject(R"({"a":1} {"b":2})"));
  EXPECT_FALSE(ParseJsonObject("[1]"));
  EXPECT_FALSE(ParseJsonObject(""));
}

TEST(ParseTarget, DecodesSegmentsAndQuery) {
  auto t = ParseTarget("/api/v1/networks?officer=Olive%20Oyl&stage=startup&x=a+b");
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(t->segments, (std::vector<std::string>{"api", "v1", "networks"}));
  EXPECT_EQ(t->query.at("officer"), "Olive Oyl");
  EXPECT_EQ(t->query.at("x"), "a b");
}

TEST(ParseTarget, RefusesTraversalBadEscapesControlsAndRepeats) {
  for (const char* bad : {"/api/../etc", "/api/%2e%2e/etc", "/a/%2Fb", "/a%zz", "/a%4", "/a%00",
                          "/a?x=1&x=2", "relative", "/a?k=%0a"}) {
    EXPECT_FALSE(ParseTarget(bad)) << bad;
  }
}

}  // namespace
// Fuzz finding (tests/fuzz/findings/parsing/raw-invalid-utf8-in-a-path-segment):
// raw bytes that are not UTF-8 passed into a path segment.
TEST(ParseTarget, RefusesInvalidUtf8AndC1ControlsRawOrEscaped) {
  for (const char* target :
       {"/a/\xb0\xb0/b", "/a/%b0%b0", "/a?x=%ff", "/a?x=%c2%85", "/\xc0\xaf"}) {
    auto t = ParseTarget(target);
    ASSERT_FALSE(t) << target;
    EXPECT_NE(t.error().message.find("UTF-8"), std::string::npos) << t.error().message;
  }
  EXPECT_TRUE(ParseTarget("/networks/%C3%A9?region=%C3%89cosse"));
}

// Fuzz finding (tests/fuzz/findings/canonical/huge-exponent-is-infinity-not-json):
// 12e4567890 read as infinity, which canonical JSON then wrote as no JSON at all.
TEST(ParseJsonObject, RefusesNumbersTooLargeForJson) {
  auto body = ParseJsonObject(R"({"data":{"n":12e4567890}})");
  ASSERT_FALSE(body);
  EXPECT_NE(body.error().message.find("finite"), std::string::npos) << body.error().message;
}

}  // namespace waymark::http
