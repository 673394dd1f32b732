#include "core/id_generator.hpp"

#include <openssl/rand.h>

#include <array>
#include <cstdio>
#include <stdexcept>

namespace waymark {
namespace {

class RandomIdGenerator final : public IdGenerator {
 public:
  std::string NewId() override {
    std::array<unsigned char, 16> b{};
    if (RAND_bytes(b.data(), static_cast<int>(b.size())) != 1) {
      throw std::runtime_error("OpenSSL RAND_bytes failed");
    }
    b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);  // version 4
    b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);  // RFC 4122 variant
    char out[37];
    std::snprintf(out, sizeof out,
                  "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0],
                  b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
                  b[14], b[15]);
    return out;
  }
};

}  // namespace

std::unique_ptr<IdGenerator> MakeRandomIdGenerator() {
  return std::make_unique<RandomIdGenerator>();
}

}  // namespace waymark
