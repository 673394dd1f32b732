#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace waymark::http {

// The HTTP status an Error is answered with (DESIGN.md "HTTP"): 400
// validation, 401 unauthenticated, 403 forbidden, 404 not found, 409
// conflict, 422 not allowed in the state, 500 corrupt data, 503 unavailable.
unsigned HttpStatus(ErrorCode code);

// An Error as an RFC 9457 problem object: type, title, status, detail, and
// `allowed` for commands refused in the current state. The CLI prints the
// same object.
boost::json::object ProblemJson(const Error& error);

// What a client is told of `error`: a 4xx error as it is (its message says
// what was wrong and what is accepted); a 5xx one in general words with the
// request id, its message (which may hold SQL or internals) moved to `cause`
// for the log line.
Error ForClient(const Error& error, std::string_view request_id, std::string& cause);

}  // namespace waymark::http
