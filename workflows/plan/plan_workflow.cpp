// The action plan workflow: its Boost.MSM machine (this translation unit
// only), its events as typed structs, and their JSON at the edge.

#include "workflows/plan/plan_workflow.hpp"

#include <boost/mpl/vector/vector30.hpp>
#include <boost/msm/front/functor_row.hpp>
#include <boost/msm/front/state_machine_def.hpp>
#include <map>

#include "workflows/assessment/assessment_workflow.hpp"
#include "workflows/machine_workflow.hpp"
#include "workflows/milestone/milestone_workflow.hpp"
#include "workflows/roles.hpp"

namespace waymark::workflows {

std::string_view ThemeOfDimension(std::string_view dimension) {
  // DESIGN.md, from the seed: information flows to and between networks and
  // members; brokering is business and financial opportunity; influence is
  // local and national partnership; the rest is how a network improves.
  if (dimension == "membership" || dimension == "connectivity" || dimension == "conduit" ||
      dimension == "knowledge_sharing")
    return "information_flow";
  if (dimension == "joint_working" || dimension == "innovation") return "brokering";
  if (dimension == "influence" || dimension == "professionalism") return "influence";
  return "continuous_improvement";  // best_practice, problem_solving
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
  static constexpr const char* kType = plan_events::kDrafted;
  static constexpr const char* kCommand = plan_commands::kDraft;
  Id network_id, assessment_id;
};
BOOST_DESCRIBE_STRUCT(Drafted, (), (network_id, assessment_id))
struct ActionAdded {
  static constexpr const char* kType = "ActionAdded";
  static constexpr const char* kCommand = plan_commands::kAddAction;
  static constexpr int kSchemaVersion = 2;  // 2: the dimension is optional
  Id action_id;
  OneOf<kThemes> theme;
  Optional<OneOf<kDimensions>> dimension;
  Text<2000> description;
  Line<200> owner;
};
BOOST_DESCRIBE_STRUCT(ActionAdded, (), (action_id, theme, dimension, description, owner))
struct ActionRemoved {
  static constexpr const char* kType = "ActionRemoved";
  static constexpr const char* kCommand = "RemoveAction";
  Id action_id;
};
BOOST_DESCRIBE_STRUCT(ActionRemoved, (), (action_id))
struct ActionDropped {
  static constexpr const char* kType = "ActionDropped";
  static constexpr const char* kCommand = "DropAction";
  Id action_id;
  Text<1000> reason;
};
BOOST_DESCRIBE_STRUCT(ActionDropped, (), (action_id, reason))
struct Proposed {
  static constexpr const char* kType = "PlanProposed";
  static constexpr const char* kCommand = "ProposePlan";
};
BOOST_DESCRIBE_STRUCT(Proposed, (), ())
struct Agreed {
  static constexpr const char* kType = "PlanAgreed";
  static constexpr const char* kCommand = "AgreePlan";
  OneOf<kParties> party;  // the issuer's role
  Line<200> agreed_by;    // the issuer
};
BOOST_DESCRIBE_STRUCT(Agreed, (), (party, agreed_by))
struct Returned {
  static constexpr const char* kType = "PlanReturned";
  static constexpr const char* kCommand = "ReturnPlan";
  Text<1000> reason;
  Line<200> returned_by;  // the issuer
};
BOOST_DESCRIBE_STRUCT(Returned, (), (reason, returned_by))
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
  // 2: judged by delivery (a milestone achieved, every action delivered or
  // dropped); a plan completed in 1 needed only its milestones closed.
  static constexpr int kSchemaVersion = 2;
  int schema = 0;  // the version it was read in
};
BOOST_DESCRIBE_STRUCT(Completed, (), ())
struct Abandoned {
  static constexpr const char* kType = plan_events::kAbandoned;
  static constexpr const char* kCommand = "AbandonPlan";
  Text<1000> reason;
};
BOOST_DESCRIBE_STRUCT(Abandoned, (), (reason))
// Recorded by the engine as the plan's milestones are scheduled and closed.
struct MilestoneTracked {
  static constexpr const char* kType = plan_events::kMilestoneTracked;
  static constexpr const char* kCommand = plan_commands::kTrackMilestone;
  static constexpr int kSchemaVersion = 2;  // 2: the action it delivers
  Id milestone_id;
  OneOf<kTrackedStatuses> status;
  NewIn<2, Id> action_id;
};
BOOST_DESCRIBE_STRUCT(MilestoneTracked, (), (milestone_id, status, action_id))

using Event = std::variant<Drafted, ActionAdded, ActionRemoved, ActionDropped, Proposed, Returned,
                           Agreed, Activated, Revised, Completed, Abandoned, MilestoneTracked>;

// ---- The machine. ---------------------------------------------------------------

struct Tracked {
  std::string status, action_id;  // action_id: "" for milestones tracked before schema 2
};

