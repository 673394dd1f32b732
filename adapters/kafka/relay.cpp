#include "adapters/kafka/relay.hpp"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "adapters/kafka/kafka_config.hpp"

namespace waymark::kafka {
namespace {

// Pages produced but not yet confirmed, at most (80,000 events at the default
// page size): reading the next page from
// PostgreSQL overlaps with the broker confirming the previous ones.
constexpr std::size_t kPagesInFlight = 16;
// Pages the reader thread may hold ready for the producer.
constexpr std::size_t kPagesReadAhead = 2;

// One page of events on its way to the broker. Delivery reports count into
// it (through the message opaque), so it must stay put until every report
// for it has arrived.
struct Page {
  std::size_t size = 0;
  std::size_t delivered = 0;
  std::size_t failed = 0;
  std::string first_error;
  GlobalCursor last;
  Timestamp oldest{};  // when it was handed to the producer
  bool settled() const { return delivered + failed == size; }
};

void OnDelivery(rd_kafka_t*, const rd_kafka_message_t* message, void*) {
  auto* page = static_cast<Page*>(message->_private);
  if (!page) return;
  if (message->err) {
    if (page->failed++ == 0) page->first_error = rd_kafka_err2str(message->err);
  } else {
    ++page->delivered;
  }
}

class KafkaRelay final : public Relay {
 public:
  KafkaRelay(EventStore& store, CheckpointStore& checkpoints, Clock& clock, RelayOptions options,
             rd_kafka_t* producer)
      : store_(store),
        checkpoints_(checkpoints),
        clock_(clock),
        options_(std::move(options)),
        producer_(producer) {
    // Make the topic known to the producer and fetch its metadata now, so
    // the first event goes out at once instead of waiting for the
    // producer's periodic topic scan (about a second). Best effort: with the
    // broker down this times out and the producer keeps trying on its own.
    topic_ = rd_kafka_topic_new(producer_.get(), options_.topic.c_str(), nullptr);
    const rd_kafka_metadata_t* metadata = nullptr;
    if (rd_kafka_metadata(producer_.get(), 0, topic_, &metadata, 5000) ==
        RD_KAFKA_RESP_ERR_NO_ERROR) {
      rd_kafka_metadata_destroy(metadata);
    }
  }

  ~KafkaRelay() override {
    std::atomic<bool> stop{true};
    Settle(stop);
    if (topic_) rd_kafka_topic_destroy(topic_);
  }

  std::expected<std::size_t, Error> PublishPending(const std::atomic<bool>& stop) override {
    auto cursor = checkpoints_.Load(checkpoint_name());
    if (!cursor) return Fail(cursor.error());
    // A reader thread fetches the next pages from PostgreSQL while this
    // thread produces and confirms the previous ones.
    Prefetch prefetch;
    std::jthread reader([&] { ReadAhead(*cursor, stop, prefetch); });
    std::size_t confirmed = 0;
    std::optional<Error> failure;
    while (!stop.load() && !failure) {
      std::optional<std::vector<WireEvent>> page;
      bool finished = false;
      {
        std::lock_guard lock(prefetch.mu);
        if (!prefetch.pages.empty() && in_flight_.size() < kPagesInFlight) {
          page = std::move(prefetch.pages.front());
          prefetch.pages.pop_front();
          prefetch.changed.notify_all();
        }
        failure = prefetch.error;
        finished = prefetch.done && prefetch.pages.empty();
      }
      if (failure) break;
      if (page) {
        if (auto produced = Produce(*page); !produced) {
          failure = produced.error();
          break;
        }
      }
      rd_kafka_poll(producer_.get(), page ? 0 : 5);
      if (auto done = Confirm(); !done) {
        failure = done.error();
      } else {
        confirmed += *done;
      }
      UpdateLag();
      if (finished && in_flight_.empty()) break;
    }
    {
      std::lock_guard lock(prefetch.mu);
      prefetch.quit = true;
      prefetch.changed.notify_all();
    }
    reader.join();
    Settle(stop);  // nothing may be left pointing at pages we are about to drop
    if (!failure) {
      if (auto done = Confirm(); done) confirmed += *done;
    }
    in_flight_.clear();
    if (failure) return Fail(*failure);
    return confirmed;
  }

