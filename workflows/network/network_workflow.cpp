// The network workflow: its Boost.MSM machine (this translation unit only),
// its events as typed structs, and their JSON at the edge.

#include "workflows/network/network_workflow.hpp"

#include <boost/mpl/joint_view.hpp>
#include <boost/mpl/vector/vector20.hpp>
#include <boost/mpl/vector/vector40.hpp>
#include <boost/msm/front/functor_row.hpp>
#include <boost/msm/front/state_machine_def.hpp>
#include <map>

#include "core/stream_name.hpp"
#include "workflows/assessment/assessment_workflow.hpp"
#include "workflows/field_reader.hpp"
#include "workflows/machine_workflow.hpp"
#include "workflows/plan/plan_workflow.hpp"
#include "workflows/roles.hpp"

namespace waymark::workflows {
namespace {

namespace msm = boost::msm;
namespace mpl = boost::mpl;
using msm::front::none;
using msm::front::Row;

// ---- Events: each one's fields declared once (event_fields.hpp). -------------

using namespace fields;

// An approved assessment's scores: every dimension once, each 1..5.
struct DimensionScores : std::map<std::string, std::int64_t> {
  static DimensionScores Read(FieldReader& r, std::string_view field) {
    constexpr std::string_view kExpected =
        "an object scoring each of the ten dimensions from 1 to 5, e.g. {\"membership\": 3, ...}";
    const auto* value = r.data().if_contains(field);
    const auto* object = value ? value->if_object() : nullptr;
    if (!object || object->size() != kDimensions.size()) {
      r.Fail(field, kExpected);
      return {};
    }
    DimensionScores scores;
    for (auto dimension : kDimensions) {
      const auto* score = object->if_contains(dimension);
      const auto* number = score ? score->if_int64() : nullptr;
      if (!number || *number < 1 || *number > 5) {
        r.Fail(field, kExpected);
        return {};
      }
      scores[std::string(dimension)] = *number;
    }
    return scores;
  }
  boost::json::value ToJson() const {
    boost::json::object out;
    for (const auto& [dimension, score] : *this) out[dimension] = score;
    return out;
  }
};

struct Registered {
  static constexpr const char* kType = "NetworkRegistered";
  static constexpr const char* kCommand = "RegisterNetwork";
  // 2: registered at the stage it has reached, with the evidence for a later one.
  static constexpr int kSchemaVersion = 2;
  Id network_id;  // the stream's own id
  Line<200> name;
  Line<100> region;
  NewIn<2, OneOf<kStages>> stage;        // version 1: startup
  NewIn<2, Optional<Text<2000>>> basis;  // needed past startup
  static void Check(const Registered& e, FieldReader& r) {
    if (!e.stage.empty() && e.stage != kStages[0] && e.basis.empty()) {
      r.Fail("basis", "the evidence that the network has reached " + e.stage +
                          " (a network registered past startup needs one)");
    }
  }
};
BOOST_DESCRIBE_STRUCT(Registered, (), (network_id, name, region, stage, basis))
struct OfficerAssigned {
  static constexpr const char* kType = "OfficerAssigned";
  static constexpr const char* kCommand = "AssignOfficer";
  Line<200> officer;  // the development officer whose caseload it joins
};
BOOST_DESCRIBE_STRUCT(OfficerAssigned, (), (officer))
struct Advanced {
  static constexpr const char* kType = network_events::kStageAdvanced;
  static constexpr const char* kCommand = "AdvanceStage";
  // 2: rests on a cited assessment, whose scores it records.
  static constexpr int kSchemaVersion = 2;
  OneOf<kStages> to;
  Text<1000> reason;
  NewIn<2, Id> assessment_id;
  NewIn<2, Optional<DimensionScores>> scores;  // filled in from the recorded outcome
  int schema = 0;                              // the version it was read in
};
BOOST_DESCRIBE_STRUCT(Advanced, (), (to, reason, assessment_id, scores))
struct Returned {
  static constexpr const char* kType = network_events::kStageReturned;
  static constexpr const char* kCommand = "ReturnToStage";
  OneOf<kStages> to;
  Text<1000> reason;
};
BOOST_DESCRIBE_STRUCT(Returned, (), (to, reason))
struct Suspended {
  static constexpr const char* kType = "NetworkSuspended";
  static constexpr const char* kCommand = "SuspendNetwork";
  Text<1000> reason;
};
BOOST_DESCRIBE_STRUCT(Suspended, (), (reason))
struct Resumed {
  static constexpr const char* kType = "NetworkResumed";
  static constexpr const char* kCommand = "ResumeNetwork";
};
BOOST_DESCRIBE_STRUCT(Resumed, (), ())
struct Closed {
  static constexpr const char* kType = "NetworkClosed";
  static constexpr const char* kCommand = "CloseNetwork";
  Text<1000> reason;
};
BOOST_DESCRIBE_STRUCT(Closed, (), (reason))
struct MembershipRecorded {
  static constexpr const char* kType = "MembershipRecorded";
  static constexpr const char* kCommand = "RecordMembership";
  Int<0, 1'000'000> members, active_members;
  static void Check(const MembershipRecorded& e, FieldReader& r) {
    if (e.active_members > e.members) {
      r.Fail("active_members", "at most members (" + std::to_string(e.members) + ")");
    }
  }
};
BOOST_DESCRIBE_STRUCT(MembershipRecorded, (), (members, active_members))
// The funder's outcomes (brokering, influence, partner agencies): recorded, no state change.
struct OpportunityBrokered {
  static constexpr const char* kType = network_events::kOpportunityBrokered;
  static constexpr const char* kCommand = "RecordOpportunity";
  OneOf<kOpportunityKinds> kind;
  Text<1000> description;
  Optional<Pounds> value_gbp;
  Int<0, 1'000'000> members_involved;
};
BOOST_DESCRIBE_STRUCT(OpportunityBrokered, (), (kind, description, value_gbp, members_involved))
struct RepresentationRecorded {
  static constexpr const char* kType = network_events::kRepresentationRecorded;
  static constexpr const char* kCommand = "RecordRepresentation";
  Line<200> partnership;
  OneOf<kRepresentationLevels> level;
  Line<200> seat;
};
BOOST_DESCRIBE_STRUCT(RepresentationRecorded, (), (partnership, level, seat))
struct SupportReferred {
  static constexpr const char* kType = network_events::kSupportReferred;
  static constexpr const char* kCommand = "RecordReferral";
  OneOf<kReferralAgencies> agency;
  Text<1000> purpose;
  Int<1, 1'000'000> members;
};
BOOST_DESCRIBE_STRUCT(SupportReferred, (), (agency, purpose, members))
// Recorded by the engine when one of the network's assessments is approved.
struct OutcomeRecorded {
  static constexpr const char* kType = "AssessmentOutcomeRecorded";
  static constexpr const char* kCommand = network_commands::kRecordAssessmentOutcome;
  Id assessment_id;
  Line<50> period;
  DimensionScores scores;
};
BOOST_DESCRIBE_STRUCT(OutcomeRecorded, (), (assessment_id, period, scores))

using Event = std::variant<Registered, OfficerAssigned, Advanced, Returned, Suspended, Resumed,
                           Closed, MembershipRecorded, OutcomeRecorded, OpportunityBrokered,
                           RepresentationRecorded, SupportReferred>;

// ---- The machine. ---------------------------------------------------------------

struct Data {
  std::string network_id, name, region, officer, basis;
  std::string stage;           // the lifecycle stage; kept while dormant
  bool assessed_since_change;  // an assessment approved since the stage last changed
  // Those assessments' outcomes, by assessment id: what a stage advance may cite.
  std::map<std::string, OutcomeRecorded> approved_since_change;
  std::int64_t members = 0, active_members = 0;
  std::optional<OutcomeRecorded> last_outcome;
  // The days it was registered and its last assessment's outcome recorded
  // (from the events' record: their data holds no time).
  std::string registered_on, assessed_on;
  std::string suspend_reason, close_reason, return_reason;
  std::string refusal;
};

struct Machine_ : MachineDef<Machine_> {
  struct Unregistered : NamedState<"unregistered"> {};
  struct Startup : NamedState<"startup"> {};
  struct Development : NamedState<"development"> {};
  struct Participation : NamedState<"participation"> {};
  struct Growth : NamedState<"growth"> {};
  struct Dormant : NamedState<"dormant"> {};
  struct ClosedState : NamedState<"closed"> {};
  using initial_state = Unregistered;

