#include "core/memory_event_store.hpp"

#include <algorithm>
#include <map>
#include <mutex>
#include <unordered_map>

#include "core/event_append.hpp"
#include "core/network_key.hpp"

namespace waymark {
namespace {

class MemoryEventStore final : public EventStore {
 public:
  explicit MemoryEventStore(Clock& clock) : clock_(clock) {}

  std::expected<AppendResult, Error> Append(const AppendRequest& request) override {
    auto valid = ValidateAppendRequest(request);
    if (!valid) return std::unexpected(valid.error());
    std::lock_guard lock(mu_);
    auto& stream = streams_[request.stream];
    const std::string& key = request.metadata.idempotency_key;
    if (!key.empty()) {
      if (auto it = stream.idempotency.find(key); it != stream.idempotency.end()) {
        return Result(request.stream, stream, it->second, true);
      }
    }
    const std::int64_t current = static_cast<std::int64_t>(stream.events.size());
    if (auto ok = CheckExpectedVersion(request, current); !ok) return std::unexpected(ok.error());
    auto network =
        NetworkOfAppend(request, current,
                        current == 0 ? std::string_view{} : log_[stream.events.front()].network_id);
    if (!network) return std::unexpected(network.error());
    auto sealed = SealEvents(request, std::move(*valid), current,
                             current == 0 ? std::string_view{} : log_[stream.events.back()].hash,
                             clock_.Now(), *network);
    ++commit_;
    for (auto& e : sealed.events) {
      e.position = ++position_;
      e.commit = commit_;
      stream.events.push_back(log_.size());
      log_.push_back(std::move(e));
    }
    const std::int64_t last = current + static_cast<std::int64_t>(request.events.size());
    const Idempotent range{current + 1, last, request.request_digest};
    if (!key.empty()) stream.idempotency.emplace(key, range);
    return Result(request.stream, stream, range, false);
  }

  std::expected<std::optional<AppendResult>, Error> FindAppend(std::string_view name,
                                                               std::string_view key) override {
    std::lock_guard lock(mu_);
    auto it = streams_.find(std::string(name));
    if (it == streams_.end() || key.empty()) return std::nullopt;
    auto found = it->second.idempotency.find(std::string(key));
    if (found == it->second.idempotency.end()) return std::nullopt;
    return Result(it->first, it->second, found->second, true);
  }

  std::expected<std::vector<RecordedEvent>, Error> ReadStream(std::string_view name,
                                                              std::int64_t from_version,
                                                              std::size_t max_count) override {
    std::lock_guard lock(mu_);
    std::vector<RecordedEvent> out;
    auto it = streams_.find(std::string(name));
    if (it == streams_.end()) return out;
    const auto& indexes = it->second.events;
    for (std::size_t i = static_cast<std::size_t>(std::max<std::int64_t>(from_version, 1) - 1);
         i < indexes.size() && out.size() < max_count; ++i) {
      out.push_back(log_[indexes[i]]);
    }
    return out;
  }

  std::expected<std::vector<RecordedEvent>, Error> ReadAll(GlobalCursor after,
                                                           std::size_t max_count) override {
    std::lock_guard lock(mu_);
    std::vector<RecordedEvent> out;
    // log_ is in cursor order: appends are serialized and commit_ only grows.
    auto it = std::upper_bound(
        log_.begin(), log_.end(), after,
        [](const GlobalCursor& c, const RecordedEvent& e) { return c < e.cursor(); });
    for (; it != log_.end() && out.size() < max_count; ++it) out.push_back(*it);
    return out;
  }

  std::expected<std::vector<WireEvent>, Error> ReadAllWire(GlobalCursor after,
                                                           std::size_t max_count) override {
    auto events = ReadAll(after, max_count);
    if (!events) return std::unexpected(events.error());
    std::vector<WireEvent> out;
    out.reserve(events->size());
    for (const auto& e : *events) out.push_back(ToWireEvent(e));
    return out;
  }

  std::expected<std::size_t, Error> CountEvents() override {
    std::lock_guard lock(mu_);
    return log_.size();
  }

  std::expected<std::vector<std::string>, Error> StreamsOfNetwork(
      std::string_view network_id) override {
    std::lock_guard lock(mu_);
    std::vector<std::pair<std::int64_t, std::string>> found;
    for (const auto& [name, stream] : streams_) {
      if (stream.events.empty()) continue;
      const RecordedEvent& first = log_[stream.events.front()];
      if (first.network_id == network_id) found.emplace_back(first.position, name);
    }
    std::sort(found.begin(), found.end());
    std::vector<std::string> out;
    for (auto& [position, name] : found) out.push_back(std::move(name));
    return out;
  }

  std::expected<std::size_t, Error> Import(std::span<const RecordedEvent> events) override {
    if (auto ok = ValidateImport(events); !ok) return std::unexpected(ok.error());
    std::lock_guard lock(mu_);
    if (!log_.empty()) {
      return std::unexpected(MakeError(
          ErrorCode::kNotAllowed, "the store already holds events; import needs an empty store"));
    }
    ++commit_;
    std::vector<RecordedEvent> sorted(events.begin(), events.end());
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const auto& a, const auto& b) { return a.position < b.position; });
    std::unordered_map<std::string, std::string> networks;  // stream -> its network
    for (auto& e : sorted) {
      if (e.version == 1) networks[e.stream] = NetworkKeyOf(e);
      e.network_id = networks[e.stream];
      e.commit = commit_;
      position_ = std::max(position_, e.position);
      streams_[e.stream].events.push_back(log_.size());
      if (!e.metadata.idempotency_key.empty()) {
        auto& ids = streams_[e.stream].idempotency;
        auto [it, fresh] =
            ids.emplace(e.metadata.idempotency_key, Idempotent{e.version, e.version, {}});
        if (!fresh) it->second.last = e.version;
      }
      log_.push_back(std::move(e));
    }
    return events.size();
  }

 private:
  // What an idempotency key made: the versions and the request's digest.
  struct Idempotent {
    std::int64_t first = 0, last = 0;
    std::string digest;
  };
  struct Stream {
    std::vector<std::size_t> events;  // indexes into log_, in version order
    std::unordered_map<std::string, Idempotent> idempotency;
  };

  AppendResult Result(const std::string& name, const Stream& stream, const Idempotent& range,
                      bool replayed) const {
    AppendResult r{name, range.first, range.last, {}, replayed, replayed ? range.digest : ""};
    for (std::int64_t v = range.first; v <= range.last; ++v) {
      r.events.push_back(log_[stream.events[v - 1]]);
    }
    return r;
  }

  Clock& clock_;
  std::mutex mu_;
  std::vector<RecordedEvent> log_;  // guarded by mu_
  std::map<std::string, Stream> streams_;
  std::uint64_t commit_ = 0;
  std::int64_t position_ = 0;
};

}  // namespace

std::unique_ptr<EventStore> MakeMemoryEventStore(Clock& clock) {
  return std::make_unique<MemoryEventStore>(clock);
}

}  // namespace waymark
