#pragma once

#include "adapters/cli/cli.hpp"
#include "adapters/http/problem.hpp"
#include "core/error.hpp"

namespace waymark::cli {

// Prints the refusal as a problem object (the API's, http::ProblemJson) on
// stdout and its detail on stderr; returns the verb's exit code for it.
int PrintProblem(const Invocation& inv, std::string_view verb, const Error& error);

}  // namespace waymark::cli
