// The one text rule every field obeys, one identity per person, and CSV cells
// that no spreadsheet runs as formulas.

#include "core/text_rules.hpp"

#include <gtest/gtest.h>

#include "core/csv.hpp"
#include "core/time.hpp"

namespace waymark {
namespace {

TEST(TextRules, WellFormedUtf8OnlyAndNoControlButTabAndNewlineInManyLines) {
  EXPECT_TRUE(IsValidUtf8("Dùn Èideann — Edinburgh 🏴"));
  for (const char* bad : {"\xff", "\xc0\xaf", "\xe2\x82", "\xed\xa0\x80", "\xf4\x90\x80\x80",
                          "\xf8\x88\x80\x80\x80"}) {
    EXPECT_FALSE(IsValidUtf8(bad)) << bad;
    EXPECT_NE(TextProblem(bad, TextLines::kMany).find("UTF-8"), std::string::npos);
  }
  EXPECT_EQ(TextProblem("line one\nline two\twith a tab", TextLines::kMany), "");
  EXPECT_NE(TextProblem("line one\nline two", TextLines::kOne), "");
  for (const std::string& bad :
       {std::string("a\0b", 3), std::string("\x01"), std::string("\r"), std::string("\x1b[31m"),
        std::string("\x7f"), std::string("\xc2\x9b")}) {
    EXPECT_NE(TextProblem(bad, TextLines::kMany).find("control character"), std::string::npos)
        << static_cast<int>(static_cast<unsigned char>(bad[0]));
  }
  EXPECT_NE(TextProblem(std::string("ab\0", 3), TextLines::kOne).find("(U+0000) at character 3"),
            std::string::npos);
}

TEST(TextRules, LabelsAreCutBetweenCharactersNeverInsideOne) {
  const std::string text = "ééééé";  // 10 bytes
  EXPECT_EQ(TruncateCharacters(text, 3), "ééé");
  EXPECT_TRUE(IsValidUtf8(TruncateCharacters(text, 3)));
  EXPECT_EQ(TruncateCharacters(text, 9), text);
  EXPECT_EQ(CharacterCount(text), 5u);
}

TEST(TextRules, OnePersonHoweverTheNameIsSpelt) {
  EXPECT_EQ(PersonKey("Olivia"), "olivia");
  EXPECT_EQ(PersonKey("  olivia "), "olivia");
  EXPECT_EQ(PersonKey("Olivia   Ng"), "olivia ng");
  EXPECT_NE(PersonKey("olivia"), PersonKey("oscar"));
}

TEST(TextRules, TimesOutsideTheYearsEveryConsumerHoldsAreRefused) {
  for (const char* bad :
       {"0000-01-01", "0001-01-01T00:00:00Z", "1899-12-31", "3000-01-01", "9999-12-31T23:59:59Z"}) {
    auto t = ParseRfc3339(bad);
    ASSERT_FALSE(t) << bad;
    EXPECT_NE(t.error().message.find("1900 to 2999"), std::string::npos) << t.error().message;
  }
  EXPECT_TRUE(ParseRfc3339("1900-01-01"));
  EXPECT_TRUE(ParseRfc3339("2999-12-31T23:59:59Z"));
}

TEST(Csv, FormulaCellsAreNeutralisedAndNumbersKept) {
  EXPECT_EQ(CsvField("=HYPERLINK(\"http://x\",\"y\")"),
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
  EXPECT_EQ(CsvField("+cmd|' /C calc'!A0"), "\"'+cmd|' /C calc'!A0\"");
  EXPECT_EQ(CsvField("@SUM(A1:A2)"), "\"'@SUM(A1:A2)\"");
  EXPECT_EQ(CsvField("-2+3"), "\"'-2+3\"");
  EXPECT_EQ(CsvField("\tx"), "\"'\tx\"");
  EXPECT_EQ(CsvField("-0.50"), "-0.50");
  EXPECT_EQ(CsvField("-12"), "-12");
  EXPECT_EQ(CsvField("plain, text"), "\"plain, text\"");
  EXPECT_EQ(CsvField("Fife"), "Fife");
}

}  // namespace
}  // namespace waymark
