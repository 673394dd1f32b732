// The milestone workflow: its Boost.MSM machine (this translation unit only),
// its events as typed structs, and their JSON at the edge.

#include "workflows/milestone/milestone_workflow.hpp"

#include <algorithm>
#include <boost/mpl/vector/vector30.hpp>
#include <boost/msm/back/state_machine.hpp>
#include <boost/msm/front/functor_row.hpp>
#include <boost/msm/front/state_machine_def.hpp>
#include <variant>

#include "core/text_rules.hpp"
#include "workflows/machine_workflow.hpp"
#include "workflows/milestone/milestone_bench.hpp"
#include "workflows/roles.hpp"

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
  static constexpr int kSchemaVersion = 2;  // 2: action_id
  Id plan_id, network_id;
  Line<200> title;
  Date due;
  NewIn<2, Id> action_id;  // the plan's action this milestone delivers
};
BOOST_DESCRIBE_STRUCT(Scheduled, (), (plan_id, network_id, title, due, action_id))
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
  static constexpr int kSchemaVersion = 2;  // 2: who submitted it, and when
  Text<2000> summary;
  Links links;
  NewIn<2, Line<200>> submitted_by;  // the actor
  NewIn<2, Instant> submitted_at;    // the handler's clock
};
BOOST_DESCRIBE_STRUCT(EvidenceSubmitted, (), (summary, links, submitted_by, submitted_at))
struct Verified {
  static constexpr const char* kType = milestone_events::kVerified;
  static constexpr const char* kCommand = "VerifyMilestone";
  static constexpr int kSchemaVersion = 2;  // 2: who verified it
  NewIn<2, Line<200>> verified_by;          // the actor
};
BOOST_DESCRIBE_STRUCT(Verified, (), (verified_by))
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
  static constexpr const char* kCommand = milestone_commands::kCancel;
  Text<1000> reason;
};
BOOST_DESCRIBE_STRUCT(Cancelled, (), (reason))

using Event = std::variant<Scheduled, Started, FlaggedAtRisk, RiskCleared, EvidenceSubmitted,
                           Verified, EvidenceRejected, BecameOverdue, Rescheduled, Cancelled>;

// ---- The machine. -------------------------------------------------------------

