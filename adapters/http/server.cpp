#include "adapters/http/server.hpp"

#include <array>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/chunk_encode.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json/serialize.hpp>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <thread>

#include "core/time.hpp"

namespace waymark::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

// How long a closing connection keeps reading what its client still sends.
constexpr std::chrono::seconds kLinger{5};

std::string NewRequestId() {
  thread_local std::mt19937_64 random{std::random_device{}()};
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string id(16, '0');
  std::uint64_t bits = random();
  for (char& c : id) {
    c = kDigits[bits & 0xf];
    bits >>= 4;
  }
  return id;
}

Response Refusal(unsigned status, std::string_view title, std::string_view detail,
                 std::string_view request_id) {
  Response r{static_cast<bhttp::status>(status), 11};
  r.set(bhttp::field::content_type, "application/problem+json");
  r.set("X-Request-Id", request_id);
  r.body() = boost::json::serialize(boost::json::object{
      {"type", "https://waymark.invalid/problems/http-" + std::to_string(status)},
      {"title", title},
      {"status", status},
      {"detail", detail}});
  r.keep_alive(false);
  r.prepare_payload();
  return r;
}

class Session;

}  // namespace

struct Server::State : std::enable_shared_from_this<Server::State> {
  State(Handler handler, ServerOptions options, std::function<void(const std::string&)> log,
        std::function<std::int64_t()> live_position,
        std::function<bool(const std::string&)> live_valid)
      : handler(std::move(handler)),
        options(std::move(options)),
        log(std::move(log)),
        live_source(std::move(live_position)),
        live_valid(std::move(live_valid)),
        io(static_cast<int>(this->options.io_threads)),
        acceptor(asio::make_strand(io)),
        handlers(this->options.handler_threads) {}

  const Handler handler;
  const ServerOptions options;
  const std::function<void(const std::string&)> log;
  const std::function<std::int64_t()> live_source;
  const std::function<bool(const std::string&)> live_valid;
  std::atomic<std::int64_t> live_position{-1};  // the last read; -1: not yet
  // Open event streams by owner and by client address, and the owners found
  // ended (their streams close); all guarded by live_mu.
  std::mutex live_mu;
  std::map<std::string, std::size_t> live_by_owner, live_by_address;
  std::set<std::string> ended_owners;

  // Counts a new stream in, unless its owner or address is at its cap.
  bool AdmitLive(const std::string& owner, const std::string& address) {
    std::lock_guard lock(live_mu);
    if ((!owner.empty() && live_by_owner[owner] >= options.live_per_owner) ||
        live_by_address[address] >= options.live_per_address) {
      return false;
    }
    if (!owner.empty()) ++live_by_owner[owner];
    ++live_by_address[address];
    return true;
  }
  void ReleaseLive(const std::string& owner, const std::string& address) {
    std::lock_guard lock(live_mu);
    if (!owner.empty() && --live_by_owner[owner] == 0) live_by_owner.erase(owner);
    if (--live_by_address[address] == 0) live_by_address.erase(address);
  }
  bool OwnerEnded(const std::string& owner) {
    std::lock_guard lock(live_mu);
    return !owner.empty() && ended_owners.contains(owner);
  }
  // Asks whether each owner with an open stream still stands (Run's thread).
  void CheckOwners() {
    std::vector<std::string> owners;
    {
      std::lock_guard lock(live_mu);
      for (const auto& [owner, n] : live_by_owner) owners.push_back(owner);
    }
    std::set<std::string> ended;
    for (const auto& owner : owners) {
      try {
        if (!live_valid(owner)) ended.insert(owner);
      } catch (const std::exception& e) {
        Log({{"level", "warn"}, {"message", std::string("live owner check: ") + e.what()}});
      }
    }
    std::lock_guard lock(live_mu);
    ended_owners = std::move(ended);
  }
  std::atomic<std::size_t> live_streams{0};  // event streams open
  asio::io_context io;
  tcp::acceptor acceptor;
  asio::thread_pool handlers;
  std::atomic<std::size_t> connections{0};
  std::atomic<bool> draining{false};
  std::mutex sessions_mu;
  std::vector<std::weak_ptr<Session>> sessions;  // guarded by sessions_mu; for the drain

  void Accept();
  void Log(boost::json::object line) {
    line.emplace("time", FormatRfc3339(std::chrono::time_point_cast<std::chrono::microseconds>(
                             std::chrono::system_clock::now())));
    log(boost::json::serialize(line));
  }
};

