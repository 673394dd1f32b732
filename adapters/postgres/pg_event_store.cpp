#include "adapters/postgres/pg_event_store.hpp"

#include <boost/json/parse.hpp>
#include <charconv>
#include <map>
#include <pqxx/pqxx>

#include "adapters/postgres/connection_pool.hpp"
#include "adapters/postgres/pg_error.hpp"
#include "core/canonical_json.hpp"
#include "core/event_append.hpp"
#include "core/event_json.hpp"
#include "core/network_key.hpp"

namespace waymark::postgres {
namespace {

// Appends to one stream are serialized by an advisory lock; the unique
// (stream, version) index stays as the last line of defence, and an append
// with no expected version that still meets it retries this often.
constexpr int kAppendAttempts = 3;
constexpr std::size_t kImportRowsPerStatement = 500;

// Output columns carry names of their own: in ORDER BY, an output column's
// name wins over the table's, and "transaction_id" as text sorts "1000"
// before "999".
constexpr const char* kSelectColumns =
    "SELECT position, transaction_id::text AS commit_text, stream, version, type, schema_version, "
    "data::text AS data_text, metadata::text AS metadata_text, "
    "(extract(epoch FROM recorded_at) * 1000000)::bigint AS recorded_micros, hash, network_id "
    "FROM events ";

std::string_view View(const pqxx::field& f) { return {f.c_str(), f.size()}; }

std::uint64_t ParseCommit(const pqxx::field& f) {
  std::uint64_t commit = 0;
  std::from_chars(f.c_str(), f.c_str() + f.size(), commit);
  return commit;
}

std::expected<RecordedEvent, Error> DecodeRow(const pqxx::row& row) {
  RecordedEvent e;
  e.position = row[0].as<std::int64_t>();
  e.commit = ParseCommit(row[1]);
  e.stream = row[2].as<std::string>();
  e.version = row[3].as<std::int64_t>();
  e.type = row[4].as<std::string>();
  e.schema_version = row[5].as<int>();
  const std::string where = "stored event " + e.stream + " version " + std::to_string(e.version);
  boost::json::error_code ec;
  auto data = boost::json::parse(View(row[6]), ec);
  if (ec || !data.is_object()) {
    return std::unexpected(MakeError(ErrorCode::kCorrupt, where + ": data is not a JSON object"));
  }
  e.data = std::move(data.get_object());
  auto meta_json = boost::json::parse(View(row[7]), ec);
  if (ec) return std::unexpected(MakeError(ErrorCode::kCorrupt, where + ": metadata is not JSON"));
  auto meta = MetadataFromJson(meta_json, /*require_recorded_at=*/true);
  if (!meta) {
    return std::unexpected(MakeError(ErrorCode::kCorrupt, where + ": " + meta.error().message));
  }
  e.metadata = std::move(*meta);
  const Timestamp column{std::chrono::microseconds{row[8].as<std::int64_t>()}};
  if (column != e.metadata.recorded_at) {
    return std::unexpected(
        MakeError(ErrorCode::kCorrupt, where + ": recorded_at column " + FormatRfc3339(column) +
                                           " differs from metadata.recorded_at " +
                                           FormatRfc3339(e.metadata.recorded_at)));
  }
  e.hash = row[9].as<std::string>();
  e.network_id = row[10].as<std::string>();
  return e;
}

std::expected<std::vector<RecordedEvent>, Error> DecodeRows(const pqxx::result& rows) {
  std::vector<RecordedEvent> out;
  out.reserve(rows.size());
  for (const auto& row : rows) {
    auto e = DecodeRow(row);
    if (!e) return std::unexpected(e.error());
    out.push_back(std::move(*e));
  }
  return out;
}

// Builds "INSERT INTO events (...) VALUES ($1..$10), (...)" for `rows` rows;
// with `explicit_position`, the first column of each row is the position.
std::string InsertSql(std::size_t rows, bool explicit_position) {
  const int per_row = explicit_position ? 10 : 9;
  std::string sql = "INSERT INTO events (";
  if (explicit_position) sql += "position, ";
  sql +=
      "stream, version, type, schema_version, data, metadata, recorded_at, hash, network_id) "
      "VALUES ";
  int p = 0;
  for (std::size_t r = 0; r < rows; ++r) {
    if (r) sql += ',';
    sql += '(';
    for (int c = 0; c < per_row; ++c) {
      ++p;
      const int column = explicit_position ? c : c + 1;  // 0 = position ... 7 = recorded_at
      if (c) sql += ',';
      if (column == 7) {
        sql +=
            "'epoch'::timestamptz + $" + std::to_string(p) + "::bigint * interval '1 microsecond'";
      } else {
        sql += '$' + std::to_string(p);
      }
    }
    sql += ')';
  }
  if (!explicit_position) sql += " RETURNING position, transaction_id::text";
  return sql;
}

// One row's parameters in InsertSql's order, from the event and its
// canonical data and metadata text (what was hashed is what is stored).
void AddRowParams(const RecordedEvent& e, std::string data_json, std::string metadata_json,
                  std::vector<std::string>& out) {
  out.push_back(e.stream);
  out.push_back(std::to_string(e.version));
  out.push_back(e.type);
  out.push_back(std::to_string(e.schema_version));
  out.push_back(std::move(data_json));
  out.push_back(std::move(metadata_json));
  out.push_back(std::to_string(e.metadata.recorded_at.time_since_epoch().count()));
  out.push_back(e.hash);
  out.push_back(e.network_id);
}

// The same for an imported event, with its position and its stream's network.
void AddImportRowParams(RecordedEvent e, std::string network_id, std::vector<std::string>& out) {
  out.push_back(std::to_string(e.position));
  e.network_id = std::move(network_id);
  AddRowParams(e, CanonicalJson(e.data), CanonicalJson(MetadataToJson(e.metadata)), out);
}

class PostgresEventStore final : public EventStore {
 public:
  PostgresEventStore(const std::string& conninfo, Clock& clock, std::size_t pool_size)
      : pool_(conninfo, pool_size), clock_(clock) {}

