#pragma once

#include <chrono>
#include <expected>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace waymark {

// Waymark's instants: UTC, microsecond precision (PostgreSQL's timestamptz
// precision), so a stored time reads back bit-for-bit and hashes stay valid.
using Timestamp = std::chrono::sys_time<std::chrono::microseconds>;

// "2026-11-26T12:00:00.123456Z": always UTC, always six fractional digits,
// so the text form is canonical and sorts like the instant.
std::string FormatRfc3339(Timestamp t);

// Accepts RFC 3339 date-times ("2026-11-26T12:00:00Z",
// "2026-11-26T13:00:00.5+01:00") and plain dates ("2026-11-26", taken as
// midnight UTC). Fractions finer than a microsecond are refused, and so is
// a year outside kFirstYear..kLastYear (core/text_rules.hpp): every time
// accepted is one PostgreSQL, the timers and the text form hold.
std::expected<Timestamp, Error> ParseRfc3339(std::string_view text);

// The day `days` after (before, when negative) a day YYYY-MM-DD, or "" when
// `day` is not one.
std::string AddDays(std::string_view day, int days);

}  // namespace waymark
