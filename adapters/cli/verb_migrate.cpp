#include "adapters/cli/cli.hpp"
#include "adapters/postgres/migrations.hpp"

namespace po = boost::program_options;

namespace waymark::cli {

int RunMigrate(const Invocation& inv) {
  po::options_description options("waymark migrate");
  AddConnectionOptions(options);
  po::variables_map vm;
  if (!ParseArgs(inv, "waymark migrate [--pg CONNINFO]", options, {}, vm)) return kExitOk;
  auto report = postgres::Migrate(PgConnInfo(vm));
  if (!report) return Refuse(inv, "migrate", report.error());
  for (const auto& name : report->applied) inv.out << "applied migration " << name << "\n";
  inv.out << "schema at version " << report->schema_version
          << (report->applied.empty() ? " (already up to date)" : "") << "\n";
  return kExitOk;
}

}  // namespace waymark::cli