  const RelayStats& stats() const override { return stats_; }
  std::string checkpoint_name() const override { return "relay:" + options_.topic; }

 private:
  std::unexpected<Error> Fail(Error error) {
    ++stats_.errors;
    return std::unexpected(std::move(error));
  }

  // Pages read ahead of the producer, handed over under `mu`.
  struct Prefetch {
    std::mutex mu;
    std::condition_variable changed;
    std::deque<std::vector<WireEvent>> pages;
    bool done = false;  // the reader caught up (or failed)
    bool quit = false;  // the producer side wants no more
    std::optional<Error> error;
  };

  // Reads pages after `from` until caught up, keeping at most
  // kPagesReadAhead of them waiting.
  void ReadAhead(GlobalCursor from, const std::atomic<bool>& stop, Prefetch& prefetch) {
    for (;;) {
      {
        std::unique_lock lock(prefetch.mu);
        prefetch.changed.wait(
            lock, [&] { return prefetch.quit || prefetch.pages.size() < kPagesReadAhead; });
        if (prefetch.quit) return;
      }
      auto events = stop.load() ? std::expected<std::vector<WireEvent>, Error>{}
                                : store_.ReadAllWire(from, options_.page_size);
      std::lock_guard lock(prefetch.mu);
      if (!events) {
        prefetch.error = events.error();
        prefetch.done = true;
        return;
      }
      if (events->empty()) {
        prefetch.done = true;
        return;
      }
      from = events->back().cursor;
      prefetch.pages.push_back(std::move(*events));
    }
  }

  // Hands a page to the producer; its delivery reports land in a new Page.
  std::expected<void, Error> Produce(const std::vector<WireEvent>& events) {
    auto page = std::make_unique<Page>();
    page->size = events.size();
    page->last = events.back().cursor;
    page->oldest = clock_.Now();
    in_flight_.push_back(std::move(page));
    Page* target = in_flight_.back().get();
    std::size_t produced = 0;
    for (const WireEvent& event : events) {
      const std::string* key = &event.network_id;
      for (;;) {
        const rd_kafka_resp_err_t err = rd_kafka_producev(
            producer_.get(), RD_KAFKA_V_TOPIC(options_.topic.c_str()),
            RD_KAFKA_V_KEY(key->data(), key->size()),
            RD_KAFKA_V_VALUE(const_cast<char*>(event.json.data()), event.json.size()),
            RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
            RD_KAFKA_V_HEADER("event_type", event.type.data(),
                              static_cast<ssize_t>(event.type.size())),
            RD_KAFKA_V_HEADER("stream", event.stream.data(),
                              static_cast<ssize_t>(event.stream.size())),
            RD_KAFKA_V_OPAQUE(target), RD_KAFKA_V_END);
        if (err == RD_KAFKA_RESP_ERR_NO_ERROR) break;
        if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
          target->size = produced;
          return std::unexpected(
              MakeError(ErrorCode::kUnavailable,
                        std::string("producing to Kafka: ") + rd_kafka_err2str(err)));
        }
        rd_kafka_poll(producer_.get(), 50);  // the local queue is full: let deliveries drain
      }
      ++produced;
    }
    return {};
  }

