#pragma once

#include <atomic>
#include <boost/program_options.hpp>
#include <chrono>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "application/programme.hpp"
#include "core/clock.hpp"
#include "core/command_handler.hpp"
#include "core/error.hpp"
#include "core/event_store.hpp"
#include "core/id_generator.hpp"

namespace waymark::cli {

// Exit codes of every verb (DESIGN.md): success, refused or failed, bad usage.
inline constexpr int kExitOk = 0;
inline constexpr int kExitRefused = 1;
inline constexpr int kExitUsage = 2;

// A verb's arguments after the verb name, and where it writes.
struct Invocation {
  std::vector<std::string> args;
  std::ostream& out;
  std::ostream& err;
};

// Thrown for bad usage; main() prints it with the verb's help hint and exits 2.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The options every verb that reaches PostgreSQL takes: --pg (default
// $WAYMARK_PG) and --help.
void AddConnectionOptions(boost::program_options::options_description& options);

// --kafka / WAYMARK_KAFKA: the Kafka bootstrap servers; "" = embedded mode.
void AddKafkaOption(boost::program_options::options_description& options);
std::string KafkaBrokers(const boost::program_options::variables_map& vm);

// Parses `inv.args` against `options` (and `positional`). Returns false when
// --help was asked for and printed. Throws UsageError on bad usage.
bool ParseArgs(const Invocation& inv, const std::string& usage,
               boost::program_options::options_description& options,
               const boost::program_options::positional_options_description& positional,
               boost::program_options::variables_map& vm);

// Fills the options `vm` does not hold from the environment: option
// "header-timeout" from WAYMARK_HEADER_TIMEOUT, and so on (options that take
// a value; a flag is read by its verb). The command line wins. UsageError
// naming the variable for a value the option refuses.
void StoreEnvironment(const boost::program_options::options_description& options,
                      boost::program_options::variables_map& vm);

// The PostgreSQL connection string from --pg or WAYMARK_PG; UsageError if neither.
std::string PgConnInfo(const boost::program_options::variables_map& vm);

// Everything a verb needs to talk to the event store. Owns the clock.
struct StoreHandle {
  std::unique_ptr<Clock> clock;
  std::unique_ptr<EventStore> store;
};
StoreHandle OpenStore(const boost::program_options::variables_map& vm);

// The application over PostgreSQL, for the verbs that translate a command
// line into its use cases (command, history, replay, report): the store,
// the command handler over every workflow, the read models' queries,
// tokens and sessions, and the Programme over them.
struct ProgrammeHandle {
  class NoMeter final : public app::CommandMeter {
   public:
    void CountCommand(const std::string&, const std::string&) override {}
  };
  StoreHandle base;
  std::unique_ptr<IdGenerator> ids;
  std::unique_ptr<CommandHandler> handler;
  std::unique_ptr<projections::ReadModelQueries> queries;
  std::unique_ptr<TokenStore> tokens;
  std::unique_ptr<SessionStore> sessions;
  NoMeter meter;
  std::unique_ptr<app::Programme> programme;
};
ProgrammeHandle OpenProgramme(const boost::program_options::variables_map& vm);

// Who asks at the command line for the verbs that read: the operator, who
// sees every network (the shell account is the access control).
app::Caller Operator();

// Prints "waymark VERB: message" and returns the exit code for the error.
int Refuse(const Invocation& inv, std::string_view verb, const Error& error);

// For verbs that run until stopped: from the call on, SIGINT and SIGTERM set
// the returned flag (the verb finishes what it is doing and exits 0).
const std::atomic<bool>& StopOnSignals();

int RunMigrate(const Invocation& inv);
int RunHistory(const Invocation& inv);
int RunAudit(const Invocation& inv);
int RunExport(const Invocation& inv);
int RunImport(const Invocation& inv);
int RunRelay(const Invocation& inv);
int RunCommand(const Invocation& inv);
int RunReplay(const Invocation& inv);
int RunWorkflows(const Invocation& inv);
int RunProject(const Invocation& inv);
int RunRebuild(const Invocation& inv);
int RunNetworks(const Invocation& inv);
int RunMilestones(const Invocation& inv);
int RunDemo(const Invocation& inv);
int RunReport(const Invocation& inv);
int RunServe(const Invocation& inv);
int RunToken(const Invocation& inv);

}  // namespace waymark::cli
