// The milestone workflow: its Boost.MSM machine (this translation unit only),
// its events as typed structs, and their JSON at the edge.

#include "workflows/milestone/milestone_workflow.hpp"

#include <algorithm>
#include <boost/mpl/for_each.hpp>
#include <boost/mpl/vector.hpp>
#include <boost/msm/back/state_machine.hpp>
#include <boost/msm/back/tools.hpp>
#include <boost/msm/front/functor_row.hpp>
#include <boost/msm/front/state_machine_def.hpp>
#include <map>
#include <variant>

#include "core/stream_name.hpp"
#include "workflows/field_reader.hpp"

namespace waymark::workflows {
namespace {

namespace msm = boost::msm;
namespace mpl = boost::mpl;
using msm::front::none;
using msm::front::Row;

// ---- Events: what happened, in the past tense; stable on the wire. ---------

struct Scheduled {
  static constexpr const char* kType = "MilestoneScheduled";
  static constexpr const char* kCommand = "ScheduleMilestone";
  std::string plan_id, network_id, title, due;  // due: YYYY-MM-DD
};
struct Started {
  static constexpr const char* kType = "MilestoneStarted";
  static constexpr const char* kCommand = "StartMilestone";
};
struct FlaggedAtRisk {
  static constexpr const char* kType = "MilestoneFlaggedAtRisk";
  static constexpr const char* kCommand = "FlagAtRisk";
  std::string reason;
};
struct RiskCleared {
  static constexpr const char* kType = "MilestoneRiskCleared";
  static constexpr const char* kCommand = "ClearRisk";
};
struct EvidenceSubmitted {
  static constexpr const char* kType = "EvidenceSubmitted";
  static constexpr const char* kCommand = "SubmitEvidence";
  std::string summary;
  std::vector<std::string> links;
};
struct Verified {
  static constexpr const char* kType = "MilestoneVerified";
  static constexpr const char* kCommand = "VerifyMilestone";
};
struct EvidenceRejected {
  static constexpr const char* kType = "EvidenceRejected";
  static constexpr const char* kCommand = "RejectEvidence";
  std::string reason;
};
struct BecameOverdue {
  static constexpr const char* kType = "MilestoneOverdue";
  static constexpr const char* kCommand = "MarkMilestoneOverdue";
  std::string due;          // the due date that passed
  std::string detected_at;  // RFC 3339, when the timer fired
};
struct Rescheduled {
  static constexpr const char* kType = "MilestoneRescheduled";
  static constexpr const char* kCommand = "RescheduleMilestone";
  std::string due, reason;
};
struct Cancelled {
  static constexpr const char* kType = "MilestoneCancelled";
  static constexpr const char* kCommand = "CancelMilestone";
  std::string reason;
};

using Event = std::variant<Scheduled, Started, FlaggedAtRisk, RiskCleared, EvidenceSubmitted,
                           Verified, EvidenceRejected, BecameOverdue, Rescheduled, Cancelled>;

// ---- JSON at the edge. -------------------------------------------------------

boost::json::object EventData(const Scheduled& e) {
  return {{"plan_id", e.plan_id}, {"network_id", e.network_id}, {"title", e.title}, {"due", e.due}};
}
boost::json::object EventData(const Started&) { return {}; }
boost::json::object EventData(const FlaggedAtRisk& e) { return {{"reason", e.reason}}; }
boost::json::object EventData(const RiskCleared&) { return {}; }
boost::json::object EventData(const EvidenceSubmitted& e) {
  boost::json::array links(e.links.begin(), e.links.end());
  return {{"summary", e.summary}, {"links", std::move(links)}};
}
boost::json::object EventData(const Verified&) { return {}; }
boost::json::object EventData(const EvidenceRejected& e) { return {{"reason", e.reason}}; }
boost::json::object EventData(const BecameOverdue& e) {
  return {{"due", e.due}, {"detected_at", e.detected_at}};
}
boost::json::object EventData(const Rescheduled& e) {
  return {{"due", e.due}, {"reason", e.reason}};
}
boost::json::object EventData(const Cancelled& e) { return {{"reason", e.reason}}; }

// Reads an event's fields from command data (validated for people) or from a
// stored event (the same rules: what was valid then is valid now).
std::expected<Event, Error> FromJson(std::string_view type, const boost::json::object& data) {
  FieldReader r(data);
  auto finish = [&](Event e) -> std::expected<Event, Error> {
    if (auto error = r.error()) return std::unexpected(*error);
    return e;
  };
  if (type == Scheduled::kType) {
    Scheduled e{r.Id("plan_id"), r.Id("network_id"), r.Text("title", 200), r.Date("due")};
    return finish(e);
  }
  if (type == Started::kType) return finish(Started{});
  if (type == FlaggedAtRisk::kType) return finish(FlaggedAtRisk{r.Text("reason", 1000)});
  if (type == RiskCleared::kType) return finish(RiskCleared{});
  if (type == EvidenceSubmitted::kType) {
    EvidenceSubmitted e{r.Text("summary", 2000), r.Links("links")};
    return finish(e);
  }
  if (type == Verified::kType) return finish(Verified{});
  if (type == EvidenceRejected::kType) return finish(EvidenceRejected{r.Text("reason", 1000)});
  if (type == BecameOverdue::kType) {
    BecameOverdue e{r.Date("due"), r.Instant("detected_at")};
    return finish(e);
  }
  if (type == Rescheduled::kType) {
    Rescheduled e{r.Date("due"), r.Text("reason", 1000)};
    return finish(e);
  }
  if (type == Cancelled::kType) return finish(Cancelled{r.Text("reason", 1000)});
  return std::unexpected(
      MakeError(ErrorCode::kCorrupt, "unknown milestone event " + std::string(type)));
}

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

struct Machine_ : msm::front::state_machine_def<Machine_> {
  struct Unscheduled : msm::front::state<> {
    static constexpr const char* kName = "unscheduled";
  };
  struct Planned : msm::front::state<> {
    static constexpr const char* kName = "planned";
  };
  struct InProgress : msm::front::state<> {
    static constexpr const char* kName = "in_progress";
  };
  struct AtRisk : msm::front::state<> {
    static constexpr const char* kName = "at_risk";
  };
  struct Submitted : msm::front::state<> {
    static constexpr const char* kName = "evidence_submitted";
  };
  struct Achieved : msm::front::state<> {
    static constexpr const char* kName = "achieved";
  };
  struct Overdue : msm::front::state<> {
    static constexpr const char* kName = "overdue";
  };
  struct Closed : msm::front::state<> {
    static constexpr const char* kName = "cancelled";
  };
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

