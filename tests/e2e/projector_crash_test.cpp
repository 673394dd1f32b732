// `waymark project` killed with SIGKILL at random points while a realistic
// 50,000-event history is appended, from the event store and from Kafka; the
// read models then hold every event once, and `waymark rebuild all --check`
// finds them equal to a rebuild from history. And a read-model row altered by
// SQL is named by `rebuild --check`, then mended by `rebuild`.

#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <random>
#include <thread>

#include "adapters/postgres/pg_event_store.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/domain_history.hpp"
#include "tests/support/kafka_topic.hpp"
#include "tests/support/pg_schema.hpp"
#include "tests/support/run_command.hpp"

namespace waymark::testing {
namespace {

class ProjectorCrash : public ::testing::Test {
 protected:
  std::vector<std::string> Env() { return {"WAYMARK_PG=" + schema_.conninfo()}; }
  CommandResult Waymark(std::vector<std::string> args) {
    args.insert(args.begin(), WaymarkBinary());
    return RunCommand(args, Env());
  }
  std::vector<std::string> Kafka(bool kafka) {
    return kafka ? std::vector<std::string>{"--kafka", TestKafkaBrokers(), "--topic", topic_}
                 : std::vector<std::string>{};
  }
  std::vector<std::string> Project(bool kafka, bool once) {  // the arguments after the binary
    std::vector<std::string> args{"project"};
    for (auto& a : Kafka(kafka)) args.push_back(a);
    if (once) args.push_back("--once");
    return args;
  }
  // How many events the read models hold, and the store.
  long Projected() { return std::stol(schema_.Exec("SELECT count(*) FROM rm_audit_log")); }
  long Stored() { return std::stol(schema_.Exec("SELECT count(*) FROM events")); }
  std::string Log(const std::string& name) {
    return (std::filesystem::temp_directory_path() /
            ("waymark-project-" + schema_.name() + "-" + name + ".log"))
        .string();
  }

  void KillDuringLoad(bool kafka) {
    const auto history = MakeDomainHistory(ShapeForEvents(50000));
    ASSERT_GT(history.size(), 45000u);
    const unsigned seed = std::random_device{}();
    std::cout << "kill timing seed " << seed << ", " << history.size() << " events\n";
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> pause_ms(0, 50);
    // A kill counts when it lands mid-projection: the process had applied
    // something, and the store held events it had not applied yet. A backlog
    // this large takes the projector well over the pause to work through.
    constexpr long kBacklog = 8000;

    std::unique_ptr<ChildProcess> relay;
    if (kafka) {
      // Partitions enough for the load to spread as a programme's networks do.
      CreateTopic(topic_, 12);
      relay = std::make_unique<ChildProcess>(
          std::vector<std::string>{WaymarkBinary(), "relay", "--kafka", TestKafkaBrokers(),
                                   "--topic", topic_},
          Env(), Log("relay"));
    }
    std::atomic<bool> loaded{false};
    std::thread loader([&] {
      AppendHistory(*store_, history, 10);
      loaded = true;
    });
    int kills = 0;
    while (!loaded || kills < 3) {
      // Let a backlog build up while no projector runs.
      const auto backlog_limit = std::chrono::steady_clock::now() + std::chrono::seconds(60);
      while (!loaded && Stored() - Projected() < kBacklog &&
             std::chrono::steady_clock::now() < backlog_limit) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
      if (Stored() - Projected() < kBacklog) break;  // the load is over and nearly projected
      auto args = Project(kafka, false);
      args.insert(args.begin(), WaymarkBinary());
      const long before = Projected();
      ChildProcess project(args, Env(), Log("killed"));
      // Once it has applied something (joining a consumer group takes
      // seconds), at a random moment soon after.
      const auto limit = std::chrono::steady_clock::now() + std::chrono::seconds(90);
      while (Projected() == before && std::chrono::steady_clock::now() < limit) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(pause_ms(rng)));
      const long stored = Stored();
      project.Kill(SIGKILL);
      EXPECT_EQ(project.Wait(), 128 + SIGKILL);
      const long applied = Projected();  // what its last committed batch left
      ASSERT_GT(applied, before) << "kill " << kills + 1 << " landed before any progress";
      ASSERT_LT(applied, stored) << "kill " << kills + 1
                                 << " landed after the projector had caught up";
      ++kills;
    }
    loader.join();
    EXPECT_GE(kills, 3) << "too few kills landed mid-projection";
    const auto loaded_at = std::chrono::steady_clock::now();
    std::cout << kills << " kills during the load\n";

