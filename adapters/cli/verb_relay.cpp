#include <iostream>
#include <thread>

#include "adapters/cli/cli.hpp"
#include "adapters/kafka/relay.hpp"
#include "adapters/postgres/pg_append_notifier.hpp"
#include "adapters/postgres/pg_checkpoint_store.hpp"
#include "adapters/postgres/pg_leader_lock.hpp"

namespace po = boost::program_options;

namespace waymark::cli {
namespace {

// The relay waits for appends with LISTEN/NOTIFY (the events table notifies
// at commit), so new events go out within milliseconds; the wait times out
// after this long regardless, which catches events that a still-open older
// transaction held back, and notifications lost while reconnecting.
constexpr long kPollMs = 500;

}  // namespace

int RunRelay(const Invocation& inv) {
  po::options_description options("waymark relay");
  options.add_options()("once", "publish until caught up, then exit")(
      "topic", po::value<std::string>()->default_value("waymark.events"), "the Kafka topic")(
      "page-size", po::value<std::size_t>()->default_value(5000),
      "events read, produced and confirmed together");
  AddConnectionOptions(options);
  AddKafkaOption(options);
  po::variables_map vm;
  if (!ParseArgs(inv, "waymark relay [--once] [--kafka BROKERS] [--topic T]", options, {}, vm)) {
    return kExitOk;
  }
  const std::string brokers = KafkaBrokers(vm);
  if (brokers.empty())
    throw UsageError("no Kafka brokers: pass --kafka HOST:PORT or set WAYMARK_KAFKA");
  const std::size_t page_size = vm["page-size"].as<std::size_t>();
  if (page_size == 0 || page_size > 100000) throw UsageError("--page-size must be 1-100000");
  const bool once = vm.count("once") > 0;

  const std::string conninfo = PgConnInfo(vm);
  auto handle = OpenStore(vm);
  auto checkpoints = postgres::MakePostgresCheckpointStore(conninfo);
  auto relay = kafka::Relay::Create(*handle.store, *checkpoints, *handle.clock,
                                    {brokers, vm["topic"].as<std::string>(), page_size});
  if (!relay) return Refuse(inv, "relay", relay.error());
  postgres::LeaderLock leader(conninfo, (*relay)->checkpoint_name());
  postgres::AppendNotifier notifier(conninfo);

  const auto& stop = StopOnSignals();
  bool active = false, said_standby = false;
  std::size_t total = 0;
  auto last_report = std::chrono::steady_clock::now();
  const auto started = std::chrono::steady_clock::now();
  while (!stop) {
    if (!leader.TryAcquire()) {
      if (active || !said_standby) {
        inv.err << "relay: standby: another relay is active on " << (*relay)->checkpoint_name()
                << "\n";
      }
      active = false;
      said_standby = true;
      if (once && std::chrono::steady_clock::now() - started > kOnceWaitForLeadership) {
        return Refuse(inv, "relay",
                      MakeError(ErrorCode::kNotAllowed,
                                "another relay stayed active on " + (*relay)->checkpoint_name() +
                                    "; it publishes these events, so --once has nothing to do"));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(kPollMs));
      continue;
    }
    if (!active) {
      inv.err << "relay: active, publishing to " << vm["topic"].as<std::string>() << " at "
              << brokers << "\n";
      active = true;
    }
    auto published = (*relay)->PublishPending(stop);
    if (!published) {
      inv.err << "relay: " << published.error().message << " (retrying)\n";
      std::this_thread::sleep_for(std::chrono::seconds(1));
      continue;
    }
    total += *published;
    if (once) break;
    const auto now = std::chrono::steady_clock::now();
    if (now - last_report > std::chrono::seconds(10)) {
      const auto& s = (*relay)->stats();
      inv.err << "relay: produced " << s.produced << ", errors " << s.errors << "\n";
      last_report = now;
    }
    notifier.Wait(kPollMs);
  }
  inv.out << "relay: published " << total << " events\n";
  return kExitOk;
}

}  // namespace waymark::cli
