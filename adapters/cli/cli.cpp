#include "adapters/cli/cli.hpp"

#include <csignal>
#include <cstdlib>
#include <iostream>

#include "adapters/postgres/pg_event_store.hpp"
#include "adapters/postgres/pg_read_model_queries.hpp"
#include "adapters/postgres/pg_session_store.hpp"
#include "adapters/postgres/pg_token_store.hpp"
#include "workflows/registry.hpp"

namespace po = boost::program_options;

namespace waymark::cli {

void AddConnectionOptions(po::options_description& options) {
  options.add_options()  //
      ("pg", po::value<std::string>(), "PostgreSQL connection string (libpq); default $WAYMARK_PG")(
          "help,h", "show this help");
}

void AddKafkaOption(po::options_description& options) {
  options.add_options()("kafka", po::value<std::string>(),
                        "Kafka bootstrap servers; default $WAYMARK_KAFKA");
}

std::string KafkaBrokers(const po::variables_map& vm) {
  if (vm.count("kafka")) return vm["kafka"].as<std::string>();
  const char* env = std::getenv("WAYMARK_KAFKA");
  return env ? env : "";
}

bool ParseArgs(const Invocation& inv, const std::string& usage, po::options_description& options,
               const po::positional_options_description& positional, po::variables_map& vm) {
  try {
    po::store(po::command_line_parser(inv.args).options(options).positional(positional).run(), vm);
    if (vm.count("help")) {
      inv.out << "usage: " << usage << "\n\n" << options;
      return false;
    }
    po::notify(vm);  // checks required options, so after --help
  } catch (const po::required_option& e) {
    throw UsageError("missing " + e.get_option_name() + " (usage: " + usage + ")");
  } catch (const po::error& e) {
    throw UsageError(e.what());
  }
  return true;
}

void StoreEnvironment(const po::options_description& options, po::variables_map& vm) {
  try {
    po::store(po::parse_environment(
                  options,
                  [&](const std::string& name) -> std::string {
                    if (!name.starts_with("WAYMARK_")) return "";
                    std::string option = name.substr(8);
                    for (char& c : option) {
                      c = c == '_' ? '-'
                                   : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                    }
                    const auto* known = options.find_nothrow(option, false);
                    if (!known || known->semantic()->max_tokens() == 0) return "";
                    return option;
                  }),
              vm);
    po::notify(vm);
  } catch (const po::error_with_option_name& e) {
    std::string name = e.get_option_name();
    while (name.starts_with('-')) name.erase(0, 1);
    for (char& c : name) {
      c = c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    throw UsageError("$WAYMARK_" + name + ": " + e.what());
  } catch (const po::error& e) {
    throw UsageError(std::string("the WAYMARK_ variables: ") + e.what());
  }
}

std::string PgConnInfo(const po::variables_map& vm) {
  if (vm.count("pg")) return vm["pg"].as<std::string>();
  if (const char* env = std::getenv("WAYMARK_PG"); env && *env) return env;
  throw UsageError(
      "no database given: pass --pg 'host=... dbname=...' or set WAYMARK_PG (ops/start prints it)");
}

StoreHandle OpenStore(const po::variables_map& vm) {
  StoreHandle h;
  h.clock = MakeSystemClock();
  h.store = postgres::MakePostgresEventStore(PgConnInfo(vm), *h.clock, 2);
  return h;
}

ProgrammeHandle OpenProgramme(const po::variables_map& vm) {
  ProgrammeHandle h;
  const std::string conninfo = PgConnInfo(vm);
  h.base = OpenStore(vm);
  h.ids = MakeRandomIdGenerator();
  h.handler = std::make_unique<CommandHandler>(*h.base.store, workflows::TheDomain(), *h.base.clock,
                                               *h.ids);
  h.queries = postgres::MakePostgresReadModelQueries(conninfo, 1);
  h.tokens = postgres::MakePostgresTokenStore(conninfo, 1);
  h.sessions = postgres::MakePostgresSessionStore(conninfo, 1);
  h.programme = std::make_unique<app::Programme>(app::ProgrammePorts{
      *h.handler, *h.base.store, *h.queries, *h.tokens, *h.sessions, *h.base.clock, h.meter});
  return h;
}

app::Caller Operator() { return {"", {"operator", "admin", ""}}; }

int Refuse(const Invocation& inv, std::string_view verb, const Error& error) {
  inv.err << "waymark " << verb << ": " << error.message << "\n";
  return kExitRefused;
}

namespace {
std::atomic<bool> g_stop{false};
void OnStopSignal(int) { g_stop = true; }
}  // namespace

const std::atomic<bool>& StopOnSignals() {
  std::signal(SIGINT, OnStopSignal);
  std::signal(SIGTERM, OnStopSignal);
  return g_stop;
}

}  // namespace waymark::cli