struct Data {
  std::string network_id, assessment_id;
  std::map<std::string, ActionAdded> actions;     // by action_id
  std::map<std::string, std::string> dropped;     // action_id → why it was dropped
  std::map<std::string, std::string> agreements;  // party → who agreed
  std::map<std::string, Tracked> milestones;      // by milestone id
  std::string revise_reason, return_reason, abandon_reason;
  int revisions = 0;
  std::string refusal;
};

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}
std::vector<std::string> MilestonesIn(const Data& d, std::string_view status) {
  std::vector<std::string> out;
  for (const auto& [id, m] : d.milestones) {
    if (m.status == status) out.push_back(id);
  }
  return out;
}
// Actions neither delivered by an achieved milestone nor dropped.
std::vector<std::string> UndeliveredActions(const Data& d) {
  std::vector<std::string> out;
  for (const auto& [id, a] : d.actions) {
    if (d.dropped.contains(id)) continue;
    const bool delivered =
        std::any_of(d.milestones.begin(), d.milestones.end(), [&](const auto& m) {
          return m.second.action_id == id && m.second.status == tracked_milestone::kAchieved;
        });
    if (!delivered) out.push_back(id);
  }
  return out;
}

struct Machine_ : MachineDef<Machine_> {
  struct Undrafted : NamedState<"undrafted"> {};
  struct Draft : NamedState<"draft"> {};
  struct ProposedState : NamedState<"proposed"> {};
  struct AgreedState : NamedState<"agreed"> {};
  struct Active : NamedState<"active"> {};
  struct CompletedState : NamedState<"completed"> {};
  struct AbandonedState : NamedState<plan_states::kAbandoned> {};
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
    void operator()(const ActionDropped& e, Fsm& fsm, S&, T&) const {
      fsm.data.dropped[e.action_id] = e.reason;
    }
    template <class Fsm, class S, class T>
    void operator()(const Agreed& e, Fsm& fsm, S&, T&) const {
      fsm.data.agreements[e.party] = e.agreed_by;
    }
    template <class Fsm, class S, class T>
    void operator()(const Returned& e, Fsm& fsm, S&, T&) const {
      fsm.data.return_reason = e.reason;
      fsm.data.agreements.clear();  // agreed afresh after the changes
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
      auto& m = fsm.data.milestones[e.milestone_id];
      m.status = e.status;
      if (!e.action_id.empty()) m.action_id = e.action_id;
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
    template <class E, class Fsm, class S, class T>
    bool operator()(const E& e, Fsm& fsm, S&, T&) const {
      if (fsm.data.actions.count(e.action_id) && !fsm.data.dropped.count(e.action_id)) return true;
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
  // DESIGN.md: every milestone closed, at least one achieved, every action
  // delivered by an achieved milestone or dropped with a reason.
  struct Deliverable {
    template <class Fsm, class S, class T>
    bool operator()(const Completed& e, Fsm& fsm, S&, T&) const {
      const auto open = MilestonesIn(fsm.data, tracked_milestone::kOpen);
      if (!open.empty()) {
        fsm.data.refusal =
            "every milestone of the plan must be achieved or cancelled first; still open: " +
            Join(open);
        return false;
      }
      if (e.schema < 2) return true;  // completed under the rules of version 1
      if (MilestonesIn(fsm.data, tracked_milestone::kAchieved).empty()) {
        fsm.data.refusal = "no milestone of the plan was achieved; a plan completes on something";
        return false;
      }
      const auto undelivered = UndeliveredActions(fsm.data);
      if (!undelivered.empty()) {
        fsm.data.refusal =
            "every action must be delivered by an achieved milestone or dropped "
            "with a reason (DropAction); not yet: " +
            Join(undelivered);
        return false;
      }
      return true;
    }
  };

  // clang-format off
  struct transition_table : mpl::vector21<  // mpl::vector stops at 20 rows
      //  from            event             to              action  guard
      Row<Undrafted,      Drafted,          Draft,          Record, none>,
      Row<Draft,          ActionAdded,      Draft,          Record, NewAction>,
      Row<Draft,          ActionRemoved,    Draft,          Record, KnownAction>,
      Row<Active,         ActionDropped,    Active,         Record, KnownAction>,
      Row<Draft,          Proposed,         ProposedState,  Record, HasActions>,
      Row<ProposedState,  Returned,         Draft,          Record, none>,
      Row<ProposedState,  Agreed,           ProposedState,  Record, Agreement<false>>,
      Row<ProposedState,  Agreed,           AgreedState,    Record, Agreement<true>>,
      Row<AgreedState,    Activated,        Active,         Record, none>,
      Row<Active,         Revised,          Draft,          Record, none>,
      Row<Active,         Completed,        CompletedState, Record, Deliverable>,
      Row<Draft,          Abandoned,        AbandonedState, Record, none>,
      Row<ProposedState,  Abandoned,        AbandonedState, Record, none>,
      Row<AgreedState,    Abandoned,        AbandonedState, Record, none>,
      Row<Active,         Abandoned,        AbandonedState, Record, none>,
      Row<Draft,          MilestoneTracked, Draft,          Record, none>,
      Row<ProposedState,  MilestoneTracked, ProposedState,  Record, none>,
      Row<AgreedState,    MilestoneTracked, AgreedState,    Record, none>,
      Row<Active,         MilestoneTracked, Active,         Record, none>,
      // Facts about milestones scheduled before the plan closed still arrive
      // (the policies run behind the commands); no new one is scheduled then.
      Row<CompletedState, MilestoneTracked, CompletedState, Record, none>,
      Row<AbandonedState, MilestoneTracked, AbandonedState, Record, none>
  > {};
  // clang-format on

  Data data;
};

struct Spec {
  using Front = Machine_;
  using Event = workflows::Event;
  static constexpr std::string_view kNoun = "plan";
  static constexpr auto RoleMayIssue = workflows::RoleMayIssue;
  // The party that agrees is the issuer's role, the agreer the issuer.
  static void Complete(const CommandRequest& command, const Data&, Timestamp,
                       boost::json::object& fields) {
    if (command.type == Agreed::kCommand) {
      fields["party"] = command.actor.role == "network" ? "network" : "officer";  // admin: officer
      fields["agreed_by"] = command.actor.name;
    }
    if (command.type == Returned::kCommand) fields["returned_by"] = command.actor.name;
  }
  // A milestone is scheduled on a plan that is still open, for one of its actions.
  static std::expected<void, Error> AcceptsReference(const Data& d, const std::string& state,
                                                     const NewEvent& event) {
    if (event.type != milestone_events::kScheduled) return {};
    if (state == "completed" || state == "abandoned") {
      return std::unexpected(MakeError(
          ErrorCode::kNotAllowed,
          "the plan is " + state + "; a completed or abandoned plan takes no new milestone"));
    }
    const auto* data = event.data.if_object();
    const auto* action = data ? data->if_contains("action_id") : nullptr;
    const std::string id = action && action->is_string() ? std::string(action->get_string()) : "";
    if (d.actions.contains(id) && !d.dropped.contains(id)) return {};
    std::vector<std::string> ids;
    for (const auto& [a, _] : d.actions) {
      if (!d.dropped.contains(a)) ids.push_back(a);
    }
    return std::unexpected(
        MakeError(ErrorCode::kValidation,
                  "field 'action_id': the plan has no action '" + id +
                      "' to deliver; its actions are: " + (ids.empty() ? "none" : Join(ids))));
  }
  static std::string NetworkId(const Data& data) { return data.network_id; }
  // A draft waits on its network to review and propose it; a proposed one on
  // each party that has not agreed yet; an agreed one on an officer to
  // make it active.
  static std::vector<WorkflowState::Task> Tasks(const Data& d, std::string_view state) {
    const std::string title = "Action plan";
    if (state == "draft") return {{"propose", "propose_plan", "network", title, "", "", "", ""}};
    if (state == "agreed") return {{"activate", "activate_plan", "officer", title, "", "", "", ""}};
    if (state != "proposed") return {};
    std::vector<WorkflowState::Task> out;
    for (const auto party : kParties) {
      if (d.agreements.contains(std::string(party))) continue;
      out.push_back(
          {"agree-" + std::string(party), "agree_plan", std::string(party), title, "", "", "", ""});
    }
    return out;
  }
  static boost::json::object Row(const Data& d) {
    boost::json::array actions;
    for (const auto& [id, a] : d.actions) actions.push_back(WriteEvent(a));
    const auto agreed = [&](std::string_view party) -> boost::json::value {
      auto it = d.agreements.find(std::string(party));
      return it == d.agreements.end() ? boost::json::value(nullptr) : TextOrNull(it->second);
    };
    std::int64_t achieved = 0, open = 0;
    for (const auto& [id, m] : d.milestones) {
      achieved += m.status == tracked_milestone::kAchieved;
      open += m.status == tracked_milestone::kOpen;
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
    boost::json::object agreements, milestones, dropped, delivers;
    for (const auto& [party, by] : d.agreements) agreements[party] = by;
    for (const auto& [id, m] : d.milestones) {
      milestones[id] = m.status;
      if (!m.action_id.empty()) delivers[id] = m.action_id;
    }
    for (const auto& [id, why] : d.dropped) dropped[id] = why;
    return {{"network_id", d.network_id},
            {"assessment_id", d.assessment_id},
            {"actions", std::move(actions)},
            {"agreements", std::move(agreements)},
            {"milestones", std::move(milestones)},
            {"milestone_actions", std::move(delivers)},
            {"dropped_actions", std::move(dropped)},
            {"revisions", d.revisions},
            {"revise_reason", d.revise_reason},
            {"return_reason", d.return_reason},
            {"abandon_reason", d.abandon_reason}};
  }
};

}  // namespace

const Workflow& PlanWorkflow() {
  static const MachineWorkflow<Spec> workflow("plan");
  return workflow;
}

std::optional<PlanView> ViewPlan(const WorkflowState& state) {
  const auto* s = dynamic_cast<const MachineState<Spec>*>(&state);
  if (!s) return std::nullopt;
  PlanView view{s->state(), s->data().network_id, s->data().abandon_reason, {}};
  for (const auto& [id, m] : s->data().milestones) {
    if (m.status == tracked_milestone::kOpen) view.open_milestones.push_back(id);
  }
  return view;
}

}  // namespace waymark::workflows
