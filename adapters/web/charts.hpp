#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace waymark::web {

// Charts as SVG text, drawn by the server: deterministic (the same data
// gives the same bytes), printable, each with <title> and <desc> (the page
// puts the numbers in a table beside it). Colours are Okabe–Ito's, and each
// series or status also has a shape or dash, so no meaning rests on colour.

enum class Shape { kCircle, kSquare, kTriangle, kDiamond, kCross, kRing };

// A mark of `shape` centred at (x, y), `size` across, filled with `colour`.
std::string Marker(Shape shape, double x, double y, double size, std::string_view colour);

// A small inline icon of a status (aria-hidden: the word beside it speaks).
std::string StatusIcon(Shape shape, std::string_view colour);

// One series of a chart: its label and one value per axis or point (none: not scored).
struct Series {
  std::string label;
  std::vector<std::optional<double>> values;
};

// The style of the i-th series: colour, dash pattern and marker shape.
struct SeriesStyle {
  std::string_view colour, dash;
  Shape shape;
};
SeriesStyle StyleOf(std::size_t i);

// A radar of `axes` (at most three series), scaled 0..max. `id` makes the
// title's and description's ids unique on the page.
std::string RadarChart(std::string_view id, std::string_view title, std::string_view description,
                       const std::vector<std::string>& axes, const std::vector<Series>& series,
                       double max);

// A small line of values over rounds, scaled min..max.
std::string Sparkline(std::string_view id, std::string_view title,
                      const std::vector<std::optional<double>>& values, double min, double max);

// Dated items on a line, today marked (no links inside: an image is one
// control; the table beside it links each item).
struct TimelineItem {
  std::string label;
  std::string date;  // YYYY-MM-DD
  Shape shape;
  std::string colour;
  std::string status;  // the word, for the description
};
std::string Timeline(std::string_view id, std::string_view title,
                     const std::vector<TimelineItem>& items, std::string_view today);

// Horizontal bars with their values, the longest as long as `scale` (or
// the largest value, when larger): a score's bars scaled to 5.
std::string BarChart(std::string_view id, std::string_view title, std::string_view description,
                     const std::vector<std::pair<std::string, double>>& bars, double scale = 0);

}  // namespace waymark::web