namespace {

// One connection: reads requests in turn, answers each, until closed.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(std::shared_ptr<Server::State> server, tcp::socket socket)
      : server_(std::move(server)), stream_(std::move(socket)) {
    beast::error_code ec;
    const auto endpoint = stream_.socket().remote_endpoint(ec);
    if (!ec) {
      address_ = endpoint.address().to_string();
      peer_ = address_ + ":" + std::to_string(endpoint.port());
    }
    ++server_->connections;
  }
  ~Session() { --server_->connections; }

  void Start(bool over_limit) {
    if (over_limit) {
      Write(Refusal(503, "Too many connections",
                    "the server holds as many connections as it may; retry shortly",
                    NewRequestId()));
      return;
    }
    ReadHeader(server_->options.header_timeout);
  }

  // Closes the connection if it waits for a request (on drain).
  void CloseIfIdle() {
    asio::post(stream_.get_executor(), [self = shared_from_this()] {
      // An event stream ends itself, with its last chunk, at its next tick.
      if (!self->busy_ && !self->live_) self->stream_.socket().close();
    });
  }

 private:
  void ReadHeader(std::chrono::milliseconds deadline) {
    if (server_->draining) return Close();
    busy_ = false;
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(server_->options.header_limit));
    parser_->body_limit(server_->options.body_limit);
    stream_.expires_after(deadline);
    bhttp::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnHeader(ec); });
  }

  void OnHeader(beast::error_code ec) {
    busy_ = true;
    if (ec) return OnReadError(ec);
    const auto& request = parser_->get();
    if (static_cast<std::size_t>(std::distance(request.begin(), request.end())) >
        server_->options.max_header_fields) {
      return Write(Refusal(
          431, "Request header fields too large",
          "send at most " + std::to_string(server_->options.max_header_fields) + " header fields",
          NewRequestId()));
    }
    if (const auto length = parser_->content_length();
        length && *length > server_->options.body_limit) {
      return Write(
          Refusal(413, "Request body too large", "the body may be at most 1 MiB", NewRequestId()));
    }
    // RFC 9112 3.2: an HTTP/1.1 request without exactly one Host is refused.
    if (request.version() >= 11 && request.count(bhttp::field::host) != 1) {
      return Write(Refusal(400, "Malformed HTTP request",
                           "an HTTP/1.1 request needs exactly one Host header field",
                           NewRequestId()));
    }
    stream_.expires_after(server_->options.body_timeout);
    bhttp::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnRequest(ec); });
  }

  void OnReadError(beast::error_code ec) {
    if (ec == bhttp::error::end_of_stream || ec == asio::error::operation_aborted ||
        ec == asio::error::connection_reset || ec == asio::error::eof) {
      return Close();
    }
    if (ec == beast::error::timeout) {
      // A client too slow to send its request (or idle too long) is cut off: the
      // stream has closed the socket already.
      return Close();
    }
    if (ec == bhttp::error::header_limit) {
      return Write(Refusal(431, "Request header fields too large",
                           "the request line and header may be at most " +
                               std::to_string(server_->options.header_limit) + " bytes",
                           NewRequestId()));
    }
    if (ec == bhttp::error::body_limit) {
      return Write(
          Refusal(413, "Request body too large", "the body may be at most 1 MiB", NewRequestId()));
    }
    return Write(Refusal(400, "Malformed HTTP request",
                         "the request is not valid HTTP/1.1 (" + ec.message() + ")",
                         NewRequestId()));
  }

  void OnRequest(beast::error_code ec) {
    if (ec) return OnReadError(ec);
    stream_.expires_never();
    request_ = parser_->release();
    // HEAD is GET without the body (RFC 9110 9.3.2): handled as GET, answered
    // with the same header fields and no body, never as an event stream.
    head_ = request_.method() == bhttp::verb::head;
    if (head_) request_.method(bhttp::verb::get);
    // The handler may wait on PostgreSQL: it runs on the handler threads, never on I/O ones.
    asio::post(server_->handlers, [self = shared_from_this()] {
      const auto start = std::chrono::steady_clock::now();
      const std::string id = NewRequestId();
      auto handled = self->server_->handler(self->request_, id);
      if (self->head_) {
        handled.live = false;
        handled.response.body().clear();
      }
      const double ms =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
              .count();
      boost::json::object line{
          {"level", handled.cause.empty() ? "info" : "error"},
          {"request_id", id},
          {"method", self->head_ ? std::string("HEAD")
                                 : std::string(self->request_.method_string().substr(0, 16))},
          {"route", handled.route},
          {"status", handled.response.result_int()},
          {"ms", ms},
          {"actor", handled.actor},
          {"peer", self->peer_}};
      if (!handled.cause.empty()) line["cause"] = handled.cause;
      self->server_->Log(std::move(line));
      asio::post(self->stream_.get_executor(),
                 [self, live = handled.live, owner = std::move(handled.live_owner),
                  response = std::move(handled.response)]() mutable {
                   if (live) return self->StartLive(std::move(response), std::move(owner));
                   self->Write(std::move(response));
                 });
    });
  }

  void Write(Response response) {
    busy_ = true;
    if (server_->draining) response.keep_alive(false);
    response_ = std::make_unique<Response>(std::move(response));
    stream_.expires_after(server_->options.body_timeout);
    bhttp::async_write(stream_, *response_,
                       [self = shared_from_this()](beast::error_code ec, std::size_t) {
                         const bool keep = self->response_->keep_alive();
                         self->response_.reset();
                         if (ec) return self->Close();
                         if (!keep) return self->CloseLingering();
                         self->ReadHeader(self->server_->options.idle_timeout);
                       });
  }

  // An event stream: the answer's header (chunked, never kept alive for
  // another request), then a chunk per event, a comment now and then, until
  // the client leaves or the server drains.
  void StartLive(Response response, std::string owner) {
    if (!server_->AdmitLive(owner, address_)) {
      return Write(Refusal(429, "Too many live streams",
                           "this session or address holds as many live updates as it may; close "
                           "another tab of the dashboard, or reload it later",
                           NewRequestId()));
    }
    live_owner_ = std::move(owner);
    busy_ = false;  // the drain closes it like an idle connection
    ++server_->live_streams;
    live_ = true;
    live_head_ = std::make_unique<bhttp::response<bhttp::empty_body>>(response.result(), 11);
    for (const auto& field : response) live_head_->set(field.name_string(), field.value());
    live_head_->set(bhttp::field::content_type, "text/event-stream");
    live_head_->set(bhttp::field::cache_control, "no-store");
    live_head_->keep_alive(false);
    live_head_->chunked(true);
    live_serializer_ = std::make_unique<bhttp::response_serializer<bhttp::empty_body>>(*live_head_);
    stream_.expires_never();
    bhttp::async_write_header(stream_, *live_serializer_,
                              [self = shared_from_this()](beast::error_code ec, std::size_t) {
                                if (ec) return self->Close();
                                self->sent_position_ = self->server_->live_position.load();
                                self->SendLive("retry: 3000\n\n");
                              });
    // A client that leaves is noticed by a read failing.
    stream_.async_read_some(
        asio::buffer(drain_),
        [self = shared_from_this()](beast::error_code, std::size_t) { self->Close(); });
  }

  void SendLive(std::string message) {
    live_message_ = std::move(message);
    last_sent_ = std::chrono::steady_clock::now();
    asio::async_write(stream_.socket(), bhttp::make_chunk(asio::buffer(live_message_)),
                      [self = shared_from_this()](beast::error_code ec, std::size_t) {
                        if (ec) return self->Close();
                        self->WaitLive();
                      });
  }

  void WaitLive() {
    if (!stream_.socket().is_open()) return Close();
    if (server_->draining || server_->OwnerEnded(live_owner_)) {  // the body's end, then the
                                                                  // connection's
      return asio::async_write(
          stream_.socket(), bhttp::make_chunk_last(),
          [self = shared_from_this()](beast::error_code, std::size_t) { self->Close(); });
    }
    live_timer_.expires_after(std::chrono::milliseconds(250));
    live_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (ec) return self->Close();
      const std::int64_t now = self->server_->live_position.load();
      if (now != self->sent_position_ && now >= 0) {
        self->sent_position_ = now;
        return self->SendLive("data: " + std::to_string(now) + "\n\n");
      }
      if (std::chrono::steady_clock::now() - self->last_sent_ >=
          self->server_->options.live_keepalive) {
        return self->SendLive(": still here\n\n");
      }
      self->WaitLive();
    });
  }

  // Closes after an answer that ends the connection: stops sending, then reads
  // and drops what the client still sends (a refused body) until it closes or
  // a short while passes, so it reads the answer instead of a reset.
  void CloseLingering() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.expires_after(kLinger);
    Drain();
  }

  void Drain() {
    stream_.async_read_some(asio::buffer(drain_),
                            [self = shared_from_this()](beast::error_code ec, std::size_t) {
                              if (ec) return self->Close();
                              self->Drain();
                            });
  }

  void Close() {
    if (live_) {
      live_ = false;
      --server_->live_streams;
      server_->ReleaseLive(live_owner_, address_);
      live_timer_.cancel();
    }
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.socket().close(ec);
  }

  std::shared_ptr<Server::State> server_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  Request request_;
  std::unique_ptr<Response> response_;
  std::string peer_;
  std::string address_;     // the client's address, without its port
  std::string live_owner_;  // an open event stream's owner
  std::array<char, 16 * 1024> drain_{};
  bool busy_ = false;  // a request is being read past its header, handled or answered
  bool head_ = false;  // the request being answered is a HEAD
  // An event stream's state (live_ while open).
  bool live_ = false;
  std::unique_ptr<bhttp::response<bhttp::empty_body>> live_head_;
  std::unique_ptr<bhttp::response_serializer<bhttp::empty_body>> live_serializer_;
  asio::steady_timer live_timer_{stream_.get_executor()};
  std::string live_message_;
  std::int64_t sent_position_ = -1;
  std::chrono::steady_clock::time_point last_sent_;
};

}  // namespace

