#include "core/event.hpp"

#include <charconv>

namespace waymark {

std::string GlobalCursor::ToString() const {
  return std::to_string(commit) + ":" + std::to_string(position);
}

std::optional<GlobalCursor> GlobalCursor::Parse(std::string_view text) {
  const auto colon = text.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  GlobalCursor c;
  const auto* end1 = text.data() + colon;
  const auto [p1, e1] = std::from_chars(text.data(), end1, c.commit);
  const auto* end2 = text.data() + text.size();
  const auto [p2, e2] = std::from_chars(end1 + 1, end2, c.position);
  if (e1 != std::errc{} || p1 != end1 || e2 != std::errc{} || p2 != end2 || c.position < 0) {
    return std::nullopt;
  }
  return c;
}

}  // namespace waymark
