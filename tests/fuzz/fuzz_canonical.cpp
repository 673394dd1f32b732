// Canonical JSON and the hash chain: any JSON value's canonical text parses
// back to a value whose canonical text is the same bytes, and hashing it is
// deterministic. Values with floating-point numbers are left out of the
// round trip: Boost.JSON 1.81 reads a long mantissa to within one ULP, so such
// text may not come back the same (a finding: tests/fuzz/findings/canonical/
// long-mantissa-reparses-one-ulp-away); stored events hold none (the
// workflows record whole numbers and amounts as text, and an import refuses
// them: EventFromJson), so no hash rests on one.

#include <boost/json/parse.hpp>

#include "core/canonical_json.hpp"
#include "core/event_json.hpp"
#include "core/hash_chain.hpp"
#include "tests/fuzz/fuzz_world.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace waymark;
  boost::json::error_code ec;
  auto value = boost::json::parse(std::string_view(reinterpret_cast<const char*>(data), size), ec);
  if (ec) return 0;
  if (HoldsFloatingPoint(value)) {
    boost::json::object event{{"stream", "network-ne"},
                              {"version", 1},
                              {"position", 1},
                              {"type", "NetworkRegistered"},
                              {"schema_version", 1},
                              {"data", boost::json::object{{"n", value}}},
                              {"hash", ""},
                              {"metadata", boost::json::object{{"actor", "a"},
                                                               {"role", "officer"},
                                                               {"correlation_id", ""},
                                                               {"causation_id", ""},
                                                               {"idempotency_key", ""},
                                                               {"recorded_at", "2026-01-01"}}}};
    if (EventFromJson(event)) fuzz::Finding("an import took a floating-point number");
    return 0;
  }
  const std::string once = CanonicalJson(value);
  auto again = boost::json::parse(once, ec);
  if (ec) fuzz::Finding("canonical JSON does not parse: " + once);
  if (CanonicalJson(again) != once) fuzz::Finding("canonical JSON is not stable: " + once);
  if (ChainHashOfCanonical("", once) != ChainHashOfCanonical("", CanonicalJson(again))) {
    fuzz::Finding("hash not deterministic");
  }
  return 0;
}
