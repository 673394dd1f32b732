#pragma once

// Random secrets and their digests, for tokens and sessions (OpenSSL).

#include <cstddef>
#include <string>
#include <string_view>

namespace waymark {

// `bytes` random bytes from OpenSSL's generator, as lower-case hex; throws
// std::runtime_error if the generator fails (a bug or a broken machine).
std::string RandomHex(std::size_t bytes);

// SHA-256 of `text`, lower-case hex.
std::string Sha256Hex(std::string_view text);

// True when `s` is lower-case hex digits only.
bool IsLowerHex(std::string_view s);

// `a == b` in time that depends on their length only.
bool ConstantTimeEqual(std::string_view a, std::string_view b);

}  // namespace waymark
