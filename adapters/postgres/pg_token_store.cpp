#include "adapters/postgres/pg_token_store.hpp"

#include <pqxx/pqxx>

#include "adapters/postgres/connection_pool.hpp"
#include "adapters/postgres/pg_error.hpp"

namespace waymark::postgres {
namespace {

constexpr const char* kColumns =
    "SELECT id, role, name, coalesce(network_id, ''), "
    "(extract(epoch FROM created_at) * 1000000)::bigint, "
    "(extract(epoch FROM revoked_at) * 1000000)::bigint, secret_sha256 FROM api_tokens ";

Timestamp Micros(const pqxx::field& f) {
  return Timestamp(std::chrono::microseconds(f.as<std::int64_t>()));
}

TokenRecord Record(const pqxx::row& row) {
  TokenRecord r{row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<std::string>(),
                row[3].as<std::string>(), Micros(row[4]),           std::nullopt};
  if (!row[5].is_null()) r.revoked_at = Micros(row[5]);
  return r;
}

class PostgresTokenStore final : public TokenStore {
 public:
  PostgresTokenStore(const std::string& conninfo, std::size_t pool_size)
      : pool_(conninfo, pool_size) {}

  std::expected<void, Error> Insert(const TokenRecord& r, const std::string& sha) override {
    return Run<void>("store token", [&](pqxx::connection& conn) -> std::expected<void, Error> {
      pqxx::work tx(conn);
      const auto inserted = tx.exec_params(
          "INSERT INTO api_tokens (id, role, name, network_id, secret_sha256, created_at) "
          "VALUES ($1, $2, $3, NULLIF($4, ''), $5, $6::timestamptz) ON CONFLICT (id) DO NOTHING",
          r.id, r.role, r.name, r.network_id, sha, FormatRfc3339(r.created_at));
      if (inserted.affected_rows() == 0) {
        return std::unexpected(MakeError(ErrorCode::kConflict, "token id " + r.id + " is taken"));
      }
      tx.commit();
      return {};
    });
  }

  std::expected<std::optional<std::pair<TokenRecord, std::string>>, Error> Find(
      std::string_view id) override {
    using Found = std::optional<std::pair<TokenRecord, std::string>>;
    return Run<Found>("find token", [&](pqxx::connection& conn) -> std::expected<Found, Error> {
      // On every request: one prepared statement, no transaction around it.
      conn.prepare("find_token", std::string(kColumns) + "WHERE id = $1");
      pqxx::nontransaction tx(conn);
      const auto rows = tx.exec_prepared("find_token", std::string(id));
      if (rows.empty()) return Found{};
      return Found{std::pair{Record(rows[0]), rows[0][6].as<std::string>()}};
    });
  }

  std::expected<std::vector<TokenRecord>, Error> List() override {
    using Records = std::vector<TokenRecord>;
    return Run<Records>(
        "list tokens", [&](pqxx::connection& conn) -> std::expected<Records, Error> {
          pqxx::read_transaction tx(conn);
          Records out;
          for (const auto& row : tx.exec(std::string(kColumns) + "ORDER BY created_at, id")) {
            out.push_back(Record(row));
          }
          return out;
        });
  }

  std::expected<bool, Error> Revoke(std::string_view id, Timestamp at) override {
    return Run<bool>("revoke token", [&](pqxx::connection& conn) -> std::expected<bool, Error> {
      pqxx::work tx(conn);
      const auto revoked = tx.exec_params(
          "UPDATE api_tokens SET revoked_at = $2::timestamptz WHERE id = $1 AND revoked_at IS "
          "NULL",
          std::string(id), FormatRfc3339(at));
      tx.commit();
      return revoked.affected_rows() == 1;
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

std::unique_ptr<TokenStore> MakePostgresTokenStore(const std::string& conninfo,
                                                   std::size_t pool_size) {
  return std::make_unique<PostgresTokenStore>(conninfo, pool_size);
}

}  // namespace waymark::postgres
