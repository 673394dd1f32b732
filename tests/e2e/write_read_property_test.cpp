// The property that ties the write side to the read side, on the real
// PostgreSQL: random commands of every workflow, each field at its limits or
// in odd Unicode (the longest text of multi-byte characters, combining marks,
// right-to-left script, emoji, tab and newline where a text may span lines,
// the first and last accepted dates, the largest amounts and counts, twenty
// links of 500 characters), issued through the command handler on the
// PostgreSQL event store. Whatever is accepted is stored byte for byte,
// projected by `waymark project --once`, and `waymark rebuild all --check`
// finds the read models equal to a rebuild from history.

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <chrono>
#include <random>

#include "adapters/postgres/pg_event_store.hpp"
#include "core/canonical_json.hpp"
#include "core/command_handler.hpp"
#include "core/id_generator.hpp"
#include "core/text_rules.hpp"
#include "tests/support/pg_schema.hpp"
#include "tests/support/run_command.hpp"
#include "workflows/registry.hpp"

namespace waymark::testing {
namespace {

// Characters a text is made of: multi-byte, combining, right-to-left, emoji.
constexpr std::string_view kOdd[] = {"é",
                                     "ß",
                                     "ع",
                                     "ש",
                                     "e\xcc\x81",
                                     "🏴",
                                     "👩‍👩‍👧",
                                     "中",
                                     "\xef\xbf\xbd",
                                     "\xe2\x80\xa8",
                                     "a",
                                     " ",
                                     "'",
                                     "\"",
                                     "<",
                                     "&",
                                     ";",
                                     "\\"};

class Values {
 public:
  explicit Values(unsigned seed) : random_(seed) {}

