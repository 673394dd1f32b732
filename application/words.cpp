#include "application/words.hpp"

#include <array>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <utility>

namespace waymark::app {
namespace {

// Every term people meet, once. Where a word is an acronym or a name, it is
// spelt as its owners spell it.
constexpr std::pair<std::string_view, std::string_view> kLabels[] = {
    // Network stages and states.
    {"startup", "Start-up"},
    {"development", "Development"},
    {"participation", "Participation"},
    {"growth", "Growth"},
    {"dormant", "Dormant"},
    {"closed", "Closed"},
    // Assessments, plans, milestones, steps: their states.
    {"draft", "Draft"},
    {"submitted", "Submitted for approval"},
    {"approved", "Approved"},
    {"withdrawn", "Withdrawn"},
    {"proposed", "Proposed"},
    {"agreed", "Agreed"},
    {"active", "Active"},
    {"completed", "Completed"},
    {"abandoned", "Abandoned"},
    {"planned", "Planned"},
    {"in_progress", "In progress"},
    {"at_risk", "At risk"},
    {"overdue", "Overdue"},
    {"evidence_submitted", "Evidence submitted"},
    {"achieved", "Achieved"},
    {"cancelled", "Cancelled"},
    {"identified", "Identified"},
    {"underway", "Underway"},
    {"embedded", "Embedded"},
    {"reviewed", "Reviewed"},
    {"deferred", "Deferred"},
    {"dropped", "Dropped"},
    // The ten dimensions of a strong network.
    {"membership", "Membership"},
    {"connectivity", "Connectivity"},
    {"influence", "Influence"},
    {"conduit", "Conduit"},
    {"best_practice", "Best practice"},
    {"knowledge_sharing", "Knowledge sharing"},
    {"problem_solving", "Problem solving"},
    {"innovation", "Innovation"},
    {"professionalism", "Professionalism"},
    {"joint_working", "Joint working"},
    // The four themes of a network's work.
    {"information_flow", "Information flow"},
    {"brokering", "Brokering"},
    {"continuous_improvement", "Continuous improvement"},
    // Kinds of sustainability step and of opportunity.
    {"structure", "Structure"},
    {"income", "Income"},
    {"improvement", "Improvement"},
    {"partnership", "Partnership"},
    {"investment", "Investment"},
    {"business", "Business"},
    {"contract", "Contract"},
    {"funding", "Funding"},
    // Levels of representation.
    {"local", "Local"},
    {"regional", "Regional"},
    {"national", "National"},
    // The partner agencies support is referred to.
    {"firstport", "Firstport"},
    {"social_enterprise_academy", "Social Enterprise Academy"},
    {"aspire_to_enterprise", "Aspire to Enterprise"},
    {"coalfields_regeneration_trust", "Coalfields Regeneration Trust"},
    {"local_cvs", "Local CVS"},
    {"lsep", "LSEP"},
    // What waits on someone (rm_tasks' kinds).
    {"score_assessment", "Score and submit the assessment"},
    {"approve_assessment", "Approve the assessment"},
    {"propose_plan", "Review and propose the action plan"},
    {"agree_plan", "Agree the action plan"},
    {"activate_plan", "Make the action plan active"},
    {"deliver_milestone", "Deliver the milestone"},
    {"resubmit_evidence", "Send the milestone's evidence again"},
    {"verify_evidence", "Verify the milestone's evidence"},
    {"at_risk_milestone", "Follow up a milestone at risk"},
    {"overdue_milestone", "Follow up an overdue milestone"},
    {"review_step", "Review the sustainability step"},
    {"assess_network", "Start the network's yearly assessment"},
};

// Who acts (apart: "network" is a role and a kind of record).
constexpr std::pair<std::string_view, std::string_view> kRoles[] = {
    {"admin", "Administrator"},
    {"officer", "Development officer"},
    {"network", "Network coordinator"},
    {"auditor", "Auditor"},
    {"system", "Waymark (automatically)"},
};

constexpr std::array<std::string_view, 12> kMonths = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

using std::chrono::days;
using std::chrono::sys_days;
using std::chrono::year_month_day;

// 01:00 UTC on the last Sunday of `month` in `year`.
Timestamp ChangeOver(std::chrono::year year, std::chrono::month month) {
  const sys_days last{year / month / std::chrono::last};
  const std::chrono::weekday wd{last};
  const sys_days sunday = last - (wd - std::chrono::Sunday);
  return std::chrono::time_point_cast<std::chrono::microseconds>(sunday + std::chrono::hours(1));
}

std::string DayText(const year_month_day& d) {
  return std::to_string(static_cast<unsigned>(d.day())) + " " +
         std::string(kMonths[static_cast<unsigned>(d.month()) - 1]) + " " +
         std::to_string(static_cast<int>(d.year()));
}

}  // namespace

std::optional<std::string_view> LabelOf(std::string_view term) {
  for (const auto& [t, label] : kLabels) {
    if (t == term) return label;
  }
  return std::nullopt;
}

std::optional<std::string_view> RoleLabel(std::string_view role) {
  for (const auto& [r, label] : kRoles) {
    if (r == role) return label;
  }
  return std::nullopt;
}

std::string Words(std::string_view term) {
  if (auto label = LabelOf(term)) return std::string(*label);
  std::string out(term);
  for (char& c : out) {
    if (c == '_') c = ' ';
  }
  if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 32);
  return out;
}

