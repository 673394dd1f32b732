#include "adapters/postgres/pg_read_model_store.hpp"

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <pqxx/pqxx>

#include "adapters/postgres/pg_error.hpp"
#include "adapters/postgres/pg_leader_lock.hpp"
#include "core/stream_name.hpp"
#include "workflows/milestone/milestone_workflow.hpp"

namespace waymark::postgres {
namespace {

using projections::AuditEntry;
using projections::Difference;
using projections::ProjectedVersions;
using projections::ReadModel;
using projections::ReadModelWrite;
using projections::VersionGap;

constexpr const char* kVersions = "waymark_projected_versions";
constexpr std::size_t kExamples = 3;

// A PostgreSQL text[] literal of ids and stream names ([A-Za-z0-9_-]).
template <typename Range>
std::string TextArray(const Range& items) {
  std::string out = "{";
  for (const auto& i : items) out += (out.size() > 1 ? ",\"" : "\"") + std::string(i) + "\"";
  return out + "}";
}

std::string Join(const std::vector<std::string>& items, const std::string& prefix = "") {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + prefix + i;
  return out;
}

// The tables one store object writes: the live read models, or a rebuild's
// shadow of some of them (`suffix`), each with its projected versions.
class Tables {
 public:
  Tables(std::string suffix, std::vector<const ReadModel*> models)
      : suffix_(std::move(suffix)), models_(std::move(models)) {}

  const std::string& suffix() const { return suffix_; }
  const std::vector<const ReadModel*>& models() const { return models_; }
  std::string Name(std::string_view table) const { return std::string(table) + suffix_; }
  std::string Versions() const { return Name(kVersions); }
  bool Holds(std::string_view table) const {
    return std::any_of(models_.begin(), models_.end(),
                       [&](const ReadModel* m) { return m->table == table; });
  }

  ProjectedVersions ReadVersions(pqxx::work& tx, const std::set<std::string>& streams) {
    ProjectedVersions out;
    if (streams.empty()) return out;
    for (const auto& row :
         tx.exec_params("SELECT stream, version FROM " + tx.quote_name(Versions()) +
                            " WHERE stream = ANY($1::text[])",
                        TextArray(streams))) {
      out[row[0].as<std::string>()] = row[1].as<std::int64_t>();
    }
    return out;
  }

  void Write(pqxx::work& tx, const ReadModelWrite& w) {
    Rewind(tx, w.rewind);
    Replace(tx, w.replaced);
    if (Holds("rm_audit_log") && !w.audit.empty()) {
      // One row per event: COPY, the fastest way in. Dedupe by version means
      // an event is never copied twice.
      pqxx::stream_to copy(tx, Name("rm_audit_log"), AuditEntry::Columns());
      for (const auto& entry : w.audit) copy << entry.Tuple();
      copy.complete();
    }
    for (const auto& [table, rows] : w.rows) Upsert(tx, table, rows);
    SetVersions(tx, w.versions);
    Recount(tx, w.recount_networks);
    SetTaskOfficers(tx, w.recount_networks);
    if (w.checkpoint) {
      tx.exec_params(
          "INSERT INTO waymark_checkpoints (name, commit_id, position) "
          "VALUES ($1, $2::text::xid8, $3) ON CONFLICT (name) DO UPDATE "
          "SET commit_id = EXCLUDED.commit_id, position = EXCLUDED.position, updated_at = now()",
          kProjectorCheckpoint, std::to_string(w.checkpoint->commit), w.checkpoint->position);
    }
  }

