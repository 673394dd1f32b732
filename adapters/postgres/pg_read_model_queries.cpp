#include "adapters/postgres/pg_read_model_queries.hpp"

#include <boost/json/parse.hpp>
#include <pqxx/pqxx>

#include "adapters/postgres/pg_error.hpp"

namespace waymark::postgres {
namespace {

// Each row as one JSON object (row_to_json), in the query's order.
std::vector<boost::json::object> Objects(const pqxx::result& rows) {
  std::vector<boost::json::object> out;
  out.reserve(rows.size());
  for (const auto& row : rows) {
    boost::json::value v = boost::json::parse(row[0].c_str());
    out.push_back(std::move(v.as_object()));
  }
  return out;
}

class PostgresReadModelQueries final : public projections::ReadModelQueries {
 public:
  explicit PostgresReadModelQueries(std::string conninfo) : conninfo_(std::move(conninfo)) {}

  std::expected<std::vector<boost::json::object>, Error> Networks(
      const projections::NetworkFilter& f) override {
    return Read("list networks", [&](pqxx::read_transaction& tx) {
      return Objects(tx.exec_params(
          "SELECT row_to_json(r) FROM (SELECT network_id, name, region, stage, status, officer, "
          "members, active_members, open_milestones, overdue_milestones, latest_assessment_id, "
          "latest_assessment_period FROM rm_networks "
          "WHERE ($1 = '' OR officer = $1) AND ($2 = '' OR stage = $2) AND ($3 = '' OR region = "
          "$3) "
          "ORDER BY name, network_id) r",
          f.officer, f.stage, f.region));
    });
  }

  std::expected<std::vector<boost::json::object>, Error> Milestones(
      const projections::MilestoneFilter& f) override {
    return Read("list milestones", [&](pqxx::read_transaction& tx) {
      return Objects(tx.exec_params(
          "SELECT row_to_json(r) FROM (SELECT m.milestone_id, m.network_id, m.plan_id, "
          "m.action_id, m.title, m.due, m.status, m.original_due, m.times_rescheduled, m.on_time, "
          "n.officer FROM rm_milestones m LEFT JOIN rm_networks n USING (network_id) "
          "WHERE ($1 = '' OR m.network_id = $1) AND ($2 = '' OR n.officer = $2) "
          "AND ($3 = '' OR m.status = $3) AND ($4 = '' OR m.due < $4::date) "
          "ORDER BY m.due, m.milestone_id) r",
          f.network, f.officer, f.status, f.due_before));
    });
  }

 private:
  template <typename Body>
  std::expected<std::vector<boost::json::object>, Error> Read(std::string_view what, Body&& body) {
    return Translate(what, [&]() -> std::expected<std::vector<boost::json::object>, Error> {
      if (!conn_ || !conn_->is_open()) conn_ = std::make_unique<pqxx::connection>(conninfo_);
      pqxx::read_transaction tx(*conn_);
      return body(tx);
    });
  }

  std::string conninfo_;
  std::unique_ptr<pqxx::connection> conn_;
};

}  // namespace

std::unique_ptr<projections::ReadModelQueries> MakePostgresReadModelQueries(std::string conninfo) {
  return std::make_unique<PostgresReadModelQueries>(std::move(conninfo));
}

}  // namespace waymark::postgres
