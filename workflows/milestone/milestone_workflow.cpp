// The milestone workflow: its Boost.MSM machine (this translation unit only),
// its events as typed structs, and their JSON at the edge.

#include "workflows/milestone/milestone_workflow.hpp"

#include "workflows/milestone/milestone_bench.hpp"

#include <algorithm>
#include <boost/mpl/vector.hpp>
#include <boost/msm/back/state_machine.hpp>
#include <boost/msm/front/functor_row.hpp>
#include <boost/msm/front/state_machine_def.hpp>
#include <variant>

#include "workflows/machine_workflow.hpp"

namespace waymark::workflows {
namespace {

namespace msm = boost::msm;
namespace mpl = boost::mpl;
using msm::front::none;
using msm::front::Row;

// ---- Events: what happened, in the past tense; stable on the wire. ---------
// Each event's fields are declared once (event_fields.hpp): the rule is the
// field's type, the JSON both ways comes from the description.

using namespace fields;

struct Scheduled {
  static constexpr const char* kType = milestone_events::kScheduled;
  static constexpr const char* kCommand = "ScheduleMilestone";
  Id plan_id, network_id;
  Text<200> title;
  Date due;
};
BOOST_DESCRIBE_STRUCT(Scheduled, (), (plan_id, network_id, title, due))
struct Started {
  static constexpr const char* kType = "MilestoneStarted";
  static constexpr const char* kCommand = "StartMilestone";
};
BOOST_DESCRIBE_STRUCT(Started, (), ())
struct FlaggedAtRisk {
  static constexpr const char* kType = "MilestoneFlaggedAtRisk";
  static constexpr const char* kCommand = "FlagAtRisk";
  Text<1000> reason;
};
BOOST_DESCRIBE_STRUCT(FlaggedAtRisk, (), (reason))
struct RiskCleared {
  static constexpr const char* kType = "MilestoneRiskCleared";
  static constexpr const char* kCommand = "ClearRisk";
};
BOOST_DESCRIBE_STRUCT(RiskCleared, (), ())
struct EvidenceSubmitted {
  static constexpr const char* kType = milestone_events::kEvidenceSubmitted;
  static constexpr const char* kCommand = "SubmitEvidence";
  Text<2000> summary;
  Links links;
};
BOOST_DESCRIBE_STRUCT(EvidenceSubmitted, (), (summary, links))
struct Verified {
  static constexpr const char* kType = milestone_events::kVerified;
  static constexpr const char* kCommand = "VerifyMilestone";
};
BOOST_DESCRIBE_STRUCT(Verified, (), ())
struct EvidenceRejected {
  static constexpr const char* kType = milestone_events::kEvidenceRejected;
  static constexpr const char* kCommand = "RejectEvidence";
  Text<1000> reason;
};
BOOST_DESCRIBE_STRUCT(EvidenceRejected, (), (reason))
struct BecameOverdue {
  static constexpr const char* kType = milestone_events::kOverdue;
  static constexpr const char* kCommand = milestone_commands::kMarkOverdue;
  Date due;             // the due date that passed
  Instant detected_at;  // when the timer fired
};
BOOST_DESCRIBE_STRUCT(BecameOverdue, (), (due, detected_at))
struct Rescheduled {
  static constexpr const char* kType = milestone_events::kRescheduled;
  static constexpr const char* kCommand = "RescheduleMilestone";
  Date due;
  Text<1000> reason;
};
BOOST_DESCRIBE_STRUCT(Rescheduled, (), (due, reason))
struct Cancelled {
  static constexpr const char* kType = milestone_events::kCancelled;
  static constexpr const char* kCommand = "CancelMilestone";
  Text<1000> reason;
};
BOOST_DESCRIBE_STRUCT(Cancelled, (), (reason))

using Event = std::variant<Scheduled, Started, FlaggedAtRisk, RiskCleared, EvidenceSubmitted,
                           Verified, EvidenceRejected, BecameOverdue, Rescheduled, Cancelled>;

// ---- The machine. -------------------------------------------------------------

struct Data {
  std::string plan_id, network_id, title, due, risk_reason, evidence_summary, rejection_reason,
      cancel_reason;
  std::vector<std::string> evidence_links;
  int reschedules = 0;
  std::string refusal;  // set by a guard that says no
};

// Day after the due date, 00:00 UTC: from then on the milestone is overdue.
Timestamp OverdueFrom(const std::string& due) { return *ParseRfc3339(due) + std::chrono::days(1); }

struct Machine_ : MachineDef<Machine_> {
  struct Unscheduled : NamedState<"unscheduled"> {};
  struct Planned : NamedState<"planned"> {};
  struct InProgress : NamedState<"in_progress"> {};
  struct AtRisk : NamedState<"at_risk"> {};
  struct Submitted : NamedState<"evidence_submitted"> {};
  struct Achieved : NamedState<"achieved"> {};
  struct Overdue : NamedState<"overdue"> {};
  struct Closed : NamedState<"cancelled"> {};
  using initial_state = Unscheduled;

