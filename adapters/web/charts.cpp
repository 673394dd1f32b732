#include "adapters/web/charts.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>

#include "adapters/web/html.hpp"
#include "core/text_rules.hpp"

namespace waymark::web {
namespace {

constexpr double kPi = 3.14159265358979323846;

std::string Num(double v) { return fmt::format("{:.1f}", v); }

// A chart's opening tag; a wide one (`scroll`) sits in a box that scrolls on
// a narrow screen, its labels kept at their size. Close with Close(scroll).
std::string Open(std::string_view id, std::string_view title, std::string_view description,
                 double width, double height, bool scroll = true) {
  return std::string(scroll ? "<div class=\"chart-scroll\" tabindex=\"0\">" : "") +
         fmt::format(
             "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" width=\"{}\" "
             "height=\"{}\" "
             "role=\"img\" aria-labelledby=\"{}-t {}-d\"><title id=\"{}-t\">{}</title><desc "
             "id=\"{}-d\">{}</desc>",
             Num(width), Num(height), Num(width), Num(height), id, id, id, Escape(title), id,
             Escape(description));
}

std::string Close(bool scroll = true) { return scroll ? "</svg></div>" : "</svg>"; }

// Days since 1970-01-01 of YYYY-MM-DD; nullopt when not such a date.
std::optional<int> Days(std::string_view date) {
  if (date.size() != 10 || date[4] != '-' || date[7] != '-') return std::nullopt;
  try {
    const int y = std::stoi(std::string(date.substr(0, 4)));
    const unsigned m = static_cast<unsigned>(std::stoi(std::string(date.substr(5, 2))));
    const unsigned d = static_cast<unsigned>(std::stoi(std::string(date.substr(8, 2))));
    const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{m},
                                          std::chrono::day{d}};
    if (!ymd.ok()) return std::nullopt;
    return std::chrono::sys_days(ymd).time_since_epoch().count();
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::string DateOf(int days) {
  const std::chrono::year_month_day ymd{std::chrono::sys_days(std::chrono::days(days))};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
}

}  // namespace

std::string Marker(Shape shape, double x, double y, double size, std::string_view colour) {
  const double r = size / 2;
  switch (shape) {
    case Shape::kCircle:
      return fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{}\"/>", Num(x), Num(y),
                         Num(r), colour);
    case Shape::kRing:
      return fmt::format(
          "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"#ffffff\" stroke=\"{}\" "
          "stroke-width=\"2\"/>",
          Num(x), Num(y), Num(r - 1), colour);
    case Shape::kSquare:
      return fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"/>",
                         Num(x - r * 0.9), Num(y - r * 0.9), Num(r * 1.8), Num(r * 1.8), colour);
    case Shape::kTriangle:
      return fmt::format("<polygon points=\"{},{} {},{} {},{}\" fill=\"{}\"/>", Num(x), Num(y - r),
                         Num(x + r), Num(y + r * 0.8), Num(x - r), Num(y + r * 0.8), colour);
    case Shape::kDiamond:
      return fmt::format("<polygon points=\"{},{} {},{} {},{} {},{}\" fill=\"{}\"/>", Num(x),
                         Num(y - r), Num(x + r), Num(y), Num(x), Num(y + r), Num(x - r), Num(y),
                         colour);
    case Shape::kCross:
      return fmt::format(
          "<path d=\"M{} {}L{} {}M{} {}L{} {}\" stroke=\"{}\" stroke-width=\"2.5\"/>", Num(x - r),
          Num(y - r), Num(x + r), Num(y + r), Num(x - r), Num(y + r), Num(x + r), Num(y - r),
          colour);
  }
  return {};
}

std::string StatusIcon(Shape shape, std::string_view colour) {
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 14 14\" width=\"14\" "
         "height=\"14\" aria-hidden=\"true\" focusable=\"false\">" +
         Marker(shape, 7, 7, 12, colour) + "</svg>";
}

SeriesStyle StyleOf(std::size_t i) {
  static constexpr SeriesStyle kStyles[] = {
      {"#0072b2", "", Shape::kCircle},        // blue, solid, circles
      {"#d55e00", "6 4", Shape::kSquare},     // vermillion, dashed, squares
      {"#009e73", "2 3", Shape::kTriangle}};  // bluish green, dotted, triangles
  return kStyles[i % 3];
}

