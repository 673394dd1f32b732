#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <iostream>

#include "adapters/cli/cli.hpp"
#include "adapters/cli/problem.hpp"
#include "core/event_json.hpp"

namespace po = boost::program_options;

namespace waymark::cli {

int RunCommand(const Invocation& inv) {
  po::options_description options("waymark command");
  options.add_options()("stream", po::value<std::string>()->required(), "e.g. milestone-m1")(
      "type", po::value<std::string>()->required(), "the command, e.g. StartMilestone")(
      "data", po::value<std::string>()->default_value("{}"),
      "the command's fields as a JSON object")("actor", po::value<std::string>()->required(),
                                               "who issues it")(
      "role", po::value<std::string>()->required(), "officer | network | admin | auditor | system")(
      "network", po::value<std::string>(), "with --role network: the network acting")(
      "expected-version", po::value<std::int64_t>(), "refuse unless the stream is at this version")(
      "idempotency-key", po::value<std::string>(),
      "a repeat with this key returns the first result");
  AddConnectionOptions(options);
  po::positional_options_description positional;
  positional.add("stream", 1).add("type", 1);
  po::variables_map vm;
  if (!ParseArgs(inv,
                 "waymark command STREAM TYPE --data JSON --actor NAME --role ROLE [--network ID] "
                 "[--expected-version N] [--idempotency-key K]",
                 options, positional, vm)) {
    return kExitOk;
  }
  CommandRequest command;
  command.stream = vm["stream"].as<std::string>();
  command.type = vm["type"].as<std::string>();
  boost::json::error_code ec;
  auto data = boost::json::parse(vm["data"].as<std::string>(), ec);
  if (ec || !data.is_object())
    throw UsageError("--data must be a JSON object, e.g. '{\"reason\":\"...\"}'");
  command.data = std::move(data.as_object());
  command.actor = {vm["actor"].as<std::string>(), vm["role"].as<std::string>(),
                   vm.count("network") ? vm["network"].as<std::string>() : ""};
  if (command.actor.role == "network" && command.actor.network.empty()) {
    throw UsageError("--role network needs --network ID");
  }
  if (vm.count("expected-version")) {
    command.expected_version = vm["expected-version"].as<std::int64_t>();
    if (*command.expected_version < 0) throw UsageError("--expected-version must be 0 or more");
  }
  if (vm.count("idempotency-key"))
    command.idempotency_key = vm["idempotency-key"].as<std::string>();

  auto handle = OpenProgramme(vm);
  const app::Caller caller{"", command.actor};  // who acts: as the options say
  auto result = handle.programme->Issue(caller, std::move(command), "");
  if (!result) return PrintProblem(inv, "command", result.error());
  boost::json::array events;
  for (const auto& e : result->events) events.push_back(EventToJson(e));
  inv.out << boost::json::serialize(boost::json::object{{"stream", result->stream},
                                                        {"version", result->last_version},
                                                        {"replayed", result->replayed},
                                                        {"events", std::move(events)}})
          << "\n";
  return kExitOk;
}

}  // namespace waymark::cli
