#pragma once

#include <memory>
#include <string>

#include "projections/read_model_store.hpp"

namespace waymark::postgres {

// The read models of DESIGN.md in PostgreSQL (the rm_* tables of migration
// 4), with the streams' projected versions in `waymark_projected_versions`
// and the embedded projector's position as checkpoint `projector` in
// `waymark_checkpoints`. Each Apply is one transaction on a connection of
// the store's own. A rebuild's shadow tables are `<table>__rebuild` (or
// `__check`); one rebuild at a time per schema, by advisory lock.
std::unique_ptr<projections::ReadModelStore> MakePostgresReadModelStore(std::string conninfo);

// The checkpoint name the embedded projector's position is kept under.
inline constexpr const char* kProjectorCheckpoint = "projector";

}  // namespace waymark::postgres
