#pragma once

// A year of a programme made through the command handler, for the programme
// report's test and benchmark.

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdio>
#include <stdexcept>
#include <string>

#include "core/clock.hpp"
#include "core/command_handler.hpp"
#include "core/time.hpp"
#include "workflows/assessment/assessment_workflow.hpp"

namespace waymark::testing {

// The programme's networks, on a clock the caller owns (its events carry the
// dates set here): `networks` networks in three regions (Fife, Tayside,
// Highland, in thirds) and two caseloads (olivia, oscar), every third one
// registered in development; `rounds` (2 or 3) approved assessment rounds
// each (February, [June,] September; every fourth network's influence score
// moderated to 2); stage advances in March for every other network (citing
// round 1), network 3 returned a stage in April; a plan with five milestones
// each — achieved on time (due 15 May), achieved late (due 15 June), overdue
// by the timer (due 15 July), cancelled (due 15 August), in progress (due 20
// December); a step embedded (and reviewed for every other network); an
// opportunity (valued for every other network), a representation and a
// referral between May and July; membership in January and October;
// network 0's opportunity in February. Every command is refused or applied:
// a refusal throws std::runtime_error naming it.
class Programme {
 public:
  Programme(CommandHandler& handler, ManualClock& clock) : handler_(handler), clock_(clock) {}

  // The year up to early November 2026, phase by phase across the networks.
  void Year(int networks, int rounds) {
    for (int i = 0; i < networks; ++i) {
      At(Day(1, 5 + i % 12));
      object data{{"name", "Network " + std::to_string(i)}, {"region", kRegions[i * 3 / networks]}};
      if (i % 3 == 0) {
        data["stage"] = "development";
        data["basis"] = "a constituted board";
      }
      Run("network-" + Id(i), "RegisterNetwork", data, Officer(i));
      Run("network-" + Id(i), "AssignOfficer", {{"officer", Officer(i).name}}, Officer(i));
      Run("network-" + Id(i), "RecordMembership",
          {{"members", 10 + i}, {"active_members", 5 + i / 2}}, Network(i));
    }
    At("2026-02-02");
    Run("network-n0", "RecordOpportunity",  // before the period
        {{"kind", "funding"},
         {"description", "early grant"},
         {"value_gbp", 500},
         {"members_involved", 1}},
        Officer(0));
    for (int i = 0; i < networks; ++i) Assess(i, 1, Day(2, 3 + i % 12));
    for (int i = 0; i < networks; ++i) {
      if (i % 2 == 0) {
        At(Day(3, 2 + i % 12));
        const std::string to = i % 3 == 0 ? "participation" : "development";
        Run("network-" + Id(i), "AdvanceStage",
            {{"to", to}, {"reason", "assessed"}, {"assessment_id", "a" + Id(i) + "_1"}},
            Officer(i));
      }
      At(Day(3, 3 + i % 12));
      const std::string p = "plan-p" + Id(i);
      Run(p, "DraftPlan", {{"network_id", Id(i)}, {"assessment_id", "a" + Id(i) + "_1"}},
          Officer(i));
      Run(p, "AddAction",
          {{"action_id", "act"},
           {"theme", "influence"},
           {"description", "A seat"},
           {"owner", "network"}},
          Officer(i));
      const char* dues[] = {"2026-05-15", "2026-06-15", "2026-07-15", "2026-08-15", "2026-12-20"};
      for (int m = 0; m < 5; ++m) {
        Run("milestone-m" + Id(i) + "_" + std::to_string(m), "ScheduleMilestone",
            {{"plan_id", "p" + Id(i)},
             {"network_id", Id(i)},
             {"action_id", "act"},
             {"title", "Milestone " + std::to_string(m)},
             {"due", dues[m]}},
            Officer(i));
      }
      Run("step-s" + Id(i), "IdentifyStep",
          {{"network_id", Id(i)}, {"kind", "income"}, {"description", "fees"}}, Officer(i));
      Run("step-s" + Id(i), "PlanStep", {{"target", "two workshops"}}, Network(i));
    }
    At("2026-04-06");
    Run("network-n3", "ReturnToStage", {{"to", "startup"}, {"reason", "lost its chair"}},
        Officer(3));
    for (int i = 0; i < networks; ++i) {
      const std::string m = "milestone-m" + Id(i) + "_";
      At(Day(4, 7 + i % 12));
      for (int k : {0, 1, 2, 4}) Run(m + std::to_string(k), "StartMilestone", {}, Network(i));
      Run("step-s" + Id(i), "BeginStep", {}, Network(i));
      At(Day(5, 2 + i % 12));
      Run(m + "0", "SubmitEvidence",
          {{"summary", "done"}, {"links", boost::json::array{"https://example.org/e"}}},
          Network(i));
      Run(m + "0", "VerifyMilestone", {}, Officer(i));
      Run(
          "network-" + Id(i), "RecordOpportunity",
          [&] {
            object o{{"kind", kKinds[i % 5]}, {"description", "brokered"}, {"members_involved", 2}};
            if (i % 2 == 0) o["value_gbp"] = 1000.5 * (i + 1);
            return o;
          }(),
          Officer(i));
      Run("step-s" + Id(i), "EmbedStep", {{"evidence", "in the accounts"}}, Network(i));
      At(Day(6, 1));
      Run(m + "3", "CancelMilestone", {{"reason", "folded into another"}}, Officer(i));
      At(Day(6, 3 + i % 12));
      Run("network-" + Id(i), "RecordRepresentation",
          {{"partnership", "Community Planning Partnership"},
           {"level", kLevels[i % 3]},
           {"seat", "board"}},
          Network(i));
      At(Day(6, 16 + i % 12));  // after its due date: late
      Run(m + "1", "SubmitEvidence",
          {{"summary", "done late"}, {"links", boost::json::array{"https://example.org/l"}}},
          Network(i));
      Run(m + "1", "VerifyMilestone", {}, Officer(i));
      At(Day(7, 3 + i % 12));
      Run("network-" + Id(i), "RecordReferral",
          {{"agency", kAgencies[i % 6]}, {"purpose", "advice"}, {"members", 1 + i % 3}},
          Network(i));
      At(Day(7, 16), 1);
      Run(m + "2", "MarkMilestoneOverdue", {}, {"waymark/overdue-timer", "system", ""});
      if (i % 2 == 0) {
        At(Day(8, 3 + i % 12));
        Run("step-s" + Id(i), "ReviewStep", {{"outcome", "a quarter of costs"}}, Network(i));
      }
    }
    if (rounds >= 3) {
      for (int i = 0; i < networks; ++i) Assess(i, 2, Day(6, 20 + i % 8));
    }
    for (int i = 0; i < networks; ++i) Assess(i, rounds, Day(9, 3 + i % 12));
    for (int i = 0; i < networks; ++i) {
      At(Day(10, 5 + i % 12));
      Run("network-" + Id(i), "RecordMembership", {{"members", 20 + i}, {"active_members", 10 + i}},
          Network(i));
    }
  }

