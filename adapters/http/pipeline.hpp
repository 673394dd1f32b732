#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "adapters/http/message.hpp"
#include "adapters/http/metrics.hpp"
#include "core/clock.hpp"

namespace waymark::http {

// A front door of the site (the API, the dashboard): answers the requests
// the pipeline routes to it, and says what to answer when that fails.
class Door {
 public:
  virtual ~Door() = default;
  // The answer to one request; sets `out`'s route (the template matched),
  // actor and live fields. May throw: the pipeline answers with Failure.
  virtual Response Answer(const Request& request, std::string_view request_id, Handled& out) = 0;
  // The answer when Answer threw: general words and the request id, never the cause.
  virtual Response Failure(std::string_view request_id) = 0;
};

// Which door a path belongs to: a path equal to `path`, or, when `path`
// ends with '/', any path below it.
struct DoorRoute {
  std::string path;
  Door* door;
};

// The one way every request is answered: routed by its path alone to a
// door (`routes` in turn, else `fallback`), timed on the clock's monotonic
// reading, answered with X-Request-Id and the client's keep-alive, counted
// in `metrics` by route, method and status; whatever escapes a door becomes
// its Failure answer, with the exception's text as the log line's cause.
// Thread-safe as far as the doors are.
class Pipeline {
 public:
  Pipeline(std::vector<DoorRoute> routes, Door& fallback, Metrics& metrics, Clock& clock);

  Handled Handle(const Request& request, std::string_view request_id);
  // Handle, as the server takes it. The pipeline must outlive the handler.
  Handler AsHandler();

 private:
  Door& DoorOf(std::string_view target) const;

  std::vector<DoorRoute> routes_;
  Door& fallback_;
  Metrics& metrics_;
  Clock& clock_;
};

}  // namespace waymark::http
