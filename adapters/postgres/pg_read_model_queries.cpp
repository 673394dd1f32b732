#include "adapters/postgres/pg_read_model_queries.hpp"

#include <boost/json/parse.hpp>
#include <pqxx/pqxx>

#include "adapters/postgres/connection_pool.hpp"
#include "adapters/postgres/pg_error.hpp"

namespace waymark::postgres {
namespace {

using projections::Page;
using projections::RowPage;
using OptionalRow = std::optional<boost::json::object>;

// The page size asked for as the LIMIT of the query: one row more than the
// page, which says whether another page follows (0: all rows).
std::int64_t FetchLimit(const Page& page) {
  return page.limit == 0 ? std::numeric_limits<std::int64_t>::max()
                         : static_cast<std::int64_t>(page.limit) + 1;
}

// Rows of (row_to_json, sort key 1, sort key 2) in the query's order.
RowPage ToPage(const pqxx::result& rows, const Page& page) {
  RowPage out;
  const std::size_t n =
      page.limit == 0 ? rows.size() : std::min<std::size_t>(rows.size(), page.limit);
  out.rows.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    boost::json::value v = boost::json::parse(rows[i][0].c_str());
    out.rows.push_back(std::move(v.as_object()));
  }
  if (n < rows.size()) {
    out.next = projections::EncodeCursor({rows[n - 1][1].c_str(), rows[n - 1][2].c_str()});
  }
  return out;
}

class PostgresReadModelQueries final : public projections::ReadModelQueries {
 public:
  PostgresReadModelQueries(std::string conninfo, std::size_t pool_size)
      : pool_(std::move(conninfo), pool_size) {}

  std::expected<RowPage, Error> Networks(const projections::NetworkFilter& f,
                                         const Page& page) override {
    return List("list networks", page, [&](pqxx::transaction_base& tx, const auto& after) {
      return Prepared(
          tx, "list_networks",
          "SELECT row_to_json(r), r.name, r.network_id FROM (SELECT network_id, name, region, "
          "stage, status, officer, members, active_members, open_milestones, overdue_milestones, "
          "latest_assessment_id, latest_assessment_period FROM rm_networks "
          "WHERE ($1 = '' OR officer = $1) AND ($2 = '' OR stage = $2) AND ($3 = '' OR region = "
          "$3) AND ($4 = '' OR network_id = $4) AND ($5 = '' OR (name, network_id) > ($6, $7)) "
          "ORDER BY name, network_id LIMIT $8) r",
          f.officer, f.stage, f.region, f.network, page.after, after[0], after[1],
          FetchLimit(page));
    });
  }

  std::expected<RowPage, Error> Milestones(const projections::MilestoneFilter& f,
                                           const Page& page) override {
    return List(
        "list milestones", page,
        [&](pqxx::transaction_base& tx, const auto& after) {
          return Prepared(
              tx, "list_milestones",
              "SELECT row_to_json(r), r.due::text, r.milestone_id FROM (SELECT m.milestone_id, "
              "m.network_id, m.plan_id, m.action_id, m.title, m.due, m.status, m.original_due, "
              "m.times_rescheduled, m.on_time, n.officer FROM rm_milestones m "
              "LEFT JOIN rm_networks n USING (network_id) "
              "WHERE ($1 = '' OR m.network_id = $1) AND ($2 = '' OR n.officer = $2) "
              "AND ($3 = '' OR m.status = $3) AND ($4 = '' OR m.due < $4::date) "
              "AND ($5 = '' OR (m.due, m.milestone_id) > ($6::date, $7)) "
              "ORDER BY m.due, m.milestone_id LIMIT $8) r",
              f.network, f.officer, f.status, f.due_before, page.after,
              after[0].empty() ? "1970-01-01" : after[0], after[1], FetchLimit(page));
        },
        projections::CursorKey::kDate);
  }

  std::expected<RowPage, Error> Steps(const projections::StepFilter& f, const Page& page) override {
    return List("list steps", page, [&](pqxx::transaction_base& tx, const auto& after) {
      return Prepared(
          tx, "list_steps",
          "SELECT row_to_json(r), r.network_id, r.step_id FROM (SELECT step_id, network_id, "
          "plan_id, kind, description, status, target, evidence, outcome, reason, cycles "
          "FROM rm_steps WHERE ($1 = '' OR network_id = $1) AND ($2 = '' OR plan_id = $2) "
          "AND ($3 = '' OR status = $3) AND ($4 = '' OR (network_id, step_id) > ($5, $6)) "
          "ORDER BY network_id, step_id LIMIT $7) r",
          f.network, f.plan, f.status, page.after, after[0], after[1], FetchLimit(page));
    });
  }

