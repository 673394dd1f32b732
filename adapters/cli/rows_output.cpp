#include "adapters/cli/rows_output.hpp"

#include <algorithm>
#include <boost/json/serialize.hpp>

namespace waymark::cli {
namespace {

std::string Text(const boost::json::object& row, const std::string& column) {
  const auto* v = row.if_contains(column);
  if (!v || v->is_null()) return "";
  if (v->is_string()) return std::string(v->get_string());
  return boost::json::serialize(*v);
}

}  // namespace

void PrintRows(std::ostream& out, const std::vector<boost::json::object>& rows,
               const std::vector<std::string>& columns, std::string_view format) {
  if (format == "json") {
    boost::json::array all;
    for (const auto& row : rows) {
      boost::json::object picked;
      for (const auto& c : columns) {
        const auto* v = row.if_contains(c);
        picked[c] = v ? *v : boost::json::value(nullptr);
      }
      all.push_back(std::move(picked));
    }
    out << boost::json::serialize(all) << "\n";
    return;
  }
  if (format == "csv") {
    for (std::size_t i = 0; i < columns.size(); ++i) out << (i ? "," : "") << CsvField(columns[i]);
    out << "\r\n";
    for (const auto& row : rows) {
      for (std::size_t i = 0; i < columns.size(); ++i)
        out << (i ? "," : "") << CsvField(Text(row, columns[i]));
      out << "\r\n";
    }
    return;
  }
  std::vector<std::size_t> width;
  for (const auto& c : columns) width.push_back(c.size());
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < columns.size(); ++i)
      width[i] = std::max(width[i], Text(row, columns[i]).size());
  }
  const auto line = [&](auto cell) {
    std::string text;
    for (std::size_t i = 0; i < columns.size(); ++i) {
      std::string value = cell(i);
      if (i + 1 < columns.size()) value.resize(width[i] + 2, ' ');
      text += value;
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    out << text << "\n";
  };
  line([&](std::size_t i) { return columns[i]; });
  for (const auto& row : rows) line([&](std::size_t i) { return Text(row, columns[i]); });
  out << "(" << rows.size() << (rows.size() == 1 ? " row" : " rows") << ")\n";
}

}  // namespace waymark::cli
