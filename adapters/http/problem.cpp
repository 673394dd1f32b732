#include "adapters/http/problem.hpp"

namespace waymark::http {
namespace {

const char* Title(ErrorCode code) {
  switch (code) {
    case ErrorCode::kValidation:
      return "The request is malformed";
    case ErrorCode::kUnauthenticated:
      return "No valid token";
    case ErrorCode::kForbidden:
      return "Not allowed for this actor";
    case ErrorCode::kNotFound:
      return "Not found";
    case ErrorCode::kConflict:
      return "Version conflict";
    case ErrorCode::kNotAllowed:
      return "Not allowed in the current state";
    case ErrorCode::kCorrupt:
      return "Stored data failed an integrity check";
    case ErrorCode::kUnavailable:
      return "A service Waymark depends on is unavailable";
    case ErrorCode::kInternal:
      return "Internal error";
  }
  return "Error";
}

// `text` with every byte that is not part of valid UTF-8 (or is a control
// character) replaced by U+FFFD: details may quote what a client sent.
std::string Printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t n = c < 0x80           ? 1
                    : (c >> 5) == 0x6  ? 2
                    : (c >> 4) == 0xe  ? 3
                    : (c >> 3) == 0x1e ? 4
                                       : 0;
    bool ok = n > 0 && i + n <= text.size() && !(n == 1 && (c < 0x20 || c == 0x7f));
    for (std::size_t k = 1; ok && k < n; ++k) {
      ok = (static_cast<unsigned char>(text[i + k]) & 0xc0) == 0x80;
    }
    if (ok && n == 2) ok = c >= 0xc2;  // no overlong forms
    if (ok && n == 3) {
      const auto d = static_cast<unsigned char>(text[i + 1]);
      ok = !(c == 0xe0 && d < 0xa0) && !(c == 0xed && d >= 0xa0);  // overlong, surrogates
    }
    if (ok && n == 4) {
      const auto d = static_cast<unsigned char>(text[i + 1]);
      ok = c <= 0xf4 && !(c == 0xf0 && d < 0x90) && !(c == 0xf4 && d >= 0x90);
    }
    if (ok) {
      out.append(text.substr(i, n));
      i += n;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out;
}

}  // namespace

unsigned HttpStatus(ErrorCode code) {
  switch (code) {
    case ErrorCode::kValidation:
      return 400;
    case ErrorCode::kUnauthenticated:
      return 401;
    case ErrorCode::kForbidden:
      return 403;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kConflict:
      return 409;
    case ErrorCode::kNotAllowed:
      return 422;
    case ErrorCode::kCorrupt:
      return 500;
    case ErrorCode::kUnavailable:
      return 503;
    case ErrorCode::kInternal:
      return 500;
  }
  return 500;
}

Error ForClient(const Error& error, std::string_view request_id, std::string& cause) {
  if (HttpStatus(error.code) < 500) return error;
  cause = error.message;
  const std::string id = " (request id " + std::string(request_id) + ")";
  switch (error.code) {
    case ErrorCode::kUnavailable:
      return MakeError(error.code,
                       "Waymark cannot reach its database just now; try again in a "
                       "few seconds" +
                           id);
    case ErrorCode::kCorrupt:
      return MakeError(error.code, "stored data failed an integrity check" + id +
                                       "; the operator's log names it");
    default:
      return MakeError(error.code, "the server failed on this request" + id +
                                       "; the operator's log has the cause");
  }
}

boost::json::object ProblemJson(const Error& error) {
  boost::json::object problem{
      {"type", "https://waymark.invalid/problems/" + std::string(ToString(error.code))},
      {"title", Title(error.code)},
      {"status", HttpStatus(error.code)},
      {"detail", Printable(error.message)}};
  if (error.code == ErrorCode::kNotAllowed) {
    boost::json::array allowed;
    for (const auto& a : error.allowed) allowed.push_back(Printable(a).c_str());
    problem["allowed"] = std::move(allowed);
  }
  return problem;
}

}  // namespace waymark::http
