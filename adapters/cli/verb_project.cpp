#include <iostream>

#include "adapters/cli/cli.hpp"
#include "adapters/cli/project_units.hpp"

namespace po = boost::program_options;

namespace waymark::cli {

int RunProject(const Invocation& inv) {
  po::options_description options("waymark project");
  options.add_options()("once", "process everything due now, then exit")(
      "topic", po::value<std::string>()->default_value("waymark.events"),
      "with --kafka: the topic the relay publishes to");
  AddConnectionOptions(options);
  AddKafkaOption(options);
  po::variables_map vm;
  if (!ParseArgs(inv,
                 "waymark project [--once] [--kafka BROKERS]\n"
                 "Keeps the read models (rm_*) up to date from the events, and runs the\n"
                 "engine's policies and durable timers. Without --kafka the read models\n"
                 "follow the event store (one active process, others stand by); with it,\n"
                 "the relay's topic as consumer group waymark-projectors.",
                 options, {}, vm)) {
    return kExitOk;
  }
  auto handle = OpenStore(vm);
  ProjectUnits project(PgConnInfo(vm), KafkaBrokers(vm), vm["topic"].as<std::string>(),
                       *handle.store, *handle.clock,
                       [&](const std::string& line) { inv.err << "project: " << line << "\n"; });
  RunOptions run;
  run.once = vm.count("once") > 0;
  run.idle_wait = ProjectUnits::kTimerCheck;
  auto ran = RunUnits(
      project.units(), project.wakeup(), run,
      [&](const std::string& line) { inv.err << "project: " << line << "\n"; }, StopOnSignals());
  inv.out << "project: " << project.Summary() << "\n";
  if (!ran) return Refuse(inv, "project", ran.error());
  return kExitOk;
}

}  // namespace waymark::cli