void Server::State::Accept() {
  acceptor.async_accept(
      asio::make_strand(io), [self = shared_from_this()](beast::error_code ec, tcp::socket socket) {
        if (ec == asio::error::operation_aborted || !self->acceptor.is_open()) return;
        if (!ec) {
          const bool over = self->connections.load() >= self->options.max_connections;
          auto session = std::make_shared<Session>(self, std::move(socket));
          {
            std::lock_guard lock(self->sessions_mu);
            auto& all = self->sessions;
            std::erase_if(all, [](const auto& w) { return w.expired(); });
            all.push_back(session);
          }
          session->Start(over);
        } else {
          self->Log({{"level", "warn"}, {"message", "accept failed: " + ec.message()}});
        }
        self->Accept();
      });
}

Server::Server(Handler handler, ServerOptions options, std::function<void(const std::string&)> log,
               std::function<std::int64_t()> live_position,
               std::function<bool(const std::string&)> live_valid)
    : state_(std::make_shared<State>(std::move(handler), std::move(options), std::move(log),
                                     std::move(live_position), std::move(live_valid))) {
  beast::error_code ec;
  const auto address = asio::ip::make_address(state_->options.address, ec);
  if (ec) {
    throw std::runtime_error("listen address '" + state_->options.address +
                             "' is not an IP address, e.g. 127.0.0.1");
  }
  const tcp::endpoint endpoint(address, state_->options.port);
  auto& acceptor = state_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    throw std::runtime_error("cannot listen on " + state_->options.address + ":" +
                             std::to_string(state_->options.port) + ": " + ec.message());
  }
}

