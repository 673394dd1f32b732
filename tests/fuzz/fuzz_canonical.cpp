// Canonical JSON and the hash chain: any JSON value's canonical text parses
// back to a value whose canonical text is the same bytes, and hashing it is
// deterministic.

#include <boost/json/parse.hpp>

#include "core/canonical_json.hpp"
#include "core/hash_chain.hpp"
#include "tests/fuzz/fuzz_world.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace waymark;
  boost::json::error_code ec;
  auto value = boost::json::parse(std::string_view(reinterpret_cast<const char*>(data), size), ec);
  if (ec) return 0;
  const std::string once = CanonicalJson(value);
  auto again = boost::json::parse(once, ec);
  if (ec) fuzz::Finding("canonical JSON does not parse: " + once);
  if (CanonicalJson(again) != once) fuzz::Finding("canonical JSON is not stable: " + once);
  if (ChainHashOfCanonical("", once) != ChainHashOfCanonical("", CanonicalJson(again))) {
    fuzz::Finding("hash not deterministic");
  }
  return 0;
}
