#include <boost/json/serialize.hpp>
#include <ostream>

#include "adapters/cli/cli.hpp"
#include "adapters/cli/rows_output.hpp"
#include "application/views.hpp"
#include "core/canonical_json.hpp"
#include "core/event_json.hpp"
#include "core/stream_name.hpp"
#include "core/text_rules.hpp"

namespace po = boost::program_options;

namespace waymark::cli {
namespace {

void PrintText(std::ostream& out, const RecordedEvent& e) {
  std::string data = CanonicalJson(e.data);
  if (CharacterCount(data) > 160) data = std::string(TruncateCharacters(data, 157)) + "...";
  out << "v" << e.version << "  " << FormatRfc3339(e.metadata.recorded_at) << "  "
      << e.metadata.actor << " (" << e.metadata.role << ")  " << e.type << "  " << data << "\n";
  if (const auto why = app::EventReason(e); !why.empty()) out << "    why: " << why << "\n";
}

}  // namespace

int RunHistory(const Invocation& inv) {
  po::options_description options("waymark history");
  options.add_options()("stream", po::value<std::string>()->required(),
                        "the stream, e.g. network-n1")(
      "format", po::value<std::string>()->default_value("text"), "text | json | csv");
  AddConnectionOptions(options);
  po::positional_options_description positional;
  positional.add("stream", 1);
  po::variables_map vm;
  if (!ParseArgs(inv, "waymark history STREAM [--format text|json|csv]", options, positional, vm)) {
    return kExitOk;
  }
  const auto stream = vm["stream"].as<std::string>();
  const auto format = vm["format"].as<std::string>();
  if (format != "text" && format != "json" && format != "csv") {
    throw UsageError("--format '" + format + "' is not one of text, json, csv");
  }
  if (auto name = ParseStreamName(stream); !name) throw UsageError(name.error().message);

  auto handle = OpenProgramme(vm);
  // Read first, print after: a refusal then prints nothing half-way.
  auto events = handle.programme->History(Operator(), stream);
  if (!events) {
    if (events.error().code == ErrorCode::kNotFound) {
      return Refuse(inv, "history",
                    MakeError(ErrorCode::kNotFound, "stream " + stream + " has no events"));
    }
    return Refuse(inv, "history", events.error());
  }
  if (format == "json") {
    boost::json::array all;
    for (const auto& e : *events) all.push_back(EventToJson(e));
    inv.out << boost::json::serialize(all) << "\n";
  } else if (format == "csv") {
    inv.out << app::HistoryCsvHeader() << "\n";
    for (const auto& e : *events) inv.out << app::HistoryCsvRow(e) << "\n";
  } else {
    inv.out << stream << ": " << events->size() << " events\n";
    for (const auto& e : *events) PrintText(inv.out, e);
  }
  return kExitOk;
}

}  // namespace waymark::cli