    // Finish: the policies' last commands, the relay's last pages, the read models.
    auto finish = Waymark(Project(kafka, true));
    ASSERT_EQ(finish.exit_code, 0) << finish.err;
    std::cout << finish.out;
    if (kafka) {
      relay->Kill(SIGTERM);
      EXPECT_EQ(relay->Wait(), 0) << ReadFile(Log("relay"));
      auto flush = Waymark({"relay", "--once", "--kafka", TestKafkaBrokers(), "--topic", topic_});
      ASSERT_EQ(flush.exit_code, 0) << flush.err;
      auto last = Waymark(Project(kafka, true));
      ASSERT_EQ(last.exit_code, 0) << last.err;
    }
    const auto finished_at = std::chrono::steady_clock::now();
    std::cout
        << "finishing took "
        << std::chrono::duration_cast<std::chrono::milliseconds>(finished_at - loaded_at).count()
        << " ms\n";
    EXPECT_EQ(schema_.Exec("SELECT count(*) FROM rm_audit_log"),
              schema_.Exec("SELECT count(*) FROM events"));
    EXPECT_EQ(schema_.Exec("SELECT count(*) FROM (SELECT stream, max(version) AS version FROM "
                           "events GROUP BY stream) e FULL JOIN waymark_projected_versions p "
                           "USING (stream) WHERE e.version IS DISTINCT FROM p.version"),
              "0")
        << "every stream projected to its last version";
    auto check = Waymark({"rebuild", "all", "--check"});
    EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
    EXPECT_NE(check.out.find("matches a rebuild from"), std::string::npos) << check.out;
    std::cout << "rebuild --check took "
              << std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::steady_clock::now() - finished_at)
                     .count()
              << " ms\n";
  }

  std::unique_ptr<Clock> clock_ = MakeSystemClock();
  PgSchema schema_;
  std::unique_ptr<EventStore> store_ =
      postgres::MakePostgresEventStore(schema_.conninfo(), *clock_, 4);
  std::string topic_ = UniqueTopic("projector-crash");
};

TEST_F(ProjectorCrash, KilledDuringALoadFromTheEventStoreLosesAndDoublesNothing) {
  KillDuringLoad(false);
}

TEST_F(ProjectorCrash, KilledDuringALoadFromKafkaLosesAndDoublesNothing) { KillDuringLoad(true); }

TEST_F(ProjectorCrash, RebuildCheckNamesATamperedRowAndRebuildMendsIt) {
  AppendHistory(*store_, MakeDomainHistory({3, 4, 1}), 10);
  ASSERT_EQ(Waymark({"project", "--once"}).exit_code, 0);
  ASSERT_EQ(Waymark({"rebuild", "all", "--check"}).exit_code, 0);
  schema_.Exec("UPDATE rm_networks SET stage = 'growth' WHERE network_id = 'n1'");
  auto check = Waymark({"rebuild", "rm_networks", "--check"});
  EXPECT_EQ(check.exit_code, 1);
  EXPECT_NE(check.out.find("rm_networks: 1 live rows and 1 rebuilt rows differ"), std::string::npos)
      << check.out;
  EXPECT_NE(check.out.find("live: {\"network_id\":\"n1\""), std::string::npos) << check.out;
  EXPECT_NE(check.out.find("\"stage\":\"growth\""), std::string::npos);
  EXPECT_NE(check.err.find("differ from the history"), std::string::npos) << check.err;
  auto rebuild = Waymark({"rebuild", "rm_networks"});
  EXPECT_EQ(rebuild.exit_code, 0) << rebuild.err;
  EXPECT_TRUE(rebuild.err.starts_with("rebuild: ") &&
              rebuild.err.find(" events in ") != std::string::npos)
      << "the progress line: " << rebuild.err;
  EXPECT_EQ(schema_.Exec("SELECT stage FROM rm_networks WHERE network_id = 'n1'"), "development");
  EXPECT_EQ(Waymark({"rebuild", "all", "--check"}).exit_code, 0);
  auto unknown = Waymark({"rebuild", "rm_nowhere"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("known: rm_networks, rm_assessments"), std::string::npos);
}

}  // namespace
}  // namespace waymark::testing
