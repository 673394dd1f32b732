// `waymark networks` and `waymark milestones`: an officer's caseload from the
// read models.

#include <set>

#include "adapters/cli/cli.hpp"
#include "adapters/cli/rows_output.hpp"
#include "adapters/postgres/pg_read_model_queries.hpp"
#include "core/time.hpp"
#include "workflows/milestone/milestone_workflow.hpp"
#include "workflows/network/network_workflow.hpp"

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

// `value` must be one of `accepted` (when given); the refusal lists them.
void OneOf(const std::string& option, const std::string& value,
           const std::vector<std::string>& accepted) {
  if (value.empty() || std::find(accepted.begin(), accepted.end(), value) != accepted.end()) return;
  std::string list;
  for (const auto& a : accepted) list += (list.empty() ? "" : ", ") + a;
  throw UsageError("--" + option + " '" + value + "' is not one of " + list);
}

// A milestone's states, from its machine's table.
std::vector<std::string> MilestoneStates() {
  std::vector<std::string> out;
  for (const auto& t : workflows::MilestoneWorkflow().transitions()) {
    if (std::find(out.begin(), out.end(), t.to) == out.end()) out.push_back(t.to);
  }
  return out;
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
  projections::NetworkFilter filter{Text(vm, "officer"), Text(vm, "stage"), Text(vm, "region")};
  OneOf("stage", filter.stage,
        std::vector<std::string>(workflows::kStages.begin(), workflows::kStages.end()));
  auto queries = postgres::MakePostgresReadModelQueries(PgConnInfo(vm));
  auto rows = queries->Networks(filter);
  if (!rows) return Refuse(inv, "networks", rows.error());
  PrintRows(inv.out, *rows, kNetworkColumns, format);
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
  OneOf("status", filter.status, MilestoneStates());
  if (!filter.due_before.empty() &&
      (filter.due_before.size() != 10 || !ParseRfc3339(filter.due_before))) {
    throw UsageError("--due-before '" + filter.due_before +
                     "' is not a date; expected YYYY-MM-DD, e.g. 2026-12-31");
  }
  auto queries = postgres::MakePostgresReadModelQueries(PgConnInfo(vm));
  auto rows = queries->Milestones(filter);
  if (!rows) return Refuse(inv, "milestones", rows.error());
  PrintRows(inv.out, *rows, kMilestoneColumns, format);
  return kExitOk;
}

}  // namespace waymark::cli
