#pragma once

// The EventStore contract, as one test suite that every adapter runs:
// tests/core runs it on the in-memory store, tests/integration on PostgreSQL.
// Instantiate with INSTANTIATE_TEST_SUITE_P(Name, EventStoreContract,
// ::testing::Values(StoreFactory{...})).

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>

#include "core/clock.hpp"
#include "core/event_store.hpp"
#include "core/hash_chain.hpp"

namespace waymark::testing {

// A store under test and whatever keeps it alive (a database schema).
struct StoreUnderTest {
  virtual ~StoreUnderTest() = default;
  virtual EventStore& store() = 0;
};

struct StoreFactory {
  std::string name;
  std::function<std::unique_ptr<StoreUnderTest>(Clock&)> make;
};

inline void PrintTo(const StoreFactory& factory, std::ostream* os) { *os << factory.name; }

inline std::string PrintStoreName(const ::testing::TestParamInfo<StoreFactory>& info) {
  return info.param.name;
}

inline const Timestamp kT0 = *ParseRfc3339("2026-11-26T09:30:00.123456Z");

inline EventMetadata Officer(std::string key = {}) {
  EventMetadata m;
  m.actor = "olivia";
  m.role = "officer";
  m.correlation_id = "corr-1";
  m.causation_id = "cmd-1";
  m.idempotency_key = std::move(key);
  return m;
}

inline NewEvent Registered(std::string name = "North East LSEN") {
  return NewEvent{"NetworkRegistered", 1, boost::json::object{{"name", name}, {"region", "NE"}}};
}

inline AppendRequest Request(std::string stream, std::optional<std::int64_t> expected,
                             std::vector<NewEvent> events, EventMetadata metadata = Officer()) {
  return AppendRequest{std::move(stream), expected, std::move(events), std::move(metadata)};
}

class EventStoreContract : public ::testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override { sut_ = GetParam().make(clock_); }
  EventStore& store() { return sut_->store(); }

  std::vector<RecordedEvent> All() {
    std::vector<RecordedEvent> all;
    auto n = ForEachEvent(
        store(), "",
        [&](const RecordedEvent& e) {
          all.push_back(e);
          return true;
        },
        7);  // a small page, so paging is exercised too
    EXPECT_TRUE(n.has_value()) << (n ? "" : n.error().message);
    return all;
  }

  std::vector<RecordedEvent> Stream(const std::string& stream) {
    auto events = store().ReadStream(stream, 1, 100000);
    EXPECT_TRUE(events.has_value()) << (events ? "" : events.error().message);
    return events ? *events : std::vector<RecordedEvent>{};
  }

  void ExpectRefused(const AppendRequest& request, ErrorCode code, std::string_view mentions) {
    const auto before = All().size();
    auto result = store().Append(request);
    ASSERT_FALSE(result.has_value()) << "expected a refusal mentioning '" << mentions << "'";
    EXPECT_EQ(result.error().code, code) << result.error().message;
    EXPECT_NE(result.error().message.find(mentions), std::string::npos) << result.error().message;
    EXPECT_EQ(All().size(), before) << "a refused append stored something";
  }

  ManualClock clock_{kT0};
  std::unique_ptr<StoreUnderTest> sut_;
};

TEST_P(EventStoreContract, AppendsEventsWithVersionsTimesAndAHashChain) {
  auto first = store().Append(Request("network-n1", 0, {Registered()}));
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->first_version, 1);
  EXPECT_EQ(first->last_version, 1);
  EXPECT_FALSE(first->replayed);
  clock_.Advance(std::chrono::seconds(5));
  auto second = store().Append(
      Request("network-n1", 1,
              {NewEvent{"MembershipRecorded", 1,
                        boost::json::object{{"members", 40}, {"active_members", 31}}},
               NewEvent{"NetworkSuspended", 1, boost::json::object{{"reason", "funding gap"}}}}));
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(second->first_version, 2);
  EXPECT_EQ(second->last_version, 3);
  ASSERT_EQ(second->events.size(), 2u);
  EXPECT_LT(second->events[0].position, second->events[1].position);

  const auto events = Stream("network-n1");
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].type, "NetworkRegistered");
  EXPECT_EQ(events[0].data.at("name").as_string(), "North East LSEN");
  EXPECT_EQ(events[0].metadata.recorded_at, kT0);
  EXPECT_EQ(events[1].metadata.recorded_at, kT0 + std::chrono::seconds(5));
  EXPECT_EQ(events[2].metadata.actor, "olivia");
  EXPECT_EQ(events[2].metadata.role, "officer");
  EXPECT_EQ(events[2].metadata.correlation_id, "corr-1");
  EXPECT_EQ(events[2].metadata.causation_id, "cmd-1");
  EXPECT_EQ(events[0].hash, ChainHash("", events[0]));
  EXPECT_EQ(events[1].hash, ChainHash(events[0].hash, events[1]));
  EXPECT_EQ(events[2].hash, ChainHash(events[1].hash, events[2]));
  EXPECT_EQ(events[2].hash, second->events[1].hash);
}

