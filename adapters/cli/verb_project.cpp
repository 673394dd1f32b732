#include <iostream>
#include <thread>

#include "adapters/cli/cli.hpp"
#include "adapters/kafka/kafka_event_source.hpp"
#include "adapters/postgres/pg_append_notifier.hpp"
#include "adapters/postgres/pg_checkpoint_store.hpp"
#include "adapters/postgres/pg_leader_lock.hpp"
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
constexpr long kTimerCheckMs = 1000;
// Batches in a row before the policies get a turn.
constexpr int kBatchesPerTurn = 20;
// How long a Kafka poll waits for events.
constexpr auto kKafkaWait = std::chrono::milliseconds(500);
// How long --once gives the Kafka source to reach the end of its partitions
// (joining the group included).
constexpr auto kOnceKafkaLimit = std::chrono::seconds(120);

struct Totals {
  projections::BatchResult read_models;
  PolicyProgress policies;
  std::chrono::steady_clock::duration projecting{}, reacting{};
};

double Seconds(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

void Print(const Invocation& inv, const Totals& t) {
  inv.out << "project: read models applied " << t.read_models.applied << " events ("
          << t.read_models.duplicates << " duplicates skipped) in " << Seconds(t.projecting)
          << " s; policies reacted to " << t.policies.events << " events, applied "
          << t.policies.commands << " commands (" << t.policies.refused
          << " refused); timers fired " << t.policies.timers_fired << " in " << Seconds(t.reacting)
          << " s\n";
}

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
  const bool once = vm.count("once") > 0;
  const std::string conninfo = PgConnInfo(vm);
  const std::string brokers = KafkaBrokers(vm);
  auto handle = OpenStore(vm);
  auto checkpoints = postgres::MakePostgresCheckpointStore(conninfo);
  auto timers = postgres::MakePostgresTimerStore(conninfo);
  auto ids = MakeRandomIdGenerator();
  CommandHandler handler(*handle.store, workflows::AllWorkflows(), *handle.clock, *ids);
  PolicyRunner runner(
      *handle.store, *checkpoints, *timers, handler, *handle.clock, workflows::DomainPolicies(),
      [&](const std::string& refusal) { inv.err << "project: " << refusal << "\n"; });

  projections::Projector projector(conninfo, *handle.store, workflows::AllWorkflows(),
                                   {"",
                                    {},
                                    "waymark_projected_versions",
                                    brokers.empty() ? projections::kProjectorCheckpoint : ""});
  projections::Feed feed(
      projector,
      [&]() -> std::expected<std::unique_ptr<EventSource>, Error> {
        if (!brokers.empty()) {
          return kafka::MakeKafkaEventSource(
              {brokers, vm["topic"].as<std::string>(), "waymark-projectors", "waymark-projector"});
        }
        auto start = checkpoints->Load(projections::kProjectorCheckpoint);
        if (!start) return std::unexpected(start.error());
        return MakeStoreEventSource(*handle.store, *start);
      },
      brokers.empty());

  postgres::LeaderLock projector_leader(conninfo, projections::kProjectorCheckpoint);
  postgres::LeaderLock policies_leader(conninfo, std::string(PolicyRunner::kCheckpoint));
  postgres::AppendNotifier notifier(conninfo);
  const auto& stop = StopOnSignals();
  const auto started = std::chrono::steady_clock::now();
  bool said_standby = false;
  Totals total;
  while (!stop) {
    const bool projects = !brokers.empty() || projector_leader.TryAcquire();
    const bool runs_policies = policies_leader.TryAcquire();
    if (!projects || !runs_policies) {
      if (!said_standby) {
        inv.err << "project: standby: another process "
                << (projects ? "runs the policies" : "keeps the read models") << "\n";
      }
      said_standby = true;
      if (once && std::chrono::steady_clock::now() - started > kOnceWaitForLeadership) {
        return Refuse(inv, "project",
                      MakeError(ErrorCode::kNotAllowed,
                                "another process stayed active; it does this work, so --once has "
                                "nothing to do"));
      }
      if (!projects && !runs_policies) {
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        continue;
      }
    }
    bool busy = false;
    bool failed = false;
    const auto projecting_since = std::chrono::steady_clock::now();
    if (projects) {
      const auto wait = brokers.empty() ? std::chrono::milliseconds(0) : kKafkaWait;
      for (int i = 0; i < kBatchesPerTurn && !stop; ++i) {
        auto step = feed.Step(wait);
        if (!step) {
          inv.err << "project: read models: " << step.error().message << "\n";
          if (once) return Refuse(inv, "project", step.error());
          failed = true;
          break;
        }
        total.read_models.applied += step->applied;
        total.read_models.duplicates += step->duplicates;
        if (step->applied == 0 && step->duplicates == 0) break;
        busy = true;
      }
      if (once && !failed && !feed.CaughtUp()) {
        // Kafka: still joining the group, or not at the end of a partition yet.
        if (std::chrono::steady_clock::now() - started > kOnceKafkaLimit) {
          return Refuse(inv, "project",
                        MakeError(ErrorCode::kUnavailable,
                                  "the Kafka source did not reach the end of its partitions in " +
                                      std::to_string(kOnceKafkaLimit.count()) + " s"));
        }
        busy = true;
      }
    }
    const auto reacting_since = std::chrono::steady_clock::now();
    total.projecting += reacting_since - projecting_since;
    if (runs_policies && !stop) {
      auto progress = runner.CatchUp(&stop);
      total.reacting += std::chrono::steady_clock::now() - reacting_since;
      if (!progress) {
        inv.err << "project: policies: " << progress.error().message << "\n";
        if (once) return Refuse(inv, "project", progress.error());
        failed = true;
      } else {
        busy = busy || progress->events || progress->timers_fired;
        total.policies.events += progress->events;
        total.policies.commands += progress->commands;
        total.policies.refused += progress->refused;
        total.policies.timers_fired += progress->timers_fired;
      }
    }
    if (failed) {
      std::this_thread::sleep_for(std::chrono::seconds(1));  // then retry
      continue;
    }
    if (once) {
      if (!busy) break;
      continue;
    }
    if (!busy) notifier.Wait(kTimerCheckMs);
  }
  Print(inv, total);
  return kExitOk;
}

}  // namespace waymark::cli
