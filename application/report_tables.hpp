#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <vector>

namespace waymark::app {

// One section of the programme report as a table.
struct ReportTable {
  std::string section;  // "stages", "dimensions", ...
  std::string title;    // for people
  std::vector<std::string> columns;
  std::vector<boost::json::object> rows;
};

// The programme report (projections::ProgrammeReport's JSON) as its tables,
// in a fixed order: report (period, selection, last position), stages,
// stage_moves, dimensions, milestones, steps, opportunities,
// representation, referrals, membership.
std::vector<ReportTable> ReportTables(const boost::json::object& report);

// A report cell's text: strings as they are, numbers as people write them
// ("3.22"), null as empty.
std::string ReportCell(const boost::json::value* v);

// The same as CSV: each table's header row (its first column `section`),
// its rows, and a blank line between tables; RFC 4180 quoting, CRLF.
std::string ReportCsv(const boost::json::object& report);

}  // namespace waymark::app
