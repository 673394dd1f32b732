#include <unistd.h>

#include <iostream>

#include "adapters/cli/cli.hpp"
#include "adapters/cli/progress.hpp"
#include "adapters/postgres/pg_read_model_store.hpp"
#include "projections/rebuild.hpp"
#include "workflows/registry.hpp"

namespace po = boost::program_options;

namespace waymark::cli {

int RunRebuild(const Invocation& inv) {
  po::options_description options("waymark rebuild");
  options.add_options()("name", po::value<std::string>()->required(),
                        "a read model (rm_networks, rm_assessments, rm_plans, rm_milestones, "
                        "rm_steps, rm_audit_log, rm_assessment_scores, rm_stage_history, "
                        "rm_membership_history, rm_outcomes) or all")(
      "check", "rebuild aside and compare with the live tables; swap nothing");
  AddConnectionOptions(options);
  po::positional_options_description positional;
  positional.add("name", 1);
  po::variables_map vm;
  if (!ParseArgs(inv,
                 "waymark rebuild NAME|all [--check]\n"
                 "Rebuilds read models from the whole history and swaps them in at once;\n"
                 "--check compares the rebuilt tables with the live ones instead (exit 1\n"
                 "with the differing rows). Policies and timers never run here.",
                 options, positional, vm)) {
    return kExitOk;
  }
  const std::string name = vm["name"].as<std::string>();
  projections::RebuildOptions rebuild;
  rebuild.check = vm.count("check") > 0;
  if (name != "all") {
    const auto* model = projections::FindReadModel(name);
    if (!model) {
      std::string known;
      for (const auto& m : projections::AllReadModels())
        known += std::string(known.empty() ? "" : ", ") + std::string(m.table);
      throw UsageError("no read model '" + name + "'; known: " + known + ", or all");
    }
    rebuild.models.push_back(model);
  }
  auto handle = OpenStore(vm);
  const bool terminal = &inv.err == &std::cerr && isatty(STDERR_FILENO);
  Progress progress(inv.err, terminal, rebuild.check ? "rebuild --check" : "rebuild");
  rebuild.progress = [&](std::size_t done, std::size_t total) { progress.Update(done, total); };
  auto read_models = postgres::MakePostgresReadModelStore(PgConnInfo(vm));
  auto report =
      projections::Rebuild(*read_models, *handle.store, workflows::AllWorkflows(), rebuild);
  if (!report) return Refuse(inv, "rebuild", report.error());
  progress.Finish(report->events);
  if (!rebuild.check) {
    inv.out << "rebuild: " << name << " rebuilt from " << report->events
            << (report->events == 1 ? " event" : " events") << " and swapped in\n";
    return kExitOk;
  }
  if (report->differences.empty()) {
    inv.out << "rebuild --check: " << name << " matches a rebuild from " << report->events
            << (report->events == 1 ? " event" : " events") << "\n";
    return kExitOk;
  }
  for (const auto& d : report->differences) {
    inv.out << d.table << ": " << d.live_only << " live rows and " << d.rebuilt_only
            << " rebuilt rows differ\n";
    for (const auto& e : d.examples) inv.out << "  " << e << "\n";
  }
  inv.err << "waymark rebuild: the live read models differ from the history ("
          << report->differences.size() << " tables)\n";
  return kExitRefused;
}

}  // namespace waymark::cli