 private:
  const std::vector<std::string>& Columns(pqxx::work& tx, const std::string& table) {
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

  void Rewind(pqxx::work& tx, const std::map<std::string, std::int64_t>& rewind) {
    for (const auto& [stream, version] : rewind) {
      for (const auto* m : models_) {
        if (m->table != "rm_audit_log" && !m->history) continue;
        tx.exec_params(
            "DELETE FROM " + tx.quote_name(Name(m->table)) + " WHERE stream = $1 AND version > $2",
            stream, version);
      }
      if (version != 0) continue;
      for (const auto* m : models_) {
        if (!m->per_stream) continue;
        tx.exec_params("DELETE FROM " + tx.quote_name(Name(m->table)) + " WHERE stream = $1",
                       stream);
      }
      const auto name = ParseStreamName(stream);
      for (const auto* m : models_) {
        if (!name || m->kind.empty() || m->kind != name->kind) continue;
        tx.exec_params("DELETE FROM " + tx.quote_name(Name(m->table)) + " WHERE " +
                           tx.quote_name(std::string(m->key)) + " = $1",
                       std::string(name->id));
      }
      tx.exec_params("DELETE FROM " + tx.quote_name(Versions()) + " WHERE stream = $1", stream);
    }
  }

  void Upsert(pqxx::work& tx, const std::string& table_name,
              const std::vector<boost::json::object>& rows) {
    const ReadModel* model = projections::FindReadModel(table_name);
    if (!model || !Holds(table_name) || rows.empty()) return;
    const std::string table = Name(model->table);
    std::vector<std::string> written, updated;
    for (const auto& c : Columns(tx, table)) {
      if (std::find(model->derived.begin(), model->derived.end(), c) != model->derived.end())
        continue;
      written.push_back(tx.quote_name(c));
      if (c != model->key) updated.push_back(tx.quote_name(c));
    }
    std::string json = "[";  // the rows as one JSON array, without copying them
    for (const auto& row : rows) {
      if (json.size() > 1) json += ',';
      json += boost::json::serialize(row);
    }
    json += ']';
    tx.exec_params(
        "INSERT INTO " + tx.quote_name(table) + " (" + Join(written) + ") SELECT " + Join(written) +
            " FROM jsonb_populate_recordset(NULL::" + tx.quote_name(table) +
            ", $1::jsonb) ON CONFLICT (" + tx.quote_name(std::string(model->key)) +
            ") DO UPDATE SET (" + Join(updated) + ") = ROW(" + Join(updated, "EXCLUDED.") + ")",
        json);
  }

  void SetVersions(pqxx::work& tx, const ProjectedVersions& versions) {
    if (versions.empty()) return;
    boost::json::array rows;
    for (const auto& [stream, version] : versions) {
      rows.push_back({{"stream", stream}, {"version", version}});
    }
    const std::string table = tx.quote_name(Versions());
    tx.exec_params("INSERT INTO " + table +
                       " (stream, version) SELECT stream, version FROM "
                       "jsonb_populate_recordset(NULL::" +
                       table + ", $1::jsonb) " +
                       "ON CONFLICT (stream) DO UPDATE SET version = EXCLUDED.version",
                   boost::json::serialize(rows));
  }

  // Networks' milestone counts, from the milestones as they now stand (the
  // rebuilt ones when this shadow rebuilds them).
  void Recount(pqxx::work& tx, const std::set<std::string>& networks) {
    if (!Holds("rm_networks") || networks.empty()) return;
    const std::string milestones =
        tx.quote_name(Holds("rm_milestones") ? Name("rm_milestones") : "rm_milestones");
    tx.exec_params("UPDATE " + tx.quote_name(Name("rm_networks")) +
                       " n SET open_milestones = (SELECT count(*) FROM " + milestones +
                       " m WHERE m.network_id = n.network_id AND m.status = ANY($2::text[])), "
                       "overdue_milestones = (SELECT count(*) FROM " +
                       milestones +
                       " m WHERE m.network_id = n.network_id AND m.status = $3) "
                       "WHERE n.network_id = ANY($1::text[])",
                   TextArray(networks), TextArray(workflows::OpenMilestoneStates()),
                   workflows::OverdueMilestoneState());
  }

  // The per-stream models' rows of `streams`, deleted: the write holds all
  // those streams have now.
  void Replace(pqxx::work& tx, const std::set<std::string>& streams) {
    if (streams.empty()) return;
    for (const auto* m : models_) {
      if (!m->per_stream) continue;
      tx.exec_params(
          "DELETE FROM " + tx.quote_name(Name(m->table)) + " WHERE stream = ANY($1::text[])",
          TextArray(streams));
    }
  }

  // The tasks of `networks` take their network's officer (the rebuilt
  // networks when this shadow rebuilds them).
  void SetTaskOfficers(pqxx::work& tx, const std::set<std::string>& networks) {
    if (!Holds("rm_tasks") || networks.empty()) return;
    const std::string from =
        tx.quote_name(Holds("rm_networks") ? Name("rm_networks") : "rm_networks");
    tx.exec_params("UPDATE " + tx.quote_name(Name("rm_tasks")) +
                       " t SET officer = (SELECT n.officer FROM " + from +
                       " n WHERE n.network_id = t.network_id) WHERE t.network_id = ANY($1::text[])",
                   TextArray(networks));
  }

  std::string suffix_;
  std::vector<const ReadModel*> models_;
  std::map<std::string, std::vector<std::string>> columns_;
};

// Runs `body` in one transaction on `conn` (opened, or opened again, on
// demand), committing when it succeeds; libpqxx errors become kUnavailable.
template <typename Body>
auto InTransaction(const std::string& conninfo, std::unique_ptr<pqxx::connection>& conn,
                   std::string_view what, Body&& body)
    -> decltype(body(std::declval<pqxx::work&>())) {
  return Translate(what, [&]() -> decltype(body(std::declval<pqxx::work&>())) {
    if (!conn || !conn->is_open()) conn = std::make_unique<pqxx::connection>(conninfo);
    pqxx::work tx(*conn);
    auto result = body(tx);
    if (result) tx.commit();
    return result;
  });
}

std::expected<void, Error> ApplyIn(const std::string& conninfo,
                                   std::unique_ptr<pqxx::connection>& conn, Tables& tables,
                                   const std::set<std::string>& streams,
                                   const projections::DecideWrite& decide) {
  return InTransaction(conninfo, conn, "project",
                       [&](pqxx::work& tx) -> std::expected<void, Error> {
                         auto write = decide(tables.ReadVersions(tx, streams));
                         if (!write) return std::unexpected(write.error());
                         tables.Write(tx, *write);
                         return {};
                       });
}

std::vector<std::string> Examples(pqxx::work& tx, const std::string& query,
                                  const std::string& side) {
  std::vector<std::string> out;
  for (const auto& row : tx.exec("SELECT row_to_json(d)::text FROM (" + query +
                                 ") d ORDER BY 1 LIMIT " + std::to_string(kExamples))) {
    out.push_back(side + ": " + row[0].as<std::string>());
  }
  return out;
}

class PostgresShadow final : public projections::ReadModelShadow {
 public:
  PostgresShadow(std::string conninfo, std::unique_ptr<LeaderLock> one_at_a_time,
                 std::vector<const ReadModel*> models, bool check)
      : conninfo_(std::move(conninfo)),
        one_at_a_time_(std::move(one_at_a_time)),
        check_(check),
        tables_(check ? "__check" : "__rebuild", std::move(models)) {}