  struct Record {
    template <class Fsm, class S, class T>
    void operator()(const Registered& e, Fsm& fsm, S&, T&) const {
      fsm.data = Data{};
      fsm.data.network_id = e.network_id;
      fsm.data.name = e.name;
      fsm.data.region = e.region;
      fsm.data.stage = e.stage.empty() ? std::string(kStages[0]) : std::string(e.stage);
      fsm.data.basis = e.basis;
    }
    template <class Fsm, class S, class T>
    void operator()(const OfficerAssigned& e, Fsm& fsm, S&, T&) const {
      fsm.data.officer = e.officer;
    }
    template <class Fsm, class S, class T>
    void operator()(const Advanced& e, Fsm& fsm, S&, T&) const {
      fsm.data.stage = e.to;
      fsm.data.assessed_since_change = false;
      fsm.data.approved_since_change.clear();
    }
    template <class Fsm, class S, class T>
    void operator()(const Returned& e, Fsm& fsm, S&, T&) const {
      fsm.data.stage = e.to;
      fsm.data.return_reason = e.reason;
      fsm.data.assessed_since_change = false;
      fsm.data.approved_since_change.clear();
    }
    template <class Fsm, class S, class T>
    void operator()(const Suspended& e, Fsm& fsm, S&, T&) const {
      fsm.data.suspend_reason = e.reason;
    }
    template <class Fsm, class S, class T>
    void operator()(const Resumed&, Fsm& fsm, S&, T&) const {
      fsm.data.suspend_reason.clear();
    }
    template <class Fsm, class S, class T>
    void operator()(const Closed& e, Fsm& fsm, S&, T&) const {
      fsm.data.close_reason = e.reason;
    }
    template <class Fsm, class S, class T>
    void operator()(const MembershipRecorded& e, Fsm& fsm, S&, T&) const {
      fsm.data.members = e.members;
      fsm.data.active_members = e.active_members;
    }
    template <class Fsm, class S, class T>
    void operator()(const OutcomeRecorded& e, Fsm& fsm, S&, T&) const {
      fsm.data.last_outcome = e;
      fsm.data.assessed_since_change = true;
      fsm.data.approved_since_change[e.assessment_id] = e;
    }
  };

