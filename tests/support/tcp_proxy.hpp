#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace waymark::testing {

// A TCP proxy on 127.0.0.1 in front of one target port, for faults the way
// they happen on a network: every connection cut at once (and new ones
// refused while cut), or every byte delayed. One thread accepts; each
// connection has a pump thread per direction.
class TcpProxy {
 public:
  explicit TcpProxy(std::uint16_t target_port);
  ~TcpProxy();
  TcpProxy(const TcpProxy&) = delete;
  TcpProxy& operator=(const TcpProxy&) = delete;

  std::uint16_t port() const { return port_; }

  // Resets every open connection; until Restore(), new ones are closed as
  // soon as they are accepted.
  void Cut();
  void Restore();
  // Each chunk read is held this long before it is passed on (both ways).
  void Delay(std::chrono::milliseconds delay) { delay_ms_ = delay.count(); }

  // Connections accepted so far (cut ones included).
  int accepted() const { return accepted_.load(); }

 private:
  struct Link;
  void Accept();

  std::uint16_t target_port_;
  std::uint16_t port_ = 0;
  int listener_ = -1;
  std::atomic<bool> stop_{false};
  std::atomic<bool> cut_{false};
  std::atomic<long> delay_ms_{0};
  std::atomic<int> accepted_{0};
  std::mutex mu_;
  std::vector<std::shared_ptr<Link>> links_;
  std::thread acceptor_;
};

// A free TCP port on 127.0.0.1 for a server a test starts (tried with a bind
// and released), below the ephemeral range that outgoing connections use.
std::uint16_t FreePort();

}  // namespace waymark::testing
