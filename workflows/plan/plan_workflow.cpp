// The action plan workflow: its Boost.MSM machine (this translation unit
// only), its events as typed structs, and their JSON at the edge.

#include "workflows/plan/plan_workflow.hpp"

#include <boost/mpl/vector.hpp>
#include <boost/msm/front/functor_row.hpp>
#include <boost/msm/front/state_machine_def.hpp>
#include <map>

#include "workflows/assessment/assessment_workflow.hpp"
#include "workflows/machine_workflow.hpp"

namespace waymark::workflows {

std::string_view ThemeOfDimension(std::string_view dimension) {
  // Sharing what is known flows information; connecting people brokers;
  // being heard influences; the rest is how a network improves itself.
  if (dimension == "conduit" || dimension == "knowledge_sharing" || dimension == "best_practice")
    return "information_flow";
  if (dimension == "connectivity" || dimension == "joint_working" || dimension == "membership")
    return "brokering";
  if (dimension == "influence") return "influence";
  return "continuous_improvement";  // problem_solving, innovation, professionalism
}

namespace {

namespace msm = boost::msm;
namespace mpl = boost::mpl;
using msm::front::none;
using msm::front::Row;

// ---- Events: each one's fields declared once (event_fields.hpp). -------------

using namespace fields;

constexpr std::array<std::string_view, 2> kParties = {"officer", "network"};
constexpr std::array<std::string_view, 3> kTrackedStatuses = {
    tracked_milestone::kOpen, tracked_milestone::kAchieved, tracked_milestone::kCancelled};

struct Drafted {
  static constexpr const char* kType = "PlanDrafted";
  static constexpr const char* kCommand = plan_commands::kDraft;
  Id network_id, assessment_id;
};
BOOST_DESCRIBE_STRUCT(Drafted, (), (network_id, assessment_id))
struct ActionAdded {
  static constexpr const char* kType = "ActionAdded";
  static constexpr const char* kCommand = plan_commands::kAddAction;
  Id action_id;
  OneOf<kThemes> theme;
  OneOf<kDimensions> dimension;
  Text<2000> description;
  Text<200> owner;
};
BOOST_DESCRIBE_STRUCT(ActionAdded, (), (action_id, theme, dimension, description, owner))
struct ActionRemoved {
  static constexpr const char* kType = "ActionRemoved";
  static constexpr const char* kCommand = "RemoveAction";
  Id action_id;
};
BOOST_DESCRIBE_STRUCT(ActionRemoved, (), (action_id))
struct Proposed {
  static constexpr const char* kType = "PlanProposed";
  static constexpr const char* kCommand = "ProposePlan";
};
BOOST_DESCRIBE_STRUCT(Proposed, (), ())
struct Agreed {
  static constexpr const char* kType = "PlanAgreed";
  static constexpr const char* kCommand = "AgreePlan";
  OneOf<kParties> party;  // the issuer's role
  Text<200> agreed_by;    // the issuer
};
BOOST_DESCRIBE_STRUCT(Agreed, (), (party, agreed_by))
struct Activated {
  static constexpr const char* kType = "PlanActivated";
  static constexpr const char* kCommand = "ActivatePlan";
};
BOOST_DESCRIBE_STRUCT(Activated, (), ())
struct Revised {
  static constexpr const char* kType = "PlanRevised";
  static constexpr const char* kCommand = "RevisePlan";
  Text<1000> reason;
};
BOOST_DESCRIBE_STRUCT(Revised, (), (reason))
struct Completed {
  static constexpr const char* kType = "PlanCompleted";
  static constexpr const char* kCommand = "CompletePlan";
};
BOOST_DESCRIBE_STRUCT(Completed, (), ())
struct Abandoned {
  static constexpr const char* kType = "PlanAbandoned";
  static constexpr const char* kCommand = "AbandonPlan";
  Text<1000> reason;
};
BOOST_DESCRIBE_STRUCT(Abandoned, (), (reason))
// Recorded by the engine as the plan's milestones are scheduled and closed.
struct MilestoneTracked {
  static constexpr const char* kType = "PlanMilestoneTracked";
  static constexpr const char* kCommand = plan_commands::kTrackMilestone;
  Id milestone_id;
  OneOf<kTrackedStatuses> status;
};
BOOST_DESCRIBE_STRUCT(MilestoneTracked, (), (milestone_id, status))

using Event = std::variant<Drafted, ActionAdded, ActionRemoved, Proposed, Agreed, Activated,
                           Revised, Completed, Abandoned, MilestoneTracked>;

// ---- The machine. ---------------------------------------------------------------

struct Data {
  std::string network_id, assessment_id;
  std::map<std::string, ActionAdded> actions;     // by action_id
  std::map<std::string, std::string> agreements;  // party → who agreed
  std::map<std::string, std::string> milestones;  // milestone id → status
  std::string revise_reason, abandon_reason;
  int revisions = 0;
  std::string refusal;
};

std::string OpenMilestones(const Data& d) {
  std::string open;
  for (const auto& [id, status] : d.milestones) {
    if (status == tracked_milestone::kOpen) open += (open.empty() ? "" : ", ") + id;
  }
  return open;
}

struct Machine_ : MachineDef<Machine_> {
  struct Undrafted : NamedState<"undrafted"> {};
  struct Draft : NamedState<"draft"> {};
  struct ProposedState : NamedState<"proposed"> {};
  struct AgreedState : NamedState<"agreed"> {};
  struct Active : NamedState<"active"> {};
  struct CompletedState : NamedState<"completed"> {};
  struct AbandonedState : NamedState<"abandoned"> {};
  using initial_state = Undrafted;