  // Registered at the stage it names (the row's target).
  struct RegisteredAt {
    template <class Fsm, class S, class T>
    bool operator()(const Registered& e, Fsm&, S&, T&) const {
      return (e.stage.empty() ? std::string(kStages[0]) : std::string(e.stage)) == T::kName;
    }
  };
  // One stage back (the row's target).
  struct OneStageBack {
    template <class Fsm, class S, class T>
    bool operator()(const Returned& e, Fsm& fsm, S&, T&) const {
      if (e.to == T::kName) return true;
      fsm.data.refusal = std::string("a network returns one stage at a time: from ") + S::kName +
                         " the stage before is " + T::kName + ", not " + e.to;
      return false;
    }
  };

  // One stage forward (the row's target), with an assessment approved since
  // the network entered its current stage.
  struct OneStageForward {
    template <class Fsm, class S, class T>
    bool operator()(const Advanced& e, Fsm& fsm, S&, T&) const {
      if (e.to != T::kName) {
        fsm.data.refusal = std::string("a network advances one stage at a time: from ") + S::kName +
                           " the next stage is " + T::kName + ", not " + e.to;
        return false;
      }
      if (!fsm.data.assessed_since_change) {
        fsm.data.refusal = std::string(
                               "advancing needs an assessment approved since the network "
                               "entered ") +
                           S::kName + "; none has been approved since";
        return false;
      }
      if (e.schema < 2) return true;  // version 1 cited none
      if (!fsm.data.approved_since_change.contains(e.assessment_id)) {
        std::string ids;
        for (const auto& [id, o] : fsm.data.approved_since_change)
          ids += (ids.empty() ? "" : ", ") + id;
        fsm.data.refusal = "assessment " + std::string(e.assessment_id) +
                           " is not one of this network's approved since it entered " + S::kName +
                           "; cite one of: " + ids;
        return false;
      }
      return true;
    }
  };
  // Resuming returns to the stage the network was suspended in (the row's target).
  struct SuspendedIn {
    template <class E, class Fsm, class S, class T>
    bool operator()(const E&, Fsm& fsm, S&, T&) const {
      return fsm.data.stage == T::kName;
    }
  };

