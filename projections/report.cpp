#include "projections/report.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <unordered_map>

#include "core/stream_name.hpp"
#include "core/time.hpp"
#include "workflows/assessment/assessment_workflow.hpp"
#include "workflows/field_reader.hpp"
#include "workflows/milestone/milestone_workflow.hpp"
#include "workflows/network/network_workflow.hpp"
#include "workflows/step/step_workflow.hpp"

namespace waymark::projections {
namespace {

using boost::json::array;
using boost::json::object;

// A network as it stood at one time.
struct NetworkAt {
  bool exists = false;
  std::string state;  // its machine's state: a stage, dormant or closed
  std::int64_t members = 0, active_members = 0;
};

// One stream folded as far as the report reads it.
struct Folded {
  std::unique_ptr<WorkflowState> state;
  std::string kind;
  std::int64_t applied = 0;
  bool start_taken = false;  // networks: `at_start` was taken
  NetworkAt at_start;
};

struct Approval {
  Timestamp at;
  std::int64_t position = 0;
  std::map<std::string, std::int64_t, std::less<>> counted;  // dimension → counted score
};

struct Move {
  Timestamp at;
  std::int64_t position = 0;
  std::string network_id, from, to, direction, assessment_id;
};

// An event in the period that the report counts, with its network.
struct Counted {
  std::string network_id, type;
  boost::json::object data;
};

NetworkAt At(const WorkflowState& network) {
  const auto row = network.ReadModelRow();
  return {true, network.state(), row.at("members").as_int64(), row.at("active_members").as_int64()};
}

std::string Text(const object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

// Events read from the store at a time.
constexpr std::size_t kPage = 10000;

double Rounded(double x) { return std::round(x * 100) / 100; }

// A stage's place in the lifecycle (-1 for none).
int StageIndex(std::string_view stage) {
  const auto& stages = workflows::kStages;
  const auto it = std::find(stages.begin(), stages.end(), stage);
  return it == stages.end() ? -1 : static_cast<int>(it - stages.begin());
}

std::expected<Timestamp, Error> Day(const std::string& field, const std::string& text) {
  auto t = text.size() == 10 ? ParseRfc3339(text) : std::unexpected(Error{});
  if (!t) {
    return std::unexpected(
        MakeError(ErrorCode::kValidation,
                  field + " '" + text + "' is not a date; expected YYYY-MM-DD, e.g. 2026-04-01"));
  }
  return *t;
}

// What the report reads of the store: every stream of the kinds it counts,
// folded up to the end of the period, and what happened in the period.
struct History {
  std::map<std::string, Folded> streams;                   // by name: a fixed order
  std::map<std::string, std::vector<Approval>> approvals;  // by network
  std::vector<Move> moves;
  std::vector<Counted> counted;
  std::int64_t last_position = 0;

  // Reads the events recorded before `end`; those from `start` on are the period's.
  std::expected<void, Error> Read(EventStore& store, const std::vector<const Workflow*>& workflows,
                                  Timestamp start, Timestamp end) {
    const std::set<std::string_view> kinds = {"network", "assessment", "milestone", "step"};
    std::optional<Error> failure;

    auto read = ForEachEvent(
        store, "",
        [&](const RecordedEvent& e) {
          if (e.metadata.recorded_at >= end) return true;  // after the period: never read
          const auto name = ParseStreamName(e.stream);
          if (!name || !kinds.contains(name->kind)) return true;
          auto& f = streams[e.stream];
          if (!f.state) {
            const auto w = std::find_if(workflows.begin(), workflows.end(),
                                        [&](const Workflow* w) { return w->kind() == name->kind; });
            if (w == workflows.end()) return true;
            f.state = (*w)->NewState(name->id);
            f.kind = std::string(name->kind);
          }
          const bool in_period = e.metadata.recorded_at >= start;
          if (f.kind == "network" && in_period && !f.start_taken) {
            f.start_taken = true;
            if (f.applied > 0) f.at_start = At(*f.state);
          }
          const bool stage_move =
              f.kind == "network" && (e.type == workflows::network_events::kStageAdvanced ||
                                      e.type == workflows::network_events::kStageReturned);
          const std::string stage_before =
              stage_move && f.applied > 0 ? Text(f.state->ReadModelRow(), "stage") : "";
          if (auto applied = f.state->Apply(e); !applied) {
            failure = applied.error();
            return false;
          }
          ++f.applied;
          last_position = std::max(last_position, e.position);
          const std::string network = f.state->network_id();
          if (f.kind == "assessment" && e.type == workflows::assessment_events::kApproved) {
            Approval a{e.metadata.recorded_at, e.position, {}};
            if (auto view = workflows::ViewAssessment(*f.state)) {
              for (const auto& s : view->scores) a.counted[std::string(s.dimension)] = s.score;
            }
            approvals[network].push_back(std::move(a));
          }
          if (!in_period) return true;
          if (stage_move) {
            const std::string to = Text(f.state->ReadModelRow(), "stage");
            moves.push_back({e.metadata.recorded_at, e.position, network, stage_before, to,
                             StageIndex(to) > StageIndex(stage_before) ? "forward" : "back",
                             Text(e.data, "assessment_id")});
          }
          if ((f.kind == "network" &&
               (e.type == workflows::network_events::kOpportunityBrokered ||
                e.type == workflows::network_events::kRepresentationRecorded ||
                e.type == workflows::network_events::kSupportReferred)) ||
              (f.kind == "step" && (e.type == workflows::step_events::kEmbedded ||
                                    e.type == workflows::step_events::kReviewed))) {
            counted.push_back({network, e.type, e.data});
          }
          return true;
        },
        kPage);
    if (failure) return std::unexpected(*failure);
    if (!read) return std::unexpected(read.error());
    return {};
  }
};

// The networks the request selects, as they stood at the start and the end of the period.
struct Selection {
  std::set<std::string> networks;
  object start_stages, end_stages;
  std::int64_t members[2] = {0, 0}, active[2] = {0, 0};

  Selection(History& history, const ReportRequest& request) {
    auto& streams = history.streams;
    auto& selected = networks;
    for (auto& [stream, f] : streams) {
      if (f.kind != "network" || f.applied == 0) continue;
      const auto row = f.state->ReadModelRow();
      if (!request.region.empty() && Text(row, "region") != request.region) continue;
      if (!request.officer.empty() && Text(row, "officer") != request.officer) continue;
      if (!request.network.empty() && f.state->network_id() != request.network) continue;
      selected.insert(f.state->network_id());
      if (!f.start_taken) f.at_start = At(*f.state);  // nothing happened to it in the period
      const NetworkAt at_end = At(*f.state);
      if (f.at_start.exists) {
        start_stages[f.at_start.state] = start_stages.contains(f.at_start.state)
                                             ? start_stages[f.at_start.state].as_int64() + 1
                                             : 1;
        members[0] += f.at_start.members;
        active[0] += f.at_start.active_members;
      }
      end_stages[at_end.state] =
          end_stages.contains(at_end.state) ? end_stages[at_end.state].as_int64() + 1 : 1;
      members[1] += at_end.members;
      active[1] += at_end.active_members;
    }
  }
};

// A state count per stage of the lifecycle in order, then the others (dormant, closed) by name.
object StageCounts(const object& counts) {
  object out;
  for (const auto& stage : workflows::kStages) {
    out[stage] = counts.contains(stage) ? counts.at(stage) : boost::json::value(0);
  }
  std::vector<std::string> others;  // dormant, closed: by name
  for (const auto& [state, n] : counts) {
    if (!out.contains(state)) others.emplace_back(state);
  }
  std::sort(others.begin(), others.end());
  for (const auto& state : others) out[state] = counts.at(state);
  return out;
}

// Stage moves of the selected networks in the period, in the order they happened.
object StageMoves(std::vector<Move>& moves, const Selection& selection) {
  const auto& selected = selection.networks;
  std::sort(moves.begin(), moves.end(), [](const Move& a, const Move& b) {
    return std::tie(a.at, a.position) < std::tie(b.at, b.position);
  });
  array move_rows;
  std::int64_t forward = 0, back = 0;
  for (const auto& m : moves) {
    if (!selected.contains(m.network_id)) continue;
    (m.direction == "forward" ? forward : back) += 1;
    move_rows.push_back(object{{"network_id", m.network_id},
                               {"date", FormatRfc3339(m.at).substr(0, 10)},
                               {"from", m.from},
                               {"to", m.to},
                               {"direction", m.direction},
                               {"assessment_id", m.assessment_id}});
  }

  return object{{"start", StageCounts(selection.start_stages)},
                {"end", StageCounts(selection.end_stages)},
                {"forward", forward},
                {"back", back},
                {"moves", std::move(move_rows)}};
}

// Per dimension: the first and the latest approved assessment of each selected network.
array Dimensions(std::map<std::string, std::vector<Approval>>& approvals,
                 const std::set<std::string>& selected) {
  array dimensions;
  for (const auto dimension : workflows::kDimensions) {
    double first_sum = 0, latest_sum = 0;
    std::int64_t networks = 0, improved = 0, held = 0, declined = 0;
    for (auto& [network, list] : approvals) {
      if (!selected.contains(network) || list.empty()) continue;
      std::sort(list.begin(), list.end(), [](const Approval& a, const Approval& b) {
        return std::tie(a.at, a.position) < std::tie(b.at, b.position);
      });
      const auto first = list.front().counted.find(dimension);
      const auto latest = list.back().counted.find(dimension);
      if (first == list.front().counted.end() || latest == list.back().counted.end()) continue;
      ++networks;
      first_sum += static_cast<double>(first->second);
      latest_sum += static_cast<double>(latest->second);
      if (list.size() < 2) continue;
      if (latest->second > first->second) {
        ++improved;
      } else if (latest->second == first->second) {
        ++held;
      } else {
        ++declined;
      }
    }
    const auto mean = [&](double sum) {
      return networks ? boost::json::value(Rounded(sum / static_cast<double>(networks)))
                      : boost::json::value(nullptr);
    };
    dimensions.push_back(object{
        {"dimension", dimension},
        {"networks", networks},
        {"first_mean", mean(first_sum)},
        {"latest_mean", mean(latest_sum)},
        {"change", networks ? boost::json::value(
                                  Rounded((latest_sum - first_sum) / static_cast<double>(networks)))
                            : boost::json::value(nullptr)},
        {"improved", improved},
        {"held", held},
        {"declined", declined}});
  }

  return dimensions;
}

// Milestones of the selected networks due in the period, as they stood at its end.
object Milestones(const History& history, const std::set<std::string>& selected,
                  const ReportRequest& request) {
  const auto& streams = history.streams;
  std::int64_t due = 0, on_time = 0, late = 0, overdue = 0, cancelled = 0, open = 0;
  for (const auto& [stream, f] : streams) {
    if (f.kind != "milestone") continue;
    const auto view = workflows::ViewMilestone(*f.state);
    if (!view || !selected.contains(view->network_id)) continue;
    if (view->due < request.from || view->due > request.to) continue;
    ++due;
    const std::string state = f.state->state();
    if (state == workflows::AchievedMilestoneState()) {
      const auto row = f.state->ReadModelRow();
      const auto* timely = row.if_contains("on_time");
      (timely && timely->is_bool() && timely->as_bool() ? on_time : late) += 1;
    } else if (state == workflows::OverdueMilestoneState()) {
      ++overdue;
    } else if (state == workflows::CancelledMilestoneState()) {
      ++cancelled;
    } else {
      ++open;
    }
  }

  const std::int64_t rated = due - cancelled;
  return object{
      {"due", due},
      {"achieved_on_time", on_time},
      {"achieved_late", late},
      {"overdue", overdue},
      {"cancelled", cancelled},
      {"open", open},
      {"on_time_rate", rated > 0 ? boost::json::value(Rounded(static_cast<double>(on_time) / rated))
                                 : boost::json::value(nullptr)}};
}

// Steps, opportunities, representation and referrals of the selected
// networks recorded in the period: the report's members of those names.
object Activity(const std::vector<Counted>& counted, const std::set<std::string>& selected) {
  std::int64_t embedded = 0, reviewed = 0;
  std::map<std::string, std::pair<std::int64_t, std::int64_t>> opportunities;  // count, pence
  std::map<std::string, std::int64_t> representation;
  std::map<std::string, std::pair<std::int64_t, std::int64_t>> referrals;  // count, members
  for (const auto& kind : workflows::kOpportunityKinds) opportunities[std::string(kind)] = {};
  for (const auto& level : workflows::kRepresentationLevels) representation[std::string(level)];
  for (const auto& agency : workflows::kReferralAgencies) referrals[std::string(agency)] = {};
  for (const auto& c : counted) {
    if (!selected.contains(c.network_id)) continue;
    if (c.type == workflows::step_events::kEmbedded) ++embedded;
    if (c.type == workflows::step_events::kReviewed) ++reviewed;
    if (c.type == workflows::network_events::kOpportunityBrokered) {
      auto& [count, pence] = opportunities[Text(c.data, "kind")];
      ++count;
      pence += workflows::PenceOf(Text(c.data, "value_gbp"));  // "1250.50": exact
    }
    if (c.type == workflows::network_events::kRepresentationRecorded) {
      ++representation[Text(c.data, "level")];
    }
    if (c.type == workflows::network_events::kSupportReferred) {
      auto& [count, people] = referrals[Text(c.data, "agency")];
      ++count;
      if (const auto* m = c.data.if_contains("members"); m && m->is_int64()) {
        people += m->as_int64();
      }
    }
  }
  array opportunity_rows, representation_rows, referral_rows;
  for (const auto& kind : workflows::kOpportunityKinds) {
    const auto& [count, pence] = opportunities[std::string(kind)];
    opportunity_rows.push_back(
        object{{"kind", kind}, {"count", count}, {"value_gbp", workflows::PoundsText(pence)}});
  }
  for (const auto& level : workflows::kRepresentationLevels) {
    representation_rows.push_back(
        object{{"level", level}, {"count", representation[std::string(level)]}});
  }
  for (const auto& agency : workflows::kReferralAgencies) {
    const auto& [count, people] = referrals[std::string(agency)];
    referral_rows.push_back(object{{"agency", agency}, {"count", count}, {"members", people}});
  }
  return object{{"steps", object{{"embedded", embedded}, {"reviewed", reviewed}}},
                {"opportunities", std::move(opportunity_rows)},
                {"representation", std::move(representation_rows)},
                {"referrals", std::move(referral_rows)}};
}

}  // namespace

std::expected<object, Error> ProgrammeReport(EventStore& store,
                                             const std::vector<const Workflow*>& workflows,
                                             const ReportRequest& request) {
  auto start = Day("from", request.from);
  if (!start) return std::unexpected(start.error());
  auto last_day = Day("to", request.to);
  if (!last_day) return std::unexpected(last_day.error());
  if (*last_day < *start) {
    return std::unexpected(MakeError(ErrorCode::kValidation, "to " + request.to +
                                                                 " is before from " + request.from +
                                                                 "; give a period that ends on "
                                                                 "or after its first day"));
  }
  History history;
  if (auto read = history.Read(store, workflows, *start, *last_day + std::chrono::hours(24));
      !read) {
    return std::unexpected(read.error());
  }
  const Selection selection(history, request);
  object report{{"period", object{{"from", request.from}, {"to", request.to}}},
                {"selection", object{{"region", request.region}, {"officer", request.officer}}},
                {"last_position", history.last_position},
                {"networks", static_cast<std::int64_t>(selection.networks.size())},
                {"stages", StageMoves(history.moves, selection)},
                {"dimensions", Dimensions(history.approvals, selection.networks)},
                {"milestones", Milestones(history, selection.networks, request)}};
  for (auto& [key, value] : Activity(history.counted, selection.networks)) {
    report[key] = std::move(value);
  }
  report["membership"] = object{
      {"start", object{{"members", selection.members[0]}, {"active_members", selection.active[0]}}},
      {"end", object{{"members", selection.members[1]}, {"active_members", selection.active[1]}}}};
  return report;
}

}  // namespace waymark::projections
