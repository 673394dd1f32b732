#include "core/clock.hpp"

namespace waymark {
namespace {

class SystemClock final : public Clock {
 public:
  Timestamp Now() override {
    return std::chrono::floor<std::chrono::microseconds>(std::chrono::system_clock::now());
  }
};

}  // namespace

std::unique_ptr<Clock> MakeSystemClock() { return std::make_unique<SystemClock>(); }

}  // namespace waymark