  std::expected<AppendResult, Error> Append(const AppendRequest& request) override {
    auto valid = ValidateAppendRequest(request);
    if (!valid) return std::unexpected(valid.error());
    return Translate("append", [&]() -> std::expected<AppendResult, Error> {
      return pool_.With([&](pqxx::connection& conn) -> std::expected<AppendResult, Error> {
        for (int attempt = 1;; ++attempt) {
          try {
            return TryAppend(conn, request, *valid);
          } catch (const pqxx::unique_violation&) {
            // Another append to this stream (or with this key) committed first.
            if (auto replay = FindIdempotent(conn, request)) return std::move(*replay);
            if (request.expected_version || attempt == kAppendAttempts) {
              return std::unexpected(MakeError(
                  ErrorCode::kConflict,
                  "stream " + request.stream +
                      " was appended to concurrently; reload the stream and decide again"));
            }
          }
        }
      });
    });
  }

  std::expected<std::optional<AppendResult>, Error> FindAppend(
      std::string_view stream, std::string_view idempotency_key) override {
    if (idempotency_key.empty()) return std::nullopt;
    AppendRequest probe;
    probe.stream = std::string(stream);
    probe.metadata.idempotency_key = std::string(idempotency_key);
    return Translate("find append", [&]() -> std::expected<std::optional<AppendResult>, Error> {
      return pool_.With([&](pqxx::connection& conn) { return FindIdempotent(conn, probe); });
    });
  }

  std::expected<std::vector<RecordedEvent>, Error> ReadStream(std::string_view stream,
                                                              std::int64_t from_version,
                                                              std::size_t max_count) override {
    return Translate("read stream", [&]() -> std::expected<std::vector<RecordedEvent>, Error> {
      return pool_.With([&](pqxx::connection& conn) {
        // One statement: no transaction around it; prepared once per connection.
        conn.prepare("read_stream", std::string(kSelectColumns) +
                                        "WHERE stream = $1 AND version >= $2 ORDER BY version "
                                        "LIMIT $3");
        pqxx::nontransaction tx(conn);
        return DecodeRows(tx.exec_prepared("read_stream", std::string(stream), from_version,
                                           static_cast<std::int64_t>(max_count)));
      });
    });
  }

  std::expected<std::vector<RecordedEvent>, Error> ReadAll(GlobalCursor after,
                                                           std::size_t max_count) override {
    return Translate("read all", [&]() -> std::expected<std::vector<RecordedEvent>, Error> {
      return pool_.With([&](pqxx::connection& conn) {
        pqxx::read_transaction tx(conn);
        // Only transactions below the snapshot's xmin are finished; anything
        // at or above it may still commit, so reading stops there.
        return DecodeRows(tx.exec_params(
            std::string(kSelectColumns) +
                "WHERE (events.transaction_id, events.position) > ($1::text::xid8, $2::bigint) "
                "AND events.transaction_id < pg_snapshot_xmin(pg_current_snapshot()) "
                "ORDER BY events.transaction_id, events.position LIMIT $3",
            std::to_string(after.commit), after.position, static_cast<std::int64_t>(max_count)));
      });
    });
  }