  // Actions: record what the event says.
  struct Record {
    template <class Fsm, class S, class T>
    void operator()(const Scheduled& e, Fsm& fsm, S&, T&) const {
      fsm.data = Data{e.plan_id, e.network_id, e.title, e.due, {}, {}, {}, {}, {}, 0, {}};
    }
    template <class Fsm, class S, class T>
    void operator()(const FlaggedAtRisk& e, Fsm& fsm, S&, T&) const {
      fsm.data.risk_reason = e.reason;
    }
    template <class Fsm, class S, class T>
    void operator()(const RiskCleared&, Fsm& fsm, S&, T&) const {
      fsm.data.risk_reason.clear();
    }
    template <class Fsm, class S, class T>
    void operator()(const EvidenceSubmitted& e, Fsm& fsm, S&, T&) const {
      fsm.data.evidence_summary = e.summary;
      fsm.data.evidence_links = e.links;
      fsm.data.rejection_reason.clear();
    }
    template <class Fsm, class S, class T>
    void operator()(const EvidenceRejected& e, Fsm& fsm, S&, T&) const {
      fsm.data.rejection_reason = e.reason;
    }
    template <class Fsm, class S, class T>
    void operator()(const Rescheduled& e, Fsm& fsm, S&, T&) const {
      fsm.data.due = e.due;
      ++fsm.data.reschedules;
    }
    template <class Fsm, class S, class T>
    void operator()(const Cancelled& e, Fsm& fsm, S&, T&) const {
      fsm.data.cancel_reason = e.reason;
    }
    template <class E, class Fsm, class S, class T>
    void operator()(const E&, Fsm&, S&, T&) const {}
  };

  // Guards: the rules beyond "which state".
  struct DuePassed {  // the timer fires only once the due date is over
    template <class Fsm, class S, class T>
    bool operator()(const BecameOverdue& e, Fsm& fsm, S&, T&) const {
      auto at = ParseRfc3339(e.detected_at);
      if (e.due == fsm.data.due && at && *at >= OverdueFrom(fsm.data.due)) return true;
      fsm.data.refusal = "the milestone is not overdue: it is due " + fsm.data.due;
      return false;
    }
  };
  struct HasEvidence {  // verification needs evidence
    template <class E, class Fsm, class S, class T>
    bool operator()(const E&, Fsm& fsm, S&, T&) const {
      if (!fsm.data.evidence_summary.empty()) return true;
      fsm.data.refusal = "there is no evidence to verify";
      return false;
    }
  };
  struct NewDueDiffers {  // rescheduling moves the due date
    template <class Fsm, class S, class T>
    bool operator()(const Rescheduled& e, Fsm& fsm, S&, T&) const {
      if (e.due > fsm.data.due) return true;
      fsm.data.refusal = "the new due date must be after " + fsm.data.due;
      return false;
    }
  };

  // clang-format off
  struct transition_table : mpl::vector<
      //  from         event               to           action  guard
      Row<Unscheduled, Scheduled,          Planned,     Record, none>,
      Row<Planned,     Started,            InProgress,  Record, none>,
      Row<InProgress,  FlaggedAtRisk,      AtRisk,      Record, none>,
      Row<AtRisk,      RiskCleared,        InProgress,  Record, none>,
      Row<InProgress,  EvidenceSubmitted,  Submitted,   Record, none>,
      Row<AtRisk,      EvidenceSubmitted,  Submitted,   Record, none>,
      Row<Submitted,   Verified,           Achieved,    Record, HasEvidence>,
      Row<Submitted,   EvidenceRejected,   InProgress,  Record, none>,
      Row<Planned,     BecameOverdue,      Overdue,     Record, DuePassed>,
      Row<InProgress,  BecameOverdue,      Overdue,     Record, DuePassed>,
      Row<AtRisk,      BecameOverdue,      Overdue,     Record, DuePassed>,
      Row<Overdue,     Rescheduled,        InProgress,  Record, NewDueDiffers>,
      Row<Planned,     Cancelled,          Closed,      Record, none>,
      Row<InProgress,  Cancelled,          Closed,      Record, none>,
      Row<AtRisk,      Cancelled,          Closed,      Record, none>,
      Row<Submitted,   Cancelled,          Closed,      Record, none>,
      Row<Overdue,     Cancelled,          Closed,      Record, none>
  > {};
  // clang-format on

