#include "adapters/cli/problem.hpp"

#include <boost/json/serialize.hpp>
#include <ostream>

namespace waymark::cli {

int PrintProblem(const Invocation& inv, std::string_view verb, const Error& error) {
  inv.out << boost::json::serialize(http::ProblemJson(error)) << "\n";
  return Refuse(inv, verb, error);
}

}  // namespace waymark::cli
