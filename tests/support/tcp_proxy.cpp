#include "tests/support/tcp_proxy.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <mutex>
#include <random>
#include <set>
#include <stdexcept>
#include <string>

namespace waymark::testing {
namespace {

sockaddr_in Loopback(std::uint16_t port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return addr;
}

int Listen(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr = Loopback(port);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd, 64) != 0) {
    const std::string why = std::strerror(errno);
    ::close(fd);
    throw std::runtime_error("tcp proxy: cannot listen on 127.0.0.1: " + why);
  }
  return fd;
}

std::uint16_t BoundPort(int fd) {
  sockaddr_in addr{};
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  return ntohs(addr.sin_port);
}

}  // namespace

std::uint16_t FreePort() {
  // Below the kernel's ephemeral range, so that no outgoing connection of a
  // test running beside this one takes the port as its own between now and
  // the server's bind; never the same port twice in one process.
  static std::mutex mu;
  static std::set<std::uint16_t> given;
  static std::mt19937 random{std::random_device{}()};
  int ephemeral_low = 32768;
  if (std::ifstream range("/proc/sys/net/ipv4/ip_local_port_range"); range) range >> ephemeral_low;
  const int low = 10000;
  const int high = std::max(low + 1000, ephemeral_low) - 1;
  std::lock_guard lock(mu);
  std::uniform_int_distribution<int> pick(low, high);
  for (int attempt = 0; attempt < 1000; ++attempt) {
    const auto port = static_cast<std::uint16_t>(pick(random));
    if (given.contains(port)) continue;
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr = Loopback(port);
    const bool free = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    ::close(fd);
    if (free) {
      given.insert(port);
      return port;
    }
  }
  throw std::runtime_error("no free TCP port on 127.0.0.1 between " + std::to_string(low) +
                           " and " + std::to_string(high));
}

// Both sockets of one proxied connection and its two pumps.
struct TcpProxy::Link {
  int client = -1;
  int server = -1;
  std::thread up, down;

  void Shut() {
    ::shutdown(client, SHUT_RDWR);
    ::shutdown(server, SHUT_RDWR);
  }
  ~Link() {
    Shut();
    if (up.joinable()) up.join();
    if (down.joinable()) down.join();
    ::close(client);
    ::close(server);
  }
};

TcpProxy::TcpProxy(std::uint16_t target_port) : target_port_(target_port) {
  listener_ = Listen(0);
  port_ = BoundPort(listener_);
  acceptor_ = std::thread([this] { Accept(); });
}

TcpProxy::~TcpProxy() {
  stop_ = true;
  ::shutdown(listener_, SHUT_RDWR);
  acceptor_.join();
  ::close(listener_);
  std::lock_guard lock(mu_);
  links_.clear();
}

void TcpProxy::Cut() {
  cut_ = true;
  std::vector<std::shared_ptr<Link>> links;
  {
    std::lock_guard lock(mu_);
    links.swap(links_);
  }
  for (auto& link : links) {
    // An abortive close (RST), as a cut cable seen by the far end's timeout
    // would end up: both sides learn at once.
    const linger hard{1, 0};
    ::setsockopt(link->client, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
    ::setsockopt(link->server, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
    link->Shut();
  }
}

void TcpProxy::Restore() { cut_ = false; }

void TcpProxy::Accept() {
  while (!stop_) {
    pollfd p{listener_, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    const int client = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) continue;
    ++accepted_;
    if (cut_) {
      ::close(client);
      continue;
    }
    const int server = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in target = Loopback(target_port_);
    if (::connect(server, reinterpret_cast<sockaddr*>(&target), sizeof target) != 0) {
      ::close(server);
      ::close(client);
      continue;
    }
    const int one = 1;
    ::setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    ::setsockopt(server, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    auto link = std::make_shared<Link>();
    link->client = client;
    link->server = server;
    auto pump = [this](int from, int to) {
      char buffer[64 * 1024];
      for (;;) {
        const ssize_t n = ::recv(from, buffer, sizeof buffer, 0);
        if (n <= 0) break;
        if (const long ms = delay_ms_.load(); ms > 0) {
          std::this_thread::sleep_for(std::chrono::milliseconds(ms));
        }
        for (ssize_t sent = 0; sent < n;) {
          const ssize_t m =
              ::send(to, buffer + sent, static_cast<std::size_t>(n - sent), MSG_NOSIGNAL);
          if (m <= 0) {
            ::shutdown(from, SHUT_RDWR);
            return;
          }
          sent += m;
        }
      }
      ::shutdown(to, SHUT_RDWR);
    };
    link->up = std::thread(pump, client, server);
    link->down = std::thread(pump, server, client);
    std::lock_guard lock(mu_);
    // Forget links whose both pumps are done (their destructor joins at once).
    std::erase_if(links_, [](const std::shared_ptr<Link>& l) {
      pollfd p[2] = {{l->client, 0, 0}, {l->server, 0, 0}};
      ::poll(p, 2, 0);
      return (p[0].revents & POLLHUP) && (p[1].revents & POLLHUP);
    });
    links_.push_back(std::move(link));
  }
}

}  // namespace waymark::testing
