#include "core/hash_chain.hpp"

#include <openssl/evp.h>

#include <stdexcept>

#include "core/canonical_json.hpp"
#include "core/event_json.hpp"

namespace waymark {

std::string CanonicalEvent(const RecordedEvent& e) {
  const boost::json::object obj{{"data", e.data},
                                {"metadata", MetadataToJson(e.metadata)},
                                {"schema_version", e.schema_version},
                                {"stream", e.stream},
                                {"type", e.type},
                                {"version", e.version}};
  return CanonicalJson(obj);
}

std::string ChainHash(std::string_view previous_hash, const RecordedEvent& event) {
  const std::string canonical = CanonicalEvent(event);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  const bool ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) == 1 &&
                  EVP_DigestUpdate(ctx, previous_hash.data(), previous_hash.size()) == 1 &&
                  EVP_DigestUpdate(ctx, canonical.data(), canonical.size()) == 1 &&
                  EVP_DigestFinal_ex(ctx, digest, &length) == 1;
  EVP_MD_CTX_free(ctx);
  if (!ok) throw std::runtime_error("OpenSSL SHA-256 failed");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex(2 * length, '0');
  for (unsigned int i = 0; i < length; ++i) {
    hex[2 * i] = kHex[digest[i] >> 4];
    hex[2 * i + 1] = kHex[digest[i] & 0xf];
  }
  return hex;
}

std::optional<BrokenLink> ChainVerifier::Feed(const RecordedEvent& event) {
  ++events_;
  Head& head = heads_[event.stream];
  if (event.version != head.version + 1) {
    return BrokenLink{event.stream, event.version,
                      "expected version " + std::to_string(head.version + 1) + " but found " +
                          std::to_string(event.version) + " (an event is missing or repeated)"};
  }
  std::string expected = ChainHash(head.hash, event);
  if (expected != event.hash) {
    return BrokenLink{event.stream, event.version,
                      "stored hash " + event.hash.substr(0, 16) +
                          "... does not match the recomputed " + expected.substr(0, 16) +
                          "... (the event or one before it was altered)"};
  }
  head.version = event.version;
  head.hash = std::move(expected);
  return std::nullopt;
}

}  // namespace waymark
