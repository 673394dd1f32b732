#include "adapters/postgres/pg_timer_store.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <pqxx/pqxx>

#include "adapters/postgres/connection_pool.hpp"
#include "adapters/postgres/pg_error.hpp"

namespace waymark::postgres {
namespace {

class PostgresTimerStore final : public TimerStore {
 public:
  explicit PostgresTimerStore(const std::string& conninfo) : pool_(conninfo, 2) {}

  std::expected<void, Error> Schedule(const Timer& timer) override {
    return Write("schedule timer", [&](pqxx::work& tx) {
      tx.exec_params(
          "INSERT INTO waymark_timers (timer_key, fire_at, command) "
          "VALUES ($1, $2::timestamptz, $3::json) "
          "ON CONFLICT (timer_key) DO UPDATE SET fire_at = EXCLUDED.fire_at, "
          "command = EXCLUDED.command, scheduled_at = now()",
          timer.key, FormatRfc3339(timer.fire_at),
          boost::json::serialize(CommandToJson(timer.command)));
    });
  }

  std::expected<void, Error> Cancel(std::string_view key) override {
    return Write("cancel timer", [&](pqxx::work& tx) {
      tx.exec_params("DELETE FROM waymark_timers WHERE timer_key = $1", std::string(key));
    });
  }

  std::expected<std::vector<Timer>, Error> Due(Timestamp now, std::size_t max) override {
    return Translate("read due timers", [&]() -> std::expected<std::vector<Timer>, Error> {
      return pool_.With([&](pqxx::connection& conn) -> std::expected<std::vector<Timer>, Error> {
        pqxx::read_transaction tx(conn);
        const auto rows = tx.exec_params(
            "SELECT timer_key, (extract(epoch FROM fire_at) * 1000000)::bigint AS fire_micros, "
            "command::text AS command_text FROM waymark_timers "
            "WHERE fire_at <= $1::timestamptz "
            "ORDER BY fire_at, timer_key LIMIT $2",
            FormatRfc3339(now), static_cast<std::int64_t>(max));
        std::vector<Timer> due;
        for (const auto& row : rows) {
          auto command = CommandFromJson(boost::json::parse(row[2].c_str()));
          if (!command) return std::unexpected(command.error());
          due.push_back({row[0].as<std::string>(),
                         Timestamp(std::chrono::microseconds(row[1].as<std::int64_t>())),
                         std::move(*command)});
        }
        return due;
      });
    });
  }

  std::expected<void, Error> Remove(const Timer& fired) override {
    return Write("remove fired timer", [&](pqxx::work& tx) {
      tx.exec_params(
          "DELETE FROM waymark_timers WHERE timer_key = $1 "
          "AND fire_at = $2::timestamptz "
          "AND command->>'stream' = $3 AND command->>'idempotency_key' = $4",
          fired.key, FormatRfc3339(fired.fire_at), fired.command.stream,
          fired.command.idempotency_key);
    });
  }

 private:
  template <typename F>
  std::expected<void, Error> Write(std::string_view what, F&& body) {
    return Translate(what, [&]() -> std::expected<void, Error> {
      return pool_.With([&](pqxx::connection& conn) {
        pqxx::work tx(conn);
        body(tx);
        tx.commit();
        return std::expected<void, Error>{};
      });
    });
  }

  ConnectionPool pool_;
};

}  // namespace

std::unique_ptr<TimerStore> MakePostgresTimerStore(const std::string& conninfo) {
  return std::make_unique<PostgresTimerStore>(conninfo);
}

}  // namespace waymark::postgres
