#include <iostream>

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
constexpr std::chrono::milliseconds kPollMs{500};

// Every 10 s while events flow: "relay: produced N, errors M".
class StatsLine final : public Work {
 public:
  StatsLine(const Invocation& inv, const kafka::Relay& relay) : inv_(inv), relay_(relay) {}
  std::expected<StepResult, Error> Step(const std::atomic<bool>&) override {
    const auto now = std::chrono::steady_clock::now();
    const auto& s = relay_.stats();
    if (now - last_ > std::chrono::seconds(10) && s.produced != said_) {
      inv_.err << "relay: produced " << s.produced << ", errors " << s.errors << "\n";
      said_ = s.produced;
      last_ = now;
    }
    return StepResult{};
  }

 private:
  const Invocation& inv_;
  const kafka::Relay& relay_;
  std::uint64_t said_ = 0;
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
};

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

  const std::string conninfo = PgConnInfo(vm);
  auto handle = OpenStore(vm);
  auto checkpoints = postgres::MakePostgresCheckpointStore(conninfo);
  auto relay = kafka::Relay::Create(*handle.store, *checkpoints, *handle.clock,
                                    {brokers, vm["topic"].as<std::string>(), page_size});
  if (!relay) return Refuse(inv, "relay", relay.error());
  postgres::LeaderLock leader(conninfo, (*relay)->checkpoint_name());
  postgres::AppendNotifier notifier(conninfo);
  StatsLine stats(inv, **relay);
  const WorkUnit units[] = {
      {"relay", relay->get(), &leader, (*relay)->checkpoint_name(), "another relay"},
      {"relay stats", &stats, nullptr, "", ""}};
  RunOptions run;
  run.once = vm.count("once") > 0;
  run.idle_wait = kPollMs;
  inv.err << "relay: publishing to " << vm["topic"].as<std::string>() << " at " << brokers << "\n";
  auto ran = RunUnits(
      units, notifier, run, [&](const std::string& line) { inv.err << "relay: " << line << "\n"; },
      StopOnSignals());
  inv.out << "relay: published " << (*relay)->published() << " events\n";
  if (!ran) return Refuse(inv, "relay", ran.error());
  return kExitOk;
}

}  // namespace waymark::cli
