#include "core/canonical_json.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace waymark {
namespace {

TEST(CanonicalJson, SortsKeysAtEveryDepthAndDropsWhitespace) {
  const auto value =
      boost::json::parse(R"({ "b": 1, "a": {"z": [3, {"y": 2, "x": 1}], "c": null} })");
  EXPECT_EQ(CanonicalJson(value), R"({"a":{"c":null,"z":[3,{"x":1,"y":2}]},"b":1})");
}

TEST(CanonicalJson, EqualValuesGiveEqualTextWhateverTheirOrder) {
  const auto a = boost::json::parse(R"({"name":"N","tags":["x","y"],"n":-5,"ok":true})");
  const auto b = boost::json::parse(R"({"ok":true,"n":-5,"tags":["x","y"],"name":"N"})");
  EXPECT_EQ(CanonicalJson(a), CanonicalJson(b));
  // Array order is meaning, not presentation.
  const auto c = boost::json::parse(R"({"ok":true,"n":-5,"tags":["y","x"],"name":"N"})");
  EXPECT_NE(CanonicalJson(a), CanonicalJson(c));
}

TEST(CanonicalJson, EscapesStringsAndSortsKeysByteWise) {
  const auto value = boost::json::parse(R"({"é":"line\nbreak \"q\"","Z":"\u0001","a":"ü"})");
  EXPECT_EQ(CanonicalJson(value),
            "{\"Z\":\"\\u0001\",\"a\":\"ü\",\"é\":\"line\\nbreak \\\"q\\\"\"}");
}

TEST(CanonicalJson, ReparsingTheTextGivesTheSameText) {
  const auto value =
      boost::json::parse(R"({"x":[1,2.5,-3e2,"s",{"k":false}],"big":18446744073709551615})");
  const auto text = CanonicalJson(value);
  EXPECT_EQ(CanonicalJson(boost::json::parse(text)), text);
}

}  // namespace
}  // namespace waymark

namespace waymark {
namespace {

TEST(CanonicalJson, WritesStringsExactlyAsBoostJsonDoes) {
  std::string all;
  for (int c = 1; c < 128; ++c) all.push_back(static_cast<char>(c));
  all += "é€😀";
  for (const std::string& text :
       {all, std::string("plain"), std::string(""), std::string("\"\\\"")}) {
    std::string mine;
    AppendCanonicalJsonString(text, mine);
    EXPECT_EQ(mine, boost::json::serialize(boost::json::value(text)));
  }
}

}  // namespace
// Fuzz finding (tests/fuzz/findings/canonical/huge-exponent-is-infinity-not-json).
TEST(CanonicalJson, ANumberBeyondJsonIsFoundAndNeverWrittenAsNonJson) {
  const auto value = boost::json::parse("[12e4567890, 1.5]");
  EXPECT_TRUE(HoldsNonFiniteNumber(value));
  EXPECT_FALSE(HoldsNonFiniteNumber(boost::json::parse("[1e300, {\"a\": -2.5}]")));
  EXPECT_EQ(CanonicalJson(value), "[null,1.5E0]");
  EXPECT_NO_THROW(boost::json::parse(CanonicalJson(value)));
}

}  // namespace waymark
