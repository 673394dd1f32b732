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
  }
  return "Error";
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
  }
  return 500;
}

boost::json::object ProblemJson(const Error& error) {
  boost::json::object problem{
      {"type", "https://waymark.invalid/problems/" + std::string(ToString(error.code))},
      {"title", Title(error.code)},
      {"status", HttpStatus(error.code)},
      {"detail", error.message}};
  if (error.code == ErrorCode::kNotAllowed) {
    problem["allowed"] = boost::json::array(error.allowed.begin(), error.allowed.end());
  }
  return problem;
}

}  // namespace waymark::http
