// `waymark demo`: seeds an empty store with a programme a newcomer can look
// at, through the command handler (every event real and attributable), with
// the engine's policies, timers and read models run between the steps as
// `waymark project` runs them.

#include <boost/json/object.hpp>
#include <iostream>
#include <random>

#include "adapters/cli/cli.hpp"
#include "adapters/cli/project_units.hpp"
#include "core/command_handler.hpp"
#include "core/id_generator.hpp"
#include "workflows/assessment/assessment_workflow.hpp"
#include "workflows/network/network_workflow.hpp"
#include "workflows/registry.hpp"

namespace po = boost::program_options;

namespace waymark::cli {
namespace {

using boost::json::object;

struct DemoNetwork {
  const char* id;
  const char* name;
  const char* region;
  const char* stage;  // where it stood when registered
  const char* basis;  // the evidence for a stage past startup
};

// Scottish regions, at different stages of the lifecycle.
constexpr DemoNetwork kNetworks[] = {
    {"fife", "Fife Social Enterprise Network", "Fife", "development",
     "A constituted steering group and monthly members' meetings since 2024"},
    {"tayside", "Tayside Social Enterprise Network", "Tayside", "startup", ""},
    {"highland", "Highland Social Enterprise Network", "Highland", "participation",
     "Two joint contracts delivered by members in 2025"},
    {"glasgow", "Glasgow Social Enterprise Network", "Glasgow", "growth",
     "A members' consortium bidding for council contracts"},
    {"edinburgh", "Edinburgh Social Enterprise Network", "Edinburgh", "development",
     "A shared events programme and a members' directory"},
    {"ayrshire", "Ayrshire Social Enterprise Network", "Ayrshire", "startup", ""},
    {"borders", "Scottish Borders Social Enterprise Network", "Scottish Borders", "startup", ""},
    {"aberdeen", "Aberdeen and Aberdeenshire Social Enterprise Network", "Aberdeenshire",
     "development", "A members' survey and a funded coordinator post"},
    {"dumfries", "Dumfries and Galloway Social Enterprise Network", "Dumfries and Galloway",
     "startup", ""},
};
constexpr const char* kOfficers[] = {"olivia", "oscar", "priya"};

// Milestones that deliver each dimension's action, by what happens to them
// in the demo: overdue, delivered late, delivered, at risk, evidence
// rejected, rescheduled, planned.
struct DemoMilestones {
  std::string_view dimension;
  const char* overdue;
  const char* late;
  const char* done;
  const char* at_risk;
  const char* rejected;
  const char* rescheduled;
  const char* planned;
};
constexpr DemoMilestones kMilestones[] = {
    {"membership", "Members' mapping survey", "Membership directory launched",
     "Recruitment evening held", "Membership drive with the council's business team",
     "Welcome pack for new members", "Members' open day", "Second members' survey"},
    {"connectivity", "Members' contact list shared", "Peer visits between members launched",
     "First members' networking lunch", "Buddy pairs for new members",
     "Online members' forum opened", "Members' speed-networking evening",
     "Second round of peer visits"},
    {"influence", "Response to the council's economic strategy", "Briefing for local councillors",
     "Seat taken on the community planning partnership", "Joint statement with the Local CVS",
     "Case studies for the partnership board", "Meeting with the local MSP",
     "Annual report to the partnership"},
    {"conduit", "Members' monthly bulletin started", "Opportunities e-mail to members",
     "Partners' briefing on members' services", "Tender alerts passed to members",
     "Members' views gathered for the council", "Members' question time with partners",
     "Bulletin readers' survey"},
    {"best_practice", "Good-practice case studies collected", "Practice exchange on governance",
     "Members' awards evening", "Quality checklist agreed with members",
     "Peer review of two members' services", "Best-practice workshop with the enterprise academy",
     "Second round of peer reviews"},
    {"knowledge_sharing", "Shared folder of members' guides", "Toolkit on social value reporting",
     "Lunch-and-learn on bookkeeping", "Members' skills register", "Funding guide for members",
     "Knowledge-sharing session with Firstport", "Toolkit refreshed with members' additions"},
    {"problem_solving", "Members' problems clinic set up", "Advice surgery on premises",
     "Troubleshooting panel of experienced members", "Joint answer to the rates revaluation",
     "Problem-solving session on volunteer recruitment",
     "Clinic with the Coalfields Regeneration Trust", "Review of the problems clinic"},
    {"innovation", "Ideas lab for new services", "Pilot of a shared delivery van",
     "Innovation fund criteria agreed", "Prototype of a members' marketplace",
     "Trial of a shared booking system", "Design sprint with Aspire to Enterprise",
     "Review of the pilots"},
    {"professionalism", "Training needs survey of members", "Governance training for boards",
     "Members' code of practice adopted", "Mentoring scheme with experienced leaders",
     "Finance training for members", "Training day with the enterprise academy",
     "Second training needs survey"},
    {"joint_working", "Joint bid to the council", "Shared purchasing of insurance",
     "Consortium agreement signed", "Joint tender for the care contract",
     "Shared office services trial", "Joint marketing campaign", "Second joint bid"},
};
static_assert(std::size(kMilestones) == workflows::kDimensions.size());
constexpr int kCount = static_cast<int>(std::size(kNetworks));

class Demo {
 public:
  Demo(CommandHandler& handler, Clock& clock, ProjectUnits& project, unsigned seed,
       std::ostream& log)
      : handler_(handler), clock_(clock), project_(project), random_(seed), log_(log) {}

