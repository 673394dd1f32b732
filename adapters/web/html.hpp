#pragma once

#include <boost/json/array.hpp>
#include <expected>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace waymark::web {

// Text made safe inside HTML or an attribute value: & < > " ' escaped.
// Everything a person typed goes through it; markup is written only by us.
std::string Escape(std::string_view text);

// A value made safe inside a URL's path segment or query (RFC 3986 unreserved kept).
std::string UrlEncode(std::string_view text);

// An application/x-www-form-urlencoded body as its fields (+ as space,
// %XX decoded). kValidation for a malformed escape, a repeated field, a
// control character other than tab and line breaks, or invalid UTF-8.
std::expected<std::map<std::string, std::string>, Error> ParseForm(std::string_view body);

// A textarea's lines, each trimmed of spaces, the empty ones left out (a
// form's "one web address per line").
boost::json::array NonEmptyLines(std::string_view text);

// A choice as its label (when `label` is not empty) and a select of
// `options` (value, words), `chosen` selected; every text escaped.
using Options = std::vector<std::pair<std::string, std::string>>;
std::string SelectHtml(std::string_view id, std::string_view name, std::string_view label,
                       const Options& options, std::string_view chosen);

// Bytes as lower-case hex (random ones: RandomHex in core/secrets.hpp).
std::string HexOf(const unsigned char* bytes, std::size_t n);

// A term of the domain as its label (app::LabelOf: "lsep" → "LSEP",
// "at_risk" → "At risk"); any other name in words: "SubmitEvidence" →
// "Submit evidence"; "value_gbp" → "Value gbp".
std::string Humanize(std::string_view name);

}  // namespace waymark::web
