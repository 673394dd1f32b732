// The sustainability-step workflow: its Boost.MSM machine (this translation
// unit only), its events as typed structs, and their JSON at the edge.

#include "workflows/step/step_workflow.hpp"

#include <array>
#include <boost/mpl/vector.hpp>
#include <boost/msm/front/functor_row.hpp>
#include <boost/msm/front/state_machine_def.hpp>

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

struct Identified {
  static constexpr const char* kType = "StepIdentified";
  static constexpr const char* kCommand = "IdentifyStep";
  Id network_id;
  OptionalId plan_id;
  OneOf<kStepKinds> kind;
  Text<2000> description;
};
BOOST_DESCRIBE_STRUCT(Identified, (), (network_id, plan_id, kind, description))
struct Planned {
  static constexpr const char* kType = "StepPlanned";
  static constexpr const char* kCommand = "PlanStep";
  Text<500> target;
};
BOOST_DESCRIBE_STRUCT(Planned, (), (target))
struct Begun {
  static constexpr const char* kType = "StepBegun";
  static constexpr const char* kCommand = "BeginStep";
};
BOOST_DESCRIBE_STRUCT(Begun, (), ())
struct Embedded {
  static constexpr const char* kType = step_events::kEmbedded;
  static constexpr const char* kCommand = "EmbedStep";
  Text<2000> evidence;
};
BOOST_DESCRIBE_STRUCT(Embedded, (), (evidence))
struct Reviewed {
  static constexpr const char* kType = step_events::kReviewed;
  static constexpr const char* kCommand = "ReviewStep";
  Text<2000> outcome;
};
BOOST_DESCRIBE_STRUCT(Reviewed, (), (outcome))
struct Deferred {
  static constexpr const char* kType = "StepDeferred";
  static constexpr const char* kCommand = "DeferStep";
  Text<1000> reason;
};
BOOST_DESCRIBE_STRUCT(Deferred, (), (reason))
struct Dropped {
  static constexpr const char* kType = "StepDropped";
  static constexpr const char* kCommand = "DropStep";
  Text<1000> reason;
};
BOOST_DESCRIBE_STRUCT(Dropped, (), (reason))

using Event = std::variant<Identified, Planned, Begun, Embedded, Reviewed, Deferred, Dropped>;

// ---- The machine. ---------------------------------------------------------------

struct Data {
  std::string network_id, plan_id, kind, description, target, evidence, outcome, reason;
  int cycles = 0;  // completed reviews
  std::string refusal;
};

struct Machine_ : MachineDef<Machine_> {
  struct Unidentified : NamedState<"unidentified"> {};
  struct IdentifiedState : NamedState<"identified"> {};
  struct PlannedState : NamedState<"planned"> {};
  struct Underway : NamedState<"underway"> {};
  struct EmbeddedState : NamedState<"embedded"> {};
  struct ReviewedState : NamedState<"reviewed"> {};
  struct DeferredState : NamedState<"deferred"> {};
  struct DroppedState : NamedState<"dropped"> {};
  using initial_state = Unidentified;

  struct Record {
    template <class Fsm, class S, class T>
    void operator()(const Identified& e, Fsm& fsm, S&, T&) const {
      fsm.data.network_id = e.network_id;
      fsm.data.plan_id = e.plan_id;
      fsm.data.kind = e.kind;
      fsm.data.description = e.description;
    }
    template <class Fsm, class S, class T>
    void operator()(const Planned& e, Fsm& fsm, S&, T&) const {
      fsm.data.target = e.target;
      fsm.data.evidence.clear();
      fsm.data.reason.clear();
    }
    template <class Fsm, class S, class T>
    void operator()(const Embedded& e, Fsm& fsm, S&, T&) const {
      fsm.data.evidence = e.evidence;
    }
    template <class Fsm, class S, class T>
    void operator()(const Reviewed& e, Fsm& fsm, S&, T&) const {
      fsm.data.outcome = e.outcome;
      ++fsm.data.cycles;
    }
    template <class Fsm, class S, class T>
    void operator()(const Deferred& e, Fsm& fsm, S&, T&) const {
      fsm.data.reason = e.reason;
    }
    template <class Fsm, class S, class T>
    void operator()(const Dropped& e, Fsm& fsm, S&, T&) const {
      fsm.data.reason = e.reason;
    }
    template <class E, class Fsm, class S, class T>
    void operator()(const E&, Fsm&, S&, T&) const {}
  };

  // clang-format off
  struct transition_table : mpl::vector<
      //  from             event       to               action  guard
      Row<Unidentified,    Identified, IdentifiedState, Record, none>,
      Row<IdentifiedState, Planned,    PlannedState,    Record, none>,
      Row<PlannedState,    Begun,      Underway,        Record, none>,
      Row<Underway,        Embedded,   EmbeddedState,   Record, none>,
      Row<EmbeddedState,   Reviewed,   ReviewedState,   Record, none>,
      Row<ReviewedState,   Planned,    PlannedState,    Record, none>,
      Row<IdentifiedState, Deferred,   DeferredState,   Record, none>,
      Row<PlannedState,    Deferred,   DeferredState,   Record, none>,
      Row<Underway,        Deferred,   DeferredState,   Record, none>,
      Row<DeferredState,   Planned,    PlannedState,    Record, none>,
      Row<IdentifiedState, Dropped,    DroppedState,    Record, none>,
      Row<PlannedState,    Dropped,    DroppedState,    Record, none>,
      Row<Underway,        Dropped,    DroppedState,    Record, none>,
      Row<EmbeddedState,   Dropped,    DroppedState,    Record, none>,
      Row<ReviewedState,   Dropped,    DroppedState,    Record, none>,
      Row<DeferredState,   Dropped,    DroppedState,    Record, none>
  > {};
  // clang-format on

  Data data;
};

struct Spec {
  using Front = Machine_;
  using Event = workflows::Event;
  static constexpr std::string_view kNoun = "step";
  static constexpr auto RoleMayIssue = workflows::RoleMayIssue;
  static void Complete(const CommandRequest&, const Data&, Timestamp, boost::json::object&) {}
  static std::string NetworkId(const Data& data) { return data.network_id; }
  // An embedded step waits on its network to review it (the cycle's next turn).
  static std::vector<WorkflowState::Task> Tasks(const Data& d, std::string_view state) {
    if (state != "embedded") return {};
    return {{"review", "review_step", "network", d.description, "", "", "", ""}};
  }
  static boost::json::object Row(const Data& d) {
    return {{"network_id", d.network_id},
            {"plan_id", TextOrNull(d.plan_id)},
            {"kind", d.kind},
            {"description", d.description},
            {"target", TextOrNull(d.target)},
            {"evidence", TextOrNull(d.evidence)},
            {"outcome", TextOrNull(d.outcome)},
            {"reason", TextOrNull(d.reason)},
            {"cycles", d.cycles}};
  }
  static boost::json::object Describe(const Data& d) {
    return {{"network_id", d.network_id},   {"plan_id", d.plan_id}, {"kind", d.kind},
            {"description", d.description}, {"target", d.target},   {"evidence", d.evidence},
            {"outcome", d.outcome},         {"reason", d.reason},   {"cycles", d.cycles}};
  }
};

}  // namespace

const Workflow& StepWorkflow() {
  static const MachineWorkflow<Spec> workflow("step");
  return workflow;
}

}  // namespace waymark::workflows
