// Append throughput of the PostgreSQL event store, with a raw libpq INSERT of
// the same rows into the same table beside it, so the store's overhead is a
// ratio. Needs $WAYMARK_TEST_PG (ops/bench sets it).

#include <benchmark/benchmark.h>
#include <libpq-fe.h>

#include <map>
#include <memory>
#include <stdexcept>

#include "adapters/postgres/pg_event_store.hpp"
#include "core/canonical_json.hpp"
#include "core/clock.hpp"
#include "core/event_json.hpp"
#include "tests/support/pg_schema.hpp"

namespace {

using namespace waymark;

boost::json::object Payload(std::int64_t i) {
  return {
      {"dimension", "knowledge_sharing"},
      {"score", i % 5 + 1},
      {"note", "Members share practice at quarterly forums; newsletter reaches 60% of members."},
      {"evidence",
       boost::json::array{"https://example.org/forum-minutes", "https://example.org/newsletter"}}};
}

EventMetadata Metadata() {
  return {"olivia", "officer", "bench-correlation", "bench-cause", "", {}};
}

struct Env {
  testing::PgSchema schema;
  std::unique_ptr<Clock> clock = MakeSystemClock();
  std::unique_ptr<EventStore> store =
      postgres::MakePostgresEventStore(schema.conninfo(), *clock, 1);
  PGconn* raw = nullptr;
  std::map<std::string, std::int64_t> versions;
  std::int64_t raw_version = 0;

  Env() {
    raw = PQconnectdb(schema.conninfo().c_str());
    if (PQstatus(raw) != CONNECTION_OK) throw std::runtime_error(PQerrorMessage(raw));
  }
  ~Env() { PQfinish(raw); }
};

Env& GetEnv() {
  static Env env;
  return env;
}

void StoreAppend(benchmark::State& state) {
  const auto batch = static_cast<std::size_t>(state.range(0));
  Env& env = GetEnv();
  std::int64_t n = 0;
  for (auto _ : state) {
    const std::string stream =
        "assessment-store" + std::to_string(batch) + "-" + std::to_string(n++ % 100);
    AppendRequest request{stream, env.versions[stream], {}, Metadata()};
    for (std::size_t i = 0; i < batch; ++i) {
      request.events.push_back({"DimensionScored", 1, Payload(static_cast<std::int64_t>(i))});
    }
    auto result = env.store->Append(request);
    if (!result) {
      state.SkipWithError(result.error().message.c_str());
      break;
    }
    env.versions[stream] = result->last_version;
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(batch));
}

// The same rows, as one plain multi-row INSERT in autocommit: no version
// check, no hashing, no idempotency, one round trip.
void RawInsert(benchmark::State& state) {
  const auto batch = static_cast<std::size_t>(state.range(0));
  Env& env = GetEnv();
  std::string sql =
      "INSERT INTO events (stream, version, type, schema_version, data, metadata, recorded_at, "
      "hash, network_id) VALUES ";
  for (std::size_t r = 0; r < batch; ++r) {
    const std::size_t p = r * 9;
    sql += (r ? "," : "") + std::string("($") + std::to_string(p + 1) + ",$" +
           std::to_string(p + 2) + ",$" + std::to_string(p + 3) + ",$" + std::to_string(p + 4) +
           ",$" + std::to_string(p + 5) + ",$" + std::to_string(p + 6) +
           ",'epoch'::timestamptz + $" + std::to_string(p + 7) +
           "::bigint * interval '1 microsecond',$" + std::to_string(p + 8) + ",$" +
           std::to_string(p + 9) + ")";
  }
  const std::string metadata = CanonicalJson(MetadataToJson(Metadata()));
  const std::string hash(64, 'f');
  for (auto _ : state) {
    std::vector<std::string> values;
    values.reserve(batch * 9);
    const std::string stream = "assessment-raw" + std::to_string(batch);
    for (std::size_t i = 0; i < batch; ++i) {
      values.push_back(stream);
      values.push_back(std::to_string(++env.raw_version));
      values.push_back("DimensionScored");
      values.push_back("1");
      values.push_back(CanonicalJson(Payload(static_cast<std::int64_t>(i))));
      values.push_back(metadata);
      values.push_back(std::to_string(env.clock->Now().time_since_epoch().count()));
      values.push_back(hash);
      values.push_back("raw");
    }
    std::vector<const char*> params;
    for (const auto& v : values) params.push_back(v.c_str());
    PGresult* res = PQexecParams(env.raw, sql.c_str(), static_cast<int>(params.size()), nullptr,
                                 params.data(), nullptr, nullptr, 0);
    const bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
    if (!ok) state.SkipWithError(PQresultErrorMessage(res));
    PQclear(res);
    if (!ok) break;
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(batch));
}

BENCHMARK(StoreAppend)->Name("Single/store_append")->Arg(1)->UseRealTime();
BENCHMARK(RawInsert)->Name("Single/raw_libpq_insert")->Arg(1)->UseRealTime();
BENCHMARK(StoreAppend)->Name("Batch100/store_append")->Arg(100)->UseRealTime();
BENCHMARK(RawInsert)->Name("Batch100/raw_libpq_insert")->Arg(100)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
