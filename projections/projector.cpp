#include "projections/projector.hpp"

#include <algorithm>

#include "core/stream_name.hpp"
#include "core/time.hpp"

namespace waymark::projections {
namespace {

// Folded states kept between batches.
constexpr std::size_t kMaxCachedStreams = 200000;

}  // namespace

Projector::Projector(ReadModelStore& target, EventStore& store,
                     std::vector<const Workflow*> workflows, std::vector<const ReadModel*> models)
    : target_(target), store_(store), workflows_(std::move(workflows)), models_(std::move(models)) {
  if (models_.empty()) {
    for (const auto& m : AllReadModels()) models_.push_back(&m);
  }
}

bool Projector::Writes(std::string_view table) const {
  return std::any_of(models_.begin(), models_.end(),
                     [&](const ReadModel* m) { return m->table == table; });
}

const Workflow* Projector::WorkflowOf(std::string_view stream) const {
  auto name = ParseStreamName(stream);
  if (!name) return nullptr;
  for (const Workflow* w : workflows_) {
    if (w->kind() == name->kind) return w;
  }
  return nullptr;
}

std::expected<FoldedStream*, Error> Projector::StateAt(const std::string& stream,
                                                       std::int64_t version) {
  auto it = cache_.find(stream);
  if (it != cache_.end() && it->second.version == version) return &it->second;
  const Workflow* workflow = WorkflowOf(stream);
  if (!workflow) {
    return std::unexpected(
        MakeError(ErrorCode::kCorrupt, "no workflow for the events of stream " + stream));
  }
  if (version == 0) {  // a new stream
    return &(cache_[stream] = FoldedStream{workflow->NewState(ParseStreamName(stream)->id), 0});
  }
  auto folded = FoldStream(store_, *workflow, stream, version);
  if (!folded) return std::unexpected(folded.error());
  if (folded->version != version) {
    return std::unexpected(MakeError(
        ErrorCode::kCorrupt, "stream " + stream + " has " + std::to_string(folded->version) +
                                 " events in the store, but version " + std::to_string(version) +
                                 " was projected"));
  }
  return &(cache_[stream] = std::move(*folded));
}

void Projector::AddHistory(const WorkflowState& state, const RecordedEvent& event,
                           ReadModelWrite& write) const {
  for (auto& h : state.HistoryRows(event)) {
    if (!Writes(h.table)) continue;
    boost::json::object row = std::move(h.row);
    row["row_id"] =
        event.stream + ":" + std::to_string(event.version) + (h.key.empty() ? "" : ":" + h.key);
    row["stream"] = event.stream;
    row["version"] = event.version;
    row["position"] = event.position;
    row["recorded_at"] = FormatRfc3339(event.metadata.recorded_at);
    write.rows[std::string(h.table)].push_back(std::move(row));
  }
}

void Projector::AddRows(const Touched& touched, ReadModelWrite& write) {
  for (const auto& [stream, event] : touched) {
    const auto& state = *cache_.at(stream).state;
    const auto name = ParseStreamName(stream);
    for (const auto* m : models_) {
      if (m->kind == name->kind) {
        write.rows[std::string(m->table)].push_back(StateRow(*m, name->id, state, *event));
      }
      if (m->per_stream) {
        write.replaced.insert(stream);
        auto& rows = write.rows[std::string(m->table)];
        for (auto& row : TaskRows(stream, state, *event)) rows.push_back(std::move(row));
      }
    }
    if (!state.network_id().empty()) write.recount_networks.insert(state.network_id());
  }
}

std::expected<BatchResult, Error> Projector::Apply(std::span<const RecordedEvent> events,
                                                   std::optional<GlobalCursor> cursor) {
  if (events.empty() && !cursor) return BatchResult{};
  if (cache_.size() > kMaxCachedStreams) cache_.clear();  // bound memory; misses refold
  std::set<std::string> streams;
  for (const auto& e : events) streams.insert(e.stream);
  BatchResult result;
  auto written = target_.Apply(
      streams, [&](const ProjectedVersions& stored) -> std::expected<ReadModelWrite, Error> {
        result = {};
        ProjectedVersions projected = stored;
        ReadModelWrite write;
        Touched touched;
        const bool audit_written = Writes("rm_audit_log");
        for (const auto& e : events) {
          std::int64_t& at = projected[e.stream];
          if (e.version <= at) {
            ++result.duplicates;
            continue;
          }
          if (e.version != at + 1) {
            return std::unexpected(MakeError(
                ErrorCode::kCorrupt, "gap in stream " + e.stream +
                                         ": the read models hold version " + std::to_string(at) +
                                         " and the next event delivered is " +
                                         std::to_string(e.version) + "; nothing was applied"));
          }
          auto folded = StateAt(e.stream, at);
          if (!folded) return std::unexpected(folded.error());
          if (auto applied = (*folded)->state->Apply(e); !applied) {
            return std::unexpected(applied.error());
          }
          (*folded)->version = at = e.version;
          touched[e.stream] = &e;
          AddHistory(*(*folded)->state, e, write);
          if (audit_written) write.audit.push_back(AuditRow(e, (*folded)->state->network_id()));
          ++result.applied;
        }
        AddRows(touched, write);
        for (const auto& [stream, event] : touched) write.versions[stream] = event->version;
        write.checkpoint = cursor;
        return write;
      });
  if (!written) {
    cache_.clear();  // folded states may be ahead of what was written
    return std::unexpected(written.error());
  }
  return result;
}

std::expected<ReadModelWrite, Error> Projector::Align(const std::vector<VersionGap>& gaps) {
  ReadModelWrite write;
  Touched touched;
  std::vector<RecordedEvent> kept;  // the events `touched` points into
  kept.reserve(gaps.size());
  for (const auto& gap : gaps) {
    write.rewind[gap.stream] = gap.live;
    if (gap.live == 0) continue;  // not (yet) in the live read models
    // Behind the live ones: fold on from the rebuilt version, event by event,
    // so each event's audit and history rows are added; otherwise the rewind
    // took the rest back and the state at the live version is all it needs.
    const std::int64_t from = gap.rebuilt < gap.live ? gap.rebuilt : gap.live - 1;
    auto folded = StateAt(gap.stream, from);
    if (!folded) return std::unexpected(folded.error());
    auto events =
        store_.ReadStream(gap.stream, from + 1, static_cast<std::size_t>(gap.live - from));
    if (!events) return std::unexpected(events.error());
    if (events->empty() || events->back().version != gap.live) {
      return std::unexpected(MakeError(ErrorCode::kCorrupt,
                                       gap.stream + " lacks version " + std::to_string(gap.live)));
    }
    for (const auto& e : *events) {
      if (auto applied = (*folded)->state->Apply(e); !applied) {
        return std::unexpected(applied.error());
      }
      (*folded)->version = e.version;
      if (e.version <= gap.rebuilt) continue;  // the rebuild has its rows
      if (Writes("rm_audit_log")) {
        write.audit.push_back(AuditRow(e, (*folded)->state->network_id()));
      }
      AddHistory(*(*folded)->state, e, write);
    }
    kept.push_back(events->back());
    touched[gap.stream] = &kept.back();
    write.versions[gap.stream] = gap.live;
  }
  AddRows(touched, write);
  return write;
}

}  // namespace waymark::projections
