#include "adapters/http/metrics.hpp"

#include <chrono>
#include <sstream>

namespace waymark::http {
namespace {

// A label value escaped as the text format asks (backslash, quote, newline).
std::string Escape(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

std::string Number(double v) {
  std::ostringstream out;
  out.precision(9);
  out << v;
  return out.str();
}

class MeteredEventStore final : public EventStoreWrapper {
 public:
  MeteredEventStore(EventStore& inner, Metrics& metrics)
      : EventStoreWrapper(inner), metrics_(metrics) {}

  std::expected<AppendResult, Error> Append(const AppendRequest& r) override {
    const auto start = std::chrono::steady_clock::now();
    auto result = inner().Append(r);
    metrics_.ObserveAppend(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
        result.has_value());
    return result;
  }

 private:
  Metrics& metrics_;
};

}  // namespace

void Metrics::Histogram::Observe(double seconds) {
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) {
      ++buckets[i];
      break;
    }
  }
  ++count;
  sum += seconds;
}

void Metrics::ObserveRequest(const std::string& route, const std::string& method, unsigned status,
                             double seconds) {
  std::lock_guard lock(mu_);
  ++requests_[{route, method, status}];
  latency_[route].Observe(seconds);
}

void Metrics::CountCommand(const std::string& type, const std::string& result) {
  std::lock_guard lock(mu_);
  ++commands_[{type, result}];
}

void Metrics::ObserveAppend(double seconds, bool ok) {
  std::lock_guard lock(mu_);
  append_.Observe(seconds);
  if (!ok) ++append_failures_;
}

std::string Metrics::Render(const std::vector<Lag>& lag,
                            const std::vector<UnitHealth::Unit>& units) const {
  std::lock_guard lock(mu_);
  std::ostringstream out;
  const auto histogram = [&](const std::string& name, const std::string& labels,
                             const Histogram& h) {
    const std::string sep = labels.empty() ? "" : ",";
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
      cumulative += h.buckets[i];
      out << name << "_bucket{" << labels << sep << "le=\"" << Number(kBuckets[i]) << "\"} "
          << cumulative << "\n";
    }
    out << name << "_bucket{" << labels << sep << "le=\"+Inf\"} " << h.count << "\n";
    const std::string braces = labels.empty() ? "" : "{" + labels + "}";
    out << name << "_sum" << braces << " " << Number(h.sum) << "\n";
    out << name << "_count" << braces << " " << h.count << "\n";
  };

  out << "# HELP waymark_http_requests_total HTTP requests answered, by route, method and status.\n"
         "# TYPE waymark_http_requests_total counter\n";
  for (const auto& [key, n] : requests_) {
    const auto& [route, method, status] = key;
    out << "waymark_http_requests_total{route=\"" << Escape(route) << "\",method=\""
        << Escape(method) << "\",status=\"" << status << "\"} " << n << "\n";
  }
  out << "# HELP waymark_http_request_duration_seconds Time from a request read to its answer "
         "ready, by route.\n"
         "# TYPE waymark_http_request_duration_seconds histogram\n";
  for (const auto& [route, h] : latency_) {
    histogram("waymark_http_request_duration_seconds", "route=\"" + Escape(route) + "\"", h);
  }
  out << "# HELP waymark_commands_total Commands handled through the API, by type and result.\n"
         "# TYPE waymark_commands_total counter\n";
  for (const auto& [key, n] : commands_) {
    out << "waymark_commands_total{type=\"" << Escape(key.first) << "\",result=\""
        << Escape(key.second) << "\"} " << n << "\n";
  }
  out << "# HELP waymark_append_duration_seconds Time of each append to the event store.\n"
         "# TYPE waymark_append_duration_seconds histogram\n";
  histogram("waymark_append_duration_seconds", "", append_);
  out << "# HELP waymark_append_failures_total Appends the event store refused or failed.\n"
         "# TYPE waymark_append_failures_total counter\n"
         "waymark_append_failures_total "
      << append_failures_ << "\n";
  out << "# HELP waymark_lag_events Events committed that a follower has not handled yet.\n"
         "# TYPE waymark_lag_events gauge\n";
  for (const auto& l : lag) {
    out << "waymark_lag_events{follower=\"" << Escape(l.follower) << "\"} " << l.events << "\n";
  }
  out << "# HELP waymark_lag_seconds Age of the oldest event a follower has not handled yet.\n"
         "# TYPE waymark_lag_seconds gauge\n";
  for (const auto& l : lag) {
    out << "waymark_lag_seconds{follower=\"" << Escape(l.follower) << "\"} " << Number(l.seconds)
        << "\n";
  }
  out << "# HELP waymark_unit_failing 1 while a worker unit's last step failed (it is retried with "
         "back-off; /readyz names it).\n"
         "# TYPE waymark_unit_failing gauge\n";
  for (const auto& u : units) {
    out << "waymark_unit_failing{unit=\"" << Escape(u.name) << "\"} " << (u.failing ? 1 : 0)
        << "\n";
  }
  out << "# HELP waymark_unit_failures_total Failed steps of a worker unit since the process "
         "started.\n"
         "# TYPE waymark_unit_failures_total counter\n";
  for (const auto& u : units) {
    out << "waymark_unit_failures_total{unit=\"" << Escape(u.name) << "\"} " << u.failures << "\n";
  }
  return out.str();
}

std::unique_ptr<EventStore> MakeMeteredEventStore(EventStore& inner, Metrics& metrics) {
  return std::make_unique<MeteredEventStore>(inner, metrics);
}

}  // namespace waymark::http