  struct Record {
    template <class Fsm, class S, class T>
    void operator()(const Drafted& e, Fsm& fsm, S&, T&) const {
      fsm.data.network_id = e.network_id;
      fsm.data.assessment_id = e.assessment_id;
    }
    template <class Fsm, class S, class T>
    void operator()(const ActionAdded& e, Fsm& fsm, S&, T&) const {
      fsm.data.actions[e.action_id] = e;
    }
    template <class Fsm, class S, class T>
    void operator()(const ActionRemoved& e, Fsm& fsm, S&, T&) const {
      fsm.data.actions.erase(e.action_id);
    }
    template <class Fsm, class S, class T>
    void operator()(const Agreed& e, Fsm& fsm, S&, T&) const {
      fsm.data.agreements[e.party] = e.agreed_by;
    }
    template <class Fsm, class S, class T>
    void operator()(const Revised& e, Fsm& fsm, S&, T&) const {
      fsm.data.revise_reason = e.reason;
      fsm.data.agreements.clear();  // a revised plan is agreed afresh
      ++fsm.data.revisions;
    }
    template <class Fsm, class S, class T>
    void operator()(const Abandoned& e, Fsm& fsm, S&, T&) const {
      fsm.data.abandon_reason = e.reason;
    }
    template <class Fsm, class S, class T>
    void operator()(const MilestoneTracked& e, Fsm& fsm, S&, T&) const {
      fsm.data.milestones[e.milestone_id] = e.status;
    }
    template <class E, class Fsm, class S, class T>
    void operator()(const E&, Fsm&, S&, T&) const {}
  };

  struct NewAction {
    template <class Fsm, class S, class T>
    bool operator()(const ActionAdded& e, Fsm& fsm, S&, T&) const {
      if (!fsm.data.actions.count(e.action_id)) return true;
      fsm.data.refusal = "the plan already has an action " + e.action_id +
                         "; choose another action_id or remove that one first";
      return false;
    }
  };
  struct KnownAction {
    template <class Fsm, class S, class T>
    bool operator()(const ActionRemoved& e, Fsm& fsm, S&, T&) const {
      if (fsm.data.actions.count(e.action_id)) return true;
      std::string ids;
      for (const auto& [id, a] : fsm.data.actions) ids += (ids.empty() ? "" : ", ") + id;
      fsm.data.refusal = "the plan has no action " + e.action_id +
                         "; its actions are: " + (ids.empty() ? "none" : ids);
      return false;
    }
  };
  struct HasActions {
    template <class E, class Fsm, class S, class T>
    bool operator()(const E&, Fsm& fsm, S&, T&) const {
      if (!fsm.data.actions.empty()) return true;
      fsm.data.refusal = "a plan needs at least one action before it is proposed";
      return false;
    }
  };
  // Two distinct agreements: the first (either party) keeps the plan
  // proposed; the other party's completes it. A party agrees once.
  template <bool kCompletes>
  struct Agreement {
    template <class Fsm, class S, class T>
    bool operator()(const Agreed& e, Fsm& fsm, S&, T&) const {
      const std::string other = e.party == "officer" ? "network" : "officer";
      if (auto it = fsm.data.agreements.find(e.party); it != fsm.data.agreements.end()) {
        fsm.data.refusal = "the " + e.party + " has already agreed (" + it->second + "); the " +
                           other + " must agree too";
        return false;
      }
      return fsm.data.agreements.count(other) == (kCompletes ? 1u : 0u);
    }
  };
  struct MilestonesClosed {
    template <class E, class Fsm, class S, class T>
    bool operator()(const E&, Fsm& fsm, S&, T&) const {
      const std::string open = OpenMilestones(fsm.data);
      if (open.empty()) return true;
      fsm.data.refusal =
          "every milestone of the plan must be achieved or cancelled first; still open: " + open;
      return false;
    }
  };

