// `waymark networks` and `waymark milestones`: an officer's caseload from the
// read models.

#include "adapters/cli/cli.hpp"
#include "adapters/cli/rows_output.hpp"

namespace po = boost::program_options;

namespace waymark::cli {
namespace {

const std::vector<std::string> kNetworkColumns = {"network_id",
                                                  "name",
                                                  "region",
                                                  "stage",
                                                  "status",
                                                  "officer",
                                                  "members",
                                                  "active_members",
                                                  "open_milestones",
                                                  "overdue_milestones",
                                                  "latest_assessment_id"};
const std::vector<std::string> kMilestoneColumns = {
    "milestone_id", "network_id",   "plan_id",           "action_id", "title",  "due",
    "status",       "original_due", "times_rescheduled", "on_time",   "officer"};

void AddFormat(po::options_description& options) {
  options.add_options()("format", po::value<std::string>()->default_value("table"),
                        "table | json | csv");
}

std::string Format(const po::variables_map& vm) {
  const auto format = vm["format"].as<std::string>();
  if (format != "table" && format != "json" && format != "csv")
    throw UsageError("--format must be table, json or csv, not '" + format + "'");
  return format;
}

std::string Text(const po::variables_map& vm, const char* name) {
  return vm.count(name) ? vm[name].as<std::string>() : std::string();
}

// A filter refused: the field named as the option it came from.
template <typename Filter>
void Check(const Filter& filter) {
  if (auto ok = projections::CheckFilter(filter); !ok) throw UsageError("--" + ok.error().message);
}

}  // namespace

int RunNetworks(const Invocation& inv) {
  po::options_description options("waymark networks");
  options.add_options()("officer", po::value<std::string>(), "the officer's caseload")(
      "stage", po::value<std::string>(), "startup | development | participation | growth")(
      "region", po::value<std::string>(), "one region");
  AddFormat(options);
  AddConnectionOptions(options);
  po::variables_map vm;
  if (!ParseArgs(inv,
                 "waymark networks [--officer O] [--stage S] [--region R] "
                 "[--format table|json|csv]\n"
                 "Networks from the read models (rm_networks): an officer's caseload.",
                 options, {}, vm)) {
    return kExitOk;
  }
  const std::string format = Format(vm);
  projections::NetworkFilter filter{Text(vm, "officer"), Text(vm, "stage"), Text(vm, "region"), ""};
  Check(filter);
  auto handle = OpenProgramme(vm);
  auto rows = handle.programme->Networks(Operator(), filter, {});
  if (!rows) return Refuse(inv, "networks", rows.error());
  PrintRows(inv.out, rows->rows, kNetworkColumns, format);
  return kExitOk;
}

int RunMilestones(const Invocation& inv) {
  po::options_description options("waymark milestones");
  options.add_options()("network", po::value<std::string>(), "one network's")(
      "officer", po::value<std::string>(), "the networks of an officer's caseload")(
      "status", po::value<std::string>(), "one state, e.g. overdue")(
      "due-before", po::value<std::string>(), "due before this date (YYYY-MM-DD)");
  AddFormat(options);
  AddConnectionOptions(options);
  po::variables_map vm;
  if (!ParseArgs(inv,
                 "waymark milestones [--network ID] [--officer O] [--status S] "
                 "[--due-before YYYY-MM-DD] [--format table|json|csv]\n"
                 "Milestones from the read models (rm_milestones), by due date.",
                 options, {}, vm)) {
    return kExitOk;
  }
  const std::string format = Format(vm);
  projections::MilestoneFilter filter{Text(vm, "network"), Text(vm, "officer"), Text(vm, "status"),
                                      Text(vm, "due-before")};
  Check(filter);
  auto handle = OpenProgramme(vm);
  auto rows = handle.programme->Milestones(Operator(), filter, {});
  if (!rows) return Refuse(inv, "milestones", rows.error());
  PrintRows(inv.out, rows->rows, kMilestoneColumns, format);
  return kExitOk;
}

}  // namespace waymark::cli