  void Run() {
    for (int i = 0; i < kCount; ++i) Register(i);
    for (int i = 0; i < kCount; ++i) Assess(i, 1);
    Settle();  // the policies record each outcome and draft each plan
    for (int i = 0; i < kCount; ++i) AgreePlan(i);
    for (int i = 0; i < kCount; ++i) {
      if (i == kCompleted) {
        DeliverWholePlan(i);
      } else {
        Milestones(i);
      }
    }
    for (int i = 0; i < kCount; ++i) StepsAndOutcomes(i);
    for (int i = 0; i < kCount - 2; ++i) Assess(i, 2);  // the trend across rounds
    Settle();
    for (int i = 1; i < kCount - 2; i += 3) Advance(i);
    Do(Plan(kCount - 1, 1), "AbandonPlan",
       {{"reason", "The coordinator left; the network will plan again with its new chair"}},
       Officer(kCount - 1));
    Settle();  // overdue timers fire; the abandoned plan's milestones are cancelled
    Do(Plan(kCompleted, 1), "CompletePlan", {}, Officer(kCompleted));
  }

  // The network whose plan is delivered and completed.
  static constexpr int kCompleted = kCount - 2;

 private:
  static std::string Id(int i) { return kNetworks[i].id; }
  static Actor Officer(int i) { return {kOfficers[i % 3], "officer", ""}; }
  static Actor Coordinator(int i) {
    return {std::string("coordinator, ") + kNetworks[i].name, "network", Id(i)};
  }
  static std::string Assessment(int i, int round) {
    return Id(i) + "-round" + std::to_string(round);
  }
  static std::string Plan(int i, int round) { return "plan-" + Assessment(i, round); }
  // The dimension every network scores 2 in round 1: the action its milestones deliver.
  static std::string_view Weak(int i) {
    return workflows::kDimensions[static_cast<std::size_t>(i) % workflows::kDimensions.size()];
  }
  std::string Day(int from_today) const {
    return FormatRfc3339(clock_.Now() + std::chrono::hours(24 * from_today)).substr(0, 10);
  }
  int Between(int low, int high) { return std::uniform_int_distribution<int>(low, high)(random_); }

  void Do(const std::string& stream, const std::string& type, object data, const Actor& actor) {
    auto r = handler_.Handle({stream, type, std::move(data), std::nullopt, "", actor, "", ""});
    if (!r) {
      throw std::runtime_error(type + " on " + stream + " was refused: " + r.error().message);
    }
    ++commands_;
  }

  // Policies, timers and read models until everything due now is done.
  void Settle() {
    RunOptions once;
    once.once = true;
    static const std::atomic<bool> kNever{false};
    auto ran =
        RunUnits(project_.units(), project_.wakeup(), once, [](const std::string&) {}, kNever);
    if (!ran) throw std::runtime_error("the engine's units failed: " + ran.error().message);
  }

