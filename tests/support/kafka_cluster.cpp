#include "tests/support/kafka_cluster.hpp"

#include <librdkafka/rdkafka.h>
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <random>
#include <stdexcept>
#include <thread>

#include "tests/support/kafka_topic.hpp"

namespace waymark::testing {
namespace {

// A KRaft cluster id: 16 random bytes in URL-safe base64 without padding.
std::string NewClusterId() {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::random_device rd;
  unsigned char bytes[18] = {};
  for (int i = 0; i < 16; ++i) bytes[i] = static_cast<unsigned char>(rd());
  std::string id;
  for (int i = 0; i < 18; i += 3) {
    const unsigned v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    for (int k = 3; k >= 0; --k) id += kAlphabet[(v >> (6 * k)) & 63];
  }
  return id.substr(0, 22);
}

std::string SourceDir() {
  const char* env = std::getenv("WAYMARK_SOURCE_DIR");
  return env && *env ? env : WAYMARK_SOURCE_DIR;
}

}  // namespace

KafkaCluster::KafkaCluster(Options options) : options_(std::move(options)) {
  dir_ = (std::filesystem::temp_directory_path() /
          ("waymark-kafka-" + std::to_string(getpid()) + "-" + NewClusterId().substr(0, 6)))
             .string();
  std::filesystem::create_directories(dir_);
  cluster_id_ = NewClusterId();
  nodes_.resize(static_cast<std::size_t>(options_.nodes));
  for (int i = 0; i < options_.nodes; ++i) {
    Node& node = nodes_[static_cast<std::size_t>(i)];
    node.id = i + 1;
    node.port = FreePort();
    node.controller_port = FreePort();
    if (options_.behind_proxy) node.proxy = std::make_unique<TcpProxy>(node.port);
    voters_ += (i ? "," : "") + std::to_string(node.id) +
               "@127.0.0.1:" + std::to_string(node.controller_port);
  }
  for (Node& node : nodes_) Start(node);
  WaitReady();
}

KafkaCluster::~KafkaCluster() {
  for (Node& node : nodes_) {
    if (node.process) {
      node.process->Kill(SIGCONT);
      node.process.reset();  // SIGKILL and wait
    }
  }
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

void KafkaCluster::Start(Node& node) {
  const std::string node_dir = dir_ + "/node" + std::to_string(node.id);
  std::filesystem::create_directories(node_dir);
  std::vector<std::string> argv{SourceDir() + "/ops/kafka-node",
                                "--dir",
                                node_dir,
                                "--id",
                                std::to_string(node.id),
                                "--port",
                                std::to_string(node.port),
                                "--controller-port",
                                std::to_string(node.controller_port),
                                "--voters",
                                voters_,
                                "--cluster-id",
                                cluster_id_,
                                "--heap",
                                options_.heap};
  if (node.proxy) {
    argv.push_back("--advertise");
    argv.push_back(std::to_string(node.proxy->port()));
  }
  node.process =
      std::make_unique<ChildProcess>(argv, std::vector<std::string>{}, node_dir + "/node.log");
}

std::string KafkaCluster::bootstrap() const {
  std::string out;
  for (const Node& node : nodes_) {
    out += (out.empty() ? "" : ",") + std::string("127.0.0.1:") +
           std::to_string(node.proxy ? node.proxy->port() : node.port);
  }
  return out;
}

void KafkaCluster::Kill(int node) {
  Node& n = nodes_.at(static_cast<std::size_t>(node - 1));
  n.process->Kill(SIGKILL);
  n.process->Wait();
}

void KafkaCluster::Freeze(int node) {
  nodes_.at(static_cast<std::size_t>(node - 1)).process->Kill(SIGSTOP);
}

void KafkaCluster::Thaw(int node) {
  nodes_.at(static_cast<std::size_t>(node - 1)).process->Kill(SIGCONT);
}

void KafkaCluster::Restart(int node) {
  Node& n = nodes_.at(static_cast<std::size_t>(node - 1));
  if (n.process && n.process->Running()) throw std::logic_error("Restart: the node still runs");
  Start(n);
}

TcpProxy& KafkaCluster::proxy(int node) {
  Node& n = nodes_.at(static_cast<std::size_t>(node - 1));
  if (!n.proxy) throw std::logic_error("this cluster is not behind a proxy");
  return *n.proxy;
}

void KafkaCluster::WaitReady(std::chrono::seconds limit) {
  const auto want = static_cast<int>(nodes_.size());
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    for (Node& node : nodes_) {
      if (node.process && !node.process->Running()) {
        throw std::runtime_error(
            "node " + std::to_string(node.id) + " of the test's Kafka cluster (" + dir_ +
            ") stopped before it was ready (exit code " + std::to_string(node.process->Wait()) +
            "); its log ends:\n" + LogTail(node));
      }
    }
    if (UntilMetadata(bootstrap(), std::chrono::seconds(2),
                      [&](const rd_kafka_metadata_t& md) { return md.broker_cnt == want; })) {
      return;
    }
  }
  std::string logs;
  for (const Node& node : nodes_)
    logs += "\nnode " + std::to_string(node.id) + ":\n" + LogTail(node);
  throw std::runtime_error("the test's Kafka cluster (" + dir_ + ") did not have " +
                           std::to_string(want) + " brokers up within " +
                           std::to_string(limit.count()) + " s; the nodes' logs end:" + logs);
}

std::string KafkaCluster::LogTail(const Node& node) const {
  const std::string log = ReadFile(dir_ + "/node" + std::to_string(node.id) + "/node.log");
  std::size_t start = log.size();
  int newlines = 0;  // the last 20 lines end at the 21st newline from the end
  while (start > 0 && !(log[start - 1] == '\n' && ++newlines > 20)) --start;
  return log.substr(start);
}

int KafkaCluster::LeaderOf(const std::string& topic, int partition) const {
  int leader = -1;
  UntilMetadata(bootstrap(), std::chrono::seconds(30), [&](const rd_kafka_metadata_t& md) {
    for (int t = 0; t < md.topic_cnt; ++t) {
      if (md.topics[t].topic != topic) continue;
      for (int p = 0; p < md.topics[t].partition_cnt; ++p) {
        if (md.topics[t].partitions[p].id == partition) leader = md.topics[t].partitions[p].leader;
      }
    }
    return leader > 0;
  });
  if (leader <= 0)
    throw std::runtime_error("no leader for " + topic + " partition " + std::to_string(partition));
  return leader;
}

void KafkaCluster::CreateTopic(const std::string& topic, int partitions, int replication) const {
  CreateTopicOn(bootstrap(), topic, partitions, replication);
}

}  // namespace waymark::testing
