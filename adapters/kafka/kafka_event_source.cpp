#include "adapters/kafka/kafka_event_source.hpp"

#include <boost/json/parse.hpp>
#include <map>
#include <set>

#include "adapters/kafka/kafka_config.hpp"
#include "core/event_json.hpp"

namespace waymark::kafka {
namespace {

class KafkaEventSource final : public EventSource {
 public:
  explicit KafkaEventSource(KafkaSourceOptions options) : options_(std::move(options)) {}

  ~KafkaEventSource() override {
    if (consumer_) rd_kafka_consumer_close(consumer_.get());  // leaves the group; commits nothing
  }

  // Creates the consumer (its rebalance callback points at this object) and subscribes.
  std::expected<void, Error> Open();

  std::expected<void, Error> Subscribe() {
    rd_kafka_topic_partition_list_t* topics = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(topics, options_.topic.c_str(), RD_KAFKA_PARTITION_UA);
    const rd_kafka_resp_err_t err = rd_kafka_subscribe(consumer_.get(), topics);
    rd_kafka_topic_partition_list_destroy(topics);
    if (err) {
      return std::unexpected(MakeError(ErrorCode::kUnavailable, "subscribing to " + options_.topic +
                                                                    ": " + rd_kafka_err2str(err)));
    }
    return {};
  }

  std::expected<std::vector<RecordedEvent>, Error> Poll(
      std::size_t max_events, std::chrono::milliseconds timeout) override {
    std::vector<RecordedEvent> events;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (events.size() < max_events) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      // Once something arrived, take only what is already there.
      const int wait_ms = events.empty() ? static_cast<int>(std::max<long>(0, left.count())) : 0;
      rd_kafka_message_t* message = rd_kafka_consumer_poll(consumer_.get(), wait_ms);
      if (!message) {
        if (!events.empty() || left.count() <= 0) break;
        continue;
      }
      std::unique_ptr<rd_kafka_message_t, void (*)(rd_kafka_message_t*)> owned(
          message, rd_kafka_message_destroy);
      if (message->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
        at_end_.insert(message->partition);
        continue;
      }
      if (message->err) {
        if (!events.empty()) break;  // hand out what we have; the error will recur
        return std::unexpected(MakeError(
            ErrorCode::kUnavailable,
            std::string("consuming ") + options_.topic + ": " + rd_kafka_message_errstr(message)));
      }
      boost::json::error_code ec;
      const auto json = boost::json::parse(
          std::string_view(static_cast<const char*>(message->payload), message->len), ec);
      auto event = ec ? std::expected<RecordedEvent, Error>(std::unexpected(
                            MakeError(ErrorCode::kCorrupt, "not JSON: " + ec.message())))
                      : EventFromJson(json);
      if (!event) {
        return std::unexpected(MakeError(ErrorCode::kCorrupt,
                                         options_.topic + " partition " +
                                             std::to_string(message->partition) + " offset " +
                                             std::to_string(message->offset) +
                                             " is not a Waymark event: " + event.error().message));
      }
      at_end_.erase(message->partition);
      pending_[message->partition] = message->offset + 1;
      events.push_back(std::move(*event));
    }
    return events;
  }

  std::expected<void, Error> Commit() override {
    if (pending_.empty()) return {};
    rd_kafka_topic_partition_list_t* offsets =
        rd_kafka_topic_partition_list_new(static_cast<int>(pending_.size()));
    for (const auto& [partition, next] : pending_) {
      rd_kafka_topic_partition_list_add(offsets, options_.topic.c_str(), partition)->offset = next;
    }
    const rd_kafka_resp_err_t err = rd_kafka_commit(consumer_.get(), offsets, /*async=*/0);
    rd_kafka_topic_partition_list_destroy(offsets);
    pending_.clear();
    if (err) {
      // E.g. a rebalance took the partitions: their new owner redelivers.
      return std::unexpected(MakeError(
          ErrorCode::kUnavailable, std::string("committing offsets: ") + rd_kafka_err2str(err)));
    }
    return {};
  }

  bool CaughtUp() const override { return !assigned_.empty() && at_end_ == assigned_; }

  // Called from rd_kafka_consumer_poll on this thread.
  void Rebalance(rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* partitions) {
    assigned_.clear();
    at_end_.clear();
    if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
      for (int i = 0; i < partitions->cnt; ++i) assigned_.insert(partitions->elems[i].partition);
      rd_kafka_assign(consumer_.get(), partitions);
      return;
    }
    // Revoked: forget uncommitted progress on them, so it is never committed
    // by a member that no longer owns them.
    for (int i = 0; i < partitions->cnt; ++i) pending_.erase(partitions->elems[i].partition);
    rd_kafka_assign(consumer_.get(), nullptr);
  }

 private:
  KafkaSourceOptions options_;
  std::unique_ptr<rd_kafka_t, HandleDeleter> consumer_;
  std::map<std::int32_t, std::int64_t> pending_;  // partition -> next offset to commit
  std::set<std::int32_t> assigned_;               // this member's partitions
  std::set<std::int32_t> at_end_;                 // of those, the ones read to their end
};

void OnRebalance(rd_kafka_t*, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* partitions,
                 void* opaque) {
  static_cast<KafkaEventSource*>(opaque)->Rebalance(err, partitions);
}

std::expected<void, Error> KafkaEventSource::Open() {
  auto conf = MakeConfig({
      {"bootstrap.servers", options_.brokers},
      {"group.id", options_.group_id},
      {"client.id", options_.client_id},
      {"enable.auto.commit", "false"},
      {"enable.auto.offset.store", "false"},
      {"auto.offset.reset", "earliest"},
      {"session.timeout.ms", "6000"},
      {"reconnect.backoff.max.ms", "1000"},  // as the relay's: back within a second
      {"heartbeat.interval.ms", "500"},
      {"enable.partition.eof", "true"},  // tells CaughtUp when each partition is read
      {"log_level", "3"},
  });
  if (!conf) return std::unexpected(conf.error());
  rd_kafka_conf_set_rebalance_cb(*conf, OnRebalance);
  rd_kafka_conf_set_opaque(*conf, this);
  char errstr[512];
  rd_kafka_t* consumer = rd_kafka_new(RD_KAFKA_CONSUMER, *conf, errstr, sizeof errstr);
  if (!consumer) {
    rd_kafka_conf_destroy(*conf);
    return std::unexpected(
        MakeError(ErrorCode::kUnavailable, std::string("creating the Kafka consumer: ") + errstr));
  }
  consumer_.reset(consumer);
  rd_kafka_poll_set_consumer(consumer);
  return Subscribe();
}

}  // namespace

std::expected<std::unique_ptr<EventSource>, Error> MakeKafkaEventSource(
    KafkaSourceOptions options) {
  if (options.brokers.empty() || options.group_id.empty()) {
    return std::unexpected(
        MakeError(ErrorCode::kValidation, "a Kafka source needs brokers and a consumer group id"));
  }
  auto source = std::make_unique<KafkaEventSource>(std::move(options));
  if (auto ok = source->Open(); !ok) return std::unexpected(ok.error());
  return source;
}

}  // namespace waymark::kafka