TEST_P(EventStoreContract, AStaleExpectedVersionIsAConflictAndWritesNothing) {
  ASSERT_TRUE(store().Append(Request("network-n1", 0, {Registered()})));
  ExpectRefused(Request("network-n1", 0, {Registered("again")}), ErrorCode::kConflict,
                "at version 1, not the expected 0");
  ExpectRefused(Request("network-n1", 5, {Registered("ahead")}), ErrorCode::kConflict,
                "not the expected 5");
  ExpectRefused(Request("network-n2", 1, {Registered("absent")}), ErrorCode::kConflict,
                "at version 0");
}

TEST_P(EventStoreContract, StreamsOfNetworkAreItsOwnAndThoseWhoseFirstEventNamesIt) {
  auto of = [](const char* network) {
    return NewEvent{"Started", 1, boost::json::object{{"network_id", network}}};
  };
  ASSERT_TRUE(store().Append(Request("network-n1", 0, {Registered()})));
  ASSERT_TRUE(store().Append(Request("assessment-a1", 0, {of("n1")})));
  ASSERT_TRUE(store().Append(Request("plan-p2", 0, {of("n2")})));
  ASSERT_TRUE(store().Append(Request("milestone-m1", 0, {of("n1")})));
  // A later event naming another network does not move the stream.
  ASSERT_TRUE(store().Append(Request("milestone-m1", 1, {of("n2")})));
  auto streams = store().StreamsOfNetwork("n1");
  ASSERT_TRUE(streams) << streams.error().message;
  EXPECT_EQ(*streams, (std::vector<std::string>{"network-n1", "assessment-a1", "milestone-m1"}));
  EXPECT_EQ(*store().StreamsOfNetwork("n2"), (std::vector<std::string>{"plan-p2"}));
  EXPECT_TRUE(store().StreamsOfNetwork("n9")->empty());
}

TEST_P(EventStoreContract, EveryEventCarriesItsStreamsNetworkForGood) {
  ASSERT_TRUE(store().Append(Request("network-n1", 0, {Registered()})));
  AppendRequest plan = Request("plan-p1", 0, {Registered()});
  plan.events[0].data = boost::json::object{{"network_id", "n1"}};
  ASSERT_TRUE(store().Append(plan));
  AppendRequest named = Request("step-s1", 0, {Registered()});  // the handler names it
  named.network_id = "n2";
  ASSERT_TRUE(store().Append(named));
  ASSERT_TRUE(store().Append(Request("plan-p1", std::nullopt, {Registered()})));
  AppendRequest same = Request("plan-p1", std::nullopt, {Registered()});
  same.network_id = "n1";
  ASSERT_TRUE(store().Append(same));
  AppendRequest moved = Request("plan-p1", std::nullopt, {Registered()});
  moved.network_id = "n2";
  ExpectRefused(moved, ErrorCode::kValidation, "belongs to network n1, not n2");
  std::vector<std::string> networks;
  for (const auto& e : All()) networks.push_back(e.stream + "=" + e.network_id);
  EXPECT_EQ(networks, (std::vector<std::string>{"network-n1=n1", "plan-p1=n1", "step-s1=n2",
                                                "plan-p1=n1", "plan-p1=n1"}));
  auto wire = store().ReadAllWire({}, 10);
  ASSERT_TRUE(wire);
  ASSERT_EQ(wire->size(), 5u);
  EXPECT_EQ((*wire)[2].network_id, "n2");
  EXPECT_EQ(*store().StreamsOfNetwork("n2"), std::vector<std::string>{"step-s1"});
}

TEST_P(EventStoreContract, NoExpectedVersionAppendsAtTheEnd) {
  ASSERT_TRUE(store().Append(Request("network-n1", std::nullopt, {Registered()})));
  auto second = store().Append(Request("network-n1", std::nullopt, {Registered("b")}));
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(second->first_version, 2);
}

