#include "adapters/http/pipeline.hpp"

#include <exception>

namespace waymark::http {

Pipeline::Pipeline(std::vector<DoorRoute> routes, Door& fallback, Metrics& metrics, Clock& clock)
    : routes_(std::move(routes)), fallback_(fallback), metrics_(metrics), clock_(clock) {}

Door& Pipeline::DoorOf(std::string_view target) const {
  const std::string_view path = target.substr(0, target.find('?'));
  for (const auto& route : routes_) {
    const bool below = route.path.ends_with('/') && path.starts_with(route.path);
    if (below || path == route.path) return *route.door;
  }
  return fallback_;
}

Handled Pipeline::Handle(const Request& request, std::string_view request_id) {
  const auto start = clock_.Monotonic();
  Door& door = DoorOf(request.target());
  Handled out;
  try {
    out.response = door.Answer(request, request_id, out);
  } catch (const std::exception& e) {
    out = Handled{};
    out.cause = e.what();
    out.response = door.Failure(request_id);
  } catch (...) {
    out = Handled{};
    out.cause = "an exception that is not a std::exception";
    out.response = door.Failure(request_id);
  }
  if (out.route.empty()) out.route = "unmatched";
  out.response.set("X-Request-Id", request_id);
  out.response.keep_alive(request.keep_alive());
  if (!out.live) out.response.prepare_payload();
  const bool known_method = request.method() != boost::beast::http::verb::unknown;
  metrics_.ObserveRequest(out.route, known_method ? std::string(request.method_string()) : "other",
                          out.response.result_int(),
                          std::chrono::duration<double>(clock_.Monotonic() - start).count());
  return out;
}

Handler Pipeline::AsHandler() {
  return [this](const Request& request, std::string_view request_id) {
    return Handle(request, request_id);
  };
}

}  // namespace waymark::http