  void Register(int i) {
    const auto& n = kNetworks[i];
    object data{{"name", n.name}, {"region", n.region}};
    if (std::string_view(n.stage) != "startup") {
      data["stage"] = n.stage;
      data["basis"] = n.basis;
    }
    Do("network-" + Id(i), "RegisterNetwork", data, Officer(i));
    Do("network-" + Id(i), "AssignOfficer", {{"officer", kOfficers[i % 3]}}, Officer(i));
    const int members = Between(12, 60);
    Do("network-" + Id(i), "RecordMembership",
       {{"members", members}, {"active_members", members * Between(40, 80) / 100}}, Coordinator(i));
  }

  void Assess(int i, int round) {
    const std::string stream = "assessment-" + Assessment(i, round);
    Do(stream, "StartAssessment",
       {{"network_id", Id(i)}, {"period", round == 1 ? "2026 spring" : "2026 autumn"}}, Officer(i));
    for (std::size_t d = 0; d < workflows::kDimensions.size(); ++d) {
      const auto dimension = workflows::kDimensions[d];
      int score = Between(2, 5);
      if (dimension == Weak(i)) score = round == 1 ? 2 : Between(2, 4);
      Do(stream, "ScoreDimension",
         {{"dimension", dimension},
          {"score", score},
          {"note", round == 1 ? "Members' self-assessment workshop" : "Second-round review"}},
         Coordinator(i));
    }
    if (i % 3 == 0) {  // an officer moderates one score
      const auto dimension =
          workflows::kDimensions[(static_cast<std::size_t>(i) + 3) % workflows::kDimensions.size()];
      Do(stream, "ModerateScore",
         {{"dimension", dimension},
          {"score", 3},
          {"reason", "The evidence shows regular joint work, not occasional"}},
         Officer(i));
    }
    Do(stream, "SubmitAssessment", {}, Coordinator(i));
    if (i == 1 && round == 1) {  // returned for changes once, then submitted again
      Do(stream, "ReturnAssessment",
         {{"reason", "Please add the evidence behind the influence score"}}, Officer(i));
      Do(stream, "ScoreDimension",
         {{"dimension", "influence"},
          {"score", 3},
          {"note", "Seat on the community planning partnership since March"}},
         Coordinator(i));
      Do(stream, "SubmitAssessment", {}, Coordinator(i));
    }
    Do(stream, "ApproveAssessment", {}, Officer(i));
  }

  // The plan the policy drafted: proposed, returned once by one network, agreed, active.
  void AgreePlan(int i) {
    const std::string plan = Plan(i, 1);
    Do(plan, "ProposePlan", {}, Coordinator(i));
    if (i == 2) {
      Do(plan, "ReturnPlan", {{"reason", "We want the actions phased over two years"}}, Officer(i));
      Do(plan, "ProposePlan", {}, Coordinator(i));
    }
    Do(plan, "AgreePlan", {}, Coordinator(i));
    Do(plan, "AgreePlan", {}, Officer(i));
    Do(plan, "ActivatePlan", {}, Officer(i));
  }

  // The milestones that deliver network i's weak dimension's action.
  static const DemoMilestones& MilestonesOf(int i) {
    for (const auto& m : kMilestones) {
      if (m.dimension == Weak(i)) return m;
    }
    return kMilestones[0];
  }