  // clang-format off
  // Two numbered vectors joined: mpl's numbered vectors stop at 50 rows.
  struct transition_table : mpl::joint_view<mpl::vector38<
      //  from           event               to             action  guard
      Row<Unregistered,  Registered,         Startup,       Record, RegisteredAt>,
      Row<Unregistered,  Registered,         Development,   Record, RegisteredAt>,
      Row<Unregistered,  Registered,         Participation, Record, RegisteredAt>,
      Row<Unregistered,  Registered,         Growth,        Record, RegisteredAt>,
      Row<Startup,       OfficerAssigned,    Startup,       Record, none>,
      Row<Development,   OfficerAssigned,    Development,   Record, none>,
      Row<Participation, OfficerAssigned,    Participation, Record, none>,
      Row<Growth,        OfficerAssigned,    Growth,        Record, none>,
      Row<Dormant,       OfficerAssigned,    Dormant,       Record, none>,
      Row<Development,   Returned,           Startup,       Record, OneStageBack>,
      Row<Participation, Returned,           Development,   Record, OneStageBack>,
      Row<Growth,        Returned,           Participation, Record, OneStageBack>,
      Row<Startup,       Advanced,           Development,   Record, OneStageForward>,
      Row<Development,   Advanced,           Participation, Record, OneStageForward>,
      Row<Participation, Advanced,           Growth,        Record, OneStageForward>,
      Row<Startup,       Suspended,          Dormant,       Record, none>,
      Row<Development,   Suspended,          Dormant,       Record, none>,
      Row<Participation, Suspended,          Dormant,       Record, none>,
      Row<Growth,        Suspended,          Dormant,       Record, none>,
      Row<Dormant,       Resumed,            Startup,       Record, SuspendedIn>,
      Row<Dormant,       Resumed,            Development,   Record, SuspendedIn>,
      Row<Dormant,       Resumed,            Participation, Record, SuspendedIn>,
      Row<Dormant,       Resumed,            Growth,        Record, SuspendedIn>,
      Row<Startup,       Closed,             ClosedState,   Record, none>,
      Row<Development,   Closed,             ClosedState,   Record, none>,
      Row<Participation, Closed,             ClosedState,   Record, none>,
      Row<Growth,        Closed,             ClosedState,   Record, none>,
      Row<Dormant,       Closed,             ClosedState,   Record, none>,
      Row<Startup,       MembershipRecorded, Startup,       Record, none>,
      Row<Development,   MembershipRecorded, Development,   Record, none>,
      Row<Participation, MembershipRecorded, Participation, Record, none>,
      Row<Growth,        MembershipRecorded, Growth,        Record, none>,
      Row<Dormant,       MembershipRecorded, Dormant,       Record, none>,
      Row<Startup,       OutcomeRecorded,    Startup,       Record, none>,
      Row<Development,   OutcomeRecorded,    Development,   Record, none>,
      Row<Participation, OutcomeRecorded,    Participation, Record, none>,
      Row<Growth,        OutcomeRecorded,    Growth,        Record, none>,
      Row<Dormant,       OutcomeRecorded,    Dormant,       Record, none>
  >, mpl::vector15<
      Row<Startup,       OpportunityBrokered,    Startup,       none,   none>,
      Row<Development,   OpportunityBrokered,    Development,   none,   none>,
      Row<Participation, OpportunityBrokered,    Participation, none,   none>,
      Row<Growth,        OpportunityBrokered,    Growth,        none,   none>,
      Row<Dormant,       OpportunityBrokered,    Dormant,       none,   none>,
      Row<Startup,       RepresentationRecorded, Startup,       none,   none>,
      Row<Development,   RepresentationRecorded, Development,   none,   none>,
      Row<Participation, RepresentationRecorded, Participation, none,   none>,
      Row<Growth,        RepresentationRecorded, Growth,        none,   none>,
      Row<Dormant,       RepresentationRecorded, Dormant,       none,   none>,
      Row<Startup,       SupportReferred,        Startup,       none,   none>,
      Row<Development,   SupportReferred,        Development,   none,   none>,
      Row<Participation, SupportReferred,        Participation, none,   none>,
      Row<Growth,        SupportReferred,        Growth,        none,   none>,
      Row<Dormant,       SupportReferred,        Dormant,       none,   none>
  >> {};
  // clang-format on