bool InBritishSummerTime(Timestamp t) {
  const year_month_day d{std::chrono::floor<days>(t)};
  return t >= ChangeOver(d.year(), std::chrono::March) &&
         t < ChangeOver(d.year(), std::chrono::October);
}

std::string LondonTime(Timestamp t) {
  const bool summer = InBritishSummerTime(t);
  const auto local = t + std::chrono::hours(summer ? 1 : 0);
  const auto day = std::chrono::floor<days>(local);
  const std::chrono::hh_mm_ss clock{std::chrono::floor<std::chrono::minutes>(local - day)};
  char hm[8];
  std::snprintf(hm, sizeof hm, "%02d:%02d", static_cast<int>(clock.hours().count()),
                static_cast<int>(clock.minutes().count()));
  return DayText(year_month_day{day}) + ", " + hm + (summer ? " BST" : " GMT");
}

std::expected<Timestamp, Error> FromLondonTime(std::string_view day, std::string_view time) {
  const bool clock = time.size() == 5 && time[2] == ':' &&
                     std::isdigit(static_cast<unsigned char>(time[0])) &&
                     std::isdigit(static_cast<unsigned char>(time[1])) &&
                     std::isdigit(static_cast<unsigned char>(time[3])) &&
                     std::isdigit(static_cast<unsigned char>(time[4]));
  if (!clock || day.size() != 10) {
    return std::unexpected(
        MakeError(ErrorCode::kValidation,
                  "a day and time must be written YYYY-MM-DD and HH:MM (24-hour, UK time), e.g. "
                  "2026-11-28 and 14:30"));
  }
  auto utc = ParseRfc3339(std::string(day) + "T" + std::string(time) + ":00Z");
  if (!utc) return std::unexpected(utc.error());
  const auto summer = *utc - std::chrono::hours(1);
  return InBritishSummerTime(summer) ? summer : *utc;
}

std::string LongDate(std::string_view day) {
  if (day.size() != 10) return std::string(day);
  auto t = ParseRfc3339(std::string(day) + "T00:00:00Z");
  if (!t) return std::string(day);
  return DayText(year_month_day{std::chrono::floor<days>(*t)});
}