  std::expected<std::vector<WireEvent>, Error> ReadAllWire(GlobalCursor after,
                                                           std::size_t max_count) override {
    return Translate("read all", [&]() -> std::expected<std::vector<WireEvent>, Error> {
      return pool_.With([&](pqxx::connection& conn) {
        pqxx::read_transaction tx(conn);
        // data and metadata are stored as canonical JSON text: the wire JSON
        // is assembled around them without parsing anything.
        const auto rows = tx.exec_params(
            "SELECT transaction_id::text AS commit_text, position, stream, version, type, "
            "schema_version, data::text AS data_text, metadata::text AS metadata_text, hash, "
            "network_id "
            "FROM events "
            "WHERE (events.transaction_id, events.position) > ($1::text::xid8, $2::bigint) "
            "AND events.transaction_id < pg_snapshot_xmin(pg_current_snapshot()) "
            "ORDER BY events.transaction_id, events.position LIMIT $3",
            std::to_string(after.commit), after.position, static_cast<std::int64_t>(max_count));
        std::vector<WireEvent> out;
        out.reserve(rows.size());
        for (const auto& row : rows) {
          WireEvent w;
          w.cursor = {ParseCommit(row[0]), row[1].as<std::int64_t>()};
          w.stream.assign(row[2].c_str(), row[2].size());
          w.version = row[3].as<std::int64_t>();
          w.type.assign(row[4].c_str(), row[4].size());
          w.network_id.assign(row[9].c_str(), row[9].size());
          std::string& json = w.json;
          json.reserve(96 + row[6].size() + row[7].size() + w.stream.size());
          json += "{\"stream\":";
          AppendCanonicalJsonString(w.stream, json);
          json += ",\"version\":";
          json += View(row[3]);
          json += ",\"position\":";
          json += View(row[1]);
          json += ",\"type\":";
          AppendCanonicalJsonString(w.type, json);
          json += ",\"schema_version\":";
          json += View(row[5]);
          json += ",\"data\":";
          json += View(row[6]);
          json += ",\"metadata\":";
          json += View(row[7]);
          json += ",\"hash\":";
          AppendCanonicalJsonString(View(row[8]), json);
          json += '}';
          out.push_back(std::move(w));
        }
        return out;
      });
    });
  }

  std::expected<std::size_t, Error> CountEvents() override {
    return Translate("count events", [&]() -> std::expected<std::size_t, Error> {
      return pool_.With([&](pqxx::connection& conn) {
        pqxx::read_transaction tx(conn);
        return tx.exec1("SELECT count(*) FROM events")[0].as<std::size_t>();
      });
    });
  }

  std::expected<std::vector<std::string>, Error> StreamsOfNetwork(
      std::string_view network_id) override {
    return Translate(
        "find a network's streams", [&]() -> std::expected<std::vector<std::string>, Error> {
          return pool_.With([&](pqxx::connection& conn) {
            pqxx::read_transaction tx(conn);
            std::vector<std::string> streams;
            for (const auto& row :
                 tx.exec_params("SELECT stream FROM events WHERE network_id = $1 AND version = 1 "
                                "ORDER BY position",
                                std::string(network_id))) {
              streams.push_back(row[0].as<std::string>());
            }
            return streams;
          });
        });
  }

  std::expected<std::size_t, Error> Import(std::span<const RecordedEvent> events) override {
    if (auto ok = ValidateImport(events); !ok) return std::unexpected(ok.error());
    return Translate("import", [&]() -> std::expected<std::size_t, Error> {
      return pool_.With([&](pqxx::connection& conn) -> std::expected<std::size_t, Error> {
        pqxx::work tx(conn);
        tx.exec0("LOCK TABLE events IN EXCLUSIVE MODE");
        if (!tx.exec("SELECT 1 FROM events LIMIT 1").empty()) {
          return std::unexpected(MakeError(
              ErrorCode::kNotAllowed,
              "the store already holds events; import needs an empty store (a fresh database)"));
        }
        std::map<std::pair<std::string, std::string>, std::pair<std::int64_t, std::int64_t>> keys;
        std::map<std::string, std::string, std::less<>> networks;  // stream -> its network
        for (const auto& e : events) {
          if (e.version == 1) networks[e.stream] = NetworkKeyOf(e);
        }
        for (std::size_t begin = 0; begin < events.size(); begin += kImportRowsPerStatement) {
          const std::size_t end = std::min(events.size(), begin + kImportRowsPerStatement);
          std::vector<std::string> params;
          for (std::size_t i = begin; i < end; ++i) {
            AddImportRowParams(events[i], networks[events[i].stream], params);
            const auto& e = events[i];
            if (e.metadata.idempotency_key.empty()) continue;
            auto [it, fresh] = keys.try_emplace({e.stream, e.metadata.idempotency_key},
                                                std::pair{e.version, e.version});
            if (!fresh) it->second.second = e.version;
          }
          tx.exec_params(InsertSql(end - begin, true), pqxx::prepare::make_dynamic_params(params));
        }
        for (const auto& [key, range] : keys) {
          tx.exec_params(
              "INSERT INTO event_idempotency (stream, idempotency_key, first_version, "
              "last_version) VALUES ($1, $2, $3, $4)",
              key.first, key.second, range.first, range.second);
        }
        tx.exec(
            "SELECT setval(pg_get_serial_sequence('events', 'position'), "
            "GREATEST((SELECT max(position) FROM events), 1))");
        tx.commit();
        return events.size();
      });
    });
  }

