#pragma once

#include <atomic>
#include <memory>
#include <string>

namespace waymark {

// Hands out identifiers (correlation ids, token ids). Thread-safe; never fails.
class IdGenerator {
 public:
  virtual ~IdGenerator() = default;
  virtual std::string NewId() = 0;
};

// Random version-4 UUIDs from OpenSSL's CSPRNG.
std::unique_ptr<IdGenerator> MakeRandomIdGenerator();

// "<prefix>1", "<prefix>2", ...: for tests.
class SequentialIdGenerator final : public IdGenerator {
 public:
  explicit SequentialIdGenerator(std::string prefix = "id-") : prefix_(std::move(prefix)) {}
  std::string NewId() override { return prefix_ + std::to_string(++next_); }

 private:
  std::string prefix_;
  std::atomic<long long> next_{0};
};

}  // namespace waymark
