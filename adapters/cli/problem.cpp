#include "adapters/cli/problem.hpp"

#include <boost/json/serialize.hpp>
#include <ostream>

namespace waymark::cli {
namespace {

int Status(ErrorCode code) {
  switch (code) {
    case ErrorCode::kValidation:
      return 400;
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

const char* Title(ErrorCode code) {
  switch (code) {
    case ErrorCode::kValidation:
      return "The request is malformed";
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

boost::json::object ProblemJson(const Error& error) {
  boost::json::object problem{
      {"type", "https://waymark.invalid/problems/" + std::string(ToString(error.code))},
      {"title", Title(error.code)},
      {"status", Status(error.code)},
      {"detail", error.message}};
  if (error.code == ErrorCode::kNotAllowed) {
    problem["allowed"] = boost::json::array(error.allowed.begin(), error.allowed.end());
  }
  return problem;
}

int PrintProblem(const Invocation& inv, std::string_view verb, const Error& error) {
  inv.out << boost::json::serialize(ProblemJson(error)) << "\n";
  return Refuse(inv, verb, error);
}

}  // namespace waymark::cli
