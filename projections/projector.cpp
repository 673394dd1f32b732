#include "projections/projector.hpp"

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <pqxx/pqxx>

#include "adapters/postgres/pg_error.hpp"
#include "core/command_handler.hpp"
#include "core/stream_name.hpp"

namespace waymark::projections {
namespace {

// Folded states kept between batches.
constexpr std::size_t kMaxCachedStreams = 200000;

// Milestone states that are not closed.
constexpr const char* kOpenMilestone =
    "('planned', 'in_progress', 'at_risk', 'evidence_submitted', 'overdue')";

// A PostgreSQL text[] literal of ids and stream names ([A-Za-z0-9_-]).
std::string TextArray(const std::set<std::string>& items) {
  std::string out = "{";
  for (const auto& i : items) out += (out.size() > 1 ? ",\"" : "\"") + i + "\"";
  return out + "}";
}

std::string Join(const std::vector<std::string>& items, const std::string& prefix = "") {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + prefix + i;
  return out;
}

}  // namespace

Projector::Projector(std::string conninfo, EventStore& store,
                     std::vector<const Workflow*> workflows, ProjectorTarget target)
    : conninfo_(std::move(conninfo)),
      store_(store),
      workflows_(std::move(workflows)),
      target_(std::move(target)) {
  if (target_.models.empty()) {
    for (const auto& m : AllReadModels()) target_.models.push_back(&m);
  }
}

Projector::~Projector() = default;

bool Projector::Writes(std::string_view table) const {
  return std::any_of(target_.models.begin(), target_.models.end(),
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

template <typename Body>
auto Projector::InTransaction(std::string_view what, Body&& body)
    -> decltype(body(std::declval<pqxx::work&>())) {
  auto outcome = postgres::Translate(what, [&]() -> decltype(body(std::declval<pqxx::work&>())) {
    if (!conn_ || !conn_->is_open()) conn_ = std::make_unique<pqxx::connection>(conninfo_);
    pqxx::work tx(*conn_);
    auto result = body(tx);
    if (result) tx.commit();
    return result;
  });
  if (!outcome) cache_.clear();  // folded states may be ahead of what was committed
  return outcome;
}

std::expected<Projector::Folded*, Error> Projector::StateAt(const std::string& stream,
                                                            std::int64_t version) {
  auto it = cache_.find(stream);
  if (it != cache_.end() && it->second.version == version) return &it->second;
  const Workflow* workflow = WorkflowOf(stream);
  if (!workflow) {
    return std::unexpected(
        MakeError(ErrorCode::kCorrupt, "no workflow for the events of stream " + stream));
  }
  if (version == 0) {  // a new stream
    return &(cache_[stream] = Folded{workflow->NewState(ParseStreamName(stream)->id), 0});
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

const std::vector<std::string>& Projector::Columns(pqxx::work& tx, const std::string& table) {
  auto it = columns_.find(table);
  if (it != columns_.end()) return it->second;
  std::vector<std::string> columns;
  for (const auto& row : tx.exec_params(
           "SELECT column_name FROM information_schema.columns "
           "WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
           table)) {
    columns.push_back(row[0].as<std::string>());
  }
  return columns_[table] = std::move(columns);
}

void Projector::WriteRows(pqxx::work& tx, const Touched& touched,
                          const std::vector<AuditEntry>& audit) {
  std::map<std::string_view, boost::json::array> rows;
  std::set<std::string> networks;
  for (const auto& [stream, event] : touched) {
    const auto& state = *cache_.at(stream).state;
    if (!state.network_id().empty()) networks.insert(state.network_id());
    const auto name = ParseStreamName(stream);
    for (const auto* m : target_.models) {
      if (m->kind == name->kind) {
        rows[m->table].push_back(StateRow(*m, name->id, state.ToJson(), *event));
      }
    }
  }
  if (Writes("rm_audit_log") && !audit.empty()) {
    // One row per event: COPY, the fastest way in. Dedupe by version means
    // an event is never copied twice.
    pqxx::stream_to copy(tx, "rm_audit_log" + target_.suffix, AuditEntry::Columns());
    for (const auto& entry : audit) copy << entry.Tuple();
    copy.complete();
  }
  for (auto& [table_name, table_rows] : rows) {
    const ReadModel& model = *FindReadModel(table_name);
    const std::string table = std::string(model.table) + target_.suffix;
    std::vector<std::string> written, updated;
    for (const auto& c : Columns(tx, table)) {
      if (std::find(model.derived.begin(), model.derived.end(), c) != model.derived.end()) continue;
      written.push_back(tx.quote_name(c));
      if (c != model.key) updated.push_back(tx.quote_name(c));
    }
    const std::string conflict =
        "DO UPDATE SET (" + Join(updated) + ") = ROW(" + Join(updated, "EXCLUDED.") + ")";
    tx.exec_params("INSERT INTO " + tx.quote_name(table) + " (" + Join(written) + ") SELECT " +
                       Join(written) +
                       " FROM jsonb_populate_recordset(NULL::" + tx.quote_name(table) +
                       ", $1::jsonb) ON CONFLICT (" + std::string(model.key) + ") " + conflict,
                   boost::json::serialize(table_rows));
  }
  RecountNetworks(tx, networks);
}

// Networks' milestone counts, from the milestones as they now stand.
void Projector::RecountNetworks(pqxx::work& tx, const std::set<std::string>& networks) {
  if (!Writes("rm_networks") || networks.empty()) return;
  const std::string milestones =
      tx.quote_name(std::string("rm_milestones") + (Writes("rm_milestones") ? target_.suffix : ""));
  tx.exec_params("UPDATE " + tx.quote_name("rm_networks" + target_.suffix) +
                     " n SET open_milestones = (SELECT count(*) FROM " + milestones +
                     " m WHERE m.network_id = n.network_id AND m.status IN " + kOpenMilestone +
                     "), overdue_milestones = (SELECT count(*) FROM " + milestones +
                     " m WHERE m.network_id = n.network_id AND m.status = 'overdue') "
                     "WHERE n.network_id = ANY($1::text[])",
                 TextArray(networks));
}

void Projector::SetVersions(pqxx::work& tx, const std::map<std::string, std::int64_t>& versions) {
  if (versions.empty()) return;
  boost::json::array rows;
  for (const auto& [stream, version] : versions) {
    rows.push_back({{"stream", stream}, {"version", version}});
  }
  const std::string table = tx.quote_name(target_.versions_table);
  tx.exec_params("INSERT INTO " + table +
                     " (stream, version) SELECT stream, version FROM "
                     "jsonb_populate_recordset(NULL::" +
                     table +
                     ", $1::jsonb) "
                     "ON CONFLICT (stream) DO UPDATE SET version = EXCLUDED.version",
                 boost::json::serialize(rows));
}

std::expected<BatchResult, Error> Projector::Apply(std::span<const RecordedEvent> events,
                                                   std::optional<GlobalCursor> cursor) {
  if (events.empty() && !cursor) return BatchResult{};
  if (cache_.size() > kMaxCachedStreams) cache_.clear();  // bound memory; misses refold
  return InTransaction("project", [&](pqxx::work& tx) -> std::expected<BatchResult, Error> {
    BatchResult result;
    std::set<std::string> streams;
    for (const auto& e : events) streams.insert(e.stream);
    std::map<std::string, std::int64_t> projected;
    for (const auto& row :
         tx.exec_params("SELECT stream, version FROM " + tx.quote_name(target_.versions_table) +
                            " WHERE stream = ANY($1::text[])",
                        TextArray(streams))) {
      projected[row[0].as<std::string>()] = row[1].as<std::int64_t>();
    }
    Touched touched;
    std::vector<AuditEntry> audit;
    const bool audit_written = Writes("rm_audit_log");
    for (const auto& e : events) {
      std::int64_t& at = projected[e.stream];
      if (e.version <= at) {
        ++result.duplicates;
        continue;
      }
      if (e.version != at + 1) {
        return std::unexpected(MakeError(
            ErrorCode::kCorrupt, "gap in stream " + e.stream + ": the read models hold version " +
                                     std::to_string(at) + " and the next event delivered is " +
                                     std::to_string(e.version) + "; nothing was applied"));
      }
      auto folded = StateAt(e.stream, at);
      if (!folded) return std::unexpected(folded.error());
      if (auto applied = (*folded)->state->Apply(e); !applied) {
        return std::unexpected(applied.error());
      }
      (*folded)->version = at = e.version;
      touched[e.stream] = &e;
      if (audit_written) audit.push_back(AuditRow(e, (*folded)->state->network_id()));
      ++result.applied;
    }
    WriteRows(tx, touched, audit);
    std::map<std::string, std::int64_t> versions;
    for (const auto& [stream, event] : touched) versions[stream] = event->version;
    SetVersions(tx, versions);
    if (cursor && !target_.checkpoint.empty()) {
      tx.exec_params(
          "INSERT INTO waymark_checkpoints (name, commit_id, position) "
          "VALUES ($1, $2::text::xid8, $3) ON CONFLICT (name) DO UPDATE "
          "SET commit_id = EXCLUDED.commit_id, position = EXCLUDED.position, updated_at = now()",
          target_.checkpoint, std::to_string(cursor->commit), cursor->position);
    }
    return result;
  });
}

std::expected<void, Error> Projector::AlignAndThen(const std::string& live_versions, bool exclusive,
                                                   const std::function<void(pqxx::work&)>& then) {
  return InTransaction(
      "align rebuilt read models", [&](pqxx::work& tx) -> std::expected<void, Error> {
        // The same order as a projector's batch (read models, then versions), so
        // a running projector waits rather than deadlocks.
        std::vector<std::string> live;
        for (const auto* m : target_.models) live.push_back(tx.quote_name(std::string(m->table)));
        std::sort(live.begin(), live.end());
        tx.exec0("LOCK TABLE " + Join(live) + " IN " + (exclusive ? "ACCESS EXCLUSIVE" : "SHARE") +
                 " MODE");
        tx.exec0("LOCK TABLE " + tx.quote_name(live_versions) + " IN SHARE MODE");

        const std::string shadow_versions = tx.quote_name(target_.versions_table);
        const auto differing = tx.exec(
            "SELECT stream, COALESCE(l.version, 0) AS live_version, COALESCE(s.version, 0) AS "
            "shadow_version FROM " +
            tx.quote_name(live_versions) + " l FULL JOIN " + shadow_versions +
            " s USING (stream) WHERE l.version IS DISTINCT FROM s.version");
        Touched touched;
        std::vector<RecordedEvent> kept;  // the events `touched` points into
        kept.reserve(differing.size());
        std::vector<AuditEntry> audit;
        std::map<std::string, std::int64_t> versions;
        for (const auto& row : differing) {
          const std::string stream = row[0].as<std::string>();
          const auto live_version = row[1].as<std::int64_t>();
          const auto shadow_version = row[2].as<std::int64_t>();
          const auto name = ParseStreamName(stream);
          if (Writes("rm_audit_log")) {
            tx.exec_params("DELETE FROM " + tx.quote_name("rm_audit_log" + target_.suffix) +
                               " WHERE stream = $1 AND version > $2",
                           stream, live_version);
          }
          if (live_version == 0) {  // not (yet) in the live read models
            for (const auto* m : target_.models) {
              if (m->kind == name->kind) {
                tx.exec_params("DELETE FROM " +
                                   tx.quote_name(std::string(m->table) + target_.suffix) +
                                   " WHERE " + std::string(m->key) + " = $1",
                               std::string(name->id));
              }
            }
            tx.exec_params("DELETE FROM " + shadow_versions + " WHERE stream = $1", stream);
            continue;
          }
          auto folded = StateAt(stream, live_version);
          if (!folded) return std::unexpected(folded.error());
          const std::int64_t from = std::min(shadow_version + 1, live_version);
          auto events =
              store_.ReadStream(stream, from, static_cast<std::size_t>(live_version - from + 1));
          if (!events) return std::unexpected(events.error());
          if (events->empty() || events->back().version != live_version) {
            return std::unexpected(MakeError(
                ErrorCode::kCorrupt, stream + " lacks version " + std::to_string(live_version)));
          }
          for (const auto& e : *events) {
            if (e.version > shadow_version && Writes("rm_audit_log")) {
              audit.push_back(AuditRow(e, (*folded)->state->network_id()));
            }
          }
          kept.push_back(events->back());
          touched[stream] = &kept.back();
          versions[stream] = live_version;
        }
        WriteRows(tx, touched, audit);
        SetVersions(tx, versions);
        then(tx);
        return {};
      });
}

}  // namespace waymark::projections