struct Data {
  std::string plan_id, network_id, action_id, title, due, original_due, risk_reason,
      evidence_summary, evidence_submitted_by, rejection_reason, cancel_reason, verified_by;
  std::vector<std::string> evidence_links;
  int reschedules = 0;
  // The evidence came on or before the due date then in force; unknown for
  // evidence recorded before its time was (schema version 1).
  std::optional<bool> on_time;
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
      fsm.data = Data{};
      fsm.data.plan_id = e.plan_id;
      fsm.data.network_id = e.network_id;
      fsm.data.action_id = e.action_id;
      fsm.data.title = e.title;
      fsm.data.due = fsm.data.original_due = e.due;
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
      fsm.data.evidence_submitted_by = e.submitted_by;
      fsm.data.rejection_reason.clear();
      fsm.data.on_time.reset();
      if (!e.submitted_at.empty()) fsm.data.on_time = e.submitted_at.substr(0, 10) <= fsm.data.due;
    }
    template <class Fsm, class S, class T>
    void operator()(const Verified& e, Fsm& fsm, S&, T&) const {
      fsm.data.verified_by = e.verified_by;
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
  struct HasEvidence {  // verification needs evidence, and four eyes
    template <class Fsm, class S, class T>
    bool operator()(const Verified& e, Fsm& fsm, S&, T&) const {
      if (fsm.data.evidence_summary.empty()) {
        fsm.data.refusal = "there is no evidence to verify";
        return false;
      }
      if (!e.verified_by.empty() &&
          PersonKey(e.verified_by) == PersonKey(fsm.data.evidence_submitted_by)) {
        fsm.data.refusal =
            e.verified_by + " submitted this evidence; another officer verifies it (four eyes)";
        return false;
      }
      return true;
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
  struct transition_table : mpl::vector21<  // mpl::vector stops at 20 rows
      //  from         event               to           action  guard
      Row<Unscheduled, Scheduled,          Planned,     Record, none>,
      Row<Planned,     Started,            InProgress,  Record, none>,
      Row<InProgress,  FlaggedAtRisk,      AtRisk,      Record, none>,
      Row<AtRisk,      RiskCleared,        InProgress,  Record, none>,
      Row<InProgress,  EvidenceSubmitted,  Submitted,   Record, none>,
      Row<AtRisk,      EvidenceSubmitted,  Submitted,   Record, none>,
      Row<Overdue,     EvidenceSubmitted,  Submitted,   Record, none>,
      Row<Submitted,   Verified,           Achieved,    Record, HasEvidence>,
      Row<Submitted,   EvidenceRejected,   InProgress,  Record, none>,
      Row<Planned,     BecameOverdue,      Overdue,     Record, DuePassed>,
      Row<InProgress,  BecameOverdue,      Overdue,     Record, DuePassed>,
      Row<AtRisk,      BecameOverdue,      Overdue,     Record, DuePassed>,
      Row<Overdue,     Rescheduled,        InProgress,  Record, NewDueDiffers>,
      Row<Planned,     Rescheduled,        Planned,     Record, NewDueDiffers>,
      Row<InProgress,  Rescheduled,        InProgress,  Record, NewDueDiffers>,
      Row<AtRisk,      Rescheduled,        AtRisk,      Record, NewDueDiffers>,
      Row<Planned,     Cancelled,          Closed,      Record, none>,
      Row<InProgress,  Cancelled,          Closed,      Record, none>,
      Row<AtRisk,      Cancelled,          Closed,      Record, none>,
      Row<Submitted,   Cancelled,          Closed,      Record, none>,
      Row<Overdue,     Cancelled,          Closed,      Record, none>
  > {};
  // clang-format on

  Data data;
};

struct Spec {
  using Front = Machine_;
  using Event = workflows::Event;
  static constexpr std::string_view kNoun = "milestone";

  static constexpr auto RoleMayIssue = workflows::RoleMayIssue;
  // The timer says only "now"; the event records which due date passed.
  // Who submitted or verified evidence, and when it came, are the actor and
  // the clock.
  static void Complete(const CommandRequest& command, const Data& data, Timestamp now,
                       boost::json::object& fields) {
    if (command.type == BecameOverdue::kCommand) {
      fields["due"] = data.due;
      fields["detected_at"] = FormatRfc3339(now);
    }
    if (command.type == EvidenceSubmitted::kCommand) {
      fields["submitted_by"] = command.actor.name;
      fields["submitted_at"] = FormatRfc3339(now);
    }
    if (command.type == Verified::kCommand) fields["verified_by"] = command.actor.name;
  }
  static std::string NetworkId(const Data& data) { return data.network_id; }
  // An open milestone waits on its network to deliver it (shown from 30
  // days before it is due), or to send its evidence again when an officer
  // rejected it; at risk or overdue, on its officer to follow it up;
  // evidence submitted, on an officer who did not submit it.
  static std::vector<WorkflowState::Task> Tasks(const Data& d, std::string_view state) {
    std::vector<WorkflowState::Task> out;
    const bool open =
        state == "planned" || state == "in_progress" || state == "at_risk" || state == "overdue";
    if (open && !d.rejection_reason.empty()) {
      out.push_back({"deliver", "resubmit_evidence", "network", d.title, "", d.due, "", ""});
    } else if (open) {
      out.push_back(
          {"deliver", "deliver_milestone", "network", d.title, "", d.due, AddDays(d.due, -30), ""});
    }
    if (state == "at_risk" || state == "overdue") {
      out.push_back({"follow-up", state == "overdue" ? "overdue_milestone" : "at_risk_milestone",
                     "officer", d.title, "", d.due, "", ""});
    }
    if (state == "evidence_submitted") {
      out.push_back({"verify", "verify_evidence", "officer", d.title, "", d.due, "",
                     d.evidence_submitted_by});
    }
    return out;
  }
  static boost::json::object Row(const Data& d) {
    return {
        {"plan_id", d.plan_id},
        {"network_id", d.network_id},
        {"title", d.title},
        {"due", d.due},
        {"at_risk_reason", TextOrNull(d.risk_reason)},
        {"evidence_summary", TextOrNull(d.evidence_summary)},
        {"evidence_links", boost::json::array(d.evidence_links.begin(), d.evidence_links.end())},
        {"rejection_reason", TextOrNull(d.rejection_reason)},
        {"cancel_reason", TextOrNull(d.cancel_reason)},
        {"action_id", TextOrNull(d.action_id)},
        {"original_due", d.original_due},
        {"times_rescheduled", d.reschedules},
        {"on_time", OnTime(d)}};
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
            {"reschedules", d.reschedules},
            {"action_id", d.action_id},
            {"original_due", d.original_due},
            {"evidence_submitted_by", d.evidence_submitted_by},
            {"verified_by", d.verified_by},
            {"on_time", OnTime(d)}};
  }
  static boost::json::value OnTime(const Data& d) {
    return d.on_time ? boost::json::value(*d.on_time) : boost::json::value(nullptr);
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
  return MilestoneView{s->state(), d.plan_id, d.network_id, d.action_id, d.due};
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
bool IsOpenMilestoneState(std::string_view state) { return Contains(OpenMilestoneStates(), state); }
bool MilestoneMayGoOverdue(std::string_view state) {
  static const std::vector<std::string> states = SourcesOf(BecameOverdue::kType);
  return Contains(states, state);
}
namespace {
// The state the table leads `event` to (one for each of these events).
std::string StateAfter(std::string_view event) {
  for (const auto& t : TransitionsOf<Machine_>()) {
    if (t.event == event) return t.to;
  }
  return std::string();
}
}  // namespace

const std::string& OverdueMilestoneState() {
  static const std::string state = StateAfter(BecameOverdue::kType);
  return state;
}

const std::string& AchievedMilestoneState() {
  static const std::string state = StateAfter(milestone_events::kVerified);
  return state;
}

const std::string& CancelledMilestoneState() {
  static const std::string state = StateAfter(milestone_events::kCancelled);
  return state;
}

}  // namespace waymark::workflows

namespace waymark::workflows::bench {

std::size_t RunMilestoneRiskCycles(std::size_t transitions) {
  boost::msm::back::state_machine<Machine_> machine;
  machine.start();
  machine.process_event(Scheduled{"p1", "ne", "Bench", "2026-12-31", "a1"});
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