  template <class Fsm, class E>
  void no_transition(const E&, Fsm&, int) {}

  Data data;
};
using Machine = msm::back::state_machine<Machine_>;

// mpl::for_each hands over wrap<T> (so T need not be constructible).
template <class W>
struct Unwrap;
template <class T>
struct Unwrap<msm::wrap<T>> {
  using type = T;
};

// The table, read from the machine's type.
const std::vector<Transition>& Table() {
  static const std::vector<Transition> table = [] {
    std::vector<Transition> rows;
    mpl::for_each<Machine_::transition_table, msm::wrap<mpl::placeholders::_1>>([&](auto row) {
      using R = typename Unwrap<decltype(row)>::type;
      rows.push_back({R::Source::kName, R::Evt::kCommand, R::Evt::kType, R::Target::kName});
    });
    return rows;
  }();
  return table;
}

// State names by the ids MSM gives them.
const std::map<int, std::string>& StateNames() {
  static const std::map<int, std::string> names = [] {
    std::map<int, std::string> out;
    using States = msm::back::generate_state_set<Machine::stt>::type;
    mpl::for_each<States, msm::wrap<mpl::placeholders::_1>>([&](auto state) {
      using S = typename Unwrap<decltype(state)>::type;
      out[msm::back::get_state_id<Machine::stt, S>::value] = S::kName;
    });
    return out;
  }();
  return names;
}

// Who may issue each command (DESIGN.md: a network reports progress and
// evidence on its own milestones; officers do the rest; the timer marks overdue).
bool RoleMayIssue(std::string_view role, std::string_view command) {
  static constexpr std::string_view kNetwork[] = {"StartMilestone", "FlagAtRisk", "ClearRisk",
                                                  "SubmitEvidence"};
  if (command == BecameOverdue::kCommand) return role == "system";
  if (role == "officer") return true;
  if (role == "network")
    return std::find(std::begin(kNetwork), std::end(kNetwork), command) != std::end(kNetwork);
  return false;
}

class MilestoneState final : public WorkflowState {
 public:
  MilestoneState() { machine_.start(); }

