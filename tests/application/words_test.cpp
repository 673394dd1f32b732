// People's words: every term of the domain has a label, times are London's
// with the zone, money and rates as people write them.

#include "application/words.hpp"

#include <gtest/gtest.h>

#include <set>
#include <span>

#include "workflows/assessment/assessment_workflow.hpp"
#include "workflows/network/network_workflow.hpp"
#include "workflows/plan/plan_workflow.hpp"
#include "workflows/registry.hpp"
#include "workflows/step/step_workflow.hpp"

namespace waymark::app {
namespace {

TEST(Words, EveryTermOfTheDomainHasALabelWithoutUnderscores) {
  std::set<std::string> terms;
  for (const Workflow* w : workflows::AllWorkflows()) {
    const std::string before = w->NewState("")->state();  // never shown: nothing happened yet
    for (const auto& t : w->transitions()) {
      for (const auto& s : {t.from, t.to}) {
        if (s != before) terms.insert(s);
      }
    }
  }
  for (const auto& list : {std::span<const std::string_view>(workflows::kStages),
                           std::span<const std::string_view>(workflows::kDimensions),
                           std::span<const std::string_view>(workflows::kThemes),
                           std::span<const std::string_view>(workflows::kStepKinds),
                           std::span<const std::string_view>(workflows::kOpportunityKinds),
                           std::span<const std::string_view>(workflows::kRepresentationLevels),
                           std::span<const std::string_view>(workflows::kReferralAgencies)}) {
    for (auto term : list) terms.emplace(term);
  }
  EXPECT_GT(terms.size(), 50u);  // the list above was read, not empty
  for (const auto& term : terms) {
    const auto label = LabelOf(term);
    ASSERT_TRUE(label) << "no label for '" << term << "'";
    EXPECT_EQ(label->find('_'), std::string_view::npos) << *label;
    EXPECT_TRUE(label->front() >= 'A' && label->front() <= 'Z') << *label;
  }
  for (const auto& role : workflows::Access().roles) {
    EXPECT_TRUE(RoleLabel(role)) << "no label for role '" << role << "'";
  }
  EXPECT_EQ(Words("social_enterprise_academy"), "Social Enterprise Academy");
  EXPECT_EQ(Words("local_cvs"), "Local CVS");
  EXPECT_EQ(Words("lsep"), "LSEP");
  EXPECT_EQ(Words("startup"), "Start-up");
  EXPECT_EQ(Words("something_new"), "Something new");  // unknown: still no underscore
  EXPECT_EQ(*RoleLabel("officer"), "Development officer");
}

TEST(Words, EveryDimensionHasAGuideToEachScore) {
  for (const auto dimension : workflows::kDimensions) {
    const auto guide = GuideOf(dimension);
    ASSERT_TRUE(guide) << dimension;
    EXPECT_FALSE(guide->asks.empty());
    for (const auto level : guide->levels) EXPECT_FALSE(level.empty()) << dimension;
  }
  EXPECT_FALSE(GuideOf("charisma"));
}

TEST(Words, TimesAreLondonsWithTheZoneAcrossBothChangeOvers) {
  const auto at = [](const char* t) { return LondonTime(*ParseRfc3339(t)); };
  EXPECT_EQ(at("2026-12-02T14:05:00Z"), "2 December 2026, 14:05 GMT");
  EXPECT_EQ(at("2026-07-01T08:30:59Z"), "1 July 2026, 09:30 BST");
  EXPECT_EQ(at("2026-07-01T23:30:00Z"), "2 July 2026, 00:30 BST");  // the next day in London
  // 2026: BST from Sunday 29 March 01:00 UTC to Sunday 25 October 01:00 UTC.
  EXPECT_EQ(at("2026-03-29T00:59:00Z"), "29 March 2026, 00:59 GMT");
  EXPECT_EQ(at("2026-03-29T01:00:00Z"), "29 March 2026, 02:00 BST");
  EXPECT_EQ(at("2026-10-25T00:59:00Z"), "25 October 2026, 01:59 BST");
  EXPECT_EQ(at("2026-10-25T01:00:00Z"), "25 October 2026, 01:00 GMT");
  EXPECT_EQ(at("2027-03-28T01:00:00Z"), "28 March 2027, 02:00 BST");  // the last Sunday moves
  EXPECT_EQ(LongDate("2026-12-15"), "15 December 2026");
  EXPECT_EQ(LongDate("soon"), "soon");
}

TEST(Words, AUkWallClockTimeIsTheMomentItShowed) {
  EXPECT_EQ(FormatRfc3339(*FromLondonTime("2026-06-30", "12:00")), "2026-06-30T11:00:00.000000Z");
  EXPECT_EQ(FormatRfc3339(*FromLondonTime("2026-12-30", "12:00")), "2026-12-30T12:00:00.000000Z");
  EXPECT_EQ(LondonTime(*FromLondonTime("2026-10-25", "09:15")), "25 October 2026, 09:15 GMT");
  EXPECT_EQ(LondonTime(*FromLondonTime("2026-03-29", "09:15")), "29 March 2026, 09:15 BST");
  EXPECT_FALSE(FromLondonTime("2026-06-30", "noon"));
  EXPECT_FALSE(FromLondonTime("30/06/2026", "12:00"));
}

TEST(Words, MoneyInPoundsWithGroupsAndPenceRatesAsPercentages) {
  EXPECT_EQ(Pounds("10250"), "£10,250.00");
  EXPECT_EQ(Pounds("10250.5"), "£10,250.50");
  EXPECT_EQ(Pounds("0.99"), "£0.99");
  EXPECT_EQ(Pounds("1234567.89"), "£1,234,567.89");
  EXPECT_EQ(Pounds("999"), "£999.00");
  EXPECT_EQ(Pounds("12.345"), "12.345");  // not an amount of pence: as it is
  EXPECT_EQ(Pounds("-5"), "-5");
  EXPECT_EQ(Percent(0.755), "76%");
  EXPECT_EQ(Percent(1), "100%");
  EXPECT_EQ(Percent(0), "0%");
}

}  // namespace
}  // namespace waymark::app
