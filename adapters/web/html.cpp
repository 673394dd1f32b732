#include "adapters/web/html.hpp"

#include <cctype>

#include "application/words.hpp"

namespace waymark::web {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Whether `s` is well-formed UTF-8 (no overlong forms, surrogates or values past U+10FFFF).
bool ValidUtf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xe0) == 0xc0) {
      n = 1, cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      n = 2, cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      n = 3, cp = c & 0x07;
    } else {
      return false;
    }
    if (i + n >= s.size()) return false;
    for (std::size_t k = 1; k <= n; ++k) {
      const auto d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3f);
    }
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
        cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      return false;
    }
    i += n + 1;
  }
  return true;
}

std::expected<std::string, Error> Decode(std::string_view part, std::string_view what) {
  std::string out;
  out.reserve(part.size());
  for (std::size_t i = 0; i < part.size(); ++i) {
    char c = part[i];
    if (c == '+') {
      c = ' ';
    } else if (c == '%') {
      const bool whole = i + 2 < part.size();
      const int hi = whole ? HexValue(part[i + 1]) : -1;
      const int lo = whole ? HexValue(part[i + 2]) : -1;
      if (hi < 0 || lo < 0) {
        return std::unexpected(
            MakeError(ErrorCode::kValidation,
                      "form " + std::string(what) + ": a % must be followed by two hex digits"));
      }
      c = static_cast<char>(hi * 16 + lo);
      i += 2;
    }
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\t' && c != '\n' && c != '\r') || u == 0x7f) {
      return std::unexpected(MakeError(
          ErrorCode::kValidation, "form " + std::string(what) +
                                      ": control characters other than tab and new line are not "
                                      "accepted"));
    }
    out.push_back(c);
  }
  if (!ValidUtf8(out)) {
    return std::unexpected(
        MakeError(ErrorCode::kValidation, "form " + std::string(what) + ": not valid UTF-8 text"));
  }
  return out;
}

}  // namespace

std::string HexOf(const unsigned char* bytes, std::size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < n; ++i) {
    out.push_back(kDigits[bytes[i] >> 4]);
    out.push_back(kDigits[bytes[i] & 0xf]);
  }
  return out;
}

std::string Escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

std::string UrlEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 0xf]);
    }
  }
  return out;
}

std::expected<std::map<std::string, std::string>, Error> ParseForm(std::string_view body) {
  std::map<std::string, std::string> out;
  while (!body.empty()) {
    const auto amp = body.find('&');
    const std::string_view pair = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view() : body.substr(amp + 1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    auto name = Decode(pair.substr(0, eq), "field name");
    if (!name) return std::unexpected(name.error());
    auto value =
        Decode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1), *name);
    if (!value) return std::unexpected(value.error());
    if (!out.emplace(*name, std::move(*value)).second) {
      return std::unexpected(
          MakeError(ErrorCode::kValidation, "form field '" + *name + "' is given twice"));
    }
  }
  return out;
}

boost::json::array NonEmptyLines(std::string_view text) {
  boost::json::array lines;
  while (!text.empty()) {
    const auto end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) {
      line.remove_suffix(1);
    }
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.front()))) {
      line.remove_prefix(1);
    }
    if (!line.empty()) lines.emplace_back(line);
  }
  return lines;
}

std::string SelectHtml(std::string_view id, std::string_view name, std::string_view label,
                       const Options& options, std::string_view chosen) {
  std::string out = label.empty()
                        ? std::string()
                        : "<label for=\"" + Escape(id) + "\">" + Escape(label) + "</label>";
  out += "<select id=\"" + Escape(id) + "\" name=\"" + Escape(name) + "\">";
  for (const auto& [value, words] : options) {
    out += "<option value=\"" + Escape(value) + "\"" + (value == chosen ? " selected" : "") + ">" +
           Escape(words) + "</option>";
  }
  return out + "</select>";
}

std::string Humanize(std::string_view name) {
  if (auto label = app::LabelOf(name)) return std::string(*label);  // a term of the domain
  std::string out;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (c == '_') {
      out.push_back(' ');
    } else if (std::isupper(static_cast<unsigned char>(c)) && i > 0) {
      out.push_back(' ');
      out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    } else {
      out.push_back(c);
    }
  }
  if (!out.empty()) out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
  return out;
}

}  // namespace waymark::web
