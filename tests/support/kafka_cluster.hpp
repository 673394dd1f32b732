#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/child_process.hpp"
#include "tests/support/tcp_proxy.hpp"

namespace waymark::testing {

// An Apache Kafka cluster of the test's own (ops/kafka-node: KRaft nodes,
// each broker and controller, on free loopback ports), for the faults a test
// makes on purpose: a node killed with SIGKILL and restarted on its data,
// frozen with SIGSTOP, or its clients' connections cut or slowed by a
// TcpProxy in front of it (the node tells clients the proxy's port, so every
// connection a client makes passes through it). The shared broker of
// ops/test ($WAYMARK_TEST_KAFKA) is never faulted.
class KafkaCluster {
 public:
  struct Options {
    int nodes = 1;
    bool behind_proxy = false;
    std::string heap = "256m";
  };
  explicit KafkaCluster(Options options);
  ~KafkaCluster();  // SIGKILL every node, remove its data
  KafkaCluster(const KafkaCluster&) = delete;
  KafkaCluster& operator=(const KafkaCluster&) = delete;

  // Every node's client address (through its proxy when behind one).
  std::string bootstrap() const;
  int size() const { return static_cast<int>(nodes_.size()); }

  // Node ids are 1..size().
  void Kill(int node);     // SIGKILL, waits until it is gone
  void Freeze(int node);   // SIGSTOP
  void Thaw(int node);     // SIGCONT
  void Restart(int node);  // starts it again on its data (after Kill)
  TcpProxy& proxy(int node);

  // Waits until every node is a live broker in the metadata; throws, with the
  // end of each node's log, when one stops first or the limit passes.
  void WaitReady(std::chrono::seconds limit = std::chrono::seconds(90));
  // The node leading `partition` of `topic` now, from the metadata.
  int LeaderOf(const std::string& topic, int partition) const;
  // Creates `topic` and waits until every partition has a leader.
  void CreateTopic(const std::string& topic, int partitions, int replication) const;

 private:
  struct Node {
    int id = 0;
    std::uint16_t port = 0, controller_port = 0;
    std::unique_ptr<TcpProxy> proxy;
    std::unique_ptr<ChildProcess> process;
  };
  void Start(Node& node);
  std::string LogTail(const Node& node) const;  // the last lines of its node.log

  Options options_;
  std::string dir_;
  std::string cluster_id_;
  std::string voters_;
  std::vector<Node> nodes_;
};

}  // namespace waymark::testing
