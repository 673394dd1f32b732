#pragma once

// People's words for what the engine stores: a label for every term of the
// domain (states, stages, themes, dimensions, kinds, levels, agencies) and
// every role, times in the programme's own zone (Europe/London), money and
// rates as people write them. The dashboard's pages for officers and
// networks show these, never the terms themselves.

#include <expected>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/time.hpp"

namespace waymark::app {

// The label of a term ("information_flow" → "Information flow", "lsep" →
// "LSEP", "at_risk" → "At risk"); nullopt for a term it does not know.
std::optional<std::string_view> LabelOf(std::string_view term);

// The label of a role ("officer" → "Development officer"); nullopt for one
// the domain does not have.
std::optional<std::string_view> RoleLabel(std::string_view role);

// The label, or for an unknown term its words with the underscores made
// spaces and the first letter a capital (never the term as stored).
std::string Words(std::string_view term);

// Whether `t` falls in British Summer Time: from 01:00 UTC on the last
// Sunday of March to 01:00 UTC on the last Sunday of October.
bool InBritishSummerTime(Timestamp t);

// A time in Europe/London with its zone: "2 December 2026, 14:05 GMT",
// "1 July 2026, 09:30 BST".
std::string LondonTime(Timestamp t);

// The moment a London wall clock showed `time` (HH:MM) on `day` (YYYY-MM-DD):
// 30 June 12:00 is 11:00 UTC, 30 December 12:00 is 12:00 UTC. A time in the
// hour the clocks skip or repeat is read as GMT. kValidation for a malformed
// day or time, naming what is accepted.
std::expected<Timestamp, Error> FromLondonTime(std::string_view day, std::string_view time);

// A day (YYYY-MM-DD) as people write it: "15 December 2026"; the text as
// it is when it is not a day.
std::string LongDate(std::string_view day);

// An amount of pounds ("10250.5", "12") as "£10,250.50"; the text as it is
// when it is not an amount.
std::string Pounds(std::string_view amount);

// A rate from 0 to 1 as a whole percentage: 0.755 → "76%".
std::string Percent(double rate);

// What a dimension of the assessment asks (from the programme's own
// description of a strong network) and what each score from 1 to 5 means
// for it, for those who score it.
struct DimensionGuide {
  std::string_view asks;
  std::string_view levels[5];  // levels[0]: what a 1 means
};
// nullopt for a dimension the methodology does not have.
std::optional<DimensionGuide> GuideOf(std::string_view dimension);

}  // namespace waymark::app