TEST_P(EventStoreContract, ARepeatedIdempotencyKeyReturnsTheFirstResultAndWritesNothing) {
  auto first = store().Append(Request("network-n1", 0, {Registered()}, Officer("register-n1")));
  ASSERT_TRUE(first) << first.error().message;
  clock_.Advance(std::chrono::minutes(1));
  // Same key, even with a now-stale expected version and other data: the first result.
  auto again =
      store().Append(Request("network-n1", 0, {Registered("changed")}, Officer("register-n1")));
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_TRUE(again->replayed);
  EXPECT_EQ(again->first_version, first->first_version);
  EXPECT_EQ(again->last_version, first->last_version);
  ASSERT_EQ(again->events.size(), 1u);
  EXPECT_EQ(again->events[0].hash, first->events[0].hash);
  EXPECT_EQ(again->events[0].position, first->events[0].position);
  EXPECT_EQ(again->events[0].data.at("name").as_string(), "North East LSEN");
  EXPECT_EQ(All().size(), 1u);
  // The key is scoped to its stream.
  auto other = store().Append(Request("network-n2", 0, {Registered()}, Officer("register-n1")));
  ASSERT_TRUE(other) << other.error().message;
  EXPECT_FALSE(other->replayed);
  EXPECT_EQ(All().size(), 2u);
}

TEST_P(EventStoreContract, AKeyKeepsTheDigestOfItsFirstRequest) {
  auto request = Request("network-n1", 0, {Registered()}, Officer("register-n1"));
  request.request_digest = "digest-of-the-first";
  auto first = store().Append(request);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_FALSE(first->replayed);
  request.request_digest = "digest-of-another";
  auto again = store().Append(request);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_TRUE(again->replayed);
  EXPECT_EQ(again->request_digest, "digest-of-the-first");
  auto found = store().FindAppend("network-n1", "register-n1");
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->request_digest, "digest-of-the-first");
}

TEST_P(EventStoreContract, FindAppendReturnsTheFirstResultOfAKey) {
  auto none = store().FindAppend("network-n1", "k1");
  ASSERT_TRUE(none) << none.error().message;
  EXPECT_FALSE(none->has_value());
  auto first =
      store().Append(Request("network-n1", 0, {Registered(), Registered("b")}, Officer("k1")));
  ASSERT_TRUE(first) << first.error().message;
  auto found = store().FindAppend("network-n1", "k1");
  ASSERT_TRUE(found) << found.error().message;
  ASSERT_TRUE(found->has_value());
  EXPECT_TRUE((*found)->replayed);
  EXPECT_EQ((*found)->first_version, 1);
  EXPECT_EQ((*found)->last_version, 2);
  ASSERT_EQ((*found)->events.size(), 2u);
  EXPECT_EQ((*found)->events[1].hash, first->events[1].hash);
  auto other_stream = store().FindAppend("network-n2", "k1");
  ASSERT_TRUE(other_stream);
  EXPECT_FALSE(other_stream->has_value());
}

TEST_P(EventStoreContract, BadInputIsRefusedWithAClearErrorAndNothingStored) {
  ASSERT_TRUE(store().Append(Request("network-n1", 0, {Registered()})));
  ExpectRefused(Request("Network n1", std::nullopt, {Registered()}), ErrorCode::kValidation,
                "not a valid stream name");
  ExpectRefused(Request("network-", std::nullopt, {Registered()}), ErrorCode::kValidation,
                "the id is empty");
  ExpectRefused(Request("network-" + std::string(65, 'a'), std::nullopt, {Registered()}),
                ErrorCode::kValidation, "longer than 64");
  ExpectRefused(Request("network-n1", -1, {Registered()}), ErrorCode::kValidation,
                "expected_version -1 is negative");
  ExpectRefused(Request("network-n1", 1, {}), ErrorCode::kValidation, "no events");
  ExpectRefused(Request("network-n1", 1,
                        {Registered(), NewEvent{"NetworkSuspended", 1, boost::json::array{1, 2}}}),
                ErrorCode::kValidation, "event 2 of 2: data must be a JSON object, not array");
  ExpectRefused(Request("network-n1", 1, {NewEvent{"NetworkSuspended", 1, "text"}}),
                ErrorCode::kValidation, "data must be a JSON object, not string");
  ExpectRefused(
      Request("network-n1", 1, {NewEvent{"network registered", 1, boost::json::object{}}}),
      ErrorCode::kValidation, "type 'network registered' is not valid");
  ExpectRefused(Request("network-n1", 1, {NewEvent{"NetworkSuspended", 0, boost::json::object{}}}),
                ErrorCode::kValidation, "schema_version 0");
  ExpectRefused(Request("network-n1", 1,
                        {NewEvent{"NetworkSuspended", 1,
                                  boost::json::object{{"reason", std::string(300 * 1024, 'x')}}}}),
                ErrorCode::kValidation, "over the limit of 262144 bytes");
  EventMetadata anonymous = Officer();
  anonymous.actor.clear();
  ExpectRefused(Request("network-n1", 1, {Registered()}, anonymous), ErrorCode::kValidation,
                "metadata.actor");
  EXPECT_EQ(Stream("network-n1").size(), 1u);
}

