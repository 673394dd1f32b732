#include "tests/support/event_load.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <set>

#include "core/event_json.hpp"
#include "core/network_key.hpp"

namespace waymark::testing {

std::size_t AppendLoad(EventStore& store, std::size_t count, int networks, std::size_t max_batch,
                       const std::string& tag) {
  struct Stream {
    std::string name;
    std::string network;
    std::int64_t version = 0;
  };
  std::vector<Stream> streams;
  for (int n = 0; n < networks; ++n) {
    const std::string id = tag + std::to_string(n);
    for (const char* kind : {"network", "assessment", "milestone"}) {
      streams.push_back(
          {std::string(kind) + "-" + (std::string(kind) == "network" ? id : id + "-1"), id, 0});
    }
  }
  std::size_t appended = 0;
  std::uint64_t rng = 88172645463325252ull;
  for (std::size_t i = 0; appended < count; ++i) {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    Stream& s = streams[rng % streams.size()];
    const std::size_t batch = std::min(count - appended, 1 + (rng >> 8) % max_batch);
    AppendRequest request{s.name, s.version, {}, {"loader", "officer", "load", "", "", {}}};
    for (std::size_t b = 0; b < batch; ++b) {
      boost::json::object data{{"seq", appended + b}};
      if (s.version + static_cast<std::int64_t>(b) == 0) data["network_id"] = s.network;
      request.events.push_back({s.version + b == 0 ? "StreamOpened" : "StreamProgressed", 1, data});
    }
    auto result = store.Append(request);
    if (!result) {
      ADD_FAILURE() << "load append failed: " << result.error().message;
      return appended;
    }
    s.version = result->last_version;
    appended += batch;
  }
  return appended;
}

TopicCheck CheckTopic(EventStore& store, const std::vector<TopicMessage>& messages) {
  TopicCheck check;
  check.messages = messages.size();
  auto note = [&](std::string problem) {
    if (check.examples.size() < 5) check.examples.push_back(std::move(problem));
  };
  std::map<std::string, RecordedEvent> stored;  // "stream#version" -> event
  std::map<std::string, std::string> first_of;  // stream -> network key
  auto all = ForEachEvent(store, "", [&](const RecordedEvent& e) {
    stored.emplace(e.stream + "#" + std::to_string(e.version), e);
    if (e.version == 1) first_of[e.stream] = NetworkKeyOf(e);
    return true;
  });
  if (!all) ADD_FAILURE() << all.error().message;

  std::set<std::string> seen;
  std::map<std::string, std::int64_t> highest;  // per stream, within its (single) partition
  for (const auto& m : messages) {
    auto event = EventFromJson(boost::json::parse(m.value));
    if (!event) {
      ++check.bad_values;
      note("unparseable value at offset " + std::to_string(m.offset));
      continue;
    }
    const std::string id = event->stream + "#" + std::to_string(event->version);
    auto it = stored.find(id);
    // JSON equality: the same members and values, in whatever order.
    if (it == stored.end() ||
        boost::json::value(EventToJson(it->second)) != boost::json::parse(m.value) ||
        m.headers.at("event_type") != event->type || m.headers.at("stream") != event->stream) {
      ++check.bad_values;
      note("value or headers of " + id + " differ from the store");
    }
    if (m.key != first_of[event->stream]) {
      ++check.bad_keys;
      note("key '" + m.key + "' for " + id);
    }
    if (!seen.insert(id).second) ++check.duplicates;
    std::int64_t& high = highest[event->stream];
    if (event->version > high + 1) {
      ++check.out_of_order;
      note(id + " came before version " + std::to_string(high + 1));
    }
    high = std::max(high, event->version);
  }
  check.distinct = seen.size();
  for (const auto& [id, e] : stored) {
    if (!seen.count(id)) {
      ++check.missing;
      note("missing " + id);
    }
  }
  return check;
}

TopicCheck ExpectTopicHoldsStore(EventStore& store, const std::string& topic, std::size_t events,
                                 std::size_t max_duplicates, const std::string& bootstrap) {
  const auto check = CheckTopic(store, ReadTopic(topic, std::chrono::seconds(20), bootstrap));
  EXPECT_EQ(check.distinct, events);
  EXPECT_EQ(check.missing, 0u);
  EXPECT_EQ(check.out_of_order, 0u);
  EXPECT_EQ(check.bad_keys, 0u);
  EXPECT_EQ(check.bad_values, 0u);
  EXPECT_LE(check.duplicates, max_duplicates);
  for (const auto& e : check.examples) ADD_FAILURE() << e;
  return check;
}

}  // namespace waymark::testing
