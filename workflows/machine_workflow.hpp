#pragma once

// The runtime shared by the domain's Boost.MSM machines. Include it only from
// a workflow's own translation unit (each machine is instantiated once).
//
// A machine is driven by the domain's events; a command is an attempt to
// record one. A workflow supplies a Spec:
//   using Front = <msm::front::state_machine_def>;  states have `kName`,
//                 events have `kType` (event name) and `kCommand`; the front
//                 has `Data data` with `std::string refusal` for guards
//   using Event = std::variant<the events>;  each event's fields described
//                 once (event_fields.hpp), which gives its JSON both ways
//   static constexpr std::string_view kNoun;            // "milestone"
//   static bool RoleMayIssue(std::string_view role, std::string_view command);
//   static void Complete(const CommandRequest&, const Front::Data&, Timestamp now,
//                        boost::json::object& data);    // fields the engine fills in
//   static void Defaults(const CommandRequest&, boost::json::object& data);  // optional:
//                 values of optional fields a command left out
//   static std::string NetworkId(const Front::Data&);
//   static boost::json::object Describe(const Front::Data&);  // the state for people
//   static boost::json::object Row(const Front::Data&);       // its read-model columns
//   static std::expected<void, Error> AcceptsReference(const Front::Data&, std::string state,
//                 const NewEvent&);  // optional: refuse being named by another stream's event

#include <algorithm>
#include <boost/mpl/for_each.hpp>
#include <boost/msm/back/state_machine.hpp>
#include <boost/msm/back/tools.hpp>
#include <boost/msm/front/state_machine_def.hpp>
#include <initializer_list>
#include <map>
#include <memory>
#include <variant>

#include "core/workflow.hpp"
#include "workflows/event_fields.hpp"

namespace waymark::workflows {

// The front-end every machine derives from. A command with no row in the
// current state is refused by Decide before it reaches the machine, and a
// stored event with no row is reported by Apply as corrupt, so the machine
// itself ignores events it has no transition for.
template <class Derived>
struct MachineDef : boost::msm::front::state_machine_def<Derived> {
  template <class Fsm, class E>
  void no_transition(const E&, Fsm&, int) {}
};

// A state's name, as a template argument: `struct Draft : NamedState<"draft"> {};`.
template <std::size_t N>
struct StateName {
  constexpr StateName(const char (&text)[N]) { std::copy_n(text, N, value); }
  char value[N];
};
template <StateName Name>
struct NamedState : boost::msm::front::state<> {
  static constexpr const char* kName = Name.value;
};

// A read-model column's value for a text that may be empty: empty is none.
inline boost::json::value TextOrNull(std::string_view text) {
  return text.empty() ? boost::json::value(nullptr) : boost::json::value(text);
}

// mpl::for_each hands over wrap<T>, so T need not be constructible.
template <class W>
struct Unwrap;
template <class T>
struct Unwrap<boost::msm::wrap<T>> {
  using type = T;
};

// The transition table, read from the machine's type.
template <class Front>
const std::vector<Transition>& TransitionsOf() {
  static const std::vector<Transition> table = [] {
    std::vector<Transition> rows;
    boost::mpl::for_each<typename Front::transition_table,
                         boost::msm::wrap<boost::mpl::placeholders::_1>>([&](auto row) {
      using R = typename Unwrap<decltype(row)>::type;
      rows.push_back({R::Source::kName, R::Evt::kCommand, R::Evt::kType, R::Target::kName,
                      SchemaVersionOf<typename R::Evt>()});
    });
    return rows;
  }();
  return table;
}

// State names by the ids MSM gives the states.
template <class Machine>
const std::map<int, std::string>& StateNamesOf() {
  static const std::map<int, std::string> names = [] {
    std::map<int, std::string> out;
    using Stt = typename Machine::stt;
    using States = typename boost::msm::back::generate_state_set<Stt>::type;
    boost::mpl::for_each<States, boost::msm::wrap<boost::mpl::placeholders::_1>>([&](auto state) {
      using S = typename Unwrap<decltype(state)>::type;
      out[boost::msm::back::get_state_id<Stt, S>::value] = S::kName;
    });
    return out;
  }();
  return names;
}

template <class Spec>
class MachineState final : public WorkflowState {
 public:
  using Machine = boost::msm::back::state_machine<typename Spec::Front>;

  MachineState() { machine_.start(); }