std::string RadarChart(std::string_view id, std::string_view title, std::string_view description,
                       const std::vector<std::string>& axes, const std::vector<Series>& series,
                       double max) {
  const double w = 520, h = 470, cx = 260, cy = 200, radius = 140;
  const std::size_t n = axes.size();
  std::string out = Open(id, title, description, w, h);
  const auto at = [&](std::size_t axis, double r) {  // r from the centre, along the axis
    const double angle = -kPi / 2 + 2 * kPi * static_cast<double>(axis) / static_cast<double>(n);
    return std::pair{cx + r * std::cos(angle), cy + r * std::sin(angle)};
  };
  const auto point = [&](std::size_t axis, double value) {
    return at(axis, radius * std::clamp(value / max, 0.0, 1.0));
  };
  // Rings at each whole value, spokes, axis labels.
  for (int ring = 1; ring <= static_cast<int>(max); ++ring) {
    std::string points;
    for (std::size_t a = 0; a < n; ++a) {
      const auto [x, y] = point(a, ring);
      points += Num(x) + "," + Num(y) + " ";
    }
    out += fmt::format("<polygon points=\"{}\" fill=\"none\" stroke=\"#c9c9c9\"/>", points);
    const auto [lx, ly] = point(0, ring);
    out += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"10\">{}</text>", Num(lx + 3),
                       Num(ly + 3), ring);
  }
  for (std::size_t a = 0; a < n; ++a) {
    const auto [x, y] = point(a, max);
    out += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#c9c9c9\"/>",
                       Num(cx), Num(cy), Num(x), Num(y));
    const auto [tx, ty] = at(a, radius + 16);  // the label, beyond the outer ring
    const char* anchor = tx < cx - 10 ? "end" : tx > cx + 10 ? "start" : "middle";
    out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"{}\">{}</text>", Num(tx), Num(ty + 4),
                       anchor, Escape(Humanize(axes[a])));
  }
  for (std::size_t s = 0; s < series.size(); ++s) {
    const auto style = StyleOf(s);
    std::string points, marks;
    for (std::size_t a = 0; a < n && a < series[s].values.size(); ++a) {
      if (!series[s].values[a]) continue;
      const auto [x, y] = point(a, *series[s].values[a]);
      points += Num(x) + "," + Num(y) + " ";
      marks += Marker(style.shape, x, y, 8, style.colour);
    }
    out +=
        fmt::format("<polygon points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2.5\"{}/>",
                    points, style.colour,
                    style.dash.empty() ? "" : fmt::format(" stroke-dasharray=\"{}\"", style.dash));
    out += marks;
  }
  // Legend, a line each: line, marker and label of each series.
  for (std::size_t s = 0; s < series.size(); ++s) {
    const auto style = StyleOf(s);
    const double y = 392 + 22 * static_cast<double>(s);
    out += fmt::format(
        "<line x1=\"12\" y1=\"{}\" x2=\"38\" y2=\"{}\" stroke=\"{}\" stroke-width=\"2.5\"{}/>",
        Num(y), Num(y), style.colour,
        style.dash.empty() ? "" : fmt::format(" stroke-dasharray=\"{}\"", style.dash));
    out += Marker(style.shape, 25, y, 8, style.colour);
    out += fmt::format("<text x=\"46\" y=\"{}\">{}</text>", Num(y + 4), Escape(series[s].label));
  }
  return out + Close();
}

std::string Sparkline(std::string_view id, std::string_view title,
                      const std::vector<std::optional<double>>& values, double min, double max) {
  const double w = 140, h = 36, pad = 6;
  std::string description = "Values by round:";
  for (const auto& v : values) description += " " + (v ? Num(*v) : std::string("none"));
  std::string out = Open(id, title, description, w, h, false);
  const double step =
      values.size() > 1 ? (w - 2 * pad) / static_cast<double>(values.size() - 1) : 0;
  std::string points, marks;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!values[i]) continue;
    const double x = pad + step * static_cast<double>(i);
    const double y = h - pad - (h - 2 * pad) * (*values[i] - min) / (max - min);
    points += Num(x) + "," + Num(y) + " ";
    marks += Marker(Shape::kCircle, x, y, 6, "#0072b2");
  }
  out += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#c9c9c9\"/>", Num(pad),
                     Num(h - pad), Num(w - pad), Num(h - pad));
  out += fmt::format(
      "<polyline points=\"{}\" fill=\"none\" stroke=\"#0072b2\" stroke-width=\"2\"/>", points);
  return out + marks + "</svg>";
}

