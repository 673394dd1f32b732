// `waymark relay` as operators run it: killed with SIGKILL mid-load, two of
// them at once, and its topic read by kcat, a client nobody here wrote.

#include <gtest/gtest.h>
#include <signal.h>

#include <boost/json/parse.hpp>
#include <filesystem>
#include <random>
#include <sstream>
#include <thread>

#include "adapters/postgres/pg_event_store.hpp"
#include "core/network_key.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/event_load.hpp"
#include "tests/support/kafka_topic.hpp"
#include "tests/support/pg_schema.hpp"
#include "tests/support/run_command.hpp"

namespace waymark::testing {
namespace {

class RelayProcess : public ::testing::Test {
 protected:
  std::vector<std::string> RelayArgs(bool once = false) {
    std::vector<std::string> args{WaymarkBinary(), "relay", "--kafka",     TestKafkaBrokers(),
                                  "--topic",       topic_,  "--page-size", "500"};
    if (once) args.push_back("--once");
    return args;
  }
  std::vector<std::string> Env() { return {"WAYMARK_PG=" + schema_.conninfo()}; }
  std::string Log(const std::string& name) {
    return (std::filesystem::temp_directory_path() /
            ("waymark-relay-" + std::to_string(getpid()) + "-" + name + ".log"))
        .string();
  }
  bool WaitForText(const std::string& path, const std::string& text, std::chrono::seconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
      if (ReadFile(path).find(text) != std::string::npos) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }

  void ExpectCompleteTopic(std::size_t events, std::size_t max_duplicates) {
    const auto check = ExpectTopicHoldsStore(*store_, topic_, events, max_duplicates);
    std::cout << "topic: " << check.messages << " messages, " << check.distinct
              << " distinct events, " << check.duplicates << " transport duplicates\n";
  }

