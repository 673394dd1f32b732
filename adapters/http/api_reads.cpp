// The API's read-model routes: networks, milestones, steps, plans,
// assessments, and the programme report.

#include "adapters/http/api_handlers.hpp"
#include "adapters/http/report_tables.hpp"
#include "adapters/http/views.hpp"
#include "core/stream_name.hpp"
#include "projections/report.hpp"

namespace waymark::http {

using namespace api_detail;

std::expected<Response, Error> Handlers::GetNetworks(const Call& c) {
  projections::NetworkFilter filter{Param(c, "officer"), Param(c, "stage"), Param(c, "region"), ""};
  if (auto ok = Check(filter); !ok) return std::unexpected(ok.error());
  if (c.who->actor.role == "network") filter.network = c.who->actor.network;
  auto page = PageOf(c);
  if (!page) return std::unexpected(page.error());
  auto rows = p.queries.Networks(filter, *page);
  if (!rows) return std::unexpected(rows.error());
  return Listing(*rows);
}

std::expected<Response, Error> Handlers::GetNetwork(const Call& c) {
  const std::string& id = c.params[0];
  if (!IsValidId(id)) {
    return std::unexpected(Invalid("network id: 1 to 64 characters from A-Z a-z 0-9 _ -"));
  }
  auto as_of = AsOf(c);
  if (!as_of) return std::unexpected(as_of.error());
  const auto not_found =
      NotFound("network " + id + " not found" + (*as_of ? " as of " + FormatRfc3339(**as_of) : ""));
  if (!Sees(*c.who, id)) return std::unexpected(not_found);
  if (*as_of) {
    auto network = p.commands.LoadNetwork(id, *as_of);
    if (!network) {
      if (network.error().code == ErrorCode::kNotFound) return std::unexpected(not_found);
      return std::unexpected(network.error());
    }
    return Json(200, FoldedNetworkJson(*network, *as_of, p.commands.workflows()));
  }
  auto row = p.queries.Network(id);
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::unexpected(not_found);
  return Json(200, **row);
}

// A network token's scope over a listing's `network` filter: its own
// network; asking for another yields nothing, never their rows.
bool Handlers::Scope(const Identity& who, std::string& network) {
  if (who.actor.role != "network") return true;
  if (!network.empty() && network != who.actor.network) return false;
  network = who.actor.network;
  return true;
}

std::expected<Response, Error> Handlers::GetMilestones(const Call& c) {
  projections::MilestoneFilter filter{Param(c, "network"), Param(c, "officer"), Param(c, "status"),
                                      Param(c, "due_before")};
  if (auto ok = Check(filter); !ok) return std::unexpected(ok.error());
  auto page = PageOf(c);
  if (!page) return std::unexpected(page.error());
  if (!Scope(*c.who, filter.network)) return Listing({});
  auto rows = p.queries.Milestones(filter, *page);
  if (!rows) return std::unexpected(rows.error());
  return Listing(*rows);
}

std::expected<Response, Error> Handlers::GetSteps(const Call& c) {
  projections::StepFilter filter{Param(c, "network"), Param(c, "plan"), Param(c, "status")};
  if (auto ok = Check(filter); !ok) return std::unexpected(ok.error());
  auto page = PageOf(c);
  if (!page) return std::unexpected(page.error());
  if (!Scope(*c.who, filter.network)) return Listing({});
  auto rows = p.queries.Steps(filter, *page);
  if (!rows) return std::unexpected(rows.error());
  return Listing(*rows);
}

template <typename Read>
std::expected<Response, Error> Handlers::GetRow(const Call& c, std::string_view noun, Read&& read) {
  const std::string& id = c.params[0];
  const auto not_found = NotFound(std::string(noun) + " " + id + " not found");
  if (!IsValidId(id)) {
    return std::unexpected(
        Invalid(std::string(noun) + " id: 1 to 64 characters from A-Z a-z 0-9 _ -"));
  }
  auto row = read(id);
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::unexpected(not_found);
  const auto* network = (*row)->if_contains("network_id");
  if (!network || !network->is_string() || !Sees(*c.who, network->as_string())) {
    return std::unexpected(not_found);
  }
  return Json(200, **row);
}

std::expected<Response, Error> Handlers::GetPlan(const Call& c) {
  return GetRow(c, "plan", [&](const std::string& id) { return p.queries.Plan(id); });
}

std::expected<Response, Error> Handlers::GetAssessment(const Call& c) {
  return GetRow(c, "assessment", [&](const std::string& id) { return p.queries.Assessment(id); });
}

// The programme report; a network token's covers its own network only.
std::expected<Response, Error> Handlers::GetReport(const Call& c) {
  projections::ReportRequest request{Param(c, "from"), Param(c, "to"), Param(c, "region"),
                                     Param(c, "officer"), ""};
  if (request.from.empty() || request.to.empty()) {
    return std::unexpected(
        Invalid("query parameters from and to are required: the period's "
                "first and last day, YYYY-MM-DD"));
  }
  if (c.who->actor.role == "network") request.network = c.who->actor.network;
  auto report = projections::ProgrammeReport(p.store, p.commands.workflows(), request);
  if (!report) return std::unexpected(report.error());
  const std::string_view accept = c.request[bhttp::field::accept];
  if (accept.find("text/csv") != std::string_view::npos) {
    Response r{bhttp::status::ok, 11};
    r.set(bhttp::field::content_type, "text/csv; charset=utf-8");
    r.body() = ReportCsv(*report);
    return r;
  }
  return Json(200, *report);
}

}  // namespace waymark::http