  Data data{};
};

struct Spec {
  using Front = Machine_;
  using Event = workflows::Event;
  static constexpr std::string_view kNoun = "network";
  static constexpr auto RoleMayIssue = workflows::RoleMayIssue;
  // A network's id is its stream's.
  // A network's id is its stream's; a stage advance records the scores of
  // the assessment it cites, as the network recorded them.
  static void Complete(const CommandRequest& command, const Data& data, Timestamp,
                       boost::json::object& fields) {
    if (command.type == Registered::kCommand) {
      if (auto name = ParseStreamName(command.stream)) fields["network_id"] = name->id;
    }
    if (command.type == Advanced::kCommand) {
      const auto* cited = command.data.if_contains("assessment_id");
      if (cited && cited->is_string()) {
        auto it = data.approved_since_change.find(std::string(cited->get_string()));
        if (it != data.approved_since_change.end()) fields["scores"] = it->second.scores.ToJson();
      }
    }
  }
  // Registered at startup unless it says otherwise.
  static void Defaults(const CommandRequest& command, boost::json::object& data) {
    if (command.type == Registered::kCommand && !data.contains("stage")) data["stage"] = kStages[0];
  }
  // A dormant or closed network starts no assessment or plan.
  static std::expected<void, Error> AcceptsReference(const Data&, const std::string& state,
                                                     const NewEvent& event) {
    if (event.type != assessment_events::kStarted && event.type != plan_events::kDrafted) return {};
    if (state != "dormant" && state != "closed") return {};
    return std::unexpected(MakeError(ErrorCode::kNotAllowed,
                                     "the network is " + state +
                                         "; a dormant or closed network starts no assessment or "
                                         "plan (resume it first, if it is dormant)"));
  }
  static std::string NetworkId(const Data& data) { return data.network_id; }
  static void Recorded(Data& d, const Event& event, const RecordedEvent& stored) {
    const std::string day = FormatRfc3339(stored.metadata.recorded_at).substr(0, 10);
    if (std::holds_alternative<Registered>(event)) d.registered_on = day;
    if (std::holds_alternative<OutcomeRecorded>(event)) d.assessed_on = day;
  }
  // A working network waits on its officer for an assessment when none was
  // approved in the twelve months since the last (or since it registered).
  static std::vector<WorkflowState::Task> Tasks(const Data& d, std::string_view state) {
    if (state == "dormant" || state == "closed" || state == "unregistered") return {};
    const std::string& since = d.assessed_on.empty() ? d.registered_on : d.assessed_on;
    if (since.empty()) return {};
    const std::string due = AddDays(since, 365);
    return {{"assess", "assess_network", "officer", d.name, "", due, due, ""}};
  }
  static boost::json::object Row(const Data& d) {
    boost::json::object row{{"name", d.name},       {"region", d.region},
                            {"stage", d.stage},     {"officer", TextOrNull(d.officer)},
                            {"members", d.members}, {"active_members", d.active_members}};
    if (d.last_outcome) {
      row["latest_assessment_id"] = std::string_view(d.last_outcome->assessment_id);
      row["latest_assessment_period"] = std::string_view(d.last_outcome->period);
      row["latest_scores"] = d.last_outcome->scores.ToJson();
    }
    return row;
  }
  // The programme report's history: stage moves (rm_stage_history),
  // membership (rm_membership_history) and the funder's outcomes (rm_outcomes).
  static std::vector<WorkflowState::HistoryRow> History(const Data& d, const Event& event,
                                                        const RecordedEvent&) {
    using Row = WorkflowState::HistoryRow;
    const auto stage = [&](std::string_view from, std::string_view to, std::string_view direction,
                           std::string_view assessment, std::string_view reason) {
      return Row{
          "rm_stage_history",
          "",
          {{"network_id", d.network_id},
           {"from_stage", from.empty() ? boost::json::value(nullptr) : boost::json::value(from)},
           {"to_stage", to},
           {"direction", direction},
           {"assessment_id", TextOrNull(std::string(assessment))},
           {"reason", TextOrNull(std::string(reason))}}};
    };
    const auto outcome = [&](std::string_view kind, std::string_view category,
                             std::string_view description, boost::json::value value,
                             std::int64_t members, boost::json::object extra) {
      boost::json::object row{{"network_id", d.network_id}, {"outcome", kind},
                              {"category", category},       {"description", description},
                              {"value_gbp", value},         {"members", members}};
      for (auto& [k, v] : extra) row[k] = v;
      return Row{"rm_outcomes", "", std::move(row)};
    };
    const auto& stages = kStages;
    const auto neighbour = [&](std::string_view to, int step) -> std::string_view {
      const auto it = std::find(stages.begin(), stages.end(), to);
      const auto i = (it - stages.begin()) + step;
      return it == stages.end() || i < 0 || i >= static_cast<long>(stages.size())
                 ? std::string_view{}
                 : stages[static_cast<std::size_t>(i)];
    };
    return std::visit(
        [&](const auto& e) -> std::vector<Row> {
          using E = std::decay_t<decltype(e)>;
          if constexpr (std::is_same_v<E, Registered>) {
            return {stage("", d.stage, "registered", "", e.basis)};
          } else if constexpr (std::is_same_v<E, Advanced>) {
            return {stage(neighbour(e.to, -1), e.to, "forward", e.assessment_id, e.reason)};
          } else if constexpr (std::is_same_v<E, Returned>) {
            return {stage(neighbour(e.to, +1), e.to, "back", "", e.reason)};
          } else if constexpr (std::is_same_v<E, MembershipRecorded>) {
            return {Row{"rm_membership_history",
                        "",
                        {{"network_id", d.network_id},
                         {"members", e.members.value},
                         {"active_members", e.active_members.value}}}};
          } else if constexpr (std::is_same_v<E, OpportunityBrokered>) {
            return {outcome(
                "opportunity", e.kind, e.description,
                e.value_gbp.empty() ? boost::json::value(nullptr) : boost::json::value(e.value_gbp),
                e.members_involved, {})};
          } else if constexpr (std::is_same_v<E, RepresentationRecorded>) {
            return {outcome("representation", e.level, e.partnership, nullptr, 0,
                            {{"partnership", e.partnership}, {"seat", e.seat}})};
          } else if constexpr (std::is_same_v<E, SupportReferred>) {
            return {outcome("referral", e.agency, e.purpose, nullptr, e.members, {})};
          } else {
            return {};
          }
        },
        event);
  }
  static boost::json::object Describe(const Data& d) {
    boost::json::value outcome = nullptr;
    if (d.last_outcome) {
      auto o = WriteEvent(*d.last_outcome);
      outcome = std::move(o);
    }
    return {{"network_id", d.network_id},
            {"name", d.name},
            {"region", d.region},
            {"stage", d.stage},
            {"officer", d.officer},
            {"basis", d.basis},
            {"return_reason", d.return_reason},
            {"assessed_since_stage_change", d.assessed_since_change},
            {"members", d.members},
            {"active_members", d.active_members},
            {"last_assessment", std::move(outcome)},
            {"suspend_reason", d.suspend_reason},
            {"close_reason", d.close_reason}};
  }
};

}  // namespace

const Workflow& NetworkWorkflow() {
  static const MachineWorkflow<Spec> workflow("network");
  return workflow;
}

}  // namespace waymark::workflows
