#include "tests/support/kafka_topic.hpp"

#include <librdkafka/rdkafka.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <thread>

namespace waymark::testing {

std::string TestKafkaBrokers() {
  const char* env = std::getenv("WAYMARK_TEST_KAFKA");
  if (!env || !*env) throw std::runtime_error("WAYMARK_TEST_KAFKA is not set: run ops/test");
  return env;
}

std::string UniqueTopic(const std::string& prefix) {
  static std::atomic<int> n{0};
  return prefix + "." + std::to_string(getpid()) + "." + std::to_string(++n) + "." +
         std::to_string(std::chrono::steady_clock::now().time_since_epoch().count() % 1000000);
}

namespace {

using Handle = std::unique_ptr<rd_kafka_t, void (*)(rd_kafka_t*)>;

Handle AdminClient(const std::string& bootstrap) {
  char errstr[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap.c_str(), errstr, sizeof errstr);
  rd_kafka_conf_set(conf, "log_level", "2", errstr, sizeof errstr);
  rd_kafka_conf_set(conf, "allow.auto.create.topics", "false", errstr, sizeof errstr);
  Handle rk(rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr), rd_kafka_destroy);
  if (!rk) throw std::runtime_error(errstr);
  return rk;
}

}  // namespace

bool UntilMetadata(const std::string& bootstrap, std::chrono::milliseconds limit,
                   const std::function<bool(const rd_kafka_metadata_t&)>& check) {
  Handle rk = AdminClient(bootstrap);
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    const rd_kafka_metadata_t* md = nullptr;
    if (rd_kafka_metadata(rk.get(), 1, nullptr, &md, 2000) == RD_KAFKA_RESP_ERR_NO_ERROR) {
      const bool ok = check(*md);
      rd_kafka_metadata_destroy(md);
      if (ok) return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

void CreateTopicOn(const std::string& bootstrap, const std::string& topic, int partitions,
                   int replication) {
  Handle rk = AdminClient(bootstrap);
  char errstr[512];
  rd_kafka_NewTopic_t* spec =
      rd_kafka_NewTopic_new(topic.c_str(), partitions, replication, errstr, sizeof errstr);
  if (!spec) throw std::runtime_error(errstr);
  rd_kafka_queue_t* queue = rd_kafka_queue_new(rk.get());
  rd_kafka_CreateTopics(rk.get(), &spec, 1, nullptr, queue);
  rd_kafka_event_t* result = rd_kafka_queue_poll(queue, 30000);
  std::string failure = result ? "" : "no answer within 30 s";
  if (result) {
    if (rd_kafka_event_error(result)) {
      failure = rd_kafka_event_error_string(result);
    } else {
      std::size_t n = 0;
      const rd_kafka_topic_result_t** topics =
          rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(result), &n);
      for (std::size_t i = 0; i < n; ++i) {
        const rd_kafka_resp_err_t err = rd_kafka_topic_result_error(topics[i]);
        if (err && err != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
          failure = rd_kafka_topic_result_error_string(topics[i]);
        }
      }
    }
    rd_kafka_event_destroy(result);
  }
  rd_kafka_queue_destroy(queue);
  rd_kafka_NewTopic_destroy(spec);
  if (!failure.empty()) throw std::runtime_error("creating topic " + topic + ": " + failure);
  const bool led =
      UntilMetadata(bootstrap, std::chrono::seconds(30), [&](const rd_kafka_metadata_t& md) {
        for (int t = 0; t < md.topic_cnt; ++t) {
          if (md.topics[t].topic != topic) continue;
          if (md.topics[t].partition_cnt != partitions) return false;
          for (int p = 0; p < partitions; ++p) {
            if (md.topics[t].partitions[p].leader < 0) return false;
          }
          return true;
        }
        return false;
      });
  if (!led) throw std::runtime_error("topic " + topic + " has no leader for every partition");
}

void CreateTopic(const std::string& topic, int partitions) {
  CreateTopicOn(TestKafkaBrokers(), topic, partitions, 1);
}

std::vector<TopicMessage> ReadTopic(const std::string& topic, std::chrono::milliseconds timeout,
                                    const std::string& bootstrap) {
  char errstr[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  const std::string brokers = bootstrap.empty() ? TestKafkaBrokers() : bootstrap;
  rd_kafka_conf_set(conf, "bootstrap.servers", brokers.c_str(), errstr, sizeof errstr);
  rd_kafka_conf_set(conf, "log_level", "3", errstr, sizeof errstr);
  // A group of its own, never committed: the reader takes partitions by assign().
  rd_kafka_conf_set(conf, "group.id", UniqueTopic("reader").c_str(), errstr, sizeof errstr);
  rd_kafka_conf_set(conf, "enable.auto.commit", "false", errstr, sizeof errstr);
  std::unique_ptr<rd_kafka_t, void (*)(rd_kafka_t*)> rk(
      rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof errstr), rd_kafka_destroy);
  if (!rk) throw std::runtime_error(errstr);

  // Partition count and each partition's end offset.
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  int partitions = 0;
  while (partitions == 0) {
    rd_kafka_topic_t* t = rd_kafka_topic_new(rk.get(), topic.c_str(), nullptr);
    const rd_kafka_metadata_t* md = nullptr;
    if (rd_kafka_metadata(rk.get(), 0, t, &md, 5000) == RD_KAFKA_RESP_ERR_NO_ERROR) {
      if (md->topic_cnt == 1 && md->topics[0].err == 0) partitions = md->topics[0].partition_cnt;
      rd_kafka_metadata_destroy(md);
    }
    rd_kafka_topic_destroy(t);
    if (partitions == 0) {
      if (std::chrono::steady_clock::now() > deadline)
        throw std::runtime_error("no topic " + topic);
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
  }
  // Assign every non-empty partition at once and read until each reaches its end.
  std::map<int, int64_t> next, end;
  rd_kafka_topic_partition_list_t* assignment = rd_kafka_topic_partition_list_new(partitions);
  for (int p = 0; p < partitions; ++p) {
    int64_t low = 0, high = 0;
    if (auto err =
            rd_kafka_query_watermark_offsets(rk.get(), topic.c_str(), p, &low, &high, 10000)) {
      rd_kafka_topic_partition_list_destroy(assignment);
      throw std::runtime_error(std::string("watermarks: ") + rd_kafka_err2str(err));
    }
    if (high <= low) continue;
    next[p] = low;
    end[p] = high;
    rd_kafka_topic_partition_list_add(assignment, topic.c_str(), p)->offset = low;
  }
  rd_kafka_assign(rk.get(), assignment);
  rd_kafka_topic_partition_list_destroy(assignment);
  std::map<int, std::vector<TopicMessage>> by_partition;
  const auto read_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  auto done = [&] {
    for (const auto& [p, n] : next) {
      if (n < end[p]) return false;
    }
    return true;
  };
  while (!done()) {
    if (std::chrono::steady_clock::now() > read_deadline) {
      throw std::runtime_error("timed out reading " + topic);
    }
    rd_kafka_message_t* m = rd_kafka_consumer_poll(rk.get(), 500);
    if (!m) continue;
    if (m->err) {
      const std::string why = rd_kafka_message_errstr(m);
      rd_kafka_message_destroy(m);
      throw std::runtime_error("reading " + topic + ": " + why);
    }
    TopicMessage msg;
    msg.partition = m->partition;
    msg.offset = m->offset;
    if (m->key) msg.key.assign(static_cast<const char*>(m->key), m->key_len);
    msg.value.assign(static_cast<const char*>(m->payload), m->len);
    rd_kafka_headers_t* headers = nullptr;
    if (rd_kafka_message_headers(m, &headers) == RD_KAFKA_RESP_ERR_NO_ERROR) {
      const char* name;
      const void* value;
      size_t size;
      for (size_t i = 0; rd_kafka_header_get_all(headers, i, &name, &value, &size) == 0; ++i) {
        msg.headers[name] = std::string(static_cast<const char*>(value), size);
      }
    }
    next[m->partition] = m->offset + 1;
    by_partition[m->partition].push_back(std::move(msg));
    rd_kafka_message_destroy(m);
  }
  rd_kafka_assign(rk.get(), nullptr);
  std::vector<TopicMessage> out;
  for (auto& [p, messages] : by_partition) {
    for (auto& m : messages) out.push_back(std::move(m));
  }
  return out;
}

}  // namespace waymark::testing