  std::unique_ptr<Clock> clock_ = MakeSystemClock();
  PgSchema schema_;
  std::unique_ptr<EventStore> store_ =
      postgres::MakePostgresEventStore(schema_.conninfo(), *clock_, 4);
  std::string topic_ = UniqueTopic("relay-process");
};

TEST_F(RelayProcess, KilledWithSigkillAtRandomPointsDuringALoadLosesNothing) {
  constexpr std::size_t kEvents = 20000;
  const unsigned seed = std::random_device{}();
  std::cout << "kill timing seed " << seed << "\n";
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> pause_ms(200, 1200);

  std::atomic<bool> loaded{false};
  std::thread loader([&] {
    AppendLoad(*store_, kEvents, 60, 5, "crash");
    loaded = true;
  });
  const std::string log = Log("crash");
  int kills = 0;
  while (!loaded || kills < 4) {
    ChildProcess relay(RelayArgs(), Env(), log);
    std::this_thread::sleep_for(std::chrono::milliseconds(pause_ms(rng)));
    relay.Kill(SIGKILL);
    EXPECT_EQ(relay.Wait(), 128 + SIGKILL);
    ++kills;
  }
  loader.join();
  std::cout << "relay killed " << kills << " times\n";
  const std::string published_before =
      schema_.Exec("SELECT position FROM waymark_checkpoints WHERE name = 'relay:" + topic_ + "'");
  EXPECT_FALSE(published_before.empty()) << "no relay round confirmed a page before the end";

  auto finish = RunCommand(RelayArgs(/*once=*/true), Env());
  ASSERT_EQ(finish.exit_code, 0) << finish.err;
  // Each kill can repeat at most the pages it had not confirmed: 16 of 500.
  ExpectCompleteTopic(kEvents, static_cast<std::size_t>(kills) * 16 * 500);
}

TEST_F(RelayProcess, OneRelayIsActiveAndAStandbyTakesOverWhenItDies) {
  AppendLoad(*store_, 2000, 10, 5, "first");
  const std::string log_a = Log("a"), log_b = Log("b");
  auto a = std::make_unique<ChildProcess>(RelayArgs(), Env(), log_a);
  ASSERT_TRUE(WaitForText(log_a, "relay: active", std::chrono::seconds(20))) << ReadFile(log_a);
  ChildProcess b(RelayArgs(), Env(), log_b);
  ASSERT_TRUE(WaitForText(log_b, "relay: standby", std::chrono::seconds(20))) << ReadFile(log_b);
  EXPECT_EQ(ReadFile(log_b).find("relay: active"), std::string::npos);
  // Let A confirm everything first, so anything B sends again is a bug.
  const std::string last = schema_.Exec(
      "SELECT position FROM events ORDER BY transaction_id DESC, position DESC LIMIT 1");
  for (int i = 0; i < 200 && schema_.Exec("SELECT position FROM waymark_checkpoints") != last;
       ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(schema_.Exec("SELECT position FROM waymark_checkpoints"), last);

  a->Kill(SIGKILL);
  a.reset();
  ASSERT_TRUE(WaitForText(log_b, "relay: active", std::chrono::seconds(20))) << ReadFile(log_b);
  AppendLoad(*store_, 1000, 10, 5, "second");
  // The survivor publishes what comes next, woken by the commit.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  std::size_t distinct = 0;
  while (distinct < 3000 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    distinct = CheckTopic(*store_, ReadTopic(topic_)).distinct;
  }
  b.Kill(SIGTERM);
  EXPECT_EQ(b.Wait(), 0);
  ExpectCompleteTopic(3000, 0);
}

TEST_F(RelayProcess, OnceGivesWayToAnActiveRelayAfterWaiting) {
  AppendLoad(*store_, 100, 3, 5, "once");
  const std::string log = Log("active");
  ChildProcess active(RelayArgs(), Env(), log);
  ASSERT_TRUE(WaitForText(log, "relay: active", std::chrono::seconds(20))) << ReadFile(log);
  const auto start = std::chrono::steady_clock::now();
  auto once = RunCommand(RelayArgs(/*once=*/true), Env());
  const auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(once.exit_code, 1);
  EXPECT_NE(once.err.find("another relay stayed active"), std::string::npos) << once.err;
  EXPECT_GE(waited, std::chrono::seconds(10));
  ExpectCompleteTopic(100, 0);  // the active relay published them, once
}

TEST_F(RelayProcess, KcatReadsKeysHeadersAndEventJson) {
  AppendLoad(*store_, 240, 6, 4, "kcat");
  auto relay = RunCommand(RelayArgs(/*once=*/true), Env());
  ASSERT_EQ(relay.exit_code, 0) << relay.err;
  EXPECT_NE(relay.out.find("published 240 events"), std::string::npos) << relay.out;

  auto kcat = RunCommand({"/usr/bin/kcat", "-C", "-b", TestKafkaBrokers(), "-t", topic_, "-o",
                          "beginning", "-e", "-q", "-f", "%k\t%h\t%s\n"});
  ASSERT_EQ(kcat.exit_code, 0) << kcat.err;
  std::map<std::string, std::string> network_of;
  (void)ForEachEvent(*store_, "", [&](const RecordedEvent& e) {
    if (e.version == 1) network_of[e.stream] = NetworkKeyOf(e);
    return true;
  });
  std::istringstream lines(kcat.out);
  std::string line;
  std::size_t count = 0;
  while (std::getline(lines, line)) {
    ++count;
    const auto tab1 = line.find('\t'), tab2 = line.find('\t', tab1 + 1);
    ASSERT_NE(tab2, std::string::npos) << line;
    const std::string key = line.substr(0, tab1);
    const std::string headers = line.substr(tab1 + 1, tab2 - tab1 - 1);
    const auto value = boost::json::parse(line.substr(tab2 + 1)).as_object();
    const std::string stream(value.at("stream").as_string());
    EXPECT_EQ(key, network_of[stream]) << line;
    EXPECT_EQ(headers,
              "event_type=" + std::string(value.at("type").as_string()) + ",stream=" + stream);
    EXPECT_GE(value.at("version").as_int64(), 1);
    EXPECT_GE(value.at("position").as_int64(), 1);
    EXPECT_EQ(value.at("schema_version").as_int64(), 1);
    EXPECT_TRUE(value.at("data").is_object());
    const auto& metadata = value.at("metadata").as_object();
    for (const char* field :
         {"actor", "role", "correlation_id", "causation_id", "idempotency_key", "recorded_at"}) {
      EXPECT_TRUE(metadata.contains(field)) << field;
    }
    EXPECT_EQ(metadata.at("actor").as_string(), "loader");
    EXPECT_EQ(value.at("hash").as_string().size(), 64u);
  }
  EXPECT_EQ(count, 240u);
}

TEST_F(RelayProcess, BadUsageIsRefusedBeforeAnythingRuns) {
  auto no_kafka = RunCommand({WaymarkBinary(), "relay", "--once"},
                             {"WAYMARK_PG=" + schema_.conninfo(), "WAYMARK_KAFKA="});
  EXPECT_EQ(no_kafka.exit_code, 2);
  EXPECT_NE(no_kafka.err.find("no Kafka brokers"), std::string::npos) << no_kafka.err;
  auto bad_page =
      RunCommand({WaymarkBinary(), "relay", "--kafka", "127.0.0.1:1", "--page-size", "0"}, Env());
  EXPECT_EQ(bad_page.exit_code, 2);
  EXPECT_NE(bad_page.err.find("--page-size"), std::string::npos);
}

}  // namespace
}  // namespace waymark::testing