  // Moves the checkpoint past every leading page the broker fully confirmed.
  // Returns how many events that confirmed, or the failure of a settled page.
  std::expected<std::size_t, Error> Confirm() {
    std::size_t confirmed = 0;
    std::optional<GlobalCursor> advance;
    while (!in_flight_.empty() && in_flight_.front()->settled()) {
      const Page& page = *in_flight_.front();
      if (page.failed > 0) {
        stats_.errors += page.failed;
        return std::unexpected(MakeError(ErrorCode::kUnavailable,
                                         std::to_string(page.failed) + " of " +
                                             std::to_string(page.size) +
                                             " events were not delivered: " + page.first_error));
      }
      if (char reason[512]; rd_kafka_fatal_error(producer_.get(), reason, sizeof reason)) {
        return std::unexpected(
            MakeError(ErrorCode::kUnavailable, std::string("Kafka producer failed: ") + reason));
      }
      advance = page.last;
      confirmed += page.size;
      in_flight_.pop_front();
    }
    if (advance) {
      if (auto saved = checkpoints_.Save(checkpoint_name(), *advance); !saved) {
        return std::unexpected(saved.error());
      }
      stats_.produced += confirmed;
    }
    return confirmed;
  }

  void UpdateLag() {
    std::size_t unconfirmed = 0;
    for (const auto& page : in_flight_) unconfirmed += page->size - page->delivered;
    stats_.lag_events = static_cast<std::int64_t>(unconfirmed);
    stats_.lag_seconds =
        in_flight_.empty()
            ? 0.0
            : std::chrono::duration<double>(clock_.Now() - in_flight_.front()->oldest).count();
  }

  // Waits until every produced event has its delivery report. On stop,
  // purges what is still queued first (those reports come with an error).
  void Settle(const std::atomic<bool>& stop) {
    auto unsettled = [&] {
      for (const auto& page : in_flight_) {
        if (!page->settled()) return true;
      }
      return false;
    };
    bool purged = false;
    while (unsettled()) {
      if (stop.load() && !purged) {
        rd_kafka_purge(producer_.get(), RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
        purged = true;
      }
      rd_kafka_poll(producer_.get(), 20);
    }
  }

  EventStore& store_;
  CheckpointStore& checkpoints_;
  Clock& clock_;
  RelayOptions options_;
  std::unique_ptr<rd_kafka_t, HandleDeleter> producer_;
  rd_kafka_topic_t* topic_ = nullptr;            // keeps the topic known to the producer
  std::deque<std::unique_ptr<Page>> in_flight_;  // oldest first
  RelayStats stats_;
};

}  // namespace

std::expected<std::unique_ptr<Relay>, Error> Relay::Create(EventStore& store,
                                                           CheckpointStore& checkpoints,
                                                           Clock& clock, RelayOptions options) {
  if (options.brokers.empty()) {
    return std::unexpected(MakeError(
        ErrorCode::kValidation, "no Kafka brokers: pass --kafka HOST:PORT or set WAYMARK_KAFKA"));
  }
  auto conf = MakeConfig({
      {"bootstrap.servers", options.brokers},
      {"client.id", "waymark-relay"},
      {"enable.idempotence", "true"},  // acks=all, no duplicates or reordering from retries
      {"message.timeout.ms", "0"},     // never give up on an event: wait out broker outages
      {"linger.ms", "5"},
      // A broker that comes back is found within a second, not after up to
      // 10 s (librdkafka's default back-off; RELIABILITY.md, kill-broker).
      {"reconnect.backoff.max.ms", "1000"},
      {"compression.type", "lz4"},  // event JSON shrinks severalfold on the wire and on disk
      {"reconnect.backoff.max.ms", "1000"},  // back within a second of a broker's return
      {"partitioner", "murmur2_random"},     // the Java client's partitioning, for other consumers
      {"log_level", "3"},
  });
  if (!conf) return std::unexpected(conf.error());
  rd_kafka_conf_set_dr_msg_cb(*conf, OnDelivery);
  char errstr[512];
  rd_kafka_t* producer = rd_kafka_new(RD_KAFKA_PRODUCER, *conf, errstr, sizeof errstr);
  if (!producer) {
    rd_kafka_conf_destroy(*conf);
    return std::unexpected(
        MakeError(ErrorCode::kUnavailable, std::string("creating the Kafka producer: ") + errstr));
  }
  return std::make_unique<KafkaRelay>(store, checkpoints, clock, std::move(options), producer);
}

}  // namespace waymark::kafka
