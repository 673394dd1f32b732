#pragma once

#include <memory>
#include <string>

#include "core/timer_store.hpp"

namespace waymark::postgres {

// Durable timers in table waymark_timers (migration 3).
std::unique_ptr<TimerStore> MakePostgresTimerStore(const std::string& conninfo);

}  // namespace waymark::postgres
