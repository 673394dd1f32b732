#include "projections/rebuild.hpp"

#include <algorithm>

#include "projections/projector.hpp"

namespace waymark::projections {
namespace {
constexpr std::size_t kPage = 5000;
}  // namespace

std::expected<RebuildReport, Error> Rebuild(ReadModelStore& live, EventStore& store,
                                            const std::vector<const Workflow*>& workflows,
                                            const RebuildOptions& options) {
  std::vector<const ReadModel*> models = options.models;
  if (models.empty()) {
    for (const auto& m : AllReadModels()) models.push_back(&m);
  }
  auto shadow = live.OpenShadow(models, options.check);
  if (!shadow) return std::unexpected(shadow.error());
  auto total = store.CountEvents();
  if (!total) return std::unexpected(total.error());

  RebuildReport report;
  Projector projector(**shadow, store, workflows, models);
  GlobalCursor cursor;
  for (;;) {
    auto page = store.ReadAll(cursor, kPage);
    if (!page) return std::unexpected(page.error());
    if (page->empty()) break;
    if (auto applied = projector.Apply(*page); !applied) return std::unexpected(applied.error());
    cursor = page->back().cursor();
    report.events += page->size();
    if (options.progress) options.progress(report.events, std::max(report.events, *total));
  }
  auto differences =
      (*shadow)->Finish([&](const std::vector<VersionGap>& gaps) { return projector.Align(gaps); });
  if (!differences) return std::unexpected(differences.error());
  report.differences = std::move(*differences);
  return report;
}

}  // namespace waymark::projections