TEST_P(EventStoreContract, ReadStreamPagesFromAVersion) {
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(store().Append(Request(
        "milestone-m1", i, {NewEvent{"MilestoneStarted", 1, boost::json::object{{"i", i}}}})));
  }
  auto page = store().ReadStream("milestone-m1", 4, 3);
  ASSERT_TRUE(page) << page.error().message;
  ASSERT_EQ(page->size(), 3u);
  EXPECT_EQ((*page)[0].version, 4);
  EXPECT_EQ((*page)[2].version, 6);
  auto none = store().ReadStream("milestone-unknown", 1, 10);
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
}

TEST_P(EventStoreContract, ReadAllReturnsEveryEventOnceInCommitOrder) {
  for (int i = 0; i < 25; ++i) {
    const std::string stream = "plan-p" + std::to_string(i % 4);
    ASSERT_TRUE(store().Append(Request(
        stream, std::nullopt, {NewEvent{"ActionAdded", 1, boost::json::object{{"i", i}}}})));
  }
  const auto all = All();  // read in pages of 7
  ASSERT_EQ(all.size(), 25u);
  for (std::size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i].data.at("i").as_int64(), static_cast<std::int64_t>(i));
    if (i > 0) {
      EXPECT_LT(all[i - 1].cursor(), all[i].cursor());
    }
  }
  auto tail = store().ReadAll(all[20].cursor(), 100);
  ASSERT_TRUE(tail);
  EXPECT_EQ(tail->size(), 4u);
}

TEST_P(EventStoreContract, ImportWritesAnExportVerbatimIntoAnEmptyStore) {
  ASSERT_TRUE(store().Append(Request("network-n1", 0, {Registered()}, Officer("k1"))));
  ASSERT_TRUE(store().Append(
      Request("assessment-a1", 0,
              {NewEvent{"AssessmentStarted", 1, boost::json::object{{"network_id", "n1"}}}})));
  ASSERT_TRUE(store().Append(Request(
      "network-n1", 1, {NewEvent{"NetworkSuspended", 1, boost::json::object{{"reason", "r"}}}})));
  const auto exported = All();

  ManualClock other_clock{kT0 + std::chrono::hours(24)};
  auto target = GetParam().make(other_clock);
  auto imported = target->store().Import(exported);
  ASSERT_TRUE(imported) << imported.error().message;
  EXPECT_EQ(*imported, 3u);
  auto copy = target->store().ReadStream("network-n1", 1, 10);
  ASSERT_TRUE(copy);
  ASSERT_EQ(copy->size(), 2u);
  EXPECT_EQ((*copy)[1].hash, Stream("network-n1")[1].hash);
  EXPECT_EQ((*copy)[1].position, Stream("network-n1")[1].position);
  EXPECT_EQ((*copy)[0].metadata.recorded_at, kT0);
  // Import decides each event's network by the rule (an export file carries none).
  auto assessment = target->store().ReadStream("assessment-a1", 1, 10);
  ASSERT_TRUE(assessment && assessment->size() == 1);
  EXPECT_EQ(assessment->front().network_id, "n1");
  EXPECT_EQ((*copy)[1].network_id, "n1");

  // The chain continues, and the imported idempotency key still holds.
  auto next = target->store().Append(Request("network-n1", 2, {Registered("x")}));
  ASSERT_TRUE(next) << next.error().message;
  EXPECT_EQ(next->events[0].hash, ChainHash((*copy)[1].hash, next->events[0]));
  EXPECT_GT(next->events[0].position, exported.back().position);
  auto replay = target->store().Append(Request("network-n1", 0, {Registered()}, Officer("k1")));
  ASSERT_TRUE(replay);
  EXPECT_TRUE(replay->replayed);

  // Not into a store that holds events.
  auto again = target->store().Import(exported);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kNotAllowed);
}

TEST_P(EventStoreContract, ImportRefusesABrokenChainAndStoresNothing) {
  ASSERT_TRUE(store().Append(Request("network-n1", 0, {Registered()})));
  ASSERT_TRUE(store().Append(Request(
      "network-n1", 1, {NewEvent{"NetworkSuspended", 1, boost::json::object{{"reason", "r"}}}})));
  auto exported = All();
  exported[0].data["name"] = "Altered";

  ManualClock other_clock{kT0};
  auto target = GetParam().make(other_clock);
  auto imported = target->store().Import(exported);
  ASSERT_FALSE(imported);
  EXPECT_EQ(imported.error().code, ErrorCode::kCorrupt);
  EXPECT_NE(imported.error().message.find("network-n1 version 1"), std::string::npos)
      << imported.error().message;
  auto all = target->store().ReadAll({}, 10);
  ASSERT_TRUE(all);
  EXPECT_TRUE(all->empty());
}

}  // namespace waymark::testing
