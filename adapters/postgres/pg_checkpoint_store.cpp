#include "adapters/postgres/pg_checkpoint_store.hpp"

#include <charconv>
#include <pqxx/pqxx>

#include "adapters/postgres/connection_pool.hpp"
#include "adapters/postgres/pg_error.hpp"

namespace waymark::postgres {
namespace {

class PostgresCheckpointStore final : public CheckpointStore {
 public:
  explicit PostgresCheckpointStore(const std::string& conninfo) : pool_(conninfo, 2) {}

  std::expected<GlobalCursor, Error> Load(std::string_view name) override {
    return Translate("load checkpoint", [&]() -> std::expected<GlobalCursor, Error> {
      return pool_.With([&](pqxx::connection& conn) {
        pqxx::read_transaction tx(conn);
        const auto rows = tx.exec_params(
            "SELECT commit_id::text AS commit_text, position FROM waymark_checkpoints "
            "WHERE name = $1",
            std::string(name));
        GlobalCursor cursor;
        if (!rows.empty()) {
          const auto& f = rows[0][0];
          std::from_chars(f.c_str(), f.c_str() + f.size(), cursor.commit);
          cursor.position = rows[0][1].as<std::int64_t>();
        }
        return cursor;
      });
    });
  }

  std::expected<void, Error> Save(std::string_view name, GlobalCursor cursor) override {
    return Translate("save checkpoint", [&]() -> std::expected<void, Error> {
      return pool_.With([&](pqxx::connection& conn) {
        pqxx::work tx(conn);
        tx.exec_params(
            "INSERT INTO waymark_checkpoints (name, commit_id, position) "
            "VALUES ($1, $2::text::xid8, $3) ON CONFLICT (name) DO UPDATE "
            "SET commit_id = EXCLUDED.commit_id, position = EXCLUDED.position, updated_at = now()",
            std::string(name), std::to_string(cursor.commit), cursor.position);
        tx.commit();
        return std::expected<void, Error>{};
      });
    });
  }

 private:
  ConnectionPool pool_;
};

}  // namespace

std::unique_ptr<CheckpointStore> MakePostgresCheckpointStore(const std::string& conninfo) {
  return std::make_unique<PostgresCheckpointStore>(conninfo);
}

}  // namespace waymark::postgres
