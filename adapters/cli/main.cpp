// The `waymark` command: one binary, one verb per capability (DESIGN.md).

#include <iostream>
#include <string_view>

#include "adapters/cli/cli.hpp"

namespace {

using waymark::cli::Invocation;

struct Verb {
  std::string_view name;
  std::string_view summary;
  int (*run)(const Invocation&);  // nullptr: not in this build yet
};

constexpr Verb kVerbs[] = {
    {"serve", "the HTTP API, with the projectors, policies and timers (--no-workers: API only)",
     waymark::cli::RunServe},
    {"migrate", "create or upgrade the PostgreSQL schema; safe to run twice",
     waymark::cli::RunMigrate},
    {"command", "run one command through the command handler; prints the result as JSON",
     waymark::cli::RunCommand},
    {"relay", "publish committed events to Kafka (--once: until caught up)",
     waymark::cli::RunRelay},
    {"project", "run the projectors, policies and timers (--once: until caught up)",
     waymark::cli::RunProject},
    {"rebuild", "rebuild read models from history (--check: compare, swap nothing)",
     waymark::cli::RunRebuild},
    {"replay", "the state of a stream as of a time or version", waymark::cli::RunReplay},
    {"history", "who did what, when and why on one stream (--format text|json|csv)",
     waymark::cli::RunHistory},
    {"audit", "audit verify: recompute every hash chain and name the first broken link",
     waymark::cli::RunAudit},
    {"export", "write the whole history (or --stream S) as JSON Lines, hashes included",
     waymark::cli::RunExport},
    {"import", "load an export into an empty store; refuses a broken chain",
     waymark::cli::RunImport},
    {"networks", "an officer's caseload from the read models (--officer, --stage, --region)",
     waymark::cli::RunNetworks},
    {"milestones", "milestones from the read models (--network, --officer, --status, --due-before)",
     waymark::cli::RunMilestones},
    {"report",
     "the programme report for a period (--from, --to, --region, --officer; text|json|csv)",
     waymark::cli::RunReport},
    {"token", "token create|list|revoke: the API's bearer tokens (create prints one once)",
     waymark::cli::RunToken},
    {"workflows", "print the state machines as diagrams (--format dot|mermaid)",
     waymark::cli::RunWorkflows},
    {"demo", "seed a realistic set of networks, assessments, plans, milestones, steps",
     waymark::cli::RunDemo},
};

void PrintHelp(std::ostream& out) {
  out << "usage: waymark VERB [options]   (waymark VERB --help for a verb's options)\n\n"
         "Waymark: the event-sourced workflow engine for local networks' development plans.\n\n"
         "verbs:\n";
  for (const Verb& v : kVerbs) {
    out << "  " << v.name << std::string(12 - v.name.size(), ' ') << v.summary
        << (v.run ? "" : "  [not in this build yet]") << "\n";
  }
  out << "\nconnection settings: --pg or WAYMARK_PG (libpq connection string), --kafka or\n"
         "WAYMARK_KAFKA (bootstrap servers, for relay and project; absent = embedded mode).\n"
         "exit status: 0 success, 1 refused or failed verification, 2 bad usage.\n";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    PrintHelp(std::cerr);
    return waymark::cli::kExitUsage;
  }
  const std::string_view name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") {
    PrintHelp(std::cout);
    return waymark::cli::kExitOk;
  }
  for (const Verb& verb : kVerbs) {
    if (verb.name != name) continue;
    if (!verb.run) {
      std::cerr << "waymark " << name << ": not in this build yet (see README, 'Status')\n";
      return waymark::cli::kExitUsage;
    }
    Invocation inv{{argv + 2, argv + argc}, std::cout, std::cerr};
    try {
      return verb.run(inv);
    } catch (const waymark::cli::UsageError& e) {
      std::cerr << "waymark " << name << ": " << e.what() << "\n(see waymark " << name
                << " --help)\n";
      return waymark::cli::kExitUsage;
    } catch (const std::exception& e) {
      std::cerr << "waymark " << name << ": " << e.what() << "\n";
      return waymark::cli::kExitRefused;
    }
  }
  std::cerr << "waymark: unknown verb '" << name << "'\n\n";
  PrintHelp(std::cerr);
  return waymark::cli::kExitUsage;
}