 private:
  std::optional<AppendResult> FindIdempotent(pqxx::connection& conn, const AppendRequest& request) {
    if (request.metadata.idempotency_key.empty()) return std::nullopt;
    pqxx::read_transaction tx(conn);
    return FindIdempotent(tx, request);
  }

  std::optional<AppendResult> FindIdempotent(pqxx::transaction_base& tx,
                                             const AppendRequest& request) {
    if (request.metadata.idempotency_key.empty()) return std::nullopt;
    const auto found = tx.exec_params(
        "SELECT first_version, last_version, coalesce(request_digest, '') FROM event_idempotency "
        "WHERE stream = $1 AND idempotency_key = $2",
        request.stream, request.metadata.idempotency_key);
    if (found.empty()) return std::nullopt;
    AppendResult result{
        request.stream, found[0][0].as<std::int64_t>(), found[0][1].as<std::int64_t>(), {},
        true,           found[0][2].as<std::string>()};
    auto events = DecodeRows(
        tx.exec_params(std::string(kSelectColumns) +
                           "WHERE stream = $1 AND version BETWEEN $2 AND $3 ORDER BY version",
                       request.stream, result.first_version, result.last_version));
    if (events) result.events = std::move(*events);
    return result;
  }

  // One attempt; throws pqxx::unique_violation when a concurrent append won.
  std::expected<AppendResult, Error> TryAppend(pqxx::connection& conn, const AppendRequest& request,
                                               const ValidatedAppend& valid) {
    pqxx::work tx(conn);
    // Appends to one stream queue here, so the head read below is current and
    // a repeated idempotency key sees the first append's row.
    tx.exec_params("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", request.stream);
    if (auto replay = FindIdempotent(tx, request)) return std::move(*replay);
    const auto head = tx.exec_params(
        "SELECT version, hash, network_id FROM events WHERE stream = $1 ORDER BY version DESC "
        "LIMIT 1",
        request.stream);
    const std::int64_t current = head.empty() ? 0 : head[0][0].as<std::int64_t>();
    const std::string current_hash = head.empty() ? std::string{} : head[0][1].as<std::string>();
    if (auto ok = CheckExpectedVersion(request, current); !ok) return std::unexpected(ok.error());
    auto network =
        NetworkOfAppend(request, current, head.empty() ? std::string_view{} : View(head[0][2]));
    if (!network) return std::unexpected(network.error());

    auto sealed = SealEvents(request, valid, current, current_hash, clock_.Now(), *network);
    auto& events = sealed.events;
    std::vector<std::string> params;
    params.reserve(events.size() * 9);
    for (std::size_t i = 0; i < events.size(); ++i) {
      AddRowParams(events[i], sealed.data_json[i], sealed.metadata_json, params);
    }
    const auto ids =
        tx.exec_params(InsertSql(events.size(), false), pqxx::prepare::make_dynamic_params(params));
    for (std::size_t i = 0; i < events.size(); ++i) {
      events[i].position = ids[i][0].as<std::int64_t>();
      events[i].commit = ParseCommit(ids[i][1]);
    }
    const std::int64_t first = current + 1;
    const std::int64_t last = current + static_cast<std::int64_t>(events.size());
    if (!request.metadata.idempotency_key.empty()) {
      tx.exec_params(
          "INSERT INTO event_idempotency (stream, idempotency_key, first_version, last_version, "
          "request_digest) VALUES ($1, $2, $3, $4, NULLIF($5, ''))",
          request.stream, request.metadata.idempotency_key, first, last, request.request_digest);
    }
    tx.commit();
    return AppendResult{request.stream, first, last, std::move(events), false, {}};
  }

  ConnectionPool pool_;
  Clock& clock_;
};

}  // namespace

std::unique_ptr<EventStore> MakePostgresEventStore(const std::string& conninfo, Clock& clock,
                                                   std::size_t pool_size) {
  return std::make_unique<PostgresEventStore>(conninfo, clock, pool_size);
}

}  // namespace waymark::postgres
