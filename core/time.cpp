#include "core/time.hpp"

#include <charconv>
#include <cstdio>

#include "core/text_rules.hpp"

namespace waymark {
namespace {

using std::chrono::days;
using std::chrono::microseconds;

Error BadTime(std::string_view text) {
  return MakeError(ErrorCode::kValidation,
                   "'" + std::string(text) +
                       "' is not a date-time; expected RFC 3339 such as 2026-11-26T12:00:00Z "
                       "or a date such as 2026-11-26");
}

bool ReadDigits(std::string_view text, std::size_t pos, std::size_t count, int& out) {
  if (pos + count > text.size()) return false;
  out = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    out = out * 10 + (text[i] - '0');
  }
  return true;
}

}  // namespace

std::string FormatRfc3339(Timestamp t) {
  const auto day = std::chrono::floor<days>(t);
  const std::chrono::year_month_day ymd{day};
  const std::chrono::hh_mm_ss hms{t - day};
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%06lldZ", int(ymd.year()),
                unsigned(ymd.month()), unsigned(ymd.day()), int(hms.hours().count()),
                int(hms.minutes().count()), int(hms.seconds().count()),
                static_cast<long long>(hms.subseconds().count()));
  return buf;
}

std::expected<Timestamp, Error> ParseRfc3339(std::string_view text) {
  int year = 0, month = 0, day = 0;
  if (!ReadDigits(text, 0, 4, year) || text.size() < 10 || text[4] != '-' ||
      !ReadDigits(text, 5, 2, month) || text[7] != '-' || !ReadDigits(text, 8, 2, day)) {
    return std::unexpected(BadTime(text));
  }
  const std::chrono::year_month_day ymd{std::chrono::year{year},
                                        std::chrono::month{static_cast<unsigned>(month)},
                                        std::chrono::day{static_cast<unsigned>(day)}};
  if (!ymd.ok()) return std::unexpected(BadTime(text));
  if (year < kFirstYear || year > kLastYear) {
    return std::unexpected(
        MakeError(ErrorCode::kValidation, "'" + std::string(text) + "' is outside the years " +
                                              std::to_string(kFirstYear) + " to " +
                                              std::to_string(kLastYear) + " that Waymark accepts"));
  }
  Timestamp result = std::chrono::sys_days{ymd};
  if (text.size() == 10) return result;

  int hour = 0, minute = 0, second = 0;
  if (text.size() < 20 || (text[10] != 'T' && text[10] != 't' && text[10] != ' ') ||
      !ReadDigits(text, 11, 2, hour) || text[13] != ':' || !ReadDigits(text, 14, 2, minute) ||
      text[16] != ':' || !ReadDigits(text, 17, 2, second) || hour > 23 || minute > 59 ||
      second > 60) {
    return std::unexpected(BadTime(text));
  }
  result += std::chrono::hours{hour} + std::chrono::minutes{minute} + std::chrono::seconds{second};
  std::size_t pos = 19;
  if (text[pos] == '.') {
    ++pos;
    long long micros = 0;
    int digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (++digits > 6) {
        return std::unexpected(MakeError(
            ErrorCode::kValidation,
            "'" + std::string(text) + "' has more than 6 fractional digits; microseconds at most"));
      }
      micros = micros * 10 + (text[pos++] - '0');
    }
    if (digits == 0) return std::unexpected(BadTime(text));
    for (int i = digits; i < 6; ++i) micros *= 10;
    result += microseconds{micros};
  }
  if (pos >= text.size()) return std::unexpected(BadTime(text));
  if (text[pos] == 'Z' || text[pos] == 'z') {
    if (pos + 1 != text.size()) return std::unexpected(BadTime(text));
    return result;
  }
  int off_h = 0, off_m = 0;
  const char sign = text[pos];
  if ((sign != '+' && sign != '-') || pos + 6 != text.size() ||
      !ReadDigits(text, pos + 1, 2, off_h) || text[pos + 3] != ':' ||
      !ReadDigits(text, pos + 4, 2, off_m) || off_h > 23 || off_m > 59) {
    return std::unexpected(BadTime(text));
  }
  const auto offset = std::chrono::hours{off_h} + std::chrono::minutes{off_m};
  return sign == '+' ? result - offset : result + offset;
}

std::string AddDays(std::string_view day, int days) {
  if (day.size() != 10) return {};
  auto t = ParseRfc3339(std::string(day) + "T00:00:00Z");
  if (!t) return {};
  return FormatRfc3339(*t + std::chrono::days(days)).substr(0, 10);
}

}  // namespace waymark