std::string Timeline(std::string_view id, std::string_view title,
                     const std::vector<TimelineItem>& items, std::string_view today) {
  const double label_w = 230, w = 760, row = 24, top = 34;
  const double h = top + row * static_cast<double>(items.size()) + 16;
  std::vector<int> days;
  for (const auto& item : items) {
    if (auto d = Days(item.date)) days.push_back(*d);
  }
  const auto now = Days(today);
  if (now) days.push_back(*now);
  std::string description = "Due dates:";
  for (const auto& item : items) {
    description += " " + item.label + " due " + item.date + " (" + item.status + ");";
  }
  std::string out = Open(id, title, description, w, h);
  if (days.empty()) return out + Close();
  const int first = *std::min_element(days.begin(), days.end()) - 7;
  const int last = *std::max_element(days.begin(), days.end()) + 7;
  const auto x_of = [&](int d) {
    return label_w + (w - label_w - 50) * static_cast<double>(d - first) /
                         static_cast<double>(std::max(1, last - first));
  };
  // Month ticks: the first of each month in range.
  for (int d = first; d <= last; ++d) {
    const std::string date = DateOf(d);
    if (date.substr(8) != "01") continue;
    const double x = x_of(d);
    out += fmt::format(
        "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#e1e1e1\"/><text x=\"{}\" "
        "y=\"14\" text-anchor=\"middle\" font-size=\"10\">{}</text>",
        Num(x), Num(top - 8), Num(x), Num(h - 10), Num(x), date.substr(0, 7));
  }
  if (now) {
    const double x = x_of(*now);
    out += fmt::format(
        "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#000000\" "
        "stroke-dasharray=\"4 3\"/><text x=\"{}\" y=\"28\" text-anchor=\"middle\" "
        "font-weight=\"700\">today</text>",
        Num(x), Num(top - 6), Num(x), Num(h - 10), Num(x));
  }
  for (std::size_t i = 0; i < items.size(); ++i) {
    const auto& item = items[i];
    const double y = top + row * static_cast<double>(i) + row / 2;
    std::string label = CharacterCount(item.label) > 34
                            ? std::string(TruncateCharacters(item.label, 33)) + "…"
                            : item.label;
    out += fmt::format("<text x=\"4\" y=\"{}\">{}</text>", Num(y + 4), Escape(label));
    out += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#eeeeee\"/>",
                       Num(label_w), Num(y), Num(w - 10), Num(y));
    if (auto d = Days(item.date)) out += Marker(item.shape, x_of(*d), y, 12, item.colour);
  }
  return out + Close();
}

std::string BarChart(std::string_view id, std::string_view title, std::string_view description,
                     const std::vector<std::pair<std::string, double>>& bars, double scale) {
  const double label_w = 200, w = 560, row = 26;
  const double h = row * static_cast<double>(bars.size()) + 10;
  double top = scale;
  for (const auto& [label, value] : bars) top = std::max(top, value);
  std::string out = Open(id, title, description, w, h);
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const double y = 5 + row * static_cast<double>(i);
    const double len = top > 0 ? (w - label_w - 60) * bars[i].second / top : 0;
    out += fmt::format(
        "<text x=\"4\" y=\"{}\">{}</text><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"16\" "
        "fill=\"{}\"/><text x=\"{}\" y=\"{}\">{}</text>",
        Num(y + 13), Escape(bars[i].first), Num(label_w), Num(y + 1), Num(len), StyleOf(0).colour,
        Num(label_w + len + 6), Num(y + 13),
        bars[i].second == std::floor(bars[i].second) ? fmt::format("{:.0f}", bars[i].second)
                                                     : fmt::format("{:.2f}", bars[i].second));
  }
  return out + Close();
}

}  // namespace waymark::web