  std::expected<void, Error> Apply(const RecordedEvent& stored) override {
    const std::string where = stored.stream + " version " + std::to_string(stored.version) + ": ";
    auto event = ReadEventOf<typename Spec::Event>(stored.type, stored.schema_version, stored.data,
                                                   Spec::kNoun);
    if (!event)
      return std::unexpected(MakeError(ErrorCode::kCorrupt, where + event.error().message));
    const std::string before = StateName();
    const auto handled =
        std::visit([&](const auto& e) { return machine_.process_event(e); }, *event);
    if (handled != boost::msm::back::HANDLED_TRUE) {
      return std::unexpected(MakeError(
          ErrorCode::kCorrupt, where + stored.type + " cannot follow state " + StateName()));
    }
    if (StateName() != before) entered_at_ = FormatRfc3339(stored.metadata.recorded_at);
    // What a Spec keeps of when things were recorded (the data of an event holds no time).
    if constexpr (requires(typename Spec::Front & f, const typename Spec::Event& e) {
                    Spec::Recorded(f.data, e, stored);
                  }) {
      Spec::Recorded(machine_.data, *event, stored);
    }
    return {};
  }

  std::expected<std::vector<NewEvent>, Error> Decide(const CommandRequest& command,
                                                     Timestamp now) const override {
    const auto& table = TransitionsOf<typename Spec::Front>();
    const auto row = std::find_if(table.begin(), table.end(),
                                  [&](const Transition& t) { return t.command == command.type; });
    if (row == table.end()) {
      std::vector<std::string> known;
      for (const auto& t : table) {
        if (std::find(known.begin(), known.end(), t.command) == known.end())
          known.push_back(t.command);
      }
      std::string list;
      for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
      return std::unexpected(MakeError(
          ErrorCode::kValidation, "'" + command.type + "' is not a " + std::string(Spec::kNoun) +
                                      " command; expected one of " + list));
    }
    if (!Spec::RoleMayIssue(command.actor.role, command.type)) {
      return std::unexpected(MakeError(ErrorCode::kForbidden,
                                       "role " + command.actor.role + " may not " + command.type));
    }
    const auto allowed = AllowedCommands();
    if (std::find(allowed.begin(), allowed.end(), command.type) == allowed.end()) {
      Error e =
          MakeError(ErrorCode::kNotAllowed, command.type + " is not allowed while the " +
                                                std::string(Spec::kNoun) + " is " + StateName());
      e.allowed = allowed;
      return std::unexpected(e);
    }
    // Fields the engine fills in (who submitted, a network's own id, ...).
    boost::json::object filled;
    Spec::Complete(command, machine_.data, now, filled);
    boost::json::object data = command.data;
    for (const auto& [key, value] : filled) {
      if (command.data.contains(key)) {
        return std::unexpected(MakeError(
            ErrorCode::kValidation, command.type + ": field '" + std::string(key) +
                                        "' is filled in by Waymark (from who issues the command "
                                        "and when); leave it out"));
      }
      data[key] = value;
    }
    // Optional fields the command left out, recorded with their default.
    if constexpr (requires { Spec::Defaults(command, data); }) Spec::Defaults(command, data);
    auto event = ReadEventOf<typename Spec::Event>(row->event, kNewestSchema, data, Spec::kNoun);
    if (!event) {
      return std::unexpected(
          MakeError(ErrorCode::kValidation, command.type + ": " + event.error().message));
    }
    // A field the event does not know is a mistake (a misspelt optional
    // field would otherwise vanish without a word).
    const auto fields = std::visit([](const auto& e) { return WriteEvent(e); }, *event);
    for (const auto& [key, value] : command.data) {
      if (fields.contains(key)) continue;
      std::string known;
      for (const auto& [k, v] : fields) {
        if (!filled.contains(k)) known += (known.empty() ? "" : ", ") + std::string(k);
      }
      return std::unexpected(MakeError(
          ErrorCode::kValidation, command.type + ": field '" + std::string(key) +
                                      "' is not one of its fields; " +
                                      (known.empty() ? "it takes none" : "it takes " + known)));
    }
    Machine trial = machine_;  // guards decide on a copy; this state is unchanged
    const auto handled = std::visit([&](const auto& e) { return trial.process_event(e); }, *event);
    if (handled != boost::msm::back::HANDLED_TRUE) {
      Error e =
          MakeError(ErrorCode::kNotAllowed,
                    command.type + " refused: " +
                        (trial.data.refusal.empty() ? "not in this state" : trial.data.refusal));
      e.allowed = allowed;
      return std::unexpected(e);
    }
    const int version = std::visit(
        [](const auto& e) { return SchemaVersionOf<std::decay_t<decltype(e)>>(); }, *event);
    return std::vector<NewEvent>{NewEvent{row->event, version, fields}};
  }

