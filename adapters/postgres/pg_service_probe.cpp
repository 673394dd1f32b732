#include "adapters/postgres/pg_service_probe.hpp"

#include <pqxx/pqxx>

#include "adapters/postgres/migrations.hpp"

namespace waymark::postgres {

ServiceProbe::ServiceProbe(std::string conninfo) : pool_(std::move(conninfo), 1) {}

std::vector<std::string> ServiceProbe::NotReady() {
  try {
    return pool_.With([](pqxx::connection& conn) -> std::vector<std::string> {
      pqxx::read_transaction tx(conn);
      const bool migrated =
          tx.exec1("SELECT to_regclass('waymark_schema_migrations') IS NOT NULL")[0].as<bool>();
      const int version =
          migrated ? tx.exec1("SELECT coalesce(max(version), 0) FROM waymark_schema_migrations")[0]
                         .as<int>()
                   : 0;
      if (version < LatestSchemaVersion()) {
        return {"the database schema is at version " + std::to_string(version) +
                ", this build needs " + std::to_string(LatestSchemaVersion()) +
                " (run waymark migrate)"};
      }
      return {};
    });
  } catch (const std::exception& e) {
    return {std::string("PostgreSQL is unreachable or failing: ") + e.what()};
  }
}

std::vector<FollowerLag> ServiceProbe::Lag() {
  try {
    return pool_.With([](pqxx::connection& conn) {
      pqxx::read_transaction tx(conn);
      std::vector<FollowerLag> out;
      const auto rows = tx.exec(
          "SELECT c.name, count(e.position), "
          "coalesce(extract(epoch FROM now() - min(e.recorded_at)), 0)::float8 "
          "FROM waymark_checkpoints c LEFT JOIN events e "
          "ON (e.transaction_id, e.position) > (c.commit_id, c.position) "
          "GROUP BY c.name ORDER BY c.name");
      for (const auto& row : rows) {
        out.push_back({row[0].as<std::string>(), row[1].as<std::int64_t>(), row[2].as<double>()});
      }
      return out;
    });
  } catch (const std::exception&) {
    return {};
  }
}

std::optional<std::int64_t> ServiceProbe::EventsNotProjected() {
  try {
    return pool_.With([](pqxx::connection& conn) {
      pqxx::read_transaction tx(conn);
      return tx
          .exec1(
              "SELECT count(*) FROM events e WHERE NOT EXISTS "
              "(SELECT 1 FROM rm_audit_log a WHERE a.position = e.position)")[0]
          .as<std::int64_t>();
    });
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace waymark::postgres
