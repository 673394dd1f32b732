#pragma once

#include <boost/json/object.hpp>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "core/csv.hpp"

namespace waymark::cli {

using waymark::CsvField;  // core/csv.hpp

// Read-model rows in the named columns: "table" (aligned, with a header),
// "json" (an array of objects) or "csv" (a header row, then one row each).
// A missing or null value is empty in table and csv.
void PrintRows(std::ostream& out, const std::vector<boost::json::object>& rows,
               const std::vector<std::string>& columns, std::string_view format);

}  // namespace waymark::cli
