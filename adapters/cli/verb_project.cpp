#include <iostream>
#include <thread>

#include "adapters/cli/cli.hpp"
#include "adapters/postgres/pg_append_notifier.hpp"
#include "adapters/postgres/pg_checkpoint_store.hpp"
#include "adapters/postgres/pg_leader_lock.hpp"
#include "adapters/postgres/pg_timer_store.hpp"
#include "core/command_handler.hpp"
#include "core/id_generator.hpp"
#include "core/policy_runner.hpp"
#include "workflows/policies.hpp"
#include "workflows/registry.hpp"

namespace po = boost::program_options;

namespace waymark::cli {
namespace {

// Appends wake the runner at once (LISTEN/NOTIFY); timers are checked at
// least this often.
constexpr long kTimerCheckMs = 1000;

void Print(const Invocation& inv, const PolicyProgress& p) {
  inv.out << "project: policies reacted to " << p.events << " events, applied " << p.commands
          << " commands (" << p.refused << " refused); timers fired " << p.timers_fired << "\n";
}

}  // namespace

int RunProject(const Invocation& inv) {
  po::options_description options("waymark project");
  options.add_options()("once", "process everything due now, then exit");
  AddConnectionOptions(options);
  po::variables_map vm;
  if (!ParseArgs(inv,
                 "waymark project [--once]\n"
                 "Runs the engine's policies and durable timers over the event store\n"
                 "(read models come with the projectors).",
                 options, {}, vm)) {
    return kExitOk;
  }
  const bool once = vm.count("once") > 0;
  const std::string conninfo = PgConnInfo(vm);
  auto handle = OpenStore(vm);
  auto checkpoints = postgres::MakePostgresCheckpointStore(conninfo);
  auto timers = postgres::MakePostgresTimerStore(conninfo);
  auto ids = MakeRandomIdGenerator();
  CommandHandler handler(*handle.store, workflows::AllWorkflows(), *handle.clock, *ids);
  PolicyRunner runner(
      *handle.store, *checkpoints, *timers, handler, *handle.clock, workflows::DomainPolicies(),
      [&](const std::string& refusal) { inv.err << "project: " << refusal << "\n"; });
  postgres::LeaderLock leader(conninfo, std::string(PolicyRunner::kCheckpoint));
  postgres::AppendNotifier notifier(conninfo);

  const auto& stop = StopOnSignals();
  const auto started = std::chrono::steady_clock::now();
  bool said_standby = false;
  PolicyProgress total;
  while (!stop) {
    if (!leader.TryAcquire()) {
      if (!said_standby) inv.err << "project: standby: another process runs the policies\n";
      said_standby = true;
      if (once && std::chrono::steady_clock::now() - started > kOnceWaitForLeadership) {
        return Refuse(inv, "project",
                      MakeError(ErrorCode::kNotAllowed,
                                "another process stayed active on the policies; it runs them, so "
                                "--once has nothing to do"));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
      continue;
    }
    said_standby = false;
    auto progress = runner.CatchUp(&stop);
    if (!progress) {
      if (once) return Refuse(inv, "project", progress.error());
      inv.err << "project: " << progress.error().message << " (retrying)\n";
      std::this_thread::sleep_for(std::chrono::seconds(1));
      continue;
    }
    total.events += progress->events;
    total.commands += progress->commands;
    total.refused += progress->refused;
    total.timers_fired += progress->timers_fired;
    if (once) break;
    if (progress->events || progress->timers_fired) Print(inv, *progress);
    notifier.Wait(kTimerCheckMs);
  }
  Print(inv, total);
  return kExitOk;
}

}  // namespace waymark::cli
