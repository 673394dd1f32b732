#include "core/hash_chain.hpp"

#include <openssl/evp.h>

#include <stdexcept>

#include "core/canonical_json.hpp"
#include "core/event_json.hpp"
#include "core/network_key.hpp"

namespace waymark {

std::string CanonicalEvent(const RecordedEvent& e) {
  return CanonicalEvent(e, CanonicalJson(e.data), CanonicalJson(MetadataToJson(e.metadata)));
}

std::string CanonicalEvent(const RecordedEvent& e, std::string_view data_json,
                           std::string_view metadata_json) {
  // Written member by member in key order, which is what CanonicalJson of the
  // whole object gives, without copying the data into a new object.
  std::string out;
  out.reserve(96 + data_json.size() + metadata_json.size() + e.stream.size() + e.type.size());
  out += "{\"data\":";
  out += data_json;
  out += ",\"metadata\":";
  out += metadata_json;
  out += ",\"schema_version\":" + std::to_string(e.schema_version) + ",\"stream\":";
  AppendCanonicalJsonString(e.stream, out);
  out += ",\"type\":";
  AppendCanonicalJsonString(e.type, out);
  out += ",\"version\":" + std::to_string(e.version) + "}";
  return out;
}

std::string ChainHash(std::string_view previous_hash, const RecordedEvent& event) {
  return ChainHashOfCanonical(previous_hash, CanonicalEvent(event));
}

std::string ChainHashOfCanonical(std::string_view previous_hash, std::string_view canonical) {
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
  if (event.version == 1) head.network = NetworkKeyOf(event);
  if (!event.network_id.empty() && event.network_id != head.network) {
    return BrokenLink{event.stream, event.version,
                      "network_id '" + event.network_id + "' is not the stream's network '" +
                          head.network + "' (its name and first event decide it)"};
  }
  head.version = event.version;
  head.hash = std::move(expected);
  return std::nullopt;
}

}  // namespace waymark
