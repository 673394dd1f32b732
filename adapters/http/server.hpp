#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "adapters/http/message.hpp"

namespace waymark::http {

struct ServerOptions {
  std::string address = "127.0.0.1";
  unsigned short port = 8080;          // 0: any free port (see Server::port)
  std::size_t io_threads = 2;          // socket I/O
  std::size_t handler_threads = 8;     // requests handled at once (each may wait on PostgreSQL)
  std::size_t max_connections = 1024;  // more are answered 503 and closed
  std::chrono::milliseconds header_timeout{10'000};  // a request's header must arrive in this
  std::chrono::milliseconds body_timeout{30'000};    // and its body in this
  std::chrono::milliseconds idle_timeout{60'000};    // a kept-alive connection may wait this long
  std::chrono::milliseconds drain_timeout{20'000};   // on stop: in-flight requests get this long
  std::size_t header_limit = 16 * 1024;  // bytes of request line and header fields (431)
  std::size_t max_header_fields = 100;   // header fields (431)
  std::size_t body_limit = 1 << 20;      // bytes (413)
  // Event streams (Handled::live): how often the watched position is read
  // while any is open, and how long a quiet stream waits before a keep-alive.
  std::chrono::milliseconds live_poll{500};
  std::chrono::milliseconds live_keepalive{15'000};
  // At most this many event streams per owner (a session) and per client
  // address (more are answered 429), and how often each open stream's owner
  // is asked again whether it still stands (an ended one's streams end).
  std::size_t live_per_owner = 4;
  std::size_t live_per_address = 32;
  std::chrono::milliseconds live_check{2'000};
};

// HTTP/1.1 over TCP with Boost.Beast: accepts connections, reads requests
// under the limits and timeouts above, hands each to Api::Handle on a
// handler thread, writes the answer, keeps connections alive. Only I/O and
// limits live here; what a request means is the handler's.
//
// Event streams: an answer marked live stays open; while any is, the server
// reads `live_position` every live_poll and sends each stream
// `data: <position>` when it has moved (clients then fetch what changed).
// Every live_check it asks `live_valid` whether each open stream's owner
// still stands; an owner that does not (signed out, expired, its token
// revoked) has its streams ended with the body's last chunk.
class Server {
 public:
  // Binds and listens at once; throws std::runtime_error naming the address
  // when it cannot. `log` gets one line per request (JSON) and per problem;
  // it must be thread-safe. `live_position` (may be empty: no event streams
  // move) is called from Run's thread only.
  Server(Handler handler, ServerOptions options, std::function<void(const std::string&)> log,
         std::function<std::int64_t()> live_position = {},
         std::function<bool(const std::string&)> live_valid = {});
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // The port listened on.
  unsigned short port() const;

  // Serves until `stop` becomes true, then drains: stops accepting, lets
  // requests in flight finish and be answered (Connection: close), closes
  // idle connections, and returns once all are closed or drain_timeout passed.
  void Run(const std::atomic<bool>& stop);

  struct State;  // the listener, threads and sessions; defined in server.cpp

 private:
  std::shared_ptr<State> state_;
};

}  // namespace waymark::http