  ~PostgresShadow() override {
    if (finished_) return;
    // Not finished (an error, say): the shadow tables go, the live ones stay.
    (void)InTransaction(conninfo_, conn_, "drop the rebuild", [&](pqxx::work& tx) {
      for (const auto& t : AllTables())
        tx.exec0("DROP TABLE IF EXISTS " + tx.quote_name(t + tables_.suffix()));
      return std::expected<void, Error>{};
    });
  }

  // Empty shadow tables shaped like the live ones.
  std::expected<void, Error> Create() {
    return InTransaction(
        conninfo_, conn_, "prepare rebuild", [&](pqxx::work& tx) -> std::expected<void, Error> {
          for (const auto& t : AllTables()) {
            const std::string shadow = tx.quote_name(t + tables_.suffix());
            tx.exec0("DROP TABLE IF EXISTS " + shadow);
            tx.exec0("CREATE TABLE " + shadow + " (LIKE " + tx.quote_name(t) + " INCLUDING ALL)");
          }
          return {};
        });
  }

  std::expected<void, Error> Apply(const std::set<std::string>& streams,
                                   const projections::DecideWrite& decide) override {
    return ApplyIn(conninfo_, conn_, tables_, streams, decide);
  }
  std::expected<GlobalCursor, Error> Checkpoint() override { return GlobalCursor{}; }

