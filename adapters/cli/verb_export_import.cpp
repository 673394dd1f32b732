#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <fstream>
#include <iostream>

#include "adapters/cli/cli.hpp"
#include "core/event_json.hpp"
#include "core/fold.hpp"
#include "core/stream_name.hpp"
#include "workflows/registry.hpp"

namespace po = boost::program_options;

namespace waymark::cli {

int RunExport(const Invocation& inv) {
  po::options_description options("waymark export");
  options.add_options()("stream", po::value<std::string>(), "export only this stream")(
      "output,o", po::value<std::string>(), "write to this file instead of standard output");
  AddConnectionOptions(options);
  po::variables_map vm;
  if (!ParseArgs(inv, "waymark export [--stream S] [--output FILE]", options, {}, vm)) {
    return kExitOk;
  }
  std::string stream;
  if (vm.count("stream")) {
    stream = vm["stream"].as<std::string>();
    if (auto name = ParseStreamName(stream); !name) throw UsageError(name.error().message);
  }
  std::ofstream file;
  std::ostream* out = &inv.out;
  if (vm.count("output")) {
    file.open(vm["output"].as<std::string>(), std::ios::trunc);
    if (!file) throw UsageError("cannot write '" + vm["output"].as<std::string>() + "'");
    out = &file;
  }
  auto handle = OpenStore(vm);
  auto count = ForEachEvent(*handle.store, stream, [&](const RecordedEvent& e) {
    *out << boost::json::serialize(EventToJson(e)) << '\n';
    return true;
  });
  if (!count) return Refuse(inv, "export", count.error());
  out->flush();
  inv.err << "exported " << *count << " events\n";
  return kExitOk;
}

int RunImport(const Invocation& inv) {
  po::options_description options("waymark import");
  options.add_options()("file", po::value<std::string>()->required(),
                        "an export (JSON Lines); - for standard input");
  AddConnectionOptions(options);
  po::positional_options_description positional;
  positional.add("file", 1);
  po::variables_map vm;
  if (!ParseArgs(inv, "waymark import FILE", options, positional, vm)) return kExitOk;
  const auto path = vm["file"].as<std::string>();
  std::ifstream file;
  std::istream* in = &std::cin;
  if (path != "-") {
    file.open(path);
    if (!file) throw UsageError("cannot open '" + path + "'");
    in = &file;
  }
  std::vector<RecordedEvent> events;
  std::string line;
  for (std::size_t number = 1; std::getline(*in, line); ++number) {
    if (line.empty()) continue;
    boost::json::error_code ec;
    auto json = boost::json::parse(line, ec);
    if (ec) {
      return Refuse(
          inv, "import",
          MakeError(ErrorCode::kValidation, "line " + std::to_string(number) + " is not JSON (" +
                                                ec.message() + "); nothing was imported"));
    }
    auto event = EventFromJson(json);
    if (!event) {
      return Refuse(
          inv, "import",
          MakeError(ErrorCode::kValidation, "line " + std::to_string(number) + ": " +
                                                event.error().message + "; nothing was imported"));
    }
    events.push_back(std::move(*event));
  }
  // What an import brings, every consumer must hold: each stream folds.
  const auto workflows = workflows::AllWorkflows();
  if (auto folds = CheckFolds(events, workflows); !folds) {
    return Refuse(
        inv, "import",
        MakeError(ErrorCode::kValidation, folds.error().message + "; nothing was imported"));
  }
  auto handle = OpenStore(vm);
  auto imported = handle.store->Import(events);
  if (!imported) {
    return Refuse(
        inv, "import",
        MakeError(imported.error().code, imported.error().message + "; nothing was imported"));
  }
  inv.out << "imported " << *imported << " events\n";
  return kExitOk;
}

}  // namespace waymark::cli
