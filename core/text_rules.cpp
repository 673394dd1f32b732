#include "core/text_rules.hpp"

#include <cstdint>
#include <cstdio>

namespace waymark {
namespace {

// The code point starting at `i`, advancing `i`; -1 for malformed UTF-8.
std::int32_t NextCodePoint(std::string_view s, std::size_t& i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b0 = byte(i);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  int extra = 0;
  std::int32_t cp = 0, min = 0;
  if ((b0 & 0xE0) == 0xC0) {
    extra = 1, cp = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    extra = 2, cp = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    extra = 3, cp = b0 & 0x07, min = 0x10000;
  } else {
    return -1;
  }
  if (i + static_cast<std::size_t>(extra) >= s.size()) return -1;  // cut short
  for (int k = 1; k <= extra; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return -1;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return -1;
  i += extra + 1;
  return cp;
}

}  // namespace

bool IsValidUtf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    if (NextCodePoint(text, i) < 0) return false;
  }
  return true;
}

std::string TextProblem(std::string_view text, TextLines lines) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < text.size();) {
    const std::int32_t cp = NextCodePoint(text, i);
    ++chars;
    if (cp < 0) return "is not valid UTF-8 (at character " + std::to_string(chars) + ")";
    const bool line_break = cp == '\t' || cp == '\n';
    if ((cp < 0x20 && !(line_break && lines == TextLines::kMany)) || cp == 0x7F ||
        (cp >= 0x80 && cp <= 0x9F)) {
      char code[16];
      std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(cp));
      return "contains a control character (" + std::string(code) + ") at character " +
             std::to_string(chars) +
             (lines == TextLines::kMany ? "; tab and newline are the only ones allowed"
                                        : "; it is one line of text, without tabs or newlines");
    }
  }
  return {};
}

std::size_t CharacterCount(std::string_view text) {
  std::size_t chars = 0;
  for (unsigned char c : text) chars += (c & 0xC0) != 0x80;
  return chars;
}

std::string_view TruncateCharacters(std::string_view text, std::size_t max_chars) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      if (chars == max_chars) return text.substr(0, i);
      ++chars;
    }
  }
  return text;
}

std::string PersonKey(std::string_view name) {
  std::string out;
  bool space = false;
  for (char c : name) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return out;
}

}  // namespace waymark
