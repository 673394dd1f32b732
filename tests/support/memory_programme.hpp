#pragma once

// The application on in-memory parts, for the front doors' unit tests and
// the fuzzers: an event store, the command handler over every workflow,
// tokens, sessions, read models the tests project into when they want rows
// (Project), their queries, metrics, and the Programme over all of them.

#include <memory>

#include "adapters/http/metrics.hpp"
#include "application/programme.hpp"
#include "application/sessions.hpp"
#include "application/tokens.hpp"
#include "core/command_handler.hpp"
#include "core/id_generator.hpp"
#include "core/memory_event_store.hpp"
#include "projections/memory_read_model_store.hpp"
#include "projections/projector.hpp"
#include "workflows/registry.hpp"

namespace waymark::testing {

class MemoryProgramme {
 public:
  explicit MemoryProgramme(Timestamp start)
      : clock(start),
        store(MakeMemoryEventStore(clock)),
        handler(*store, workflows::TheDomain(), clock, ids),
        tokens(MakeMemoryTokenStore()),
        sessions(MakeMemorySessionStore()),
        queries(read_models),
        programme({handler, *store, queries, *tokens, *sessions, clock, metrics}),
        projector_(read_models, *store, workflows::AllWorkflows()) {}

  // Projects every event appended since the last call into the read models.
  void Project() {
    for (;;) {
      auto page = store->ReadAll(projected_, 500);
      if (!page || page->empty()) return;
      auto applied = projector_.Apply(*page);
      if (!applied) return;
      projected_ = page->back().cursor();
    }
  }

  // A token of `role` (and `network`) named "<role>-person".
  std::string Token(std::string_view role, std::string_view network = "") {
    auto issued = CreateToken(*tokens, clock, role, std::string(role) + "-person", network);
    return issued ? issued->token : std::string();
  }

  ManualClock clock;
  std::unique_ptr<EventStore> store;
  SequentialIdGenerator ids;
  CommandHandler handler;
  std::unique_ptr<TokenStore> tokens;
  std::unique_ptr<SessionStore> sessions;
  projections::MemoryReadModelStore read_models;
  projections::MemoryReadModelQueries queries;
  http::Metrics metrics;
  app::Programme programme;

 private:
  projections::Projector projector_;
  GlobalCursor projected_;
};

}  // namespace waymark::testing
