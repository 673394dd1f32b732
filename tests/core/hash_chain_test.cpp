#include "core/hash_chain.hpp"

#include <gtest/gtest.h>

namespace waymark {
namespace {

RecordedEvent Event(std::string stream, std::int64_t version, std::string name) {
  RecordedEvent e;
  e.stream = std::move(stream);
  e.version = version;
  e.position = version * 10;
  e.type = "NetworkRegistered";
  e.data = boost::json::object{{"name", std::move(name)}};
  e.metadata.actor = "olivia";
  e.metadata.role = "officer";
  e.metadata.recorded_at = *ParseRfc3339("2026-11-26T12:00:00Z");
  return e;
}

std::vector<RecordedEvent> Chain(const std::string& stream, int n) {
  std::vector<RecordedEvent> out;
  std::string previous;
  for (int v = 1; v <= n; ++v) {
    auto e = Event(stream, v, "name " + std::to_string(v));
    e.hash = ChainHash(previous, e);
    previous = e.hash;
    out.push_back(e);
  }
  return out;
}

TEST(ChainHash, IsSha256OfThePreviousHashAndTheCanonicalEvent) {
  auto e = Event("network-n1", 1, "North");
  EXPECT_EQ(
      CanonicalEvent(e),
      R"({"data":{"name":"North"},"metadata":{"actor":"olivia","causation_id":"",)"
      R"("correlation_id":"","idempotency_key":"","recorded_at":"2026-11-26T12:00:00.000000Z",)"
      R"("role":"officer"},"schema_version":1,"stream":"network-n1","type":"NetworkRegistered","version":1})");
  // Fixed vector: computed once with `printf '%s' "$canonical" | sha256sum`.
  EXPECT_EQ(ChainHash("", e), "1251159301d9937f0309c5c30564ebba939ffc3b1c8661db92b4c6ceee2e4ec9");
  EXPECT_NE(ChainHash("00", e), ChainHash("", e));
}

TEST(ChainHash, CoversEveryFieldButPositionAndCommit) {
  const auto base = Event("network-n1", 1, "North");
  const auto h = ChainHash("", base);
  auto e = base;
  e.position = 999;
  e.commit = 7;
  EXPECT_EQ(ChainHash("", e), h);
  std::vector<std::function<void(RecordedEvent&)>> changes = {
      [](auto& x) { x.stream = "network-n2"; },
      [](auto& x) { x.version = 2; },
      [](auto& x) { x.type = "NetworkClosed"; },
      [](auto& x) { x.schema_version = 2; },
      [](auto& x) { x.data["name"] = "South"; },
      [](auto& x) { x.metadata.actor = "mallory"; },
      [](auto& x) { x.metadata.role = "admin"; },
      [](auto& x) { x.metadata.correlation_id = "c"; },
      [](auto& x) { x.metadata.causation_id = "c"; },
      [](auto& x) { x.metadata.idempotency_key = "k"; },
      [](auto& x) { x.metadata.recorded_at += std::chrono::microseconds(1); },
  };
  for (std::size_t i = 0; i < changes.size(); ++i) {
    auto changed = base;
    changes[i](changed);
    EXPECT_NE(ChainHash("", changed), h) << "change " << i << " left the hash as it was";
  }
}

TEST(ChainVerifier, AcceptsIntactInterleavedChains) {
  const auto a = Chain("network-a", 3);
  const auto b = Chain("network-b", 2);
  ChainVerifier v;
  for (const auto* e : {&a[0], &b[0], &a[1], &b[1], &a[2]}) EXPECT_FALSE(v.Feed(*e));
  EXPECT_EQ(v.events(), 5u);
  EXPECT_EQ(v.streams(), 2u);
}

TEST(ChainVerifier, NamesTheFirstAlteredEvent) {
  auto a = Chain("network-a", 4);
  a[2].data["name"] = "forged";
  ChainVerifier v;
  EXPECT_FALSE(v.Feed(a[0]));
  EXPECT_FALSE(v.Feed(a[1]));
  auto broken = v.Feed(a[2]);
  ASSERT_TRUE(broken);
  EXPECT_EQ(broken->stream, "network-a");
  EXPECT_EQ(broken->version, 3);
  EXPECT_NE(broken->reason.find("altered"), std::string::npos);
}

TEST(ChainVerifier, NamesAMissingEvent) {
  auto a = Chain("network-a", 3);
  ChainVerifier v;
  EXPECT_FALSE(v.Feed(a[0]));
  auto broken = v.Feed(a[2]);
  ASSERT_TRUE(broken);
  EXPECT_EQ(broken->version, 3);
  EXPECT_NE(broken->reason.find("expected version 2"), std::string::npos);
}

TEST(ChainVerifier, DetectsARehashedEventByTheNextLink) {
  // Someone alters event 1 and recomputes its hash: event 2's link breaks.
  auto a = Chain("network-a", 2);
  a[0].data["name"] = "forged";
  a[0].hash = ChainHash("", a[0]);
  ChainVerifier v;
  EXPECT_FALSE(v.Feed(a[0]));
  auto broken = v.Feed(a[1]);
  ASSERT_TRUE(broken);
  EXPECT_EQ(broken->version, 2);
}

TEST(ChainVerifier, NamesAnEventMovedToAnotherNetwork) {
  // The network an event is shown to is not hashed: it follows from the
  // stream's name and first event, and the verifier holds each row to it.
  auto a = Chain("network-a", 3);
  for (auto& e : a) e.network_id = "a";
  ChainVerifier v;
  EXPECT_FALSE(v.Feed(a[0]));
  EXPECT_FALSE(v.Feed(a[1]));
  a[2].network_id = "b";
  auto broken = v.Feed(a[2]);
  ASSERT_TRUE(broken);
  EXPECT_EQ(broken->version, 3);
  EXPECT_NE(broken->reason.find("network_id 'b' is not the stream's network 'a'"),
            std::string::npos)
      << broken->reason;
  // An export's events carry none: nothing to hold them to.
  auto exported = Chain("network-c", 2);
  ChainVerifier w;
  for (const auto& e : exported) EXPECT_FALSE(w.Feed(e));
}

}  // namespace
}  // namespace waymark