  // `n` characters (counted as the text rule counts them: code points).
  std::string Text(std::size_t n, bool multiline) {
    std::string out;
    std::size_t chars = 0;
    while (chars < n) {
      std::string_view piece = kOdd[Pick(std::size(kOdd))];
      if (multiline && Pick(8) == 0) piece = Pick(2) ? "\n" : "\t";
      const std::size_t c = CharacterCount(piece);
      if (chars + c > n) piece = "x";
      out += piece;
      chars += CharacterCount(piece);
    }
    if (out.front() == ' ') out.front() = 'x';
    return out;
  }
  // Now and then a value no consumer could hold (a NUL or other control
  // character, a year PostgreSQL or the timers cannot take); `hostile` is set.
  boost::json::value Field(const CommandField& f, bool& hostile) {
    if ((f.kind == "text" || f.kind == "date") && Pick(25) == 0) {
      hostile = true;
      static constexpr std::string_view kTexts[] = {
          std::string_view("a\0b", 3), "bell\x07", "del\x7f", "c1\xc2\x85", "cr\r", "esc\x1b[2J"};
      static constexpr const char* kDates[] = {"0000-01-01", "0001-01-01", "9999-12-31",
                                               "1899-12-31", "3000-01-01"};
      if (f.kind == "text") return boost::json::value(kTexts[Pick(std::size(kTexts))]);
      return boost::json::value(kDates[Pick(std::size(kDates))]);
    }
    if (f.kind == "text") {
      const std::size_t n = Pick(3) == 0 ? 1 : static_cast<std::size_t>(f.max);
      return boost::json::value(Text(n, f.multiline));
    }
    if (f.kind == "id") return boost::json::value(Id());
    if (f.kind == "date") {
      static constexpr const char* kDates[] = {"1900-01-01", "2999-12-31", "2027-02-28",
                                               "2028-02-29"};
      return boost::json::value(kDates[Pick(std::size(kDates))]);
    }
    if (f.kind == "instant") return boost::json::value("2999-12-31T23:59:59.999999Z");
    if (f.kind == "int") return boost::json::value(Pick(2) ? f.min : f.max);
    if (f.kind == "choice") return boost::json::value(f.choices[Pick(f.choices.size())]);
    if (f.kind == "pounds") {
      static constexpr const char* kAmounts[] = {"999999999999.99", "0", "0.01"};
      return boost::json::value(kAmounts[Pick(std::size(kAmounts))]);
    }
    if (f.kind == "links") {
      boost::json::array links;
      const std::size_t n = Pick(2) ? static_cast<std::size_t>(f.max) : 1;
      for (std::size_t i = 0; i < n; ++i) {
        std::string link = "https://example.org/" + std::to_string(i) + "/";
        link += std::string(500 - link.size(), 'a' + static_cast<char>(i % 26));
        links.emplace_back(link);
      }
      return links;
    }
    ADD_FAILURE() << "a field kind this test does not know: " << f.kind;
    return nullptr;
  }
  std::string Id() {
    static constexpr char kChars[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
    std::string id(Pick(2) ? 64 : 1 + Pick(8), 'a');
    for (char& c : id) c = kChars[Pick(sizeof kChars - 1)];
    return id;
  }
  std::size_t Pick(std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(random_);
  }

 private:
  std::mt19937 random_;
};

TEST(WriteReadProperty, WhateverIsAcceptedIsStoredProjectedAndRebuiltEqual) {
  PgSchema schema;
  ManualClock clock(*ParseRfc3339("2026-11-28T10:00:00Z"));
  auto store = postgres::MakePostgresEventStore(schema.conninfo(), clock);
  SequentialIdGenerator ids;
  CommandHandler handler(*store, workflows::TheDomain(), clock, ids);
  Values values(20261201);
  const Actor officer{"olivia", "officer", ""};

  // Streams of every kind to act on, and the references a command may name.
  std::map<std::string, std::vector<std::string>> streams;            // kind → ids begun
  std::vector<std::pair<std::string, boost::json::object>> accepted;  // stream, event data
  std::size_t tried = 0, invalid = 0, hostile_tried = 0;
  const auto issue = [&](const std::string& kind, const std::string& id, const CommandSpec& spec,
                         const Actor& actor) {
    boost::json::object data;
    bool hostile = false;
    for (const auto& f : spec.fields) {
      if (!f.required && values.Pick(3) == 0) continue;
      // References name streams that exist (else they are refused before anything is stored).
      static const std::map<std::string, std::string> kRefs = {
          {"network_id", "network"}, {"plan_id", "plan"}, {"assessment_id", "assessment"}};
      if (auto ref = kRefs.find(f.name); ref != kRefs.end() && !streams[ref->second].empty()) {
        const auto& known = streams[ref->second];
        data[f.name] = known[values.Pick(known.size())];
      } else if (f.name == "action_id" && spec.command != "AddAction") {
        data[f.name] = "act";
      } else {
        data[f.name] = values.Field(f, hostile);
      }
    }
    if (spec.command == "AddAction") data["action_id"] = "act";
    if (spec.command == "RecordMembership") {  // the one rule between fields: active ≤ members
      data["active_members"] =
          std::min(data["active_members"].as_int64(), data["members"].as_int64());
    }
    ++tried;
    auto r = handler.Handle({kind + "-" + id, spec.command, data, std::nullopt, "", actor, "", ""});
    if (hostile) ++hostile_tried;
    if (hostile && r) {
      ADD_FAILURE() << spec.command << " accepted a value no consumer can hold: "
                    << boost::json::serialize(data).substr(0, 300);
    }
    if (!r) {
      if (r.error().code == ErrorCode::kValidation && !hostile) ++invalid;
      if (getenv("WAYMARK_PROPERTY_VERBOSE"))
        std::fprintf(stderr, "%s: %s\n", spec.command.c_str(),
                     r.error().message.substr(0, 150).c_str());
      return false;
    }
    for (const auto& e : r->events) accepted.emplace_back(kind + "-" + id, e.data);
    auto& begun = streams[kind];
    if (std::find(begun.begin(), begun.end(), id) == begun.end()) begun.push_back(id);
    return true;
  };
  const auto spec_of = [&](const std::string& kind, const std::string& command) {
    for (const Workflow* w : handler.workflows()) {
      if (w->kind() != kind) continue;
      for (const auto& spec : w->commands()) {
        if (spec.command == command) return spec;
      }
    }
    ADD_FAILURE() << kind << " " << command;
    return CommandSpec{};
  };
  // Begins a stream (another draw of values when one was hostile or refused).
  const auto begin = [&](const std::string& kind, const std::string& id,
                         const std::string& command) {
    for (int tries = 0; tries < 20; ++tries) {
      if (issue(kind, id, spec_of(kind, command), officer)) return true;
    }
    return false;
  };
  // A programme begun with extreme values: networks, assessments, plans with
  // an action, milestones, steps.
  for (int round = 0; round < 6; ++round) {
    const std::string n = values.Id(), a = values.Id(), p = values.Id();
    ASSERT_TRUE(begin("network", n, "RegisterNetwork"));
    streams["network"] = {n};
    ASSERT_TRUE(begin("assessment", a, "StartAssessment"));
    streams["assessment"] = {a};
    ASSERT_TRUE(begin("plan", p, "DraftPlan"));
    streams["plan"] = {p};
    ASSERT_TRUE(begin("plan", p, "AddAction"));
    issue("milestone", values.Id(), spec_of("milestone", "ScheduleMilestone"), officer);
    issue("step", values.Id(), spec_of("step", "IdentifyStep"), officer);
  }
  // Then random commands on those streams, as an officer: each one the
  // stream's state allows now (the ends of a stream — closing, withdrawing,
  // abandoning, cancelling, dropping — only now and then).
  for (int i = 0; i < 1500; ++i) {
    std::vector<std::string> kinds;
    for (const auto& [kind, ids] : streams) {
      if (!ids.empty()) kinds.push_back(kind);
    }
    const std::string kind = kinds[values.Pick(kinds.size())];
    const auto& known = streams[kind];
    const std::string id = known[values.Pick(known.size())];
    auto folded = handler.Load(kind + "-" + id);
    ASSERT_TRUE(folded) << folded.error().message;
    auto allowed = folded->state->AllowedCommands();
    std::erase_if(allowed, [&](const std::string& c) {
      const bool ends = c.starts_with("Close") || c.starts_with("Withdraw") ||
                        c.starts_with("Abandon") || c.starts_with("Cancel") ||
                        c.starts_with("Drop") || c.starts_with("Suspend");
      return c == "TrackMilestone" || c == "MarkMilestoneOverdue" ||
             c == "RecordAssessmentOutcome" || (ends && values.Pick(20) != 0);
    });
    if (allowed.empty()) continue;
    issue(kind, id, spec_of(kind, allowed[values.Pick(allowed.size())]), officer);
  }
  ASSERT_GT(accepted.size(), 150u) << "of " << tried << " tried";
  // The clean values are within every field's rules: their refusals come
  // from the states; every hostile one was refused (above).
  EXPECT_EQ(invalid, 0u);
  EXPECT_GT(hostile_tried, 10u);
  std::printf("accepted %zu events of %zu commands tried (%zu with a hostile value, all refused)\n",
              accepted.size(), tried, hostile_tried);

  // Stored byte for byte (the store keeps canonical JSON: what is hashed).
  std::size_t checked = 0;
  GlobalCursor after;
  std::map<std::string, std::vector<std::string>> stored;  // stream → data, in order
  for (;;) {
    auto page = store->ReadAll(after, 1000);
    ASSERT_TRUE(page) << page.error().message;
    if (page->empty()) break;
    for (const auto& e : *page) stored[e.stream].push_back(CanonicalJson(e.data));
    after = page->back().cursor();
  }
  std::map<std::string, std::size_t> next;
  for (const auto& [stream, data] : accepted) {
    const auto& list = stored[stream];
    const std::size_t at = next[stream]++;
    ASSERT_LT(at, list.size()) << stream;
    EXPECT_EQ(list[at], CanonicalJson(data)) << stream;
    ++checked;
  }
  EXPECT_EQ(checked, accepted.size());

  // Projected, and equal to a rebuild from history.
  const std::vector<std::string> env{"WAYMARK_PG=" + schema.conninfo()};
  // `project --once` until every event is in the read models: the policies and
  // timers add events as they run, and a transaction held open elsewhere in
  // the cluster (another test's) can hold the gap-safe reader back a while.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  for (;;) {
    auto project = RunCommand({WaymarkBinary(), "project", "--once"}, env);
    ASSERT_EQ(project.exit_code, 0) << project.out << project.err;
    if (schema.Exec("SELECT count(*) FROM rm_audit_log") ==
        schema.Exec("SELECT count(*) FROM events")) {
      break;
    }
    ASSERT_LT(std::chrono::steady_clock::now(), deadline)
        << "the read models did not catch up with " << schema.Exec("SELECT count(*) FROM events")
        << " events";
  }
  auto check = RunCommand({WaymarkBinary(), "rebuild", "all", "--check"}, env);
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  // Exported and imported again, the same history.
  auto exported = RunCommand({WaymarkBinary(), "export"}, env);
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  PgSchema copy;
  const std::vector<std::string> copy_env{"WAYMARK_PG=" + copy.conninfo()};
  auto imported = RunCommand({WaymarkBinary(), "import", "-"}, copy_env, exported.out);
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_EQ(RunCommand({WaymarkBinary(), "export"}, copy_env).out, exported.out);
}

}  // namespace
}  // namespace waymark::testing
