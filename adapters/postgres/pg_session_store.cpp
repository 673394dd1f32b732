#include "adapters/postgres/pg_session_store.hpp"

#include <pqxx/pqxx>

#include "adapters/postgres/connection_pool.hpp"
#include "adapters/postgres/pg_error.hpp"

namespace waymark::postgres {
namespace {

Timestamp Micros(const pqxx::field& f) {
  return Timestamp(std::chrono::microseconds(f.as<std::int64_t>()));
}

class PostgresSessionStore final : public SessionStore {
 public:
  PostgresSessionStore(const std::string& conninfo, std::size_t pool_size)
      : pool_(conninfo, pool_size) {}

  std::expected<void, Error> Insert(const SessionRecord& r, const std::string& sha) override {
    return Run<void>("store session", [&](pqxx::connection& conn) -> std::expected<void, Error> {
      pqxx::work tx(conn);
      const auto inserted = tx.exec_params(
          "INSERT INTO web_sessions (id, token_id, secret_sha256, created_at, expires_at) "
          "VALUES ($1, $2, $3, $4::timestamptz, $5::timestamptz) ON CONFLICT (id) DO NOTHING",
          r.id, r.token_id, sha, FormatRfc3339(r.created_at), FormatRfc3339(r.expires_at));
      if (inserted.affected_rows() == 0) {
        return std::unexpected(MakeError(ErrorCode::kConflict, "session id " + r.id + " is taken"));
      }
      // Sessions long ended or expired are forgotten as new ones begin.
      tx.exec0("DELETE FROM web_sessions WHERE expires_at < now() - interval '7 days'");
      tx.commit();
      return {};
    });
  }

  std::expected<std::optional<std::pair<SessionRecord, std::string>>, Error> Find(
      std::string_view id) override {
    using Found = std::optional<std::pair<SessionRecord, std::string>>;
    return Run<Found>("find session", [&](pqxx::connection& conn) -> std::expected<Found, Error> {
      // On every request: one prepared statement, no transaction around it.
      conn.prepare("find_session",
                   "SELECT id, token_id, (extract(epoch FROM created_at) * 1000000)::bigint, "
                   "(extract(epoch FROM expires_at) * 1000000)::bigint, "
                   "(extract(epoch FROM ended_at) * 1000000)::bigint, secret_sha256 "
                   "FROM web_sessions WHERE id = $1");
      pqxx::nontransaction tx(conn);
      const auto rows = tx.exec_prepared("find_session", std::string(id));
      if (rows.empty()) return Found{};
      const auto& row = rows[0];
      SessionRecord r{row[0].as<std::string>(), row[1].as<std::string>(), Micros(row[2]),
                      Micros(row[3]), std::nullopt};
      if (!row[4].is_null()) r.ended_at = Micros(row[4]);
      return Found{std::pair{std::move(r), row[5].as<std::string>()}};
    });
  }

  std::expected<bool, Error> End(std::string_view id, Timestamp at) override {
    return Run<bool>("end session", [&](pqxx::connection& conn) -> std::expected<bool, Error> {
      pqxx::work tx(conn);
      const auto ended = tx.exec_params(
          "UPDATE web_sessions SET ended_at = $2::timestamptz WHERE id = $1 AND ended_at IS NULL",
          std::string(id), FormatRfc3339(at));
      tx.commit();
      return ended.affected_rows() == 1;
    });
  }

 private:
  template <typename T, typename Body>
  std::expected<T, Error> Run(std::string_view what, Body&& body) {
    return Translate(what, [&]() -> std::expected<T, Error> { return pool_.With(body); });
  }

  ConnectionPool pool_;
};

}  // namespace

std::unique_ptr<SessionStore> MakePostgresSessionStore(const std::string& conninfo,
                                                       std::size_t pool_size) {
  return std::make_unique<PostgresSessionStore>(conninfo, pool_size);
}

}  // namespace waymark::postgres
