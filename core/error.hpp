#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace waymark {

// What kind of failure an operation reports. Expected failures are values
// (std::expected<T, Error>); exceptions are for bugs and are translated at
// adapter edges.
enum class ErrorCode {
  kValidation,       // the input is malformed; the message names the field and what is accepted
  kConflict,         // the expected version is stale; nothing was written
  kNotFound,         // the stream or item does not exist
  kNotAllowed,       // not allowed in the current state
  kForbidden,        // the caller's role or network may not do this
  kUnauthenticated,  // no credentials, or ones that are malformed, unknown or revoked
  kCorrupt,          // stored data fails an integrity check
  kUnavailable,      // an outside system (database, broker) failed; retrying may help
  kInternal,         // a bug: no input should cause it; the message is for the operator's log
};

std::string_view ToString(ErrorCode code);

struct Error {
  ErrorCode code;
  std::string message;
  std::vector<std::string> allowed;  // kNotAllowed: the commands the current state accepts
};

inline Error MakeError(ErrorCode code, std::string message) {
  return Error{code, std::move(message), {}};
}

}  // namespace waymark