  // clang-format off
  struct transition_table : mpl::vector<
      //  from            event             to              action  guard
      Row<Undrafted,      Drafted,          Draft,          Record, none>,
      Row<Draft,          ActionAdded,      Draft,          Record, NewAction>,
      Row<Draft,          ActionRemoved,    Draft,          Record, KnownAction>,
      Row<Draft,          Proposed,         ProposedState,  Record, HasActions>,
      Row<ProposedState,  Agreed,           ProposedState,  Record, Agreement<false>>,
      Row<ProposedState,  Agreed,           AgreedState,    Record, Agreement<true>>,
      Row<AgreedState,    Activated,        Active,         Record, none>,
      Row<Active,         Revised,          Draft,          Record, none>,
      Row<Active,         Completed,        CompletedState, Record, MilestonesClosed>,
      Row<Draft,          Abandoned,        AbandonedState, Record, none>,
      Row<ProposedState,  Abandoned,        AbandonedState, Record, none>,
      Row<AgreedState,    Abandoned,        AbandonedState, Record, none>,
      Row<Active,         Abandoned,        AbandonedState, Record, none>,
      Row<Draft,          MilestoneTracked, Draft,          Record, none>,
      Row<ProposedState,  MilestoneTracked, ProposedState,  Record, none>,
      Row<AgreedState,    MilestoneTracked, AgreedState,    Record, none>,
      Row<Active,         MilestoneTracked, Active,         Record, none>,
      Row<CompletedState, MilestoneTracked, CompletedState, Record, none>,
      Row<AbandonedState, MilestoneTracked, AbandonedState, Record, none>
  > {};
  // clang-format on

  Data data;
};

// Officers run plans; a network agrees its own as the network party; the
// engine drafts plans from approved assessments and tracks milestones.
bool RoleMayIssue(std::string_view role, std::string_view command) {
  if (command == MilestoneTracked::kCommand) return role == "system";
  if (role == "system") return command == Drafted::kCommand || command == ActionAdded::kCommand;
  return OfficerOrNetworkMay(role, command, {Agreed::kCommand});
}

struct Spec {
  using Front = Machine_;
  using Event = workflows::Event;
  static constexpr std::string_view kNoun = "plan";
  static constexpr auto RoleMayIssue = workflows::RoleMayIssue;
  // The party that agrees is the issuer's role, the agreer the issuer.
  static void Complete(const CommandRequest& command, const Data&, Timestamp,
                       boost::json::object& fields) {
    if (command.type == Agreed::kCommand) {
      fields["party"] = command.actor.role;
      fields["agreed_by"] = command.actor.name;
    }
  }
  static std::string NetworkId(const Data& data) { return data.network_id; }
  static boost::json::object Row(const Data& d) {
    boost::json::array actions;
    for (const auto& [id, a] : d.actions) actions.push_back(WriteEvent(a));
    const auto agreed = [&](std::string_view party) -> boost::json::value {
      auto it = d.agreements.find(std::string(party));
      return it == d.agreements.end() ? boost::json::value(nullptr) : TextOrNull(it->second);
    };
    std::int64_t achieved = 0, open = 0;
    for (const auto& [id, status] : d.milestones) {
      achieved += status == tracked_milestone::kAchieved;
      open += status == tracked_milestone::kOpen;
    }
    return {{"network_id", d.network_id},
            {"assessment_id", d.assessment_id},
            {"actions", std::move(actions)},
            {"action_count", d.actions.size()},
            {"agreed_by_officer", agreed(kParties[0])},
            {"agreed_by_network", agreed(kParties[1])},
            {"milestones_total", d.milestones.size()},
            {"milestones_achieved", achieved},
            {"milestones_open", open},
            {"revisions", d.revisions}};
  }
  static boost::json::object Describe(const Data& d) {
    boost::json::array actions;
    for (const auto& [id, a] : d.actions) actions.push_back(WriteEvent(a));
    boost::json::object agreements, milestones;
    for (const auto& [party, by] : d.agreements) agreements[party] = by;
    for (const auto& [id, status] : d.milestones) milestones[id] = status;
    return {{"network_id", d.network_id},          {"assessment_id", d.assessment_id},
            {"actions", std::move(actions)},       {"agreements", std::move(agreements)},
            {"milestones", std::move(milestones)}, {"revisions", d.revisions},
            {"revise_reason", d.revise_reason},    {"abandon_reason", d.abandon_reason}};
  }
};

}  // namespace

const Workflow& PlanWorkflow() {
  static const MachineWorkflow<Spec> workflow("plan");
  return workflow;
}

}  // namespace waymark::workflows
