#include "core/fold.hpp"

#include <algorithm>
#include <map>
#include <vector>

#include "core/stream_name.hpp"
#include "core/text_rules.hpp"

namespace waymark {

std::expected<FoldedStream, Error> FoldStream(EventStore& store, const Workflow& workflow,
                                              std::string_view stream,
                                              std::optional<std::int64_t> to_version,
                                              std::optional<Timestamp> as_of) {
  auto name = ParseStreamName(stream);
  if (!name) return std::unexpected(name.error());
  FoldedStream folded{workflow.NewState(name->id), 0};
  std::optional<Error> failure;
  auto read = ForEachEvent(store, stream, [&](const RecordedEvent& e) {
    if ((to_version && e.version > *to_version) || (as_of && e.metadata.recorded_at > *as_of)) {
      return false;
    }
    if (auto applied = folded.state->Apply(e); !applied) {
      failure = applied.error();
      return false;
    }
    folded.version = e.version;
    return true;
  });
  if (!read) return std::unexpected(read.error());
  if (failure) return std::unexpected(*failure);
  return folded;
}

std::string JsonTextProblem(const boost::json::value& v) {
  if (const auto* s = v.if_string()) return TextProblem(*s, TextLines::kMany);
  if (const auto* a = v.if_array()) {
    for (const auto& item : *a) {
      if (auto p = JsonTextProblem(item); !p.empty()) return p;
    }
  }
  if (const auto* o = v.if_object()) {
    for (const auto& [key, item] : *o) {
      if (auto p = TextProblem(key, TextLines::kOne); !p.empty()) return "a key " + p;
      if (auto p = JsonTextProblem(item); !p.empty()) return p;
    }
  }
  return {};
}

std::expected<void, Error> CheckFolds(std::span<const RecordedEvent> events,
                                      std::span<const Workflow* const> workflows) {
  std::map<std::string_view, std::vector<const RecordedEvent*>> streams;
  for (const auto& e : events) streams[e.stream].push_back(&e);
  for (auto& [stream, list] : streams) {
    const auto refuse = [&](std::int64_t version, const std::string& why) {
      return std::unexpected(
          MakeError(ErrorCode::kValidation,
                    std::string(stream) + " version " + std::to_string(version) + ": " + why));
    };
    auto name = ParseStreamName(stream);
    if (!name) return refuse(list.front()->version, name.error().message);
    const auto workflow = std::find_if(workflows.begin(), workflows.end(),
                                       [&](const Workflow* w) { return w->kind() == name->kind; });
    if (workflow == workflows.end()) {
      return refuse(list.front()->version,
                    "no workflow serves streams of kind '" + std::string(name->kind) + "'");
    }
    std::sort(list.begin(), list.end(), [](const RecordedEvent* a, const RecordedEvent* b) {
      return a->version < b->version;
    });
    auto state = (*workflow)->NewState(name->id);
    for (const RecordedEvent* e : list) {
      const auto& m = e->metadata;
      for (const auto& [field, text] :
           {std::pair<const char*, const std::string&>{"actor", m.actor},
            {"role", m.role},
            {"correlation_id", m.correlation_id},
            {"causation_id", m.causation_id},
            {"idempotency_key", m.idempotency_key}}) {
        if (CharacterCount(text) > 200) {
          return refuse(e->version, std::string(field) + " is over 200 characters");
        }
        if (auto problem = TextProblem(text, TextLines::kOne); !problem.empty()) {
          return refuse(e->version, std::string(field) + " " + problem);
        }
      }
      // Fields no workflow reads are held too (the history shows them).
      if (auto problem = JsonTextProblem(e->data); !problem.empty()) {
        return refuse(e->version, "data " + problem);
      }
      if (auto applied = state->Apply(*e); !applied) {
        return std::unexpected(MakeError(ErrorCode::kValidation, applied.error().message));
      }
    }
  }
  return {};
}

}  // namespace waymark