  // Events after October 2026, several about the same networks and milestones
  // (a year of 12 networks, 2 rounds).
  void Later() {
    At("2026-11-10");
    Run("milestone-mn5_2", "RescheduleMilestone", {{"due", "2026-12-15"}, {"reason", "new venue"}},
        Officer(5));
    Run("network-n0", "RecordOpportunity",
        {{"kind", "contract"},
         {"description", "later"},
         {"value_gbp", "99.99"},
         {"members_involved", 1}},
        Officer(0));
    Run("network-n1", "RecordMembership", {{"members", 99}, {"active_members", 50}}, Network(1));
    Run("network-n1", "AssignOfficer", {{"officer", "olivia"}}, Officer(1));
    Assess(2, 3, "2026-11-20");
    At("2026-12-01");
    Run("network-n4", "RecordRepresentation",
        {{"partnership", "Scottish Government forum"}, {"level", "national"}, {"seat", "member"}},
        Network(4));
    Run("step-sn4", "PlanStep", {{"target", "the next cycle"}}, Network(4));
  }

 private:
  using object = boost::json::object;
  static constexpr const char* kRegions[] = {"Fife", "Tayside", "Highland"};
  static constexpr const char* kKinds[] = {"business", "contract", "funding", "investment",
                                           "partnership"};
  static constexpr const char* kLevels[] = {"local", "regional", "national"};
  static constexpr const char* kAgencies[] = {"firstport",
                                              "social_enterprise_academy",
                                              "aspire_to_enterprise",
                                              "coalfields_regeneration_trust",
                                              "local_cvs",
                                              "lsep"};

  void At(const std::string& day, int hour = 10) {
    clock_.Set(
        *ParseRfc3339(day + "T" + (hour < 10 ? "0" : "") + std::to_string(hour) + ":00:00Z"));
  }
  static std::string Day(int month, int day) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "2026-%02d-%02d", month, day);
    return buf;
  }
  void Run(const std::string& stream, const std::string& type, object data, Actor actor) {
    auto r = handler_.Handle({stream, type, std::move(data), std::nullopt, "", actor, "", ""});
    if (!r) throw std::runtime_error(type + " on " + stream + ": " + r.error().message);
  }
  static std::string Id(int i) { return "n" + std::to_string(i); }
  static Actor Officer(int i) { return {i % 2 ? "oscar" : "olivia", "officer", ""}; }
  static Actor Network(int i) { return {"coordinator " + Id(i), "network", Id(i)}; }
  static int Score(int round, int i, std::size_t d) {
    const int first = 1 + static_cast<int>((i + d) % 5);
    if (round == 1) return first;
    const int delta = static_cast<int>((i + 2 * d) % 3) - 1;  // -1, 0, +1
    return std::clamp(first + delta, 1, 5);
  }

  void Assess(int i, int round, const std::string& day) {
    const std::string a = "assessment-a" + Id(i) + "_" + std::to_string(round);
    At(day, 9);
    Run(a, "StartAssessment",
        {{"network_id", Id(i)}, {"period", "2026 round " + std::to_string(round)}}, Officer(i));
    boost::json::object scores;
    for (std::size_t d = 0; d < workflows::kDimensions.size(); ++d) {
      Run(a, "ScoreDimension",
          {{"dimension", workflows::kDimensions[d]},
           {"score", Score(round, i, d)},
           {"note", "survey"}},
          Network(i));
      scores[workflows::kDimensions[d]] = Score(round, i, d);
    }
    if (i % 4 == 0) {
      Run(a, "ModerateScore", {{"dimension", "influence"}, {"score", 2}, {"reason", "no seat yet"}},
          Officer(i));
      scores["influence"] = 2;
    }
    Run(a, "SubmitAssessment", {}, Network(i));
    At(day, 15);
    Run(a, "ApproveAssessment", {}, Officer(i));
    Run("network-" + Id(i), "RecordAssessmentOutcome",
        {{"assessment_id", "a" + Id(i) + "_" + std::to_string(round)},
         {"period", "2026 round " + std::to_string(round)},
         {"scores", scores}},
        {"waymark/assessment-approved", "system", ""});
  }

  CommandHandler& handler_;
  ManualClock& clock_;
};

}  // namespace waymark::testing
