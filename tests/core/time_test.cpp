#include "core/time.hpp"

#include <gtest/gtest.h>

namespace waymark {
namespace {

TEST(Time, FormatsUtcWithSixFractionalDigits) {
  const Timestamp t = std::chrono::sys_days{std::chrono::year{2026} / 11 / 26} +
                      std::chrono::hours{9} + std::chrono::minutes{5} + std::chrono::seconds{7} +
                      std::chrono::microseconds{42};
  EXPECT_EQ(FormatRfc3339(t), "2026-11-26T09:05:07.000042Z");
  EXPECT_EQ(FormatRfc3339(Timestamp{}), "1970-01-01T00:00:00.000000Z");
}

TEST(Time, ParsesRfc3339AndDatesAndRoundTrips) {
  EXPECT_EQ(FormatRfc3339(*ParseRfc3339("2026-11-26T09:05:07.000042Z")),
            "2026-11-26T09:05:07.000042Z");
  EXPECT_EQ(FormatRfc3339(*ParseRfc3339("2026-11-26T10:05:07.5+01:00")),
            "2026-11-26T09:05:07.500000Z");
  EXPECT_EQ(FormatRfc3339(*ParseRfc3339("2026-11-26T04:05:07-05:00")),
            "2026-11-26T09:05:07.000000Z");
  EXPECT_EQ(FormatRfc3339(*ParseRfc3339("2026-11-26")), "2026-11-26T00:00:00.000000Z");
}

TEST(Time, RefusesWhatIsNotADateTime) {
  for (const char* bad :
       {"", "yesterday", "2026-13-01", "2026-02-30", "2026-11-26T25:00:00Z", "2026-11-26T12:00:00",
        "2026-11-26T12:00:00.Z", "2026-11-26T12:00Z", "2026-11-26T12:00:00Zjunk"}) {
    auto t = ParseRfc3339(bad);
    ASSERT_FALSE(t) << bad;
    EXPECT_NE(t.error().message.find("expected RFC 3339"), std::string::npos) << bad;
  }
  auto fine = ParseRfc3339("2026-11-26T12:00:00.1234567Z");
  ASSERT_FALSE(fine);
  EXPECT_NE(fine.error().message.find("microseconds at most"), std::string::npos);
}

}  // namespace
}  // namespace waymark
