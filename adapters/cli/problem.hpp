#pragma once

#include <boost/json/object.hpp>

#include "adapters/cli/cli.hpp"
#include "core/error.hpp"

namespace waymark::cli {

// An Error as an RFC 9457 problem object: type, title, status (the HTTP
// status the API answers with), detail, and `allowed` for commands refused
// in the current state.
boost::json::object ProblemJson(const Error& error);

// Prints the refusal as a problem object on stdout and its detail on
// stderr; returns the verb's exit code for it.
int PrintProblem(const Invocation& inv, std::string_view verb, const Error& error);

}  // namespace waymark::cli
