#include <boost/json/parse.hpp>
#include <fstream>

#include "adapters/cli/cli.hpp"
#include "core/event_json.hpp"
#include "core/hash_chain.hpp"
#include "core/stream_name.hpp"

namespace po = boost::program_options;

namespace waymark::cli {
namespace {

int ReportBroken(const Invocation& inv, const BrokenLink& link) {
  inv.out << "audit verify: FAILED at stream " << link.stream << " version " << link.version << ": "
          << link.reason << "\n";
  return kExitRefused;
}

int VerifyFile(const Invocation& inv, const std::string& path) {
  std::ifstream in(path);
  if (!in) throw UsageError("cannot open export file '" + path + "'");
  ChainVerifier verifier;
  std::string line;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    if (line.empty()) continue;
    boost::json::error_code ec;
    auto json = boost::json::parse(line, ec);
    auto event = ec ? std::expected<RecordedEvent, Error>(std::unexpected(
                          MakeError(ErrorCode::kValidation, "not JSON: " + ec.message())))
                    : EventFromJson(json);
    if (!event) {
      inv.out << "audit verify: FAILED at line " << number << " of " << path << ": "
              << event.error().message << "\n";
      return kExitRefused;
    }
    if (auto broken = verifier.Feed(*event)) return ReportBroken(inv, *broken);
  }
  inv.out << "audit verify: OK: " << verifier.events() << " events in " << verifier.streams()
          << " streams of " << path << ", every hash chain intact\n";
  return kExitOk;
}

}  // namespace

int RunAudit(const Invocation& inv) {
  po::options_description options("waymark audit verify");
  options.add_options()("action", po::value<std::string>()->required(), "verify")(
      "stream", po::value<std::string>(), "verify only this stream")(
      "file", po::value<std::string>(), "verify an export file (JSON Lines) instead of the store");
  AddConnectionOptions(options);
  po::positional_options_description positional;
  positional.add("action", 1);
  po::variables_map vm;
  if (!ParseArgs(inv, "waymark audit verify [--stream S | --file EXPORT]", options, positional,
                 vm)) {
    return kExitOk;
  }
  if (vm["action"].as<std::string>() != "verify") {
    throw UsageError("unknown audit action '" + vm["action"].as<std::string>() +
                     "'; the one action is: verify");
  }
  if (vm.count("file")) {
    if (vm.count("stream")) throw UsageError("--file and --stream cannot be combined");
    return VerifyFile(inv, vm["file"].as<std::string>());
  }
  std::string stream;
  if (vm.count("stream")) {
    stream = vm["stream"].as<std::string>();
    if (auto name = ParseStreamName(stream); !name) throw UsageError(name.error().message);
  }
  auto handle = OpenStore(vm);
  ChainVerifier verifier;
  std::optional<BrokenLink> broken;
  auto visited = ForEachEvent(*handle.store, stream, [&](const RecordedEvent& e) {
    broken = verifier.Feed(e);
    return !broken;
  });
  if (!visited) {
    inv.out << "audit verify: FAILED: " << visited.error().message << "\n";
    return kExitRefused;
  }
  if (broken) return ReportBroken(inv, *broken);
  if (!stream.empty() && verifier.events() == 0) {
    return Refuse(inv, "audit verify",
                  MakeError(ErrorCode::kNotFound, "stream " + stream + " has no events"));
  }
  inv.out << "audit verify: OK: " << verifier.events() << " events in " << verifier.streams()
          << " streams, every hash chain intact\n";
  return kExitOk;
}

}  // namespace waymark::cli