  std::expected<RowPage, Error> Tasks(const projections::TaskFilter& f, const Page& page) override {
    return List(
        "list tasks", page,
        [&](pqxx::transaction_base& tx, const auto& after) {
          return Prepared(
              tx, "list_tasks",
              "SELECT row_to_json(r), coalesce(r.due, '9999-12-31'), r.task_id FROM (SELECT "
              "task_id, stream, network_id, kind, party, officer, title, to_char(since AT TIME "
              "ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') AS since, due::text AS due, "
              "status FROM rm_tasks WHERE party = $1 AND ($2 = '' OR network_id = $2) AND ($3 = "
              "'' OR officer = $3) AND (shown_from IS NULL OR shown_from <= $4::date) AND "
              "(not_by IS NULL OR not_by <> $5) AND ($6 = '' OR (coalesce(due, '9999-12-31'), "
              "task_id) > ($7::date, $8)) ORDER BY coalesce(due, '9999-12-31'), task_id LIMIT "
              "$9) r",
              f.party, f.network, f.officer, f.today, f.person, page.after,
              after[0].empty() ? "1970-01-01" : after[0], after[1], FetchLimit(page));
        },
        projections::CursorKey::kDate);
  }

  std::expected<OptionalRow, Error> Network(std::string_view id) override {
    return One("read network", "read_network",
               "SELECT row_to_json(r) FROM (SELECT network_id, name, region, stage, status, "
               "officer, members, active_members, open_milestones, overdue_milestones, "
               "latest_assessment_id, latest_assessment_period, latest_scores, version, "
               "updated_at FROM rm_networks WHERE network_id = $1) r",
               id);
  }
  std::expected<OptionalRow, Error> Plan(std::string_view id) override {
    return One("read plan", "read_plan", "SELECT row_to_json(p) FROM rm_plans p WHERE plan_id = $1",
               id);
  }
  std::expected<OptionalRow, Error> Assessment(std::string_view id) override {
    return One("read assessment", "read_assessment",
               "SELECT row_to_json(a) FROM rm_assessments a WHERE assessment_id = $1", id);
  }
  std::expected<std::vector<boost::json::object>, Error> Correlated(std::string_view correlation_id,
                                                                    std::size_t limit) override {
    return Translate("read the audit log",
                     [&]() -> std::expected<std::vector<boost::json::object>, Error> {
                       return pool_.With([&](pqxx::connection& conn) {
                         pqxx::nontransaction tx(conn);
                         std::vector<boost::json::object> out;
                         for (const auto& row :
                              Prepared(tx, "read_correlated",
                                       "SELECT row_to_json(r) FROM (SELECT stream, version, type, "
                                       "network_id, recorded_at, actor FROM rm_audit_log WHERE "
                                       "correlation_id = $1 ORDER BY position LIMIT $2) r",
                                       std::string(correlation_id), static_cast<long>(limit))) {
                           out.push_back(boost::json::parse(row[0].c_str()).as_object());
                         }
                         return out;
                       });
                     });
  }
  std::expected<RowPage, Error> AuditLog(const projections::AuditFilter& f,
                                         const Page& page) override {
    std::string before_position;
    if (!page.after.empty()) {
      const projections::CursorKey shape[] = {projections::CursorKey::kWhole};
      auto decoded = projections::DecodeCursor(page.after, shape);
      if (!decoded) return std::unexpected(decoded.error());
      before_position = decoded->front();
    }
    return Translate("read the audit log", [&]() -> std::expected<RowPage, Error> {
      return pool_.With([&](pqxx::connection& conn) {
        pqxx::nontransaction tx(conn);
        const auto rows = Prepared(
            tx, "list_audit_log",
            "SELECT row_to_json(r) FROM (SELECT position, stream, version, type, actor, role, "
            "network_id, to_char(recorded_at AT TIME ZONE 'UTC', "
            "'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') AS recorded_at, summary, correlation_id FROM "
            "rm_audit_log WHERE ($1 = '' OR actor = $1) AND ($2 = '' OR type = $2) AND ($3 = '' "
            "OR network_id = $3) AND recorded_at >= coalesce(nullif($4, '')::timestamptz, "
            "'-infinity') AND recorded_at < coalesce(nullif($5, '')::timestamptz, 'infinity') "
            "AND position < coalesce(nullif($6, '')::bigint, 9223372036854775807) "
            "ORDER BY position DESC LIMIT $7) r",
            f.actor, f.type, f.network, f.from, f.before, before_position, FetchLimit(page));
        RowPage out;
        for (const auto& row : rows) {
          if (page.limit != 0 && out.rows.size() == page.limit) {
            out.next = projections::EncodeCursor(
                {std::to_string(out.rows.back().at("position").as_int64())});
            break;
          }
          out.rows.push_back(boost::json::parse(row[0].c_str()).as_object());
        }
        return out;
      });
    });
  }
  std::expected<std::vector<std::string>, Error> AuditActors(std::string_view network,
                                                             std::size_t limit) override {
    return Translate("read the audit log's people",
                     [&]() -> std::expected<std::vector<std::string>, Error> {
                       return pool_.With([&](pqxx::connection& conn) {
                         pqxx::nontransaction tx(conn);
                         std::vector<std::string> out;
                         for (const auto& row :
                              Prepared(tx, "list_audit_actors",
                                       "SELECT DISTINCT actor FROM rm_audit_log WHERE ($1 = '' OR "
                                       "network_id = $1) ORDER BY actor LIMIT $2",
                                       std::string(network), static_cast<long>(limit))) {
                           out.emplace_back(row[0].c_str());
                         }
                         return out;
                       });
                     });
  }
  std::expected<std::int64_t, Error> Position() override {
    return Translate("read the read models' position", [&]() -> std::expected<std::int64_t, Error> {
      return pool_.With([&](pqxx::connection& conn) {
        pqxx::nontransaction tx(conn);
        return Prepared(tx, "read_position",
                        "SELECT coalesce(max(position), 0) FROM rm_audit_log")[0][0]
            .as<std::int64_t>();
      });
    });
  }

