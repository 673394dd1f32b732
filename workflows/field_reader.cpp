#include "workflows/field_reader.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/stream_name.hpp"
#include "core/text_rules.hpp"
#include "core/time.hpp"

namespace waymark::workflows {

void FieldReader::Fail(std::string_view field, std::string_view expected) {
  if (error_) return;
  error_ = MakeError(ErrorCode::kValidation,
                     "field '" + std::string(field) + "' must be " + std::string(expected));
}

const boost::json::string* FieldReader::String(std::string_view field, std::string_view expected) {
  const auto* value = data_.if_contains(field);
  const auto* text = value ? value->if_string() : nullptr;
  if (!text) Fail(field, expected);
  return text;
}

std::string FieldReader::Id(std::string_view field) {
  constexpr std::string_view kExpected = "an id of 1-64 characters from A-Z a-z 0-9 _ -";
  const auto* text = String(field, kExpected);
  if (!text) return {};
  if (!IsValidId(*text)) {
    Fail(field, kExpected);
    return {};
  }
  return std::string(*text);
}

std::string FieldReader::Text(std::string_view field, std::size_t max_chars, TextLines lines) {
  const std::string expected = "a text of 1-" + std::to_string(max_chars) + " characters" +
                               (lines == TextLines::kOne ? " on one line" : "");
  const auto* text = String(field, expected);
  if (!text) return {};
  // A line break typed in a browser arrives as CR LF: kept as LF.
  std::string value(*text);
  if (lines == TextLines::kMany && value.find('\r') != std::string::npos) {
    std::string out;
    for (std::size_t i = 0; i < value.size(); ++i) {
      if (value[i] == '\r' && i + 1 < value.size() && value[i + 1] == '\n') continue;
      out += value[i];
    }
    value = std::move(out);
  }
  if (auto problem = TextProblem(value, lines); !problem.empty()) {
    Fail(field, expected + "; this one " + problem);
    return {};
  }
  const std::size_t chars = CharacterCount(value);
  if (chars == 0 || chars > max_chars) {
    Fail(field, expected);
    return {};
  }
  return value;
}

std::string FieldReader::Date(std::string_view field) {
  constexpr std::string_view kExpected = "a date such as 2026-11-30, from 1900-01-01 to 2999-12-31";
  const auto* text = String(field, kExpected);
  if (!text) return {};
  if (text->size() != 10 || !ParseRfc3339(*text)) {
    Fail(field, kExpected);
    return {};
  }
  return std::string(*text);
}

std::string FieldReader::Instant(std::string_view field) {
  constexpr std::string_view kExpected =
      "an RFC 3339 time such as 2026-11-30T09:00:00Z, in the years 1900 to 2999";
  const auto* text = String(field, kExpected);
  if (!text) return {};
  auto t = ParseRfc3339(*text);
  if (!t || text->size() == 10) {
    Fail(field, kExpected);
    return {};
  }
  return FormatRfc3339(*t);
}

std::vector<std::string> FieldReader::Links(std::string_view field) {
  constexpr std::string_view kExpected =
      "a list of at most 20 links, each an http:// or https:// URL of at most 500 characters";
  const auto* value = data_.if_contains(field);
  if (!value) return {};  // no links is fine
  const auto* array = value->if_array();
  if (!array || array->size() > 20) {
    Fail(field, kExpected);
    return {};
  }
  std::vector<std::string> links;
  for (const auto& item : *array) {
    const auto* link = item.if_string();
    if (!link || link->size() > 500 ||
        !(link->starts_with("https://") || link->starts_with("http://")) ||
        std::string_view(*link).find(' ') != std::string_view::npos ||
        !TextProblem(*link, TextLines::kOne).empty()) {
      Fail(field, kExpected);
      return {};
    }
    links.emplace_back(*link);
  }
  return links;
}

std::string FieldReader::OneOf(std::string_view field, std::span<const std::string_view> choices) {
  std::string expected = "one of";
  for (auto c : choices) expected += (expected == "one of" ? " " : ", ") + std::string(c);
  const auto* text = String(field, expected);
  if (!text) return {};
  for (auto c : choices) {
    if (*text == c) return std::string(c);
  }
  Fail(field, expected);
  return {};
}

std::string FieldReader::OptionalId(std::string_view field) {
  const auto* value = data_.if_contains(field);
  if (!value || value->is_null()) return {};
  return Id(field);
}

std::int64_t FieldReader::Int(std::string_view field, std::int64_t min, std::int64_t max) {
  const std::string expected =
      "a whole number from " + std::to_string(min) + " to " + std::to_string(max);
  const auto* value = data_.if_contains(field);
  const auto* number = value ? value->if_int64() : nullptr;
  if (!number || *number < min || *number > max) {
    Fail(field, expected);
    return min;
  }
  return *number;
}

std::string FieldReader::Pounds(std::string_view field) {
  constexpr std::string_view kExpected =
      "an amount of pounds from 0 with at most two decimals, as a number (1250.5) or a string "
      "(\"1250.50\")";
  constexpr std::int64_t kMaxPence = 99'999'999'999'999;
  const auto* value = data_.if_contains(field);
  std::int64_t pence = -1;
  if (value && value->is_int64()) {
    if (value->as_int64() >= 0 && value->as_int64() <= kMaxPence / 100) {
      pence = value->as_int64() * 100;
    }
  } else if (value && value->is_double()) {
    // Exact only: the nearest whole number of pence must be the very value given.
    const double pounds = value->as_double();
    if (std::isfinite(pounds) && pounds >= 0 && pounds * 100 <= static_cast<double>(kMaxPence)) {
      const auto candidate = static_cast<std::int64_t>(std::llround(pounds * 100));
      if (static_cast<double>(candidate) / 100.0 == pounds) pence = candidate;
    }
  } else if (value && value->is_string()) {
    const std::string_view text = value->as_string();
    const auto dot = text.find('.');
    const std::string_view whole = text.substr(0, dot);
    const std::string_view cents = dot == std::string_view::npos ? "" : text.substr(dot + 1);
    const auto digits = [](std::string_view s) {
      return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
    };
    if (!whole.empty() && whole.size() <= 12 && digits(whole) &&
        (dot == std::string_view::npos || (!cents.empty() && cents.size() <= 2 && digits(cents)))) {
      pence = std::stoll(std::string(whole)) * 100;
      if (!cents.empty()) pence += std::stoll(std::string(cents)) * (cents.size() == 1 ? 10 : 1);
    }
  }
  if (pence < 0 || pence > kMaxPence) {
    Fail(field, kExpected);
    return {};
  }
  return PoundsText(pence);
}

std::string PoundsText(std::int64_t pence) {
  char text[32];
  std::snprintf(text, sizeof text, "%lld.%02lld", static_cast<long long>(pence / 100),
                static_cast<long long>(pence % 100));
  return std::string(text);
}

std::int64_t PenceOf(std::string_view text) {
  const auto dot = text.find('.');
  if (dot == std::string_view::npos || text.size() != dot + 3) return 0;
  std::int64_t pence = 0;
  for (char c : text) {
    if (c == '.') continue;
    if (c < '0' || c > '9') return 0;
    pence = pence * 10 + (c - '0');
  }
  return pence;
}

}  // namespace waymark::workflows