  Data data;
};

// Who may issue each command (DESIGN.md: a network reports progress and
// evidence on its own milestones; officers do the rest; the timer marks overdue).
bool RoleMayIssue(std::string_view role, std::string_view command) {
  if (command == BecameOverdue::kCommand) return role == "system";
  return OfficerOrNetworkMay(role, command,
                             {Started::kCommand, FlaggedAtRisk::kCommand, RiskCleared::kCommand,
                              EvidenceSubmitted::kCommand});
}

struct Spec {
  using Front = Machine_;
  using Event = workflows::Event;
  static constexpr std::string_view kNoun = "milestone";

  static constexpr auto RoleMayIssue = workflows::RoleMayIssue;
  // The timer says only "now"; the event records which due date passed.
  static void Complete(const CommandRequest& command, const Data& data, Timestamp now,
                       boost::json::object& fields) {
    if (command.type == BecameOverdue::kCommand) {
      fields["due"] = data.due;
      fields["detected_at"] = FormatRfc3339(now);
    }
  }
  static std::string NetworkId(const Data& data) { return data.network_id; }
  static boost::json::object Row(const Data& d) {
    return {{"plan_id", d.plan_id},
            {"network_id", d.network_id},
            {"title", d.title},
            {"due", d.due},
            {"at_risk_reason", TextOrNull(d.risk_reason)},
            {"evidence_summary", TextOrNull(d.evidence_summary)},
            {"evidence_links", boost::json::array(d.evidence_links.begin(), d.evidence_links.end())},
            {"rejection_reason", TextOrNull(d.rejection_reason)},
            {"cancel_reason", TextOrNull(d.cancel_reason)},
            {"reschedules", d.reschedules}};
  }
  static boost::json::object Describe(const Data& d) {
    boost::json::array links(d.evidence_links.begin(), d.evidence_links.end());
    return {{"plan_id", d.plan_id},
            {"network_id", d.network_id},
            {"title", d.title},
            {"due", d.due},
            {"at_risk_reason", d.risk_reason},
            {"evidence_summary", d.evidence_summary},
            {"evidence_links", std::move(links)},
            {"rejection_reason", d.rejection_reason},
            {"cancel_reason", d.cancel_reason},
            {"reschedules", d.reschedules}};
  }
};

}  // namespace

const Workflow& MilestoneWorkflow() {
  static const MachineWorkflow<Spec> workflow("milestone");
  return workflow;
}

std::optional<MilestoneView> ViewMilestone(const WorkflowState& state) {
  const auto* s = dynamic_cast<const MachineState<Spec>*>(&state);
  if (!s) return std::nullopt;
  const Data& d = s->data();
  return MilestoneView{s->state(), d.plan_id, d.network_id, d.due};
}

namespace {
// The states with a row for `event` (as its source), in table order.
std::vector<std::string> SourcesOf(std::string_view event) {
  std::vector<std::string> out;
  for (const auto& t : TransitionsOf<Machine_>()) {
    if (t.event == event && std::find(out.begin(), out.end(), t.from) == out.end()) {
      out.push_back(t.from);
    }
  }
  return out;
}
bool Contains(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}
}  // namespace

const std::vector<std::string>& OpenMilestoneStates() {
  static const std::vector<std::string> states = SourcesOf(Cancelled::kType);
  return states;
}
bool IsOpenMilestoneState(std::string_view state) {
  return Contains(OpenMilestoneStates(), state);
}
bool MilestoneMayGoOverdue(std::string_view state) {
  static const std::vector<std::string> states = SourcesOf(BecameOverdue::kType);
  return Contains(states, state);
}
const std::string& OverdueMilestoneState() {
  static const std::string state = [] {
    for (const auto& t : TransitionsOf<Machine_>()) {
      if (t.event == BecameOverdue::kType) return t.to;
    }
    return std::string();
  }();
  return state;
}

}  // namespace waymark::workflows

namespace waymark::workflows::bench {

std::size_t RunMilestoneRiskCycles(std::size_t transitions) {
  boost::msm::back::state_machine<Machine_> machine;
  machine.start();
  machine.process_event(Scheduled{"p1", "ne", "Bench", "2026-12-31"});
  machine.process_event(Started{});
  const FlaggedAtRisk flag{"bench"};
  const RiskCleared clear{};
  std::size_t taken = 0;
  for (std::size_t i = 0; i < transitions; ++i) {
    const auto handled = (i % 2 == 0) ? machine.process_event(flag) : machine.process_event(clear);
    taken += handled == boost::msm::back::HANDLED_TRUE;
  }
  return taken;
}

}  // namespace waymark::workflows::bench
