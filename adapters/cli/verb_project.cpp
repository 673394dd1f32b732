#include <iostream>

#include "adapters/cli/cli.hpp"
#include "adapters/kafka/kafka_event_source.hpp"
#include "adapters/postgres/pg_append_notifier.hpp"
#include "adapters/postgres/pg_checkpoint_store.hpp"
#include "adapters/postgres/pg_leader_lock.hpp"
#include "adapters/postgres/pg_read_model_store.hpp"
#include "adapters/postgres/pg_timer_store.hpp"
#include "core/command_handler.hpp"
#include "core/id_generator.hpp"
#include "core/policy_runner.hpp"
#include "projections/feed.hpp"
#include "workflows/policies.hpp"
#include "workflows/registry.hpp"

namespace po = boost::program_options;

namespace waymark::cli {
namespace {

// Appends wake the process at once (LISTEN/NOTIFY); timers are checked at
// least this often.
constexpr std::chrono::milliseconds kTimerCheck{1000};
// How long a Kafka poll waits for events.
constexpr std::chrono::milliseconds kKafkaWait{500};

// Times one unit's steps, for the closing line.
class Timed final : public Work {
 public:
  explicit Timed(Work& inner) : inner_(inner) {}
  std::expected<StepResult, Error> Step(const std::atomic<bool>& stop) override {
    const auto since = std::chrono::steady_clock::now();
    auto result = inner_.Step(stop);
    spent_ += std::chrono::steady_clock::now() - since;
    return result;
  }
  double seconds() const { return std::chrono::duration<double>(spent_).count(); }

 private:
  Work& inner_;
  std::chrono::steady_clock::duration spent_{};
};

}  // namespace

int RunProject(const Invocation& inv) {
  po::options_description options("waymark project");
  options.add_options()("once", "process everything due now, then exit")(
      "topic", po::value<std::string>()->default_value("waymark.events"),
      "with --kafka: the topic the relay publishes to");
  AddConnectionOptions(options);
  AddKafkaOption(options);
  po::variables_map vm;
  if (!ParseArgs(inv,
                 "waymark project [--once] [--kafka BROKERS]\n"
                 "Keeps the read models (rm_*) up to date from the events, and runs the\n"
                 "engine's policies and durable timers. Without --kafka the read models\n"
                 "follow the event store (one active process, others stand by); with it,\n"
                 "the relay's topic as consumer group waymark-projectors.",
                 options, {}, vm)) {
    return kExitOk;
  }
  const std::string conninfo = PgConnInfo(vm);
  const std::string brokers = KafkaBrokers(vm);
  auto handle = OpenStore(vm);
  auto checkpoints = postgres::MakePostgresCheckpointStore(conninfo);
  auto timers = postgres::MakePostgresTimerStore(conninfo);
  auto read_models = postgres::MakePostgresReadModelStore(conninfo);
  auto ids = MakeRandomIdGenerator();
  CommandHandler handler(*handle.store, workflows::AllWorkflows(), *handle.clock, *ids);
  PolicyRunner runner(
      *handle.store, *checkpoints, *timers, handler, *handle.clock, workflows::DomainPolicies(),
      [&](const std::string& refusal) { inv.err << "project: " << refusal << "\n"; });

  // The read models: from the event store (embedded), or from Kafka.
  projections::Projector projector(*read_models, *handle.store, workflows::AllWorkflows());
  projections::Feed feed(
      projector,
      [&]() -> std::expected<std::unique_ptr<EventSource>, Error> {
        if (!brokers.empty()) {
          return kafka::MakeKafkaEventSource(
              {brokers, vm["topic"].as<std::string>(), "waymark-projectors", "waymark-projector"});
        }
        auto start = read_models->Checkpoint();
        if (!start) return std::unexpected(start.error());
        return MakeStoreEventSource(*handle.store, *start);
      },
      brokers.empty(), brokers.empty() ? std::chrono::milliseconds(0) : kKafkaWait);
  PolicyWork reactions(runner, PolicyWork::Part::kReactions);
  PolicyWork due_timers(runner, PolicyWork::Part::kTimers);

  // A consumer group shares the topic out itself; the store has one reader.
  postgres::LeaderLock projector_leader(conninfo, postgres::kProjectorCheckpoint);
  postgres::LeaderLock policies_leader(conninfo, std::string(PolicyRunner::kCheckpoint));
  Timed projecting(feed), reacting(reactions), firing(due_timers);
  const WorkUnit units[] = {
      {"read models", &projecting, brokers.empty() ? &projector_leader : nullptr,
       postgres::kProjectorCheckpoint, "another process"},
      {"policies", &reacting, &policies_leader, std::string(PolicyRunner::kCheckpoint),
       "another process"},
      {"timers", &firing, &policies_leader, std::string(PolicyRunner::kCheckpoint),
       "another process"},
  };
  postgres::AppendNotifier notifier(conninfo);
  RunOptions run;
  run.once = vm.count("once") > 0;
  run.idle_wait = kTimerCheck;
  auto ran = RunUnits(
      units, notifier, run,
      [&](const std::string& line) { inv.err << "project: " << line << "\n"; }, StopOnSignals());
  const auto& p = reactions.totals();
  const auto& t = due_timers.totals();
  inv.out << "project: read models applied " << feed.totals().applied << " events ("
          << feed.totals().duplicates << " duplicates skipped) in " << projecting.seconds()
          << " s; policies reacted to " << p.events << " events, applied "
          << p.commands + t.commands << " commands (" << p.refused + t.refused
          << " refused); timers fired " << t.timers_fired << " in "
          << reacting.seconds() + firing.seconds() << " s\n";
  if (!ran) return Refuse(inv, "project", ran.error());
  return kExitOk;
}

}  // namespace waymark::cli
