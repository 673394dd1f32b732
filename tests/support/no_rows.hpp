#pragma once

// Read-model queries that hold no rows, for handlers' unit tests: the routes
// over them answer empty lists and 404s (rows are tested on PostgreSQL).

#include "projections/read_model_queries.hpp"

namespace waymark::test {

class NoRows final : public projections::ReadModelQueries {
 public:
  std::expected<projections::RowPage, Error> Networks(const projections::NetworkFilter&,
                                                      const projections::Page&) override {
    return projections::RowPage{};
  }
  std::expected<projections::RowPage, Error> Milestones(const projections::MilestoneFilter&,
                                                        const projections::Page&) override {
    return projections::RowPage{};
  }
  std::expected<projections::RowPage, Error> Steps(const projections::StepFilter&,
                                                   const projections::Page&) override {
    return projections::RowPage{};
  }
  std::expected<std::optional<boost::json::object>, Error> Network(std::string_view) override {
    return std::nullopt;
  }
  std::expected<std::optional<boost::json::object>, Error> Plan(std::string_view) override {
    return std::nullopt;
  }
  std::expected<std::optional<boost::json::object>, Error> Assessment(std::string_view) override {
    return std::nullopt;
  }
  std::expected<std::vector<boost::json::object>, Error> Correlated(std::string_view,
                                                                    std::size_t) override {
    return std::vector<boost::json::object>{};
  }
  std::expected<std::int64_t, Error> Position() override { return 0; }
};

}  // namespace waymark::test
