// The API's service routes: health, readiness, metrics, the OpenAPI document.

#include "adapters/api/api_handlers.hpp"

namespace waymark::api {

using namespace api_detail;

std::expected<Response, Error> Handlers::Healthz(const Call&) {
  return Json(200, object{{"status", "alive"}});
}

std::expected<Response, Error> Handlers::Readyz(const Call&) {
  const auto reasons = p.not_ready();
  if (reasons.empty()) return Json(200, object{{"status", "ready"}});
  std::string detail;
  for (const auto& r : reasons) detail += (detail.empty() ? "" : "; ") + r;
  // The operator's own words (which unit, which event, which service), not
  // the general ones a 5xx error of a request gets.
  return Problem(MakeError(ErrorCode::kUnavailable, "not ready: " + detail));
}

std::expected<Response, Error> Handlers::GetMetrics(const Call&) {
  Response r{bhttp::status::ok, 11};
  r.set(bhttp::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
  r.body() = p.metrics.Render(p.lag(), p.units());
  return r;
}

std::expected<Response, Error> Handlers::GetOpenApi(const Call&) {
  Response r{bhttp::status::ok, 11};
  r.set(bhttp::field::content_type, "application/json");
  r.body() = std::string(Api::OpenApiDocument());
  return r;
}

}  // namespace waymark::api
