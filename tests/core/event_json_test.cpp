#include "core/event_json.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace waymark {
namespace {

RecordedEvent Sample() {
  RecordedEvent e;
  e.stream = "milestone-m1";
  e.version = 3;
  e.position = 17;
  e.commit = 99;
  e.type = "EvidenceSubmitted";
  e.data = boost::json::object{{"summary", "done"}, {"links", boost::json::array{"https://x"}}};
  e.metadata = {"nadia", "network", "c1", "e2", "k3", *ParseRfc3339("2026-11-26T12:00:00.5Z")};
  e.hash = std::string(64, 'a');
  return e;
}

TEST(EventJson, HasTheFieldsOfTheWireForm) {
  const auto json = EventToJson(Sample());
  for (const char* field :
       {"stream", "version", "position", "type", "schema_version", "data", "metadata", "hash"}) {
    EXPECT_TRUE(json.contains(field)) << field;
  }
  EXPECT_FALSE(json.contains("commit"));
  EXPECT_EQ(json.at("metadata").at("recorded_at").as_string(), "2026-11-26T12:00:00.500000Z");
  EXPECT_EQ(json.at("metadata").at("role").as_string(), "network");
}

TEST(EventJson, RoundTrips) {
  const auto original = Sample();
  auto back = EventFromJson(boost::json::parse(boost::json::serialize(EventToJson(original))));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->stream, original.stream);
  EXPECT_EQ(back->version, original.version);
  EXPECT_EQ(back->position, original.position);
  EXPECT_EQ(back->data, original.data);
  EXPECT_EQ(back->metadata.recorded_at, original.metadata.recorded_at);
  EXPECT_EQ(back->metadata.idempotency_key, "k3");
  EXPECT_EQ(back->hash, original.hash);
}

TEST(EventJson, NamesTheMissingOrMistypedField) {
  const auto good = EventToJson(Sample());
  struct Case {
    std::function<void(boost::json::object&)> change;
    std::string field;
  };
  for (const auto& c : std::vector<Case>{
           {[](auto& j) { j.erase("stream"); }, "'stream'"},
           {[](auto& j) { j["version"] = 0; }, "'version'"},
           {[](auto& j) { j["version"] = "3"; }, "'version'"},
           {[](auto& j) { j["data"] = boost::json::array{}; }, "'data'"},
           {[](auto& j) { j["metadata"].as_object().erase("actor"); }, "'metadata.actor'"},
           {[](auto& j) { j["metadata"].as_object()["recorded_at"] = "soon"; }, "soon"},
           {[](auto& j) { j.erase("hash"); }, "'hash'"},
       }) {
    auto json = good;
    c.change(json);
    auto e = EventFromJson(json);
    ASSERT_FALSE(e) << c.field;
    EXPECT_NE(e.error().message.find(c.field), std::string::npos) << e.error().message;
  }
}

}  // namespace
}  // namespace waymark
