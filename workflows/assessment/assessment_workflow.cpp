// The assessment workflow: its Boost.MSM machine (this translation unit
// only), its events as typed structs, and their JSON at the edge.

#include "workflows/assessment/assessment_workflow.hpp"

#include <boost/mpl/vector.hpp>
#include <boost/msm/front/functor_row.hpp>
#include <boost/msm/front/state_machine_def.hpp>
#include <map>

#include "core/stream_name.hpp"
#include "core/text_rules.hpp"
#include "workflows/machine_workflow.hpp"
#include "workflows/roles.hpp"

namespace waymark::workflows {
namespace {

namespace msm = boost::msm;
namespace mpl = boost::mpl;
using msm::front::none;
using msm::front::Row;

// ---- Events: each one's fields declared once (event_fields.hpp). -------------

using namespace fields;

struct Started {
  static constexpr const char* kType = assessment_events::kStarted;
  static constexpr const char* kCommand = "StartAssessment";
  Id network_id;
  Line<50> period;
};
BOOST_DESCRIBE_STRUCT(Started, (), (network_id, period))
struct Scored {
  static constexpr const char* kType = "DimensionScored";
  static constexpr const char* kCommand = "ScoreDimension";
  OneOf<kDimensions> dimension;
  Int<1, 5> score;
  Text<2000> note;
  Links evidence;
};
BOOST_DESCRIBE_STRUCT(Scored, (), (dimension, score, note, evidence))
struct Submitted {
  static constexpr const char* kType = "AssessmentSubmitted";
  static constexpr const char* kCommand = "SubmitAssessment";
  Line<200> submitted_by;
};
BOOST_DESCRIBE_STRUCT(Submitted, (), (submitted_by))
struct Returned {
  static constexpr const char* kType = "AssessmentReturned";
  static constexpr const char* kCommand = "ReturnAssessment";
  Text<1000> reason;
};
BOOST_DESCRIBE_STRUCT(Returned, (), (reason))
struct Approved {
  static constexpr const char* kType = assessment_events::kApproved;
  static constexpr const char* kCommand = "ApproveAssessment";
  Line<200> approved_by;
};
BOOST_DESCRIBE_STRUCT(Approved, (), (approved_by))
struct Withdrawn {
  static constexpr const char* kType = "AssessmentWithdrawn";
  static constexpr const char* kCommand = "WithdrawAssessment";
  Text<1000> reason;
};
BOOST_DESCRIBE_STRUCT(Withdrawn, (), (reason))

// An officer's view of a dimension beside the network's own; the one that
// counts once the assessment is approved.
struct Moderated {
  static constexpr const char* kType = "ScoreModerated";
  static constexpr const char* kCommand = "ModerateScore";
  OneOf<kDimensions> dimension;
  Int<1, 5> score;
  Text<1000> reason;
  Line<200> moderated_by;  // the issuer
};
BOOST_DESCRIBE_STRUCT(Moderated, (), (dimension, score, reason, moderated_by))

using Event = std::variant<Started, Scored, Moderated, Submitted, Returned, Approved, Withdrawn>;

// ---- The machine. ---------------------------------------------------------------

struct Data {
  std::string network_id, period, submitted_by, approved_by, return_reason, withdraw_reason;
  std::map<std::string, Scored> scores;        // the network's own
  std::map<std::string, Moderated> moderated;  // an officer's, where given
  std::string refusal;
};

// The score that counts: the moderated one where there is one.
std::int64_t Counted(const Data& d, const std::string& dimension) {
  auto m = d.moderated.find(dimension);
  if (m != d.moderated.end()) return m->second.score;
  auto s = d.scores.find(dimension);
  return s == d.scores.end() ? 0 : s->second.score.value;
}

struct Machine_ : MachineDef<Machine_> {
  struct Unstarted : NamedState<"unstarted"> {};
  struct Draft : NamedState<"draft"> {};
  struct SubmittedState : NamedState<"submitted"> {};
  struct ApprovedState : NamedState<"approved"> {};
  struct WithdrawnState : NamedState<"withdrawn"> {};
  using initial_state = Unstarted;

  struct Record {
    template <class Fsm, class S, class T>
    void operator()(const Started& e, Fsm& fsm, S&, T&) const {
      fsm.data.network_id = e.network_id;
      fsm.data.period = e.period;
    }
    template <class Fsm, class S, class T>
    void operator()(const Scored& e, Fsm& fsm, S&, T&) const {
      fsm.data.scores[e.dimension] = e;
    }
    template <class Fsm, class S, class T>
    void operator()(const Moderated& e, Fsm& fsm, S&, T&) const {
      fsm.data.moderated[e.dimension] = e;
    }
    template <class Fsm, class S, class T>
    void operator()(const Submitted& e, Fsm& fsm, S&, T&) const {
      fsm.data.submitted_by = e.submitted_by;
      fsm.data.return_reason.clear();
    }
    template <class Fsm, class S, class T>
    void operator()(const Returned& e, Fsm& fsm, S&, T&) const {
      fsm.data.return_reason = e.reason;
    }
    template <class Fsm, class S, class T>
    void operator()(const Approved& e, Fsm& fsm, S&, T&) const {
      fsm.data.approved_by = e.approved_by;
    }
    template <class Fsm, class S, class T>
    void operator()(const Withdrawn& e, Fsm& fsm, S&, T&) const {
      fsm.data.withdraw_reason = e.reason;
    }
  };

