// Relay throughput from the PostgreSQL store to Apache Kafka, with a raw
// librdkafka producer of the same messages (same keys, values, headers,
// producer settings) beside it on the same run. Needs $WAYMARK_TEST_PG and
// $WAYMARK_TEST_KAFKA (ops/bench sets them).

#include <benchmark/benchmark.h>
#include <librdkafka/rdkafka.h>

#include <boost/json/serialize.hpp>

#include "adapters/kafka/relay.hpp"
#include "adapters/postgres/pg_checkpoint_store.hpp"
#include "adapters/postgres/pg_event_store.hpp"
#include "core/event_json.hpp"
#include "core/network_key.hpp"
#include "tests/support/event_load.hpp"
#include "tests/support/kafka_topic.hpp"
#include "tests/support/pg_schema.hpp"

namespace {

using namespace waymark;

constexpr std::size_t kEvents = 100000;

struct Env {
  testing::PgSchema schema;
  std::unique_ptr<Clock> clock = MakeSystemClock();
  std::unique_ptr<EventStore> store =
      postgres::MakePostgresEventStore(schema.conninfo(), *clock, 2);
  std::unique_ptr<CheckpointStore> checkpoints =
      postgres::MakePostgresCheckpointStore(schema.conninfo());
  struct Message {
    std::string key, value, type, stream;
  };
  std::vector<Message> messages;  // what the relay sends, prepared for the raw producer
  // A topic of the benchmark's own, made like waymark.events (6 partitions):
  // the broker keeps its data, and the synthetic events must never reach the
  // topic `ops/start --kafka` projects.
  std::string topic = testing::UniqueTopic("bench-relay");

  Env() {
    testing::CreateTopic(topic, 6);
    testing::AppendLoad(*store, kEvents, 200, 10, "bench");
    (void)ForEachEvent(*store, "", [&](const RecordedEvent& e) {
      messages.push_back({e.network_id, boost::json::serialize(EventToJson(e)), e.type, e.stream});
      return true;
    });
  }
};

Env& GetEnv() {
  static Env env;
  return env;
}

// Both sides publish to the benchmark's topic, created beforehand, so neither
// pays for creating one; the relay starts each run from an empty checkpoint.

void Relay(benchmark::State& state) {
  Env& env = GetEnv();
  for (auto _ : state) {
    state.PauseTiming();
    (void)env.checkpoints->Save("relay:" + env.topic, {});
    state.ResumeTiming();
    const std::string& topic = env.topic;
    auto relay = kafka::Relay::Create(
        *env.store, *env.checkpoints, *env.clock,
        {testing::TestKafkaBrokers(), topic, static_cast<std::size_t>(state.range(0))});
    std::atomic<bool> never{false};
    auto n = (*relay)->PublishPending(never);
    if (!n || *n != kEvents) state.SkipWithError("relay did not publish every event");
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kEvents));
}

void RawProducer(benchmark::State& state) {
  Env& env = GetEnv();
  for (auto _ : state) {
    const std::string& topic = env.topic;
    char errstr[512];
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    for (auto [k, v] : {std::pair{"bootstrap.servers", testing::TestKafkaBrokers()},
                        {"enable.idempotence", "true"},
                        {"linger.ms", "5"},
                        {"compression.type", "lz4"},
                        {"partitioner", "murmur2_random"},
                        {"log_level", "3"}}) {
      rd_kafka_conf_set(conf, k, v.c_str(), errstr, sizeof errstr);
    }
    rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
    for (const auto& m : env.messages) {
      while (
          rd_kafka_producev(
              rk, RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_KEY(m.key.data(), m.key.size()),
              RD_KAFKA_V_VALUE(const_cast<char*>(m.value.data()), m.value.size()),
              RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
              RD_KAFKA_V_HEADER("event_type", m.type.data(), static_cast<ssize_t>(m.type.size())),
              RD_KAFKA_V_HEADER("stream", m.stream.data(), static_cast<ssize_t>(m.stream.size())),
              RD_KAFKA_V_END) == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
        rd_kafka_poll(rk, 50);
      }
      rd_kafka_poll(rk, 0);
    }
    while (rd_kafka_outq_len(rk) > 0) rd_kafka_flush(rk, 1000);
    rd_kafka_destroy(rk);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kEvents));
}

GlobalCursor CursorOf(const RecordedEvent& e) { return e.cursor(); }
GlobalCursor CursorOf(const WireEvent& e) { return e.cursor; }

// Walks every page with `read` (ReadAll or ReadAllWire), as the relay reads.
template <typename Read>
void ReadEverything(benchmark::State& state, Read read) {
  Env& env = GetEnv();
  for (auto _ : state) {
    std::size_t n = 0;
    GlobalCursor cursor;
    for (;;) {
      auto page = read(*env.store, cursor);
      if (!page || page->empty()) break;
      n += page->size();
      cursor = CursorOf(page->back());
    }
    if (n != kEvents) state.SkipWithError("a read did not return every event");
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kEvents));
}

// The relay's reading alone: the store's gap-safe ReadAll in pages of 5000.
void StoreReadAll(benchmark::State& state) {
  ReadEverything(state, [](EventStore& s, GlobalCursor c) { return s.ReadAll(c, 5000); });
}

// The same pages in wire form, as the relay reads them.
void StoreReadAllWire(benchmark::State& state) {
  ReadEverything(state, [](EventStore& s, GlobalCursor c) { return s.ReadAllWire(c, 5000); });
}

BENCHMARK(StoreReadAllWire)
    ->Name("Relay100k/store_read_all_wire")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(3);
BENCHMARK(StoreReadAll)
    ->Name("Relay100k/store_read_all")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(3);
BENCHMARK(Relay)
    ->Arg(5000)
    ->Name("Relay100k/waymark_relay")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(3);
BENCHMARK(RawProducer)
    ->Name("Relay100k/raw_librdkafka_producer")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(3);

}  // namespace

BENCHMARK_MAIN();
