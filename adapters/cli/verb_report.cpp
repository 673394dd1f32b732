// `waymark report`: the programme report for the funder, from history.

#include <boost/json/serialize.hpp>
#include <iostream>

#include "adapters/cli/cli.hpp"
#include "adapters/cli/problem.hpp"
#include "adapters/cli/rows_output.hpp"
#include "application/report_tables.hpp"
#include "projections/report.hpp"

namespace po = boost::program_options;

namespace waymark::cli {

int RunReport(const Invocation& inv) {
  po::options_description options("waymark report");
  options.add_options()("from", po::value<std::string>()->required(),
                        "the period's first day, YYYY-MM-DD")(
      "to", po::value<std::string>()->required(), "its last day, YYYY-MM-DD (included)")(
      "region", po::value<std::string>(), "only the networks of this region")(
      "officer", po::value<std::string>(), "only the networks of this officer's caseload")(
      "format", po::value<std::string>()->default_value("text"), "text | json | csv");
  AddConnectionOptions(options);
  po::variables_map vm;
  if (!ParseArgs(
          inv,
          "waymark report --from YYYY-MM-DD --to YYYY-MM-DD [--region R] [--officer O] "
          "[--format text|json|csv]\n"
          "The programme report: networks by stage and their moves, the strengths and\n"
          "weaknesses trend across assessment rounds, milestones due, steps, opportunities,\n"
          "representation, referrals and membership, from the events recorded up to the\n"
          "end of --to (so a past period's report never changes).",
          options, {}, vm)) {
    return kExitOk;
  }
  const auto format = vm["format"].as<std::string>();
  if (format != "text" && format != "json" && format != "csv") {
    throw UsageError("--format must be text, json or csv, not '" + format + "'");
  }
  const auto text = [&](const char* name) {
    return vm.count(name) ? vm[name].as<std::string>() : std::string();
  };
  projections::ReportRequest request{text("from"), text("to"), text("region"), text("officer"), ""};
  auto handle = OpenProgramme(vm);
  auto report = handle.programme->Report(Operator(), request);
  if (!report) {
    if (report.error().code == ErrorCode::kValidation) {
      throw UsageError("--" + report.error().message);
    }
    return Refuse(inv, "report", report.error());
  }
  if (format == "json") {
    inv.out << boost::json::serialize(*report) << "\n";
  } else if (format == "csv") {
    inv.out << app::ReportCsv(*report);
  } else {
    bool first = true;
    for (const auto& table : app::ReportTables(*report)) {
      inv.out << (first ? "" : "\n") << table.title << "\n";
      first = false;
      PrintRows(inv.out, table.rows, table.columns, "table");
    }
  }
  return kExitOk;
}

}  // namespace waymark::cli