  std::expected<void, Error> Apply(const RecordedEvent& stored) override {
    auto event = FromJson(stored.type, stored.data);
    if (!event) {
      return std::unexpected(MakeError(ErrorCode::kCorrupt, stored.stream + " version " +
                                                                std::to_string(stored.version) +
                                                                ": " + event.error().message));
    }
    const auto handled =
        std::visit([&](const auto& e) { return machine_.process_event(e); }, *event);
    if (handled != msm::back::HANDLED_TRUE) {
      return std::unexpected(MakeError(
          ErrorCode::kCorrupt, stored.stream + " version " + std::to_string(stored.version) + ": " +
                                   stored.type + " cannot follow state " + StateName()));
    }
    return {};
  }

  std::expected<std::vector<NewEvent>, Error> Decide(const CommandRequest& command,
                                                     Timestamp now) const override {
    const auto& table = Table();
    const auto row = std::find_if(table.begin(), table.end(),
                                  [&](const Transition& t) { return t.command == command.type; });
    if (row == table.end()) {
      std::string known;
      for (const auto& t : table) {
        if (known.find(t.command) == std::string::npos)
          known += (known.empty() ? "" : ", ") + t.command;
      }
      return std::unexpected(MakeError(ErrorCode::kValidation, "'" + command.type +
                                                                   "' is not a milestone command; "
                                                                   "expected one of " +
                                                                   known));
    }
    if (!RoleMayIssue(command.actor.role, command.type)) {
      return std::unexpected(MakeError(ErrorCode::kForbidden,
                                       "role " + command.actor.role + " may not " + command.type));
    }
    const auto allowed = AllowedCommands();
    if (std::find(allowed.begin(), allowed.end(), command.type) == allowed.end()) {
      Error e = MakeError(ErrorCode::kNotAllowed,
                          command.type + " is not allowed while the milestone is " + StateName());
      e.allowed = allowed;
      return std::unexpected(e);
    }
    boost::json::object data = command.data;
    if (command.type == BecameOverdue::kCommand) {
      data["due"] = machine_.data.due;
      data["detected_at"] = FormatRfc3339(now);
    }
    auto event = FromJson(row->event, data);
    if (!event)
      return std::unexpected(
          MakeError(ErrorCode::kValidation, command.type + ": " + event.error().message));
    Machine trial = machine_;
    const auto handled = std::visit([&](const auto& e) { return trial.process_event(e); }, *event);
    if (handled != msm::back::HANDLED_TRUE) {
      Error e =
          MakeError(ErrorCode::kNotAllowed,
                    command.type + " refused: " +
                        (trial.data.refusal.empty() ? "not in this state" : trial.data.refusal));
      e.allowed = allowed;
      return std::unexpected(e);
    }
    return std::vector<NewEvent>{
        NewEvent{row->event, 1, std::visit([](const auto& e) { return EventData(e); }, *event)}};
  }

  std::vector<std::string> AllowedCommands() const override {
    std::vector<std::string> out;
    const std::string state = StateName();
    for (const auto& t : Table()) {
      if (t.from == state && std::find(out.begin(), out.end(), t.command) == out.end()) {
        out.push_back(t.command);
      }
    }
    return out;
  }

  std::string network_id() const override { return machine_.data.network_id; }

  boost::json::object ToJson() const override {
    const Data& d = machine_.data;
    boost::json::array links(d.evidence_links.begin(), d.evidence_links.end());
    return {{"state", StateName()},
            {"plan_id", d.plan_id},
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

 private:
  std::string StateName() const { return StateNames().at(machine_.current_state()[0]); }

  Machine machine_;
};

class Milestones final : public Workflow {
 public:
  std::string_view kind() const override { return "milestone"; }
  std::unique_ptr<WorkflowState> NewState(std::string_view) const override {
    return std::make_unique<MilestoneState>();
  }
  std::vector<Transition> transitions() const override { return Table(); }
};

}  // namespace

const Workflow& MilestoneWorkflow() {
  static const Milestones workflow;
  return workflow;
}

}  // namespace waymark::workflows
