#include "adapters/kafka/relay.hpp"

#include <boost/json/serialize.hpp>
#include <vector>

#include "adapters/kafka/kafka_config.hpp"
#include "core/event_json.hpp"
#include "core/network_key.hpp"

namespace waymark::kafka {
namespace {

constexpr int kFlushSliceMs = 200;

// What a delivery report tells the page being confirmed.
struct PageDelivery {
  std::size_t delivered = 0;
  std::size_t failed = 0;
  std::string first_error;
};

void OnDelivery(rd_kafka_t*, const rd_kafka_message_t* message, void*) {
  auto* page = static_cast<PageDelivery*>(message->_private);
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
        producer_(producer),
        keys_(store) {}

  ~KafkaRelay() override { rd_kafka_flush(producer_.get(), 5000); }

  std::expected<std::size_t, Error> PublishPending(const std::atomic<bool>& stop) override {
    auto cursor = checkpoints_.Load(checkpoint_name());
    if (!cursor) return Fail(cursor.error());
    std::size_t published = 0;
    while (!stop.load()) {
      auto page = store_.ReadAll(*cursor, options_.page_size);
      if (!page) return Fail(page.error());
      if (page->empty()) break;
      stats_.lag_events = static_cast<std::int64_t>(page->size());
      stats_.lag_seconds =
          std::chrono::duration<double>(clock_.Now() - page->front().metadata.recorded_at).count();
      auto confirmed = PublishPage(*page, stop);
      if (!confirmed) return Fail(confirmed.error());
      if (auto saved = checkpoints_.Save(checkpoint_name(), page->back().cursor()); !saved) {
        return Fail(saved.error());
      }
      *cursor = page->back().cursor();
      published += page->size();
      stats_.produced += page->size();
      stats_.lag_events = 0;
      stats_.lag_seconds = 0;
    }
    return published;
  }

  const RelayStats& stats() const override { return stats_; }
  std::string checkpoint_name() const override { return "relay:" + options_.topic; }

 private:
  std::unexpected<Error> Fail(Error error) {
    ++stats_.errors;
    return std::unexpected(std::move(error));
  }

  // Produces every event of the page and waits until the broker confirmed
  // all of them (or one failed for good, or stop was asked).
  std::expected<void, Error> PublishPage(const std::vector<RecordedEvent>& page,
                                         const std::atomic<bool>& stop) {
    PageDelivery delivery;
    for (const RecordedEvent& event : page) {
      auto key = keys_.KeyOf(event);
      if (!key) return std::unexpected(key.error());
      const std::string value = boost::json::serialize(EventToJson(event));
      for (;;) {
        const rd_kafka_resp_err_t err = rd_kafka_producev(
            producer_.get(), RD_KAFKA_V_TOPIC(options_.topic.c_str()),
            RD_KAFKA_V_KEY(key->data(), key->size()),
            RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()),
            RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
            RD_KAFKA_V_HEADER("event_type", event.type.data(),
                              static_cast<ssize_t>(event.type.size())),
            RD_KAFKA_V_HEADER("stream", event.stream.data(),
                              static_cast<ssize_t>(event.stream.size())),
            RD_KAFKA_V_OPAQUE(&delivery), RD_KAFKA_V_END);
        if (err == RD_KAFKA_RESP_ERR_NO_ERROR) break;
        if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
          WaitForOutstanding(stop);
          return std::unexpected(MakeError(
              ErrorCode::kUnavailable, std::string("producing to Kafka: ") + rd_kafka_err2str(err)));
        }
        rd_kafka_poll(producer_.get(), 50);  // the local queue is full: let deliveries drain
      }
      rd_kafka_poll(producer_.get(), 0);
    }
    WaitForOutstanding(stop);
    if (char reason[512]; rd_kafka_fatal_error(producer_.get(), reason, sizeof reason)) {
      return std::unexpected(
          MakeError(ErrorCode::kUnavailable, std::string("Kafka producer failed: ") + reason));
    }
    if (delivery.failed > 0) {
      stats_.errors += delivery.failed;
      return std::unexpected(MakeError(ErrorCode::kUnavailable,
                                       std::to_string(delivery.failed) + " of " +
                                           std::to_string(page.size()) +
                                           " events were not delivered: " + delivery.first_error));
    }
    if (delivery.delivered != page.size()) {
      return std::unexpected(MakeError(ErrorCode::kUnavailable,
                                       "stopped before the broker confirmed the page"));
    }
    return {};
  }

  // Waits until nothing produced is unconfirmed. Delivery reports point at
  // the page on the caller's stack, so this returns early only on stop, and
  // then purges what is still queued (its reports come with an error).
  void WaitForOutstanding(const std::atomic<bool>& stop) {
    while (rd_kafka_outq_len(producer_.get()) > 0) {
      if (stop.load()) {
        rd_kafka_purge(producer_.get(), RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
        while (rd_kafka_outq_len(producer_.get()) > 0) rd_kafka_poll(producer_.get(), 50);
        return;
      }
      rd_kafka_flush(producer_.get(), kFlushSliceMs);
    }
  }

  EventStore& store_;
  CheckpointStore& checkpoints_;
  Clock& clock_;
  RelayOptions options_;
  std::unique_ptr<rd_kafka_t, HandleDeleter> producer_;
  NetworkKeyResolver keys_;
  RelayStats stats_;
};

}  // namespace

std::expected<std::unique_ptr<Relay>, Error> Relay::Create(EventStore& store,
                                                           CheckpointStore& checkpoints,
                                                           Clock& clock, RelayOptions options) {
  if (options.brokers.empty()) {
    return std::unexpected(MakeError(ErrorCode::kValidation,
                                     "no Kafka brokers: pass --kafka HOST:PORT or set WAYMARK_KAFKA"));
  }
  auto conf = MakeConfig({
      {"bootstrap.servers", options.brokers},
      {"client.id", "waymark-relay"},
      {"enable.idempotence", "true"},  // acks=all, no duplicates or reordering from retries
      {"message.timeout.ms", "0"},     // never give up on an event: wait out broker outages
      {"linger.ms", "5"},
      {"reconnect.backoff.max.ms", "1000"},  // back within a second of a broker's return
      {"partitioner", "murmur2_random"},  // the Java client's partitioning, for other consumers
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