  // Milestones in every state, dated around today, each delivering the
  // action its title names.
  void Milestones(int i) {
    const std::string id = Id(i);
    const DemoMilestones& titles = MilestonesOf(i);
    int n = 0;
    const auto schedule = [&](const std::string& title, int due) {
      const std::string stream = "milestone-" + id + "-" + std::to_string(++n);
      Do(stream, "ScheduleMilestone",
         {{"plan_id", Assessment(i, 1)},
          {"network_id", id},
          {"action_id", Weak(i)},
          {"title", title},
          {"due", Day(due)}},
         Officer(i));
      return stream;
    };
    const object evidence{{"summary", "Minutes and photographs of the session"},
                          {"links", boost::json::array{"https://example.org/evidence/" + id}}};
    // Past due and still open: the timer marks it overdue.
    const auto overdue = schedule(titles.overdue, -Between(8, 30));
    Do(overdue, "StartMilestone", {}, Coordinator(i));
    if (i == 1) {  // one delivered after its due date
      const auto late = schedule(titles.late, -Between(2, 6));
      Do(late, "StartMilestone", {}, Coordinator(i));
      Do(late, "SubmitEvidence", evidence, Coordinator(i));
      Do(late, "VerifyMilestone", {}, Officer(i));
    }
    // Delivered on time.
    const auto done = schedule(titles.done, Between(10, 20));
    Do(done, "StartMilestone", {}, Coordinator(i));
    Do(done, "SubmitEvidence", evidence, Coordinator(i));
    Do(done, "VerifyMilestone", {}, Officer(i));
    // At risk, and due soon: the queue's next.
    const auto risk = schedule(titles.at_risk, Between(3, 25));
    Do(risk, "StartMilestone", {}, Coordinator(i));
    Do(risk, "FlagAtRisk", {{"reason", "Two partners have not confirmed their part"}},
       Coordinator(i));
    if (i % 3 == 0) {  // evidence rejected, to be submitted again
      const auto rejected = schedule(titles.rejected, Between(5, 28));
      Do(rejected, "StartMilestone", {}, Coordinator(i));
      Do(rejected, "SubmitEvidence", evidence, Coordinator(i));
      Do(rejected, "RejectEvidence",
         {{"reason", "The evidence shows the draft, not the issue sent to members"}}, Officer(i));
    }
    if (i % 3 == 1) {  // a foreseen slip, rescheduled with its reason
      const auto slip = schedule(titles.rescheduled, Between(2, 9));
      Do(slip, "RescheduleMilestone",
         {{"due", Day(Between(35, 60))},
          {"reason", "The trainer moved the date; agreed in advance"}},
         Officer(i));
    }
    schedule(titles.planned, Between(60, 120));  // planned
  }

  // Its weak dimension's action delivered by an achieved milestone, the others dropped.
  void DeliverWholePlan(int i) {
    const std::string plan = Plan(i, 1);
    auto folded = handler_.Load(plan);
    if (!folded) throw std::runtime_error("reading " + plan + ": " + folded.error().message);
    const auto row = folded->state->ReadModelRow();
    for (const auto& action : row.at("actions").as_array()) {
      const std::string id(action.at("action_id").as_string());
      if (id == Weak(i)) continue;
      Do(plan, "DropAction",
         {{"action_id", id}, {"reason", "Folded into the network's membership work"}}, Officer(i));
    }
    const std::string stream = "milestone-" + Id(i) + "-1";
    Do(stream, "ScheduleMilestone",
       {{"plan_id", Assessment(i, 1)},
        {"network_id", Id(i)},
        {"action_id", Weak(i)},
        {"title", MilestonesOf(i).done},
        {"due", Day(Between(5, 20))}},
       Officer(i));
    Do(stream, "StartMilestone", {}, Coordinator(i));
    Do(stream, "SubmitEvidence",
       {{"summary", "The charter as signed at the members' meeting"},
        {"links", boost::json::array{"https://example.org/evidence/charter"}}},
       Coordinator(i));
    Do(stream, "VerifyMilestone", {}, Officer(i));
  }

