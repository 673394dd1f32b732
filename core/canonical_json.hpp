#pragma once

#include <boost/json/value.hpp>
#include <string>

namespace waymark {

// The one text form of a JSON value that hashing relies on: object members
// sorted by key (byte order), no whitespace, strings and numbers as
// Boost.JSON serializes them. Equal values give equal text.
std::string CanonicalJson(const boost::json::value& value);
void AppendCanonicalJson(const boost::json::value& value, std::string& out);

}  // namespace waymark
