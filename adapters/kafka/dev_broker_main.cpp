// waymark-dev-broker: the Kafka-protocol development broker.
//
// librdkafka's mock cluster (rdkafka_mock.h) run as its own process on
// loopback. It speaks the Kafka wire protocol to any client, pre-creates the
// topic, writes its bootstrap address to --bootstrap-file, and takes fault
// commands, one per line, from the --control FIFO:
//   down BROKER_ID            the broker stops answering
//   up BROKER_ID              it answers again
//   rtt BROKER_ID MILLIS      added round-trip latency
//   errors API_KEY ERR [N]    the next N (default 1) requests of API_KEY fail with ERR
//                             (numbers as in the Kafka protocol, e.g. 0 = Produce)
//   topic NAME PARTITIONS     creates a topic (others are created on first use with 4)
// Like a broker's retention, the mock keeps at most the newest 5 MiB (or
// 100,000 message sets) of each partition (librdkafka's fixed limit): a
// consumer that falls further behind finds a gap, which Waymark's projector
// reports. Spread large loads over more partitions.
// SIGINT or SIGTERM stops it.

#include <fcntl.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace {

volatile std::sig_atomic_t g_stop = 0;
void OnSignal(int) { g_stop = 1; }

struct Options {
  int brokers = 1;
  int partitions = 6;
  std::string topic = "waymark.events";
  std::string bootstrap_file;
  std::string control;
};

int Usage(const char* why) {
  std::cerr << "waymark-dev-broker: " << why
            << "\nusage: waymark-dev-broker --bootstrap-file PATH [--control FIFO] [--brokers N] "
               "[--partitions N] [--topic NAME]\n";
  return 2;
}

std::string ApplyControl(rd_kafka_mock_cluster_t* cluster, const std::string& line) {
  std::istringstream in(line);
  std::string verb;
  in >> verb;
  int a = 0, b = 0, n = 1;
  rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR_NO_ERROR;
  if (verb == "down" && in >> a) {
    err = rd_kafka_mock_broker_set_down(cluster, a);
  } else if (verb == "up" && in >> a) {
    err = rd_kafka_mock_broker_set_up(cluster, a);
  } else if (verb == "rtt" && in >> a >> b) {
    err = rd_kafka_mock_broker_set_rtt(cluster, a, b);
  } else if (std::string name; verb == "topic" && in >> name >> a) {
    err = rd_kafka_mock_topic_create(cluster, name.c_str(), a, 1);
  } else if (verb == "errors" && in >> a >> b) {
    if (!(in >> n)) n = 1;
    std::vector<rd_kafka_resp_err_t> errors(static_cast<std::size_t>(n),
                                            static_cast<rd_kafka_resp_err_t>(b));
    rd_kafka_mock_push_request_errors_array(cluster, static_cast<int16_t>(a), errors.size(),
                                            errors.data());
  } else {
    return "unknown control command '" + line + "'";
  }
  return err ? rd_kafka_err2str(err) : "ok";
}

}  // namespace

int main(int argc, char** argv) {
  Options opt;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto next = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    const char* value = nullptr;
    if (arg == "--help" || arg == "-h") {
      Usage("the Kafka-protocol development broker (librdkafka mock cluster)");
      return 0;
    }
    if (!(value = next())) return Usage(("missing value for " + arg).c_str());
    if (arg == "--brokers")
      opt.brokers = std::atoi(value);
    else if (arg == "--partitions")
      opt.partitions = std::atoi(value);
    else if (arg == "--topic")
      opt.topic = value;
    else if (arg == "--bootstrap-file")
      opt.bootstrap_file = value;
    else if (arg == "--control")
      opt.control = value;
    else
      return Usage(("unknown option " + arg).c_str());
  }
  if (opt.bootstrap_file.empty()) return Usage("--bootstrap-file is required");
  if (opt.brokers < 1 || opt.partitions < 1)
    return Usage("--brokers and --partitions must be >= 1");

  char errstr[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "log_level", "3", errstr, sizeof errstr);
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
  if (!rk) {
    std::cerr << "waymark-dev-broker: " << errstr << "\n";
    return 1;
  }
  rd_kafka_mock_cluster_t* cluster = rd_kafka_mock_cluster_new(rk, opt.brokers);
  if (!cluster) {
    std::cerr << "waymark-dev-broker: could not create the mock cluster\n";
    return 1;
  }
  if (auto err = rd_kafka_mock_topic_create(cluster, opt.topic.c_str(), opt.partitions,
                                            opt.brokers < 3 ? opt.brokers : 3)) {
    std::cerr << "waymark-dev-broker: creating " << opt.topic << ": " << rd_kafka_err2str(err)
              << "\n";
    return 1;
  }
  const std::string bootstrap = rd_kafka_mock_cluster_bootstraps(cluster);
  {
    const std::string tmp = opt.bootstrap_file + ".tmp";
    std::ofstream(tmp) << bootstrap << "\n";
    std::rename(tmp.c_str(), opt.bootstrap_file.c_str());
  }
  std::cout << "waymark-dev-broker: " << opt.brokers << " broker(s) at " << bootstrap << ", topic "
            << opt.topic << " with " << opt.partitions << " partitions" << std::endl;

  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  int control = -1;
  if (!opt.control.empty()) {
    unlink(opt.control.c_str());
    if (mkfifo(opt.control.c_str(), 0600) != 0) {
      std::cerr << "waymark-dev-broker: mkfifo " << opt.control << ": " << std::strerror(errno)
                << "\n";
      return 1;
    }
    // O_RDWR keeps the FIFO open between writers, so poll() never sees EOF.
    control = open(opt.control.c_str(), O_RDWR | O_NONBLOCK);
  }
  std::string pending;
  // How many control lines were applied, in <control>.applied (written whole
  // by rename), so a client can wait until its line has taken effect.
  std::size_t applied = 0;
  const auto say_applied = [&] {
    const std::string path = opt.control + ".applied", tmp = path + ".tmp";
    std::ofstream(tmp) << applied << "\n";
    std::rename(tmp.c_str(), path.c_str());
  };
  if (control >= 0) say_applied();
  while (!g_stop) {
    pollfd pfd{control, POLLIN, 0};
    if (control < 0) {
      poll(nullptr, 0, 200);
      continue;
    }
    if (poll(&pfd, 1, 200) <= 0) continue;
    char buf[512];
    const ssize_t n = read(control, buf, sizeof buf);
    if (n <= 0) continue;
    pending.append(buf, static_cast<std::size_t>(n));
    for (std::size_t nl; (nl = pending.find('\n')) != std::string::npos;) {
      const std::string line = pending.substr(0, nl);
      pending.erase(0, nl + 1);
      if (!line.empty()) {
        std::cout << "waymark-dev-broker: " << line << ": " << ApplyControl(cluster, line)
                  << std::endl;
        ++applied;
        say_applied();
      }
    }
  }
  if (control >= 0) {
    close(control);
    unlink(opt.control.c_str());
    unlink((opt.control + ".applied").c_str());
  }
  unlink(opt.bootstrap_file.c_str());
  rd_kafka_mock_cluster_destroy(cluster);
  rd_kafka_destroy(rk);
  return 0;
}
