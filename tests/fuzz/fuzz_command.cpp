// Commands decoded and validated by the workflows' own field rules, through
// the one command handler: [role byte][command byte][stream byte][data JSON].
// Property: an accepted command stores only texts every consumer can hold,
// and its stream still folds; a refusal stores nothing.

#include <boost/json/parse.hpp>

#include "tests/fuzz/fuzz_world.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace waymark;
  static fuzz::World world;
  static const auto commands = [] {
    std::vector<std::pair<std::string, std::string>> out;  // kind, command
    for (const Workflow* w : world.handler().workflows()) {
      for (const auto& spec : w->commands()) out.emplace_back(w->kind(), spec.command);
    }
    return out;
  }();
  if (size < 3) return 0;
  const auto& role = world.RoleOf(data[0]);
  const auto& [kind, type] = commands[data[1] % commands.size()];
  static const std::map<std::string, std::string> existing = {
      {"network", "ne"}, {"assessment", "a1"}, {"plan", "p1"}, {"milestone", "m1"}, {"step", "s1"}};
  const std::string stream =
      kind + "-" + (data[2] % 2 ? existing.at(kind) : "fz" + std::to_string(data[2]));
  boost::json::error_code ec;
  auto json =
      boost::json::parse(std::string_view(reinterpret_cast<const char*>(data) + 3, size - 3), ec);
  if (ec || !json.is_object()) return 0;
  const std::size_t before = world.Events();
  CommandRequest command{stream, type, json.as_object(), std::nullopt, "", role.identity.actor,
                         "",     ""};
  auto result = world.handler().Handle(command);
  if (!result && world.Events() != before) fuzz::Finding("a refused command stored events");
  if (result && result->events.empty() && !result->replayed)
    fuzz::Finding("accepted, nothing stored");
  world.CheckAppendedSince(before);
  return 0;
}
