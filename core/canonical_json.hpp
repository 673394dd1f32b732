#pragma once

#include <boost/json/value.hpp>
#include <string>
#include <string_view>

namespace waymark {

// The one text form of a JSON value that hashing relies on: object members
// sorted by key (byte order), no whitespace, strings and numbers as
// Boost.JSON serializes them. Equal values give equal text.
std::string CanonicalJson(const boost::json::value& value);
void AppendCanonicalJson(const boost::json::value& value, std::string& out);
// True when `value` holds a number that is not finite (Boost.JSON reads
// 1e999 as infinity), which no JSON text can carry: the parsers of what
// Waymark stores and accepts refuse such values; CanonicalJson writes one as
// null, so its output is always JSON.
bool HoldsNonFiniteNumber(const boost::json::value& value);
// True when `value` holds any floating-point number. Stored events hold
// none: the workflows record whole numbers and amounts as text, and an import
// refuses them (EventFromJson), because Boost.JSON 1.81 reads a long
// mantissa only to within one ULP, so such a number's canonical text might
// not survive being read back and a hash could not be recomputed.
bool HoldsFloatingPoint(const boost::json::value& value);
// A string as CanonicalJson writes one, quotes and escapes included.
void AppendCanonicalJsonString(std::string_view text, std::string& out);

}  // namespace waymark