 private:
  template <typename Query>
  std::expected<RowPage, Error> List(std::string_view what, const Page& page, Query&& query,
                                     projections::CursorKey first = projections::CursorKey::kText) {
    std::vector<std::string> after{"", ""};
    if (!page.after.empty()) {
      const projections::CursorKey shape[] = {first, projections::CursorKey::kText};
      auto decoded = projections::DecodeCursor(page.after, shape);
      if (!decoded) return std::unexpected(decoded.error());
      after = std::move(*decoded);
    }
    return Translate(what, [&]() -> std::expected<RowPage, Error> {
      return pool_.With([&](pqxx::connection& conn) {
        // One statement: no transaction around it.
        pqxx::nontransaction tx(conn);
        return ToPage(query(tx, after), page);
      });
    });
  }

  // `sql` prepared as `name` on the connection (once: a repeat is a lookup),
  // run with `args`.
  template <typename... Args>
  static pqxx::result Prepared(pqxx::transaction_base& tx, const char* name, const char* sql,
                               Args&&... args) {
    tx.conn().prepare(name, sql);
    return tx.exec_prepared(name, std::forward<Args>(args)...);
  }

  std::expected<OptionalRow, Error> One(std::string_view what, const char* name, const char* sql,
                                        std::string_view id) {
    return Translate(what, [&]() -> std::expected<OptionalRow, Error> {
      return pool_.With([&](pqxx::connection& conn) -> OptionalRow {
        pqxx::nontransaction tx(conn);
        const auto rows = Prepared(tx, name, sql, std::string(id));
        if (rows.empty()) return std::nullopt;
        boost::json::value v = boost::json::parse(rows[0][0].c_str());
        return std::move(v.as_object());
      });
    });
  }

  ConnectionPool pool_;
};

}  // namespace

std::unique_ptr<projections::ReadModelQueries> MakePostgresReadModelQueries(std::string conninfo,
                                                                            std::size_t pool_size) {
  return std::make_unique<PostgresReadModelQueries>(std::move(conninfo), pool_size);
}

}  // namespace waymark::postgres
