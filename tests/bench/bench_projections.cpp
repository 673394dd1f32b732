// Projection throughput over a realistic history (default 1,000,000 events;
// `bench_projections N` for another size), from the event store and from
// Kafka, through the path `waymark project` runs (the Feed: poll, one
// transaction per batch with rows, audit rows, projected versions and, from
// the store, the checkpoint; then the source's commit), with a raw COPY of the same final rows into
// the same tables beside it on the same run; and `rebuild all` over the same history. Needs
// $WAYMARK_TEST_PG and $WAYMARK_TEST_KAFKA
// (ops/bench sets them). Targets (issue 5): ≥ 50,000 events/s and ≥ 0.5×
// raw COPY; rebuild of 1,000,000 events ≤ 60 s.

#include <chrono>
#include <cstdio>
#include <iostream>
#include <pqxx/pqxx>

#include "adapters/kafka/kafka_event_source.hpp"
#include "adapters/kafka/relay.hpp"
#include "adapters/postgres/pg_checkpoint_store.hpp"
#include "adapters/postgres/pg_event_store.hpp"
#include "adapters/postgres/pg_read_model_store.hpp"
#include "projections/feed.hpp"
#include "projections/projector.hpp"
#include "projections/rebuild.hpp"
#include "tests/support/domain_history.hpp"
#include "tests/support/kafka_topic.hpp"
#include "tests/support/pg_schema.hpp"
#include "workflows/registry.hpp"

namespace {

using namespace waymark;
using Steady = std::chrono::steady_clock;

double Since(Steady::time_point start) {
  return std::chrono::duration<double>(Steady::now() - start).count();
}

void Fail(const std::string& what, const Error& e) {
  std::cerr << what << ": " << e.message << "\n";
  std::exit(1);
}

std::vector<std::string> Tables() {
  std::vector<std::string> tables;
  for (const auto& m : projections::AllReadModels()) tables.emplace_back(m.table);
  return tables;
}

void Reset(pqxx::connection& conn) {
  pqxx::work tx(conn);
  for (const auto& t : Tables()) tx.exec0("TRUNCATE " + t);
  tx.exec0("TRUNCATE waymark_projected_versions");
  tx.commit();
}

// Feeds the read models until `events` are applied; returns seconds.
double Project(projections::Feed& feed, std::size_t events) {
  const auto start = Steady::now();
  while (feed.totals().applied < events) {
    auto r = feed.ApplyNext(std::chrono::milliseconds(1000));
    if (!r) Fail("project", r.error());
  }
  return Since(start);
}

}  // namespace

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // each figure as soon as it is measured
  const std::size_t target = argc > 1 ? std::stoul(argv[1]) : 1000000;
  testing::PgSchema schema;
  auto system_clock = MakeSystemClock();
  auto store = postgres::MakePostgresEventStore(schema.conninfo(), *system_clock, 4);

  auto t = Steady::now();
  const auto history = testing::MakeDomainHistory(testing::ShapeForEvents(target));
  std::printf("history: %zu events made through the command handler in memory in %.1f s\n",
              history.size(), Since(t));
  t = Steady::now();
  if (auto imported = store->Import(history); !imported) Fail("import", imported.error());
  std::printf("imported into PostgreSQL in %.1f s\n", Since(t));
  const std::size_t events = history.size();
  pqxx::connection conn(schema.conninfo());
  auto read_models = postgres::MakePostgresReadModelStore(schema.conninfo());

  // 1. From the event store (embedded mode), the checkpoint saved with each batch.
  double embedded = 0;
  {
    projections::Projector projector(*read_models, *store, workflows::AllWorkflows());
    projections::Feed feed(
        projector,
        [&]() -> std::expected<std::unique_ptr<EventSource>, Error> {
          auto start = read_models->Checkpoint();
          if (!start) return std::unexpected(start.error());
          return MakeStoreEventSource(*store, *start);
        },
        true);
    embedded = Project(feed, events);
  }
  std::printf("project from the event store: %zu events in %.2f s = %.0f events/s\n", events,
              embedded, events / embedded);

  // 2. Raw COPY of the same final rows into the same tables.
  std::size_t rows = 0;
  for (const auto& table : Tables()) {
    pqxx::work tx(conn);
    rows += tx.exec1("SELECT count(*) FROM " + table)[0].as<std::size_t>();
    tx.exec0("COPY " + table + " TO '/tmp/waymark-bench-" + table + ".copy'");
    tx.commit();
  }
  Reset(conn);
  t = Steady::now();
  {
    pqxx::work tx(conn);
    for (const auto& table : Tables()) {
      tx.exec0("COPY " + table + " FROM '/tmp/waymark-bench-" + table + ".copy'");
    }
    tx.commit();
  }
  const double copy = Since(t);
  for (const auto& table : Tables()) std::remove(("/tmp/waymark-bench-" + table + ".copy").c_str());
  std::printf("raw COPY of the same %zu final rows: %.2f s; projection / raw COPY = %.2f\n", rows,
              copy, copy / embedded);

  // 3. From Kafka: the relay publishes everything first (not timed).
  const std::string topic = testing::UniqueTopic("bench-projections");
  testing::CreateTopic(topic, 6);  // as waymark.events
  {
    auto checkpoints = postgres::MakePostgresCheckpointStore(schema.conninfo());
    auto relay = kafka::Relay::Create(*store, *checkpoints, *system_clock,
                                      {testing::TestKafkaBrokers(), topic, 5000});
    if (!relay) Fail("relay", relay.error());
    std::atomic<bool> stop{false};
    t = Steady::now();
    auto published = (*relay)->PublishPending(stop);
    if (!published) Fail("publish", published.error());
    std::printf("relayed %zu events to %s in %.1f s (not part of the figure)\n", *published,
                topic.c_str(), Since(t));
  }
  Reset(conn);
  double from_kafka = 0;
  {
    projections::Projector projector(*read_models, *store, workflows::AllWorkflows());
    const std::string group = testing::UniqueTopic("bench-group");
    projections::Feed feed(
        projector,
        [&] {
          return kafka::MakeKafkaEventSource({testing::TestKafkaBrokers(), topic, group, "bench"});
        },
        false);
    from_kafka = Project(feed, events);
  }
  std::printf("project from Kafka: %zu events in %.2f s = %.0f events/s (group join included)\n",
              events, from_kafka, events / from_kafka);

  // 4. Rebuild of every read model from the whole history.
  t = Steady::now();
  auto rebuilt =
      projections::Rebuild(*read_models, *store, workflows::AllWorkflows(), {{}, false, {}});
  if (!rebuilt) Fail("rebuild", rebuilt.error());
  std::printf("rebuild all: %zu events in %.2f s\n", rebuilt->events, Since(t));
  return 0;
}
