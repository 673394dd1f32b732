#include "adapters/http/request_parsing.hpp"

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/parse.hpp>
#include <unordered_set>

#include "core/canonical_json.hpp"
#include "core/text_rules.hpp"

namespace waymark::http {
namespace {

std::unexpected<Error> Invalid(std::string message) {
  return std::unexpected(MakeError(ErrorCode::kValidation, std::move(message)));
}

// A basic_parser handler that only watches keys: each object's keys so far,
// to find a repeated one (boost::json::parse would silently keep one).
struct DuplicateKeyFinder {
  constexpr static std::size_t max_object_size = std::size_t(-1);
  constexpr static std::size_t max_array_size = std::size_t(-1);
  constexpr static std::size_t max_key_size = std::size_t(-1);
  constexpr static std::size_t max_string_size = std::size_t(-1);

  std::vector<std::unordered_set<std::string>> objects;
  std::string key;
  std::string duplicate;

  bool on_document_begin(boost::json::error_code&) { return true; }
  bool on_document_end(boost::json::error_code&) { return true; }
  bool on_array_begin(boost::json::error_code&) { return true; }
  bool on_array_end(std::size_t, boost::json::error_code&) { return true; }
  bool on_object_begin(boost::json::error_code&) {
    objects.emplace_back();
    return true;
  }
  bool on_object_end(std::size_t, boost::json::error_code&) {
    objects.pop_back();
    return true;
  }
  bool on_string_part(boost::json::string_view, std::size_t, boost::json::error_code&) {
    return true;
  }
  bool on_string(boost::json::string_view, std::size_t, boost::json::error_code&) { return true; }
  bool on_key_part(boost::json::string_view s, std::size_t, boost::json::error_code&) {
    key.append(s.data(), s.size());
    return true;
  }
  bool on_key(boost::json::string_view s, std::size_t, boost::json::error_code& ec) {
    key.append(s.data(), s.size());
    if (!objects.back().insert(key).second) {
      duplicate = key;
      ec = boost::json::error::syntax;  // stops the parse
      return false;
    }
    key.clear();
    return true;
  }
  bool on_number_part(boost::json::string_view, boost::json::error_code&) { return true; }
  bool on_int64(std::int64_t, boost::json::string_view, boost::json::error_code&) { return true; }
  bool on_uint64(std::uint64_t, boost::json::string_view, boost::json::error_code&) { return true; }
  bool on_double(double, boost::json::string_view, boost::json::error_code&) { return true; }
  bool on_bool(bool, boost::json::error_code&) { return true; }
  bool on_null(boost::json::error_code&) { return true; }
  bool on_comment_part(boost::json::string_view, boost::json::error_code&) { return true; }
  bool on_comment(boost::json::string_view, boost::json::error_code&) { return true; }
};

int Hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decodes `in`; `plus_is_space` for query strings.
std::expected<std::string, Error> Decode(std::string_view in, bool plus_is_space) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) {
        return Invalid("the request target has a '%' not followed by two hex digits");
      }
      const int hi = Hex(in[i + 1]), lo = Hex(in[i + 2]);
      if (hi < 0 || lo < 0) {
        return Invalid("the request target has a '%' not followed by two hex digits");
      }
      c = static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      c = ' ';
    }
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return Invalid("the request target holds a control character; send printable text");
    }
    out += c;
  }
  if (!TextProblem(out, TextLines::kOne).empty()) {
    return Invalid(
        "the request target is not valid UTF-8 without control characters once percent-decoded; "
        "send printable UTF-8");
  }
  return out;
}

}  // namespace

std::expected<boost::json::object, Error> ParseJsonObject(std::string_view body) {
  boost::json::parse_options options;
  options.max_depth = kMaxJsonDepth;
  boost::json::basic_parser<DuplicateKeyFinder> finder(options);
  boost::json::error_code ec;
  finder.write_some(false, body.data(), body.size(), ec);
  if (!finder.handler().duplicate.empty()) {
    return Invalid("the body repeats the key '" + finder.handler().duplicate +
                   "' in one object; send each key once");
  }
  if (ec) {
    if (ec == boost::json::error::too_deep) {
      return Invalid("the body nests arrays and objects deeper than " +
                     std::to_string(kMaxJsonDepth) + " levels");
    }
    return Invalid("the body is not valid JSON (" + ec.message() +
                   "); send one JSON object in UTF-8");
  }
  auto value = boost::json::parse(body, ec, {}, options);
  if (ec) return Invalid("the body is not valid JSON (" + ec.message() + ")");
  if (!value.is_object()) return Invalid("the body must be a JSON object ({...})");
  if (HoldsNonFiniteNumber(value)) {
    return Invalid(
        "the body holds a number too large for JSON (such as 1e999); send finite numbers");
  }
  return std::move(value.as_object());
}

std::expected<Target, Error> ParseTarget(std::string_view target) {
  Target out;
  if (target.empty() || target.front() != '/') {
    return Invalid("the request target must be a path starting with '/'");
  }
  const auto question = target.find('?');
  std::string_view path = target.substr(0, question);
  std::string_view query = question == std::string_view::npos ? "" : target.substr(question + 1);
  while (!path.empty()) {
    path.remove_prefix(1);  // the '/'
    const auto slash = path.find('/');
    auto segment = Decode(path.substr(0, slash), false);
    if (!segment) return std::unexpected(segment.error());
    if (*segment == "." || *segment == ".." || segment->find('/') != std::string::npos) {
      return Invalid("the path may not hold '.', '..' or an encoded '/' as a segment");
    }
    if (!segment->empty() || slash != std::string_view::npos) out.segments.push_back(*segment);
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash);
  }
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? "" : query.substr(amp + 1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    auto key = Decode(pair.substr(0, eq), true);
    if (!key) return std::unexpected(key.error());
    auto value = Decode(eq == std::string_view::npos ? "" : pair.substr(eq + 1), true);
    if (!value) return std::unexpected(value.error());
    if (!out.query.emplace(*key, *value).second) {
      return Invalid("query parameter '" + *key + "' is given more than once; give it once");
    }
  }
  return out;
}

}  // namespace waymark::http
