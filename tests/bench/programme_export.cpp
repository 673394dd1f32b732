// Writes a generated programme as a `waymark export` file (JSON Lines), for
// the programme report's benchmark (ops/bench-report):
//   programme_export NETWORKS ROUNDS FILE
// NETWORKS networks with ROUNDS (2 or 3) assessment rounds each, made through
// the command handler on the in-memory store (tests/support/programme.hpp),
// then written in the store's order, hashes included, for `waymark import`.

#include <boost/json/serialize.hpp>
#include <fstream>
#include <iostream>

#include "core/event_json.hpp"
#include "core/memory_event_store.hpp"
#include "tests/support/programme.hpp"
#include "workflows/registry.hpp"

int main(int argc, char** argv) {
  using namespace waymark;
  if (argc != 4) {
    std::cerr << "usage: programme_export NETWORKS ROUNDS FILE\n";
    return 2;
  }
  const int networks = std::stoi(argv[1]), rounds = std::stoi(argv[2]);
  ManualClock clock(*ParseRfc3339("2026-01-01T09:00:00Z"));
  auto store = MakeMemoryEventStore(clock);
  SequentialIdGenerator ids;
  CommandHandler handler(*store, workflows::TheDomain(), clock, ids);
  testing::Programme programme(handler, clock);
  try {
    programme.Year(networks, rounds);
  } catch (const std::exception& e) {
    std::cerr << "programme_export: " << e.what() << "\n";
    return 1;
  }
  std::ofstream out(argv[3]);
  auto written = ForEachEvent(*store, "", [&](const RecordedEvent& e) {
    out << boost::json::serialize(EventToJson(e)) << '\n';
    return true;
  });
  if (!written) {
    std::cerr << "programme_export: " << written.error().message << "\n";
    return 1;
  }
  std::cerr << "programme_export: " << *written << " events of " << networks << " networks\n";
  return 0;
}
