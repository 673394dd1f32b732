#pragma once

#include <array>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

#include "application/programme.hpp"
#include "core/event_store.hpp"
#include "core/run_loop.hpp"

namespace waymark::http {

// How far the followers of the event store are behind it: events not yet
// handled and the age of the oldest of them (0 when caught up).
struct Lag {
  std::string follower;  // "projector", "relay"
  std::int64_t events = 0;
  double seconds = 0;
};

// The server's counters and histograms, rendered in Prometheus's text
// format (version 0.0.4). Thread-safe. Labels hold route templates, status
// codes, command types and results: never a token or a stream id.
class Metrics final : public app::CommandMeter {
 public:
  void ObserveRequest(const std::string& route, const std::string& method, unsigned status,
                      double seconds);
  void CountCommand(const std::string& type, const std::string& result) override;
  void ObserveAppend(double seconds, bool ok);

  // Everything so far, with `lag` and the units' health as gauges and counters.
  std::string Render(const std::vector<Lag>& lag,
                     const std::vector<UnitHealth::Unit>& units = {}) const;

 private:
  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1,    2.5};
  struct Histogram {
    std::array<std::uint64_t, kBuckets.size()> buckets{};  // not cumulative here
    std::uint64_t count = 0;
    double sum = 0;
    void Observe(double seconds);
  };

  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, unsigned>, std::uint64_t> requests_;  // mu_
  std::map<std::string, Histogram> latency_;                                          // mu_
  std::map<std::pair<std::string, std::string>, std::uint64_t> commands_;             // mu_
  Histogram append_;                                                                  // mu_
  std::uint64_t append_failures_ = 0;                                                 // mu_
};

// Wraps an EventStore and times each Append into `metrics` (both must
// outlive it); every other call passes straight through.
std::unique_ptr<EventStore> MakeMeteredEventStore(EventStore& inner, Metrics& metrics);

}  // namespace waymark::http
