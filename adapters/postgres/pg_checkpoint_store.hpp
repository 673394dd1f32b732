#pragma once

#include <memory>
#include <string>

#include "core/checkpoint_store.hpp"

namespace waymark::postgres {

// Checkpoints in the `waymark_checkpoints` table (migration 2).
std::unique_ptr<CheckpointStore> MakePostgresCheckpointStore(const std::string& conninfo);

}  // namespace waymark::postgres