  struct AllTenScored {
    template <class E, class Fsm, class S, class T>
    bool operator()(const E&, Fsm& fsm, S&, T&) const {
      std::string missing;
      for (auto d : kDimensions) {
        if (!fsm.data.scores.count(std::string(d)))
          missing += (missing.empty() ? "" : ", ") + std::string(d);
      }
      if (missing.empty()) return true;
      fsm.data.refusal = "all ten dimensions must be scored first; not yet scored: " + missing;
      return false;
    }
  };
  struct FourEyes {  // the approver is not the submitter
    template <class Fsm, class S, class T>
    bool operator()(const Approved& e, Fsm& fsm, S&, T&) const {
      if (PersonKey(e.approved_by) != PersonKey(fsm.data.submitted_by)) return true;
      fsm.data.refusal =
          e.approved_by + " submitted this assessment; another officer must approve it";
      return false;
    }
  };

  // clang-format off
  struct transition_table : mpl::vector<
      //  from            event      to              action  guard
      Row<Unstarted,      Started,   Draft,          Record, none>,
      Row<Draft,          Scored,    Draft,          Record, none>,
      Row<Draft,          Moderated, Draft,          Record, none>,
      Row<SubmittedState, Moderated, SubmittedState, Record, none>,
      Row<Draft,          Submitted, SubmittedState, Record, AllTenScored>,
      Row<SubmittedState, Returned,  Draft,          Record, none>,
      Row<SubmittedState, Approved,  ApprovedState,  Record, FourEyes>,
      Row<Draft,          Withdrawn, WithdrawnState, Record, none>,
      Row<SubmittedState, Withdrawn, WithdrawnState, Record, none>
  > {};
  // clang-format on

  Data data;
};

struct Spec {
  using Front = Machine_;
  using Event = workflows::Event;
  static constexpr std::string_view kNoun = "assessment";
  static constexpr auto RoleMayIssue = workflows::RoleMayIssue;
  // Who submitted and who approved are the actors, not something they type.
  static void Complete(const CommandRequest& command, const Data&, Timestamp,
                       boost::json::object& fields) {
    if (command.type == Submitted::kCommand) fields["submitted_by"] = command.actor.name;
    if (command.type == Approved::kCommand) fields["approved_by"] = command.actor.name;
    if (command.type == Moderated::kCommand) fields["moderated_by"] = command.actor.name;
  }
  static std::string NetworkId(const Data& data) { return data.network_id; }
  // A draft waits on its network to score and submit it; a submitted one
  // on an officer who did not submit it.
  static std::vector<WorkflowState::Task> Tasks(const Data& d, std::string_view state) {
    const std::string title = "Assessment " + d.period;
    if (state == "draft") return {{"score", "score_assessment", "network", title, "", "", "", ""}};
    if (state == "submitted") {
      return {{"approve", "approve_assessment", "officer", title, "", "", "", d.submitted_by}};
    }
    return {};
  }
  static boost::json::object Row(const Data& d) {
    boost::json::object row{{"network_id", d.network_id},
                            {"period", d.period},
                            {"submitted_by", TextOrNull(d.submitted_by)},
                            {"approved_by", TextOrNull(d.approved_by)},
                            {"scored", d.scores.size()}};
    for (const auto& [dimension, s] : d.scores) row[dimension] = s.score.value;
    boost::json::object moderated;
    for (const auto& [dimension, m] : d.moderated) moderated[dimension] = m.score.value;
    row["moderated"] = std::move(moderated);
    return row;
  }
  // An approval records each dimension's scores for the programme report
  // (rm_assessment_scores): the network's own, the moderated one, the one that counts.
  static std::vector<WorkflowState::HistoryRow> History(const Data& d, const Event& event,
                                                        const RecordedEvent& stored) {
    if (!std::holds_alternative<Approved>(event)) return {};
    const auto name = ParseStreamName(stored.stream);
    std::vector<WorkflowState::HistoryRow> rows;
    for (const auto& [dimension, s] : d.scores) {
      const auto m = d.moderated.find(dimension);
      rows.push_back(
          {"rm_assessment_scores",
           dimension,
           {{"assessment_id", name ? name->id : std::string_view{}},
            {"network_id", d.network_id},
            {"period", d.period},
            {"dimension", dimension},
            {"self_score", s.score.value},
            {"moderated_score", m == d.moderated.end() ? boost::json::value(nullptr)
                                                       : boost::json::value(m->second.score.value)},
            {"counted_score", Counted(d, dimension)}}});
    }
    return rows;
  }
  static boost::json::object Describe(const Data& d) {
    boost::json::object scores, moderated;
    for (const auto& [dimension, s] : d.scores) scores[dimension] = WriteEvent(s);
    for (const auto& [dimension, m] : d.moderated) moderated[dimension] = WriteEvent(m);
    return {{"network_id", d.network_id},       {"period", d.period},
            {"scores", std::move(scores)},      {"moderated", std::move(moderated)},
            {"submitted_by", d.submitted_by},   {"approved_by", d.approved_by},
            {"return_reason", d.return_reason}, {"withdraw_reason", d.withdraw_reason}};
  }
};

}  // namespace

const Workflow& AssessmentWorkflow() {
  static const MachineWorkflow<Spec> workflow("assessment");
  return workflow;
}

std::optional<AssessmentView> ViewAssessment(const WorkflowState& state) {
  const auto* s = dynamic_cast<const MachineState<Spec>*>(&state);
  if (!s) return std::nullopt;
  const Data& d = s->data();
  AssessmentView view{d.network_id, d.period, {}};
  for (auto dimension : kDimensions) {
    auto it = d.scores.find(std::string(dimension));
    if (it == d.scores.end()) continue;
    view.scores.push_back({dimension, Counted(d, it->first), it->second.score, it->second.note});
  }
  return view;
}

}  // namespace waymark::workflows
