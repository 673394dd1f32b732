#include "projections/rebuild.hpp"

#include <pqxx/pqxx>

#include "adapters/postgres/pg_error.hpp"
#include "adapters/postgres/pg_leader_lock.hpp"
#include "projections/projector.hpp"

namespace waymark::projections {
namespace {

constexpr std::size_t kPage = 5000;
constexpr const char* kLiveVersions = "waymark_projected_versions";
constexpr std::size_t kExamples = 3;

std::vector<std::string> Examples(pqxx::work& tx, const std::string& query,
                                  const std::string& side) {
  std::vector<std::string> out;
  for (const auto& row : tx.exec("SELECT row_to_json(d)::text FROM (" + query +
                                 ") d ORDER BY 1 LIMIT " + std::to_string(kExamples))) {
    out.push_back(side + ": " + row[0].as<std::string>());
  }
  return out;
}

}  // namespace

std::expected<RebuildReport, Error> Rebuild(const std::string& conninfo, EventStore& store,
                                            const std::vector<const Workflow*>& workflows,
                                            const RebuildOptions& options) {
  std::vector<const ReadModel*> models = options.models;
  if (models.empty()) {
    for (const auto& m : AllReadModels()) models.push_back(&m);
  }
  const std::string suffix = options.check ? "__check" : "__rebuild";
  postgres::LeaderLock one_at_a_time(conninfo, "rebuild");
  if (!one_at_a_time.TryAcquire()) {
    return std::unexpected(
        MakeError(ErrorCode::kConflict, "another rebuild is running; try again when it ends"));
  }
  RebuildReport report;
  auto prepared =
      postgres::Translate("prepare rebuild", [&]() -> std::expected<std::size_t, Error> {
        pqxx::connection conn(conninfo);
        pqxx::work tx(conn);
        std::vector<std::string> tables{kLiveVersions};
        for (const auto* m : models) tables.emplace_back(m->table);
        for (const auto& t : tables) {
          const std::string shadow = tx.quote_name(t + suffix);
          tx.exec0("DROP TABLE IF EXISTS " + shadow);
          tx.exec0("CREATE TABLE " + shadow + " (LIKE " + tx.quote_name(t) + " INCLUDING ALL)");
        }
        const auto total = tx.exec1("SELECT count(*) FROM events")[0].as<std::size_t>();
        tx.commit();
        return total;
      });
  if (!prepared) return std::unexpected(prepared.error());

  Projector shadow(conninfo, store, workflows,
                   {suffix, models, std::string(kLiveVersions) + suffix, ""});
  GlobalCursor cursor;
  for (;;) {
    auto page = store.ReadAll(cursor, kPage);
    if (!page) return std::unexpected(page.error());
    if (page->empty()) break;
    if (auto applied = shadow.Apply(*page); !applied) return std::unexpected(applied.error());
    cursor = page->back().cursor();
    report.events += page->size();
    if (options.progress) options.progress(report.events, std::max(report.events, *prepared));
  }

  auto finished = shadow.AlignAndThen(kLiveVersions, !options.check, [&](pqxx::work& tx) {
    for (const auto* m : models) {
      const std::string live = tx.quote_name(std::string(m->table));
      const std::string rebuilt = tx.quote_name(std::string(m->table) + suffix);
      if (options.check) {
        const std::string live_only =
            "SELECT * FROM " + live + " EXCEPT ALL SELECT * FROM " + rebuilt;
        const std::string rebuilt_only =
            "SELECT * FROM " + rebuilt + " EXCEPT ALL SELECT * FROM " + live;
        Difference d{std::string(m->table), 0, 0, {}};
        d.live_only = tx.exec1("SELECT count(*) FROM (" + live_only + ") d")[0].as<std::size_t>();
        d.rebuilt_only =
            tx.exec1("SELECT count(*) FROM (" + rebuilt_only + ") d")[0].as<std::size_t>();
        if (d.live_only || d.rebuilt_only) {
          d.examples = Examples(tx, live_only, "live");
          for (auto& e : Examples(tx, rebuilt_only, "rebuilt")) d.examples.push_back(std::move(e));
          report.differences.push_back(std::move(d));
        }
        tx.exec0("DROP TABLE " + rebuilt);
      } else {
        const std::string old = tx.quote_name(std::string(m->table) + "__old");
        tx.exec0("ALTER TABLE " + live + " RENAME TO " + old);
        tx.exec0("ALTER TABLE " + rebuilt + " RENAME TO " + live);
        tx.exec0("DROP TABLE " + old);
      }
    }
    tx.exec0("DROP TABLE " + tx.quote_name(std::string(kLiveVersions) + suffix));
  });
  if (!finished) return std::unexpected(finished.error());
  return report;
}

}  // namespace waymark::projections
