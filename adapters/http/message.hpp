#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <functional>
#include <string>
#include <string_view>

namespace waymark::http {

using Request = boost::beast::http::request<boost::beast::http::string_body>;
using Response = boost::beast::http::response<boost::beast::http::string_body>;

// A request's answer, and what the server logs and counts of it.
struct Handled {
  Response response;
  std::string route;  // the route template matched ("unmatched" for none), for logs and metrics
  std::string actor;  // the token's id and name, for the log line ("" when anonymous)
  std::string cause;  // a 5xx answer's cause, for the log line only (never sent)
  // The response opens an event stream (text/event-stream): the server sends
  // its header, then an event each time the watched position moves, until
  // the client leaves or the server stops. `response`'s body is not sent.
  bool live = false;
  // Whose event stream it is (a dashboard session's id): the server caps the
  // streams per owner and ends them when the owner ends (Server's live_valid).
  std::string live_owner;
};

// What the server hands each request to: answers it; never throws for
// anything a client sends. Called on many threads at once.
using Handler = std::function<Handled(const Request&, std::string_view request_id)>;

}  // namespace waymark::http