  std::vector<std::string> AllowedCommands() const override {
    std::vector<std::string> out;
    const std::string state = StateName();
    for (const auto& t : TransitionsOf<typename Spec::Front>()) {
      if (t.from == state && std::find(out.begin(), out.end(), t.command) == out.end()) {
        out.push_back(t.command);
      }
    }
    return out;
  }

  std::string network_id() const override { return Spec::NetworkId(machine_.data); }

  boost::json::object ToJson() const override {
    boost::json::object out = Spec::Describe(machine_.data);
    out["state"] = StateName();
    return out;
  }

  std::string state() const override { return StateName(); }

  std::expected<void, Error> AcceptsReference(const NewEvent& event) const override {
    if constexpr (requires { Spec::AcceptsReference(machine_.data, StateName(), event); }) {
      return Spec::AcceptsReference(machine_.data, StateName(), event);
    } else {
      return {};
    }
  }

  boost::json::object ReadModelRow() const override { return Spec::Row(machine_.data); }

  // The Spec's History(data, event, stored) for `stored`, read again (only
  // projections ask, so plain folds pay nothing).
  std::vector<HistoryRow> HistoryRows(const RecordedEvent& stored) const override {
    if constexpr (requires(const typename Spec::Event& e) {
                    Spec::History(machine_.data, e, stored);
                  }) {
      auto event = ReadEventOf<typename Spec::Event>(stored.type, stored.schema_version,
                                                     stored.data, Spec::kNoun);
      if (!event) return {};
      return Spec::History(machine_.data, *event, stored);
    } else {
      (void)stored;
      return {};
    }
  }

  // The Spec's Tasks(data, state) for the state now, each waiting since the
  // state was entered unless the Spec says otherwise.
  std::vector<Task> Tasks() const override {
    if constexpr (requires { Spec::Tasks(machine_.data, StateName()); }) {
      auto tasks = Spec::Tasks(machine_.data, StateName());
      for (auto& t : tasks) {
        if (t.since.empty()) t.since = entered_at_;
      }
      return tasks;
    } else {
      return {};
    }
  }

  // The machine's data, for the workflow's own typed views (its TU only).
  const auto& data() const { return machine_.data; }

 private:
  std::string StateName() const { return StateNamesOf<Machine>().at(machine_.current_state()[0]); }

  Machine machine_;
  std::string entered_at_;  // when the current state was entered (RFC 3339)
};

// A Workflow made of a Spec.
template <class Spec>
class MachineWorkflow final : public Workflow {
 public:
  explicit MachineWorkflow(std::string_view kind) : kind_(kind) {}
  std::string_view kind() const override { return kind_; }
  std::unique_ptr<WorkflowState> NewState(std::string_view) const override {
    return std::make_unique<MachineState<Spec>>();
  }
  std::vector<Transition> transitions() const override {
    return TransitionsOf<typename Spec::Front>();
  }
  std::vector<CommandSpec> commands() const override {
    std::vector<CommandSpec> out;
    for (const auto& t : TransitionsOf<typename Spec::Front>()) {
      if (std::any_of(out.begin(), out.end(),
                      [&](const CommandSpec& c) { return c.command == t.command; })) {
        continue;
      }
      CommandSpec spec{t.command, {}};
      boost::mp11::mp_for_each<boost::mp11::mp_iota_c<std::variant_size_v<typename Spec::Event>>>(
          [&](auto i) {
            using E = std::variant_alternative_t<i, typename Spec::Event>;
            if (t.event == E::kType) spec.fields = CommandFieldsOf<E>();
          });
      // Less what the engine fills in, and optional where a default stands in.
      CommandRequest probe;
      probe.type = t.command;
      probe.stream = std::string(kind_) + "-x";
      probe.actor = {"x", "admin", ""};
      boost::json::object filled, defaults;
      Spec::Complete(probe,
                     std::remove_cvref_t<decltype(std::declval<typename Spec::Front&>().data)>{},
                     Timestamp{}, filled);
      if constexpr (requires { Spec::Defaults(probe, defaults); }) Spec::Defaults(probe, defaults);
      std::erase_if(spec.fields, [&](const CommandField& f) { return filled.contains(f.name); });
      for (auto& f : spec.fields) {
        if (defaults.contains(f.name)) f.required = false;
      }
      out.push_back(std::move(spec));
    }
    return out;
  }

 private:
  std::string_view kind_;
};

}  // namespace waymark::workflows
