#include "adapters/cli/project_units.hpp"

#include <sstream>

#include "adapters/kafka/kafka_event_source.hpp"
#include "adapters/kafka/relay.hpp"
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

namespace waymark::cli {
namespace {

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

struct ProjectUnits::Parts {
  Parts(const std::string& conninfo, const std::string& brokers, const std::string& topic,
        EventStore& store, Clock& clock, std::function<void(const std::string&)> log,
        bool with_relay)
      : checkpoints(postgres::MakePostgresCheckpointStore(conninfo)),
        timers(postgres::MakePostgresTimerStore(conninfo)),
        read_models(postgres::MakePostgresReadModelStore(conninfo)),
        ids(MakeRandomIdGenerator()),
        handler(store, workflows::TheDomain(), clock, *ids),
        runner(store, *checkpoints, *timers, handler, clock, workflows::DomainPolicies(),
               [log](const std::string& refusal) { log(refusal); }),
        projector(*read_models, store, workflows::AllWorkflows()),
        feed(
            projector,
            [this, &store, brokers, topic]() -> std::expected<std::unique_ptr<EventSource>, Error> {
              if (!brokers.empty()) {
                return kafka::MakeKafkaEventSource(
                    {brokers, topic, "waymark-projectors", "waymark-projector"});
              }
              auto start = read_models->Checkpoint();
              if (!start) return std::unexpected(start.error());
              return MakeStoreEventSource(store, *start);
            },
            brokers.empty(), brokers.empty() ? std::chrono::milliseconds(0) : kKafkaWait),
        reactions(runner, PolicyWork::Part::kReactions),
        due_timers(runner, PolicyWork::Part::kTimers),
        projector_leader(conninfo, postgres::kProjectorCheckpoint),
        policies_leader(conninfo, std::string(PolicyRunner::kCheckpoint)),
        projecting(feed),
        reacting(reactions),
        firing(due_timers),
        notifier(conninfo) {
    // A consumer group shares the topic out itself; the store has one reader.
    units = {
        {"read models", &projecting, brokers.empty() ? &projector_leader : nullptr,
         postgres::kProjectorCheckpoint, "another process"},
        {"policies", &reacting, &policies_leader, std::string(PolicyRunner::kCheckpoint),
         "another process"},
        {"timers", &firing, &policies_leader, std::string(PolicyRunner::kCheckpoint),
         "another process"},
    };
    if (with_relay && !brokers.empty()) {
      auto made = kafka::Relay::Create(store, *checkpoints, clock, {brokers, topic, 5000});
      if (!made) throw std::runtime_error("relay: " + made.error().message);
      relay = std::move(*made);
      relay_leader = std::make_unique<postgres::LeaderLock>(conninfo, relay->checkpoint_name());
      relaying = std::make_unique<Timed>(*relay);
      units.insert(units.begin(), {"relay", relaying.get(), relay_leader.get(),
                                   relay->checkpoint_name(), "another relay"});
    }
  }

  std::unique_ptr<CheckpointStore> checkpoints;
  std::unique_ptr<TimerStore> timers;
  std::unique_ptr<projections::ReadModelStore> read_models;
  std::unique_ptr<IdGenerator> ids;
  CommandHandler handler;
  PolicyRunner runner;
  projections::Projector projector;
  projections::Feed feed;
  PolicyWork reactions;
  PolicyWork due_timers;
  postgres::LeaderLock projector_leader;
  postgres::LeaderLock policies_leader;
  Timed projecting, reacting, firing;
  postgres::AppendNotifier notifier;
  std::unique_ptr<kafka::Relay> relay;  // with_relay only
  std::unique_ptr<postgres::LeaderLock> relay_leader;
  std::unique_ptr<Timed> relaying;
  std::vector<WorkUnit> units;
};

ProjectUnits::ProjectUnits(const std::string& conninfo, const std::string& brokers,
                           const std::string& topic, EventStore& store, Clock& clock,
                           std::function<void(const std::string&)> log, bool relay)
    : parts_(
          std::make_unique<Parts>(conninfo, brokers, topic, store, clock, std::move(log), relay)) {}

ProjectUnits::~ProjectUnits() = default;

std::span<const WorkUnit> ProjectUnits::units() const { return parts_->units; }

Wakeup& ProjectUnits::wakeup() { return parts_->notifier; }

std::string ProjectUnits::Summary() const {
  const auto& p = parts_->reactions.totals();
  const auto& t = parts_->due_timers.totals();
  std::ostringstream out;
  if (parts_->relay) out << "relay published " << parts_->relay->published() << " events; ";
  out << "read models applied " << parts_->feed.totals().applied << " events ("
      << parts_->feed.totals().duplicates << " duplicates skipped) in "
      << parts_->projecting.seconds() << " s; policies reacted to " << p.events
      << " events, applied " << p.commands + t.commands << " commands (" << p.refused + t.refused
      << " refused); timers fired " << t.timers_fired << " in "
      << parts_->reacting.seconds() + parts_->firing.seconds() << " s";
  return out.str();
}

}  // namespace waymark::cli