  std::expected<std::vector<Difference>, Error> Finish(
      const projections::AlignWrite& align) override {
    auto result = InTransaction(
        conninfo_, conn_, "align rebuilt read models",
        [&](pqxx::work& tx) -> std::expected<std::vector<Difference>, Error> {
          // The same order as a projector's batch (read models, then
          // versions), so a running projector waits rather than deadlocks.
          std::vector<std::string> live;
          for (const auto* m : tables_.models())
            live.push_back(tx.quote_name(std::string(m->table)));
          std::sort(live.begin(), live.end());
          tx.exec0("LOCK TABLE " + Join(live) + " IN " + (check_ ? "SHARE" : "ACCESS EXCLUSIVE") +
                   " MODE");
          tx.exec0("LOCK TABLE " + tx.quote_name(kVersions) + " IN SHARE MODE");
          std::vector<VersionGap> gaps;
          for (const auto& row : tx.exec(
                   "SELECT stream, COALESCE(l.version, 0), COALESCE(s.version, 0) FROM " +
                   tx.quote_name(kVersions) + " l FULL JOIN " + tx.quote_name(tables_.Versions()) +
                   " s USING (stream) WHERE l.version IS DISTINCT FROM s.version "
                   "ORDER BY stream")) {
            gaps.push_back(
                {row[0].as<std::string>(), row[1].as<std::int64_t>(), row[2].as<std::int64_t>()});
          }
          auto write = align(gaps);
          if (!write) return std::unexpected(write.error());
          tables_.Write(tx, *write);
          std::vector<Difference> differences;
          for (const auto* m : tables_.models()) {
            const std::string live_table = tx.quote_name(std::string(m->table));
            const std::string rebuilt = tx.quote_name(tables_.Name(m->table));
            if (check_) {
              const std::string live_only =
                  "SELECT * FROM " + live_table + " EXCEPT ALL SELECT * FROM " + rebuilt;
              const std::string rebuilt_only =
                  "SELECT * FROM " + rebuilt + " EXCEPT ALL SELECT * FROM " + live_table;
              Difference d{std::string(m->table), 0, 0, {}};
              d.live_only =
                  tx.exec1("SELECT count(*) FROM (" + live_only + ") d")[0].as<std::size_t>();
              d.rebuilt_only =
                  tx.exec1("SELECT count(*) FROM (" + rebuilt_only + ") d")[0].as<std::size_t>();
              if (d.live_only || d.rebuilt_only) {
                d.examples = Examples(tx, live_only, "live");
                for (auto& e : Examples(tx, rebuilt_only, "rebuilt"))
                  d.examples.push_back(std::move(e));
                differences.push_back(std::move(d));
              }
              tx.exec0("DROP TABLE " + rebuilt);
            } else {
              const std::string old = tx.quote_name(std::string(m->table) + "__old");
              tx.exec0("ALTER TABLE " + live_table + " RENAME TO " + old);
              tx.exec0("ALTER TABLE " + rebuilt + " RENAME TO " + live_table);
              tx.exec0("DROP TABLE " + old);
            }
          }
          tx.exec0("DROP TABLE " + tx.quote_name(tables_.Versions()));
          return differences;
        });
    if (result) finished_ = true;
    return result;
  }

 private:
  std::vector<std::string> AllTables() const {
    std::vector<std::string> tables{kVersions};
    for (const auto* m : tables_.models()) tables.emplace_back(m->table);
    return tables;
  }

  std::string conninfo_;
  std::unique_ptr<LeaderLock> one_at_a_time_;
  bool check_;
  Tables tables_;
  std::unique_ptr<pqxx::connection> conn_;
  bool finished_ = false;
};

class PostgresReadModelStore final : public projections::ReadModelStore {
 public:
  explicit PostgresReadModelStore(std::string conninfo)
      : conninfo_(std::move(conninfo)), tables_("", AllModels()) {}

  std::expected<void, Error> Apply(const std::set<std::string>& streams,
                                   const projections::DecideWrite& decide) override {
    return ApplyIn(conninfo_, conn_, tables_, streams, decide);
  }

  std::expected<GlobalCursor, Error> Checkpoint() override {
    return InTransaction(conninfo_, conn_, "read the projector's checkpoint",
                         [&](pqxx::work& tx) -> std::expected<GlobalCursor, Error> {
                           auto rows = tx.exec_params(
                               "SELECT commit_id::text, position FROM waymark_checkpoints "
                               "WHERE name = $1",
                               kProjectorCheckpoint);
                           if (rows.empty()) return GlobalCursor{};
                           return GlobalCursor{std::stoull(rows[0][0].as<std::string>()),
                                               rows[0][1].as<std::int64_t>()};
                         });
  }

  std::expected<std::unique_ptr<projections::ReadModelShadow>, Error> OpenShadow(
      std::vector<const ReadModel*> models, bool check) override {
    auto lock = std::make_unique<LeaderLock>(conninfo_, "rebuild");
    if (!lock->TryAcquire()) {
      return std::unexpected(
          MakeError(ErrorCode::kConflict, "another rebuild is running; try again when it ends"));
    }
    if (models.empty()) models = AllModels();
    auto shadow =
        std::make_unique<PostgresShadow>(conninfo_, std::move(lock), std::move(models), check);
    if (auto created = shadow->Create(); !created) return std::unexpected(created.error());
    return shadow;
  }

 private:
  static std::vector<const ReadModel*> AllModels() {
    std::vector<const ReadModel*> out;
    for (const auto& m : projections::AllReadModels()) out.push_back(&m);
    return out;
  }

  std::string conninfo_;
  Tables tables_;
  std::unique_ptr<pqxx::connection> conn_;
};

}  // namespace

std::unique_ptr<projections::ReadModelStore> MakePostgresReadModelStore(std::string conninfo) {
  return std::make_unique<PostgresReadModelStore>(std::move(conninfo));
}

}  // namespace waymark::postgres
