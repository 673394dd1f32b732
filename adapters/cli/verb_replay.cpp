#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <iostream>

#include "adapters/cli/cli.hpp"
#include "adapters/cli/problem.hpp"
#include "application/views.hpp"
#include "core/event_json.hpp"
#include "core/stream_name.hpp"

namespace po = boost::program_options;

namespace waymark::cli {

int RunReplay(const Invocation& inv) {
  po::options_description options("waymark replay");
  options.add_options()("stream", po::value<std::string>(), "e.g. milestone-m1")(
      "network", po::value<std::string>(), "instead of a stream: the whole network with this id")(
      "as-of", po::value<std::string>(), "the state as it stood at this RFC 3339 time")(
      "to-version", po::value<std::int64_t>(), "the state after this version (one stream)");
  AddConnectionOptions(options);
  po::positional_options_description positional;
  positional.add("stream", 1);
  po::variables_map vm;
  if (!ParseArgs(inv,
                 "waymark replay STREAM [--as-of T | --to-version N]\n"
                 "       waymark replay --network ID [--as-of T]\n"
                 "Folds history (never the read models) to show how things stood.",
                 options, positional, vm)) {
    return kExitOk;
  }
  const bool whole_network = vm.count("network") > 0;
  if (whole_network == (vm.count("stream") > 0))
    throw UsageError("name one STREAM or --network ID");
  std::optional<Timestamp> as_of;
  std::optional<std::int64_t> to_version;
  if (vm.count("as-of")) {
    auto t = ParseRfc3339(vm["as-of"].as<std::string>());
    if (!t) throw UsageError("--as-of: " + t.error().message);
    as_of = *t;
  }
  if (vm.count("to-version")) {
    if (whole_network) throw UsageError("--to-version is for one stream; use --as-of");
    to_version = vm["to-version"].as<std::int64_t>();
    if (*to_version < 1) throw UsageError("--to-version must be 1 or more");
  }
  auto handle = OpenProgramme(vm);
  app::Programme& programme = *handle.programme;
  if (whole_network) {
    const auto id = vm["network"].as<std::string>();
    if (!IsValidId(id))
      throw UsageError("--network: an id of 1-64 characters from A-Z a-z 0-9 _ -");
    auto network = programme.NetworkFolded(Operator(), id, as_of);
    if (!network) return PrintProblem(inv, "replay", network.error());
    inv.out << boost::json::serialize(
                   app::FoldedNetworkJson(*network, as_of, programme.workflows()))
            << "\n";
    return kExitOk;
  }
  const auto stream = vm["stream"].as<std::string>();
  if (auto name = ParseStreamName(stream); !name) throw UsageError(name.error().message);
  auto view = programme.Stream(Operator(), stream, {as_of, to_version});
  if (!view) {
    if (view.error().code != ErrorCode::kNotFound) return PrintProblem(inv, "replay", view.error());
    return PrintProblem(
        inv, "replay",
        MakeError(ErrorCode::kNotFound, "stream " + stream + " has no events" +
                                            (as_of || to_version ? " at that point" : "")));
  }
  boost::json::object out{{"stream", stream}, {"version", view->folded.version}};
  if (as_of) out["as_of"] = FormatRfc3339(*as_of);
  out["state"] = view->folded.state->ToJson();
  inv.out << boost::json::serialize(out) << "\n";
  return kExitOk;
}

}  // namespace waymark::cli
