// The API's read-model routes: networks, milestones, steps, plans,
// assessments, and the programme report.

#include "adapters/api/api_handlers.hpp"
#include "application/report_tables.hpp"
#include "application/views.hpp"

namespace waymark::api {

using namespace api_detail;

std::expected<Response, Error> Handlers::GetNetworks(const Call& c) {
  auto page = PageOf(c);
  if (!page) return std::unexpected(page.error());
  auto rows = p.app.Networks(
      *c.who, {Param(c, "officer"), Param(c, "stage"), Param(c, "region"), ""}, *page);
  if (!rows) return std::unexpected(rows.error());
  return Listing(*rows);
}

std::expected<Response, Error> Handlers::GetNetwork(const Call& c) {
  const std::string& id = c.params[0];
  auto as_of = AsOf(c);
  if (!as_of) return std::unexpected(as_of.error());
  if (*as_of) {
    auto network = p.app.NetworkFolded(*c.who, id, *as_of);
    if (!network) return std::unexpected(network.error());
    return Json(200, app::FoldedNetworkJson(*network, *as_of, p.app.workflows()));
  }
  auto row = p.app.Network(*c.who, id);
  if (!row) return std::unexpected(row.error());
  return Json(200, *row);
}

std::expected<Response, Error> Handlers::GetMilestones(const Call& c) {
  auto page = PageOf(c);
  if (!page) return std::unexpected(page.error());
  auto rows = p.app.Milestones(
      *c.who,
      {Param(c, "network"), Param(c, "officer"), Param(c, "status"), Param(c, "due_before")},
      *page);
  if (!rows) return std::unexpected(rows.error());
  return Listing(*rows);
}

std::expected<Response, Error> Handlers::GetSteps(const Call& c) {
  auto page = PageOf(c);
  if (!page) return std::unexpected(page.error());
  auto rows =
      p.app.Steps(*c.who, {Param(c, "network"), Param(c, "plan"), Param(c, "status")}, *page);
  if (!rows) return std::unexpected(rows.error());
  return Listing(*rows);
}

std::expected<Response, Error> Handlers::GetTasks(const Call& c) {
  auto page = PageOf(c);
  if (!page) return std::unexpected(page.error());
  auto rows = p.app.Tasks(*c.who, *page);
  if (!rows) return std::unexpected(rows.error());
  return Listing(*rows);
}

std::expected<Response, Error> Handlers::GetPlan(const Call& c) {
  auto row = p.app.Plan(*c.who, c.params[0]);
  if (!row) return std::unexpected(row.error());
  return Json(200, *row);
}

std::expected<Response, Error> Handlers::GetAssessment(const Call& c) {
  auto row = p.app.Assessment(*c.who, c.params[0]);
  if (!row) return std::unexpected(row.error());
  return Json(200, *row);
}

// The programme report, as JSON or (Accept: text/csv) CSV.
std::expected<Response, Error> Handlers::GetReport(const Call& c) {
  auto report = p.app.Report(
      *c.who, {Param(c, "from"), Param(c, "to"), Param(c, "region"), Param(c, "officer"), ""});
  if (!report) return std::unexpected(report.error());
  const std::string_view accept = c.request[bhttp::field::accept];
  if (accept.find("text/csv") != std::string_view::npos) {
    Response r{bhttp::status::ok, 11};
    r.set(bhttp::field::content_type, "text/csv; charset=utf-8");
    r.body() = app::ReportCsv(*report);
    return r;
  }
  return Json(200, *report);
}

}  // namespace waymark::api
