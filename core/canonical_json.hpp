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
// A string as CanonicalJson writes one, quotes and escapes included.
void AppendCanonicalJsonString(std::string_view text, std::string& out);

}  // namespace waymark