Server::~Server() {
  state_->io.stop();
  state_->handlers.join();
}

unsigned short Server::port() const { return state_->acceptor.local_endpoint().port(); }

void Server::Run(const std::atomic<bool>& stop) {
  auto& s = *state_;
  s.Accept();
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < s.options.io_threads; ++i) {
    threads.emplace_back([&s] { s.io.run(); });
  }
  auto work = asio::make_work_guard(s.io);
  auto next_poll = std::chrono::steady_clock::now();
  auto next_check = next_poll + s.options.live_check;
  while (!stop) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    // The watched position, only while someone watches.
    if (s.live_source && s.live_streams.load() > 0 &&
        std::chrono::steady_clock::now() >= next_poll) {
      try {
        s.live_position = s.live_source();
      } catch (const std::exception& e) {
        s.Log({{"level", "warn"}, {"message", std::string("live position: ") + e.what()}});
      }
      next_poll = std::chrono::steady_clock::now() + s.options.live_poll;
    }
    if (s.live_valid && s.live_streams.load() > 0 &&
        std::chrono::steady_clock::now() >= next_check) {
      s.CheckOwners();
      next_check = std::chrono::steady_clock::now() + s.options.live_check;
    }
  }
  // Drain: no new connections; idle ones closed; busy ones finish with Connection: close.
  s.draining = true;
  asio::post(s.acceptor.get_executor(), [&s] {
    beast::error_code ec;
    s.acceptor.close(ec);
  });
  const auto deadline = std::chrono::steady_clock::now() + s.options.drain_timeout;
  while (s.connections.load() > 0 && std::chrono::steady_clock::now() < deadline) {
    {
      std::lock_guard lock(s.sessions_mu);
      for (auto& w : s.sessions) {
        if (auto session = w.lock()) session->CloseIfIdle();
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  s.Log({{"level", "info"},
         {"message", "stopped; " + std::to_string(s.connections.load()) +
                         " connections left at the drain deadline"}});
  s.handlers.join();
  work.reset();
  s.io.stop();
  for (auto& t : threads) t.join();
}

}  // namespace waymark::http