  void StepsAndOutcomes(int i) {
    static constexpr const char* kKinds[] = {"structure", "income", "improvement", "partnership",
                                             "investment"};
    const std::string step = "step-" + Id(i) + "-1";
    Do(step, "IdentifyStep",
       {{"network_id", Id(i)},
        {"plan_id", Assessment(i, 1)},
        {"kind", kKinds[i % 5]},
        {"description", "Members' fees cover the coordinator's hours"}},
       Coordinator(i));
    Do(step, "PlanStep", {{"target", "Half of the hours by the year end"}}, Coordinator(i));
    Do(step, "BeginStep", {}, Coordinator(i));
    Do(step, "EmbedStep", {{"evidence", "Fees in the accounts since April"}}, Coordinator(i));
    Do(step, "ReviewStep", {{"outcome", "A third of the hours covered; raise fees gently"}},
       Coordinator(i));
    if (i % 2 == 0) Do(step, "PlanStep", {{"target", "Two thirds next year"}}, Coordinator(i));
    object opportunity{{"kind", workflows::kOpportunityKinds[static_cast<std::size_t>(i) % 5]},
                       {"description", "Brokered through the network's members' meeting"},
                       {"members_involved", Between(2, 6)}};
    if (i % 2 == 0) opportunity["value_gbp"] = Between(20, 400) * 125;
    Do("network-" + Id(i), "RecordOpportunity", opportunity, Officer(i));
    Do("network-" + Id(i), "RecordRepresentation",
       {{"partnership", std::string(kNetworks[i].region) + " Community Planning Partnership"},
        {"level", workflows::kRepresentationLevels[static_cast<std::size_t>(i) % 3]},
        {"seat", "Third sector seat on the board"}},
       Coordinator(i));
    Do("network-" + Id(i), "RecordReferral",
       {{"agency", workflows::kReferralAgencies[static_cast<std::size_t>(i) % 6]},
        {"purpose", "Start-up and investment readiness support"},
        {"members", Between(1, 4)}},
       Coordinator(i));
  }

  // One stage forward, resting on the round-2 assessment.
  void Advance(int i) {
    static constexpr const char* kNext[][2] = {
        {"startup", "development"}, {"development", "participation"}, {"participation", "growth"}};
    for (const auto& [from, to] : kNext) {
      if (std::string_view(kNetworks[i].stage) != from) continue;
      Do("network-" + Id(i), "AdvanceStage",
         {{"to", to},
          {"reason", "The second assessment shows the network working at the next stage"},
          {"assessment_id", Assessment(i, 2)}},
         Officer(i));
    }
  }

  CommandHandler& handler_;
  Clock& clock_;
  ProjectUnits& project_;
  std::mt19937 random_;
  std::ostream& log_;

 public:
  int commands_ = 0;
};

}  // namespace

int RunDemo(const Invocation& inv) {
  po::options_description options("waymark demo");
  options.add_options()("seed", po::value<unsigned>()->default_value(1),
                        "the same seed gives the same programme (dates move with today)");
  AddConnectionOptions(options);
  po::variables_map vm;
  if (!ParseArgs(inv,
                 "waymark demo [--seed N]\n"
                 "Seeds an empty store with a programme to look at: nine networks across\n"
                 "Scotland in three officers' caseloads, two assessment rounds, plans drafted\n"
                 "by the engine and agreed, milestones in every state around today, steps and\n"
                 "outcomes; through the command handler, the policies and timers run between\n"
                 "the steps. Refuses a store that holds events.",
                 options, {}, vm)) {
    return kExitOk;
  }
  auto handle = OpenStore(vm);
  auto held = handle.store->CountEvents();
  if (!held) return Refuse(inv, "demo", held.error());
  if (*held > 0) {
    return Refuse(inv, "demo",
                  MakeError(ErrorCode::kConflict,
                            "the store already holds " + std::to_string(*held) +
                                " events; the demo seeds an empty store (a new database)"));
  }
  auto ids = MakeRandomIdGenerator();
  CommandHandler handler(*handle.store, workflows::TheDomain(), *handle.clock, *ids);
  ProjectUnits project(PgConnInfo(vm), "", "waymark.events", *handle.store, *handle.clock,
                       [&](const std::string& line) { inv.err << "demo: " << line << "\n"; });
  Demo demo(handler, *handle.clock, project, vm["seed"].as<unsigned>(), inv.err);
  try {
    demo.Run();
  } catch (const std::runtime_error& e) {
    return Refuse(inv, "demo", MakeError(ErrorCode::kNotAllowed, e.what()));
  }
  auto total = handle.store->CountEvents();
  inv.out << "demo: " << kCount << " networks in the caseloads of olivia, oscar and priya; "
          << demo.commands_ << " commands, " << (total ? *total : 0)
          << " events with the engine's own\n";
  return kExitOk;
}

}  // namespace waymark::cli
