// An import's JSON Lines: each line read as an event, then the whole set
// checked as `waymark import` checks it (every stream folds). Property:
// what passes holds only texts every consumer can hold.

#include <boost/json/parse.hpp>

#include "core/event_json.hpp"
#include "core/fold.hpp"
#include "tests/fuzz/fuzz_world.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace waymark;
  static const auto workflows = workflows::AllWorkflows();
  std::vector<RecordedEvent> events;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  while (!text.empty()) {
    const auto cut = text.find('\n');
    const auto line = text.substr(0, cut);
    text = cut == std::string_view::npos ? std::string_view() : text.substr(cut + 1);
    if (line.empty()) continue;
    boost::json::error_code ec;
    auto json = boost::json::parse(line, ec);
    if (ec) return 0;
    auto event = EventFromJson(json);
    if (!event) return 0;
    events.push_back(std::move(*event));
  }
  if (!CheckFolds(events, workflows)) return 0;
  for (const auto& e : events) {
    fuzz::CheckTexts(e.data, e.stream);
    if (auto p = TextProblem(e.metadata.actor, TextLines::kOne); !p.empty()) fuzz::Finding(p);
  }
  return 0;
}