std::string Pounds(std::string_view amount) {
  const auto dot = amount.find('.');
  const std::string_view whole = amount.substr(0, dot);
  std::string_view pence = dot == std::string_view::npos ? "" : amount.substr(dot + 1);
  const auto digits = [](std::string_view s) {
    return s.find_first_not_of("0123456789") == std::string_view::npos;
  };
  if (whole.empty() || !digits(whole) || !digits(pence) || pence.size() > 2) {
    return std::string(amount);
  }
  std::string grouped;
  for (std::size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) grouped += ',';
    grouped += whole[i];
  }
  std::string p(pence);
  while (p.size() < 2) p += '0';
  return "£" + grouped + "." + p;
}

std::string Percent(double rate) {
  return std::to_string(static_cast<long long>(std::lround(rate * 100))) + "%";
}

namespace {

// The ten traits of a strong network, as the programme describes them, each
// on a five-point scale from "not yet" to "strong and lasting".
constexpr std::pair<std::string_view, DimensionGuide> kGuides[] = {
    {"membership",
     {"An active and growing membership of social enterprises.",
      {"A handful of members; few take part.", "Members join, but most do not take part yet.",
       "A steady membership; about half take part.", "A growing membership; most take part.",
       "Growing and active; members bring in new members."}}},
    {"connectivity",
     {"Members directly connected to each other, not only through the coordinator.",
      {"Members know the coordinator, not each other.",
       "Some members meet at events; little contact in between.",
       "Members contact each other on practical matters.",
       "Most members work with others they met through the network.",
       "Members connect without the coordinator as go-between."}}},
    {"influence",
     {"Influence at a strategic level locally.",
      {"Not yet known to local partnerships.", "Invited to consultations now and then.",
       "A regular voice in one local partnership.",
       "A seat at the table in the main local partnerships.",
       "Shapes local strategy; partners seek its view."}}},
    {"conduit",
     {"A channel of information and opportunities to and from the membership.",
      {"Little passes between members and partners.", "Occasional news is passed on to members.",
       "Members hear of opportunities regularly; some reply.",
       "Two-way: members' views reach partners and back.",
       "The first route partners use to reach social enterprises."}}},
    {"best_practice",
     {"Promoting and encouraging best practice among members.",
      {"Good practice is not yet discussed.", "Examples are shared now and then.",
       "Members learn from each other at most meetings.",
       "Practice is reviewed and improved together.",
       "Known for good practice that others copy."}}},
    {"knowledge_sharing",
     {"Capturing and sharing knowledge across the network.",
      {"What members know stays with them.", "Some sharing, mostly by word of mouth.",
       "Knowledge is written down and passed on.",
       "A shared store of guides and contacts that members use.",
       "Members add to and draw on it as a matter of course."}}},
    {"problem_solving",
     {"Solving members' problems together.",
      {"Members face problems alone.", "The coordinator helps with some problems.",
       "Members bring problems to meetings and get help.",
       "Members solve problems for each other without being asked.",
       "Common problems are spotted early and solved together."}}},
    {"innovation",
     {"Driving innovation: new services, products and ways of working.",
      {"No new ideas tried yet.", "Ideas are talked about, not tried.",
       "One or two new things tried by members together.",
       "New ideas are tried, tested and shared.", "A source of new ventures that others follow."}}},
    {"professionalism",
     {"Promoting a professional approach in members' businesses.",
      {"Little attention to how members run their businesses.",
       "Some members seek training or advice.", "Training and advice offered and taken up.",
       "Most members work to agreed standards.",
       "Members are known for being well run; the network helps keep it so."}}},
    {"joint_working",
     {"Encouraging joint working to reduce costs and win work.",
      {"Members work alone.", "Members talk about working together.",
       "One joint project or shared purchase.",
       "Regular joint bids, shared services or purchasing.",
       "Joint working is how members win and deliver work."}}},
};

}  // namespace

std::optional<DimensionGuide> GuideOf(std::string_view dimension) {
  for (const auto& [name, guide] : kGuides) {
    if (name == dimension) return guide;
  }
  return std::nullopt;
}

}  // namespace waymark::app
