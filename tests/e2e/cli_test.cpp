// The waymark binary as an operator or auditor runs it, against the real
// PostgreSQL: migrate, history, audit verify, export and import.

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "adapters/postgres/pg_event_store.hpp"
#include "core/clock.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/pg_schema.hpp"
#include "tests/support/run_command.hpp"

namespace waymark::testing {
namespace {

class Cli : public ::testing::Test {
 protected:
  CommandResult Waymark(std::vector<std::string> args, const PgSchema* schema = nullptr,
                        const std::string& input = {}) {
    args.insert(args.begin(), WaymarkBinary());
    std::vector<std::string> env;
    if (schema) env.push_back("WAYMARK_PG=" + schema->conninfo());
    return RunCommand(args, env, input);
  }

  // A small, realistic history: a network and its assessment.
  void Seed(const PgSchema& schema) {
    auto store = postgres::MakePostgresEventStore(schema.conninfo(), clock_);
    EventMetadata officer{"olivia", "officer", "corr-1", "", "", {}};
    ASSERT_TRUE(store->Append(
        {"network-ne",
         0,
         {{"NetworkRegistered", 1,
           boost::json::object{
               {"network_id", "ne"}, {"name", "North East, \"LSEN\""}, {"region", "NE"}}}},
         officer}));
    clock_.Advance(std::chrono::hours(1));
    ASSERT_TRUE(store->Append(
        {"assessment-ne-2026",
         0,
         {{"AssessmentStarted", 1, boost::json::object{{"network_id", "ne"}, {"period", "2026"}}}},
         officer}));
    clock_.Advance(std::chrono::hours(1));
    ASSERT_TRUE(store->Append(
        {"network-ne",
         1,
         {{"NetworkSuspended", 1, boost::json::object{{"reason", "coordinator on leave"}}}},
         officer}));
  }

  std::string TempFile(const std::string& name) {
    return (std::filesystem::temp_directory_path() /
            ("waymark-" + std::to_string(getpid()) + "-" + name))
        .string();
  }

  ManualClock clock_{*ParseRfc3339("2026-03-01T10:00:00Z")};
};

TEST_F(Cli, HelpListsEveryVerbOfTheDesign) {
  auto r = Waymark({"--help"});
  ASSERT_EQ(r.exit_code, 0);
  for (const char* verb : {"serve", "migrate", "command", "relay", "project", "rebuild", "replay",
                           "history", "audit", "export", "import", "token", "workflows", "demo"}) {
    EXPECT_NE(r.out.find(std::string("\n  ") + verb + " "), std::string::npos) << verb;
  }
  for (const char* verb : {"migrate", "history", "audit", "export", "import"}) {
    auto help = Waymark({verb, "--help"});
    EXPECT_EQ(help.exit_code, 0) << verb;
    EXPECT_NE(help.out.find("usage: waymark " + std::string(verb)), std::string::npos) << help.out;
  }
}

TEST_F(Cli, BadUsageExitsTwoWithAReason) {
  auto unknown = Waymark({"frobnicate"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("unknown verb 'frobnicate'"), std::string::npos);
  auto no_db = RunCommand({WaymarkBinary(), "history", "network-x"}, {"WAYMARK_PG="});
  EXPECT_EQ(no_db.exit_code, 2);
  EXPECT_NE(no_db.err.find("set WAYMARK_PG"), std::string::npos) << no_db.err;
  PgSchema schema;
  auto bad_format = Waymark({"history", "network-x", "--format", "xml"}, &schema);
  EXPECT_EQ(bad_format.exit_code, 2);
  EXPECT_NE(bad_format.err.find("not one of text, json, csv"), std::string::npos);
  auto bad_stream = Waymark({"history", "Network X"}, &schema);
  EXPECT_EQ(bad_stream.exit_code, 2);
  EXPECT_NE(bad_stream.err.find("not a valid stream name"), std::string::npos);
}

TEST_F(Cli, MigrateCreatesTheSchemaAndIsSafeToRunTwice) {
  PgSchema schema(/*migrate=*/false);
  auto first = Waymark({"migrate"}, &schema);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.out.find("applied migration 1 event store"), std::string::npos);
  auto second = Waymark({"migrate"}, &schema);
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(second.out.find("already up to date"), std::string::npos);
  const std::string columns = schema.Exec(
      "SELECT string_agg(column_name, ',' ORDER BY column_name) FROM information_schema.columns "
      "WHERE table_schema = current_schema() AND table_name = 'events'");
  for (const char* column : {"position", "stream", "version", "type", "schema_version", "data",
                             "metadata", "recorded_at", "hash"}) {
    EXPECT_NE(("," + columns + ",").find(std::string(",") + column + ","), std::string::npos)
        << column << " missing from " << columns;
  }
}

TEST_F(Cli, HistoryTellsWhoDidWhatWhenAndWhyInThreeFormats) {
  PgSchema schema;
  Seed(schema);
  auto text = Waymark({"history", "network-ne"}, &schema);
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("network-ne: 2 events"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("v1  2026-03-01T10:00:00.000000Z  olivia (officer)  NetworkRegistered"),
            std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("why: coordinator on leave"), std::string::npos) << text.out;

  auto json = Waymark({"history", "network-ne", "--format", "json"}, &schema);
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const auto parsed = boost::json::parse(json.out).as_array();
  ASSERT_EQ(parsed.size(), 2u);
  EXPECT_EQ(parsed[1].at("type").as_string(), "NetworkSuspended");
  EXPECT_EQ(parsed[1].at("metadata").at("recorded_at").as_string(), "2026-03-01T12:00:00.000000Z");
  EXPECT_EQ(parsed[1].at("hash").as_string().size(), 64u);

  auto csv = Waymark({"history", "network-ne", "--format", "csv"}, &schema);
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  std::istringstream lines(csv.out);
  std::string header, row1, row2, extra;
  std::getline(lines, header);
  std::getline(lines, row1);
  std::getline(lines, row2);
  EXPECT_FALSE(std::getline(lines, extra));
  EXPECT_EQ(header.rfind("version,recorded_at,actor,role,type,reason,", 0), 0u) << header;
  EXPECT_NE(row1.find("\"{\"\"name\"\":\"\"North East, \\\"\"LSEN\\\"\"\"\""), std::string::npos)
      << row1;
  EXPECT_EQ(
      row2.rfind(
          "2,2026-03-01T12:00:00.000000Z,olivia,officer,NetworkSuspended,coordinator on leave,", 0),
      0u)
      << row2;

  auto missing = Waymark({"history", "network-nowhere"}, &schema);
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("stream network-nowhere has no events"), std::string::npos);
}

TEST_F(Cli, AuditVerifyNamesTheFirstRowAlteredBehindWaymarksBack) {
  PgSchema schema;
  Seed(schema);
  auto ok = Waymark({"audit", "verify"}, &schema);
  ASSERT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  EXPECT_NE(ok.out.find("OK: 3 events in 2 streams"), std::string::npos) << ok.out;

  // Someone with database rights edits history, bypassing the append-only trigger.
  schema.Exec(
      "SET session_replication_role = replica; "
      "UPDATE events SET data = '{\"reason\":\"nothing to see\"}' "
      "WHERE stream = 'network-ne' AND version = 2");
  auto broken = Waymark({"audit", "verify"}, &schema);
  EXPECT_EQ(broken.exit_code, 1) << broken.out;
  EXPECT_NE(broken.out.find("FAILED at stream network-ne version 2"), std::string::npos)
      << broken.out;

  auto other = Waymark({"audit", "verify", "--stream", "assessment-ne-2026"}, &schema);
  EXPECT_EQ(other.exit_code, 0) << other.out;
  EXPECT_NE(other.out.find("OK: 1 events in 1 streams"), std::string::npos) << other.out;
  auto same = Waymark({"audit", "verify", "--stream", "network-ne"}, &schema);
  EXPECT_EQ(same.exit_code, 1);

  // A deleted event breaks the chain at the next version.
  PgSchema gap;
  Seed(gap);
  auto store = postgres::MakePostgresEventStore(gap.conninfo(), clock_);
  ASSERT_TRUE(store->Append({"network-ne",
                             2,
                             {{"NetworkResumed", 1, boost::json::object{}}},
                             {"olivia", "officer", "", "", "", {}}}));
  gap.Exec(
      "SET session_replication_role = replica; DELETE FROM events WHERE stream = 'network-ne' AND "
      "version = 2");
  auto missing = Waymark({"audit", "verify"}, &gap);
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.out.find("stream network-ne version 3: expected version 2"), std::string::npos)
      << missing.out;

  // An assessment moved to another network (who would then see it): every hash still holds.
  PgSchema moved;
  Seed(moved);
  moved.Exec(
      "SET session_replication_role = replica; UPDATE events SET network_id = 'nw' WHERE stream "
      "= 'assessment-ne-2026'");
  auto shown = Waymark({"audit", "verify"}, &moved);
  EXPECT_EQ(shown.exit_code, 1);
  EXPECT_NE(shown.out.find("FAILED at stream assessment-ne-2026 version 1: network_id 'nw' is not "
                           "the stream's network 'ne'"),
            std::string::npos)
      << shown.out;
}

TEST_F(Cli, ExportThenImportReproducesTheHistoryWithItsHashes) {
  PgSchema source;
  Seed(source);
  const std::string file = TempFile("export.jsonl");
  auto exported = Waymark({"export", "--output", file}, &source);
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  EXPECT_NE(exported.err.find("exported 3 events"), std::string::npos);

  auto verified = Waymark({"audit", "verify", "--file", file});
  EXPECT_EQ(verified.exit_code, 0) << verified.out;
  EXPECT_NE(verified.out.find("OK: 3 events in 2 streams"), std::string::npos) << verified.out;

  PgSchema target;
  auto imported = Waymark({"import", file}, &target);
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_NE(imported.out.find("imported 3 events"), std::string::npos);
  auto reexported = Waymark({"export"}, &target);
  ASSERT_EQ(reexported.exit_code, 0);
  std::ifstream in(file);
  std::stringstream original;
  original << in.rdbuf();
  EXPECT_EQ(reexported.out, original.str());
  EXPECT_EQ(Waymark({"audit", "verify"}, &target).exit_code, 0);

  // Import is for an empty store only.
  auto twice = Waymark({"import", file}, &target);
  EXPECT_EQ(twice.exit_code, 1);
  EXPECT_NE(twice.err.find("import needs an empty store"), std::string::npos) << twice.err;

  // One stream alone, from standard input.
  auto one = Waymark({"export", "--stream", "assessment-ne-2026"}, &source);
  ASSERT_EQ(one.exit_code, 0);
  PgSchema single;
  auto piped = Waymark({"import", "-"}, &single, one.out);
  ASSERT_EQ(piped.exit_code, 0) << piped.err;
  EXPECT_EQ(single.Exec("SELECT count(*) FROM events"), "1");
  std::filesystem::remove(file);
}

TEST_F(Cli, ImportRefusesABrokenOrMalformedFileAndStoresNothing) {
  PgSchema source;
  Seed(source);
  auto exported = Waymark({"export"}, &source);
  ASSERT_EQ(exported.exit_code, 0);
  std::string tampered = exported.out;
  const auto at = tampered.find("coordinator on leave");
  ASSERT_NE(at, std::string::npos);
  tampered.replace(at, 20, "all is well, really!");
  const std::string file = TempFile("tampered.jsonl");
  std::ofstream(file) << tampered;

  auto verify = Waymark({"audit", "verify", "--file", file});
  EXPECT_EQ(verify.exit_code, 1);
  EXPECT_NE(verify.out.find("FAILED at stream network-ne version 2"), std::string::npos)
      << verify.out;

  PgSchema target;
  auto refused = Waymark({"import", file}, &target);
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("broken chain at stream network-ne version 2"), std::string::npos)
      << refused.err;
  EXPECT_NE(refused.err.find("nothing was imported"), std::string::npos);
  EXPECT_EQ(target.Exec("SELECT count(*) FROM events"), "0");

  auto garbage = Waymark({"import", "-"}, &target,
                         exported.out.substr(0, exported.out.find('\n') + 1) + "{not json\n");
  EXPECT_EQ(garbage.exit_code, 1);
  EXPECT_NE(garbage.err.find("line 2 is not JSON"), std::string::npos) << garbage.err;
  EXPECT_EQ(target.Exec("SELECT count(*) FROM events"), "0");
  std::filesystem::remove(file);
}

TEST_F(Cli, ServeTakesEveryOptionFromWaymarkVariablesAndTheCommandLineWins) {
  PgSchema schema;
  ASSERT_EQ(Waymark({"migrate"}, &schema).exit_code, 0);
  // A value the option refuses names the variable.
  auto bad = RunCommand({WaymarkBinary(), "serve"},
                        {"WAYMARK_PG=" + schema.conninfo(), "WAYMARK_THREADS=many"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("$WAYMARK_THREADS"), std::string::npos) << bad.err;
  auto range = RunCommand({WaymarkBinary(), "serve"},
                          {"WAYMARK_PG=" + schema.conninfo(), "WAYMARK_IDLE_TIMEOUT=0"});
  EXPECT_EQ(range.exit_code, 2);
  EXPECT_NE(range.err.find("--idle-timeout must be"), std::string::npos) << range.err;
  // Configured by variables alone: listen address, an API-only node, JSON logs.
  const std::string log = TempFile("serve-env.log");
  {
    ChildProcess serve(
        {WaymarkBinary(), "serve", "--threads", "2"},
        {"WAYMARK_PG=" + schema.conninfo(), "WAYMARK_LISTEN=127.0.0.1:0", "WAYMARK_NO_WORKERS=1",
         "WAYMARK_LOG_FORMAT=json", "WAYMARK_THREADS=not-a-number"},  // the command line's 2 wins
        log);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (ReadFile(log).find("listening on") == std::string::npos &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    EXPECT_NE(ReadFile(log).find("(API only)"), std::string::npos) << ReadFile(log);
    serve.Kill(SIGTERM);
    EXPECT_EQ(serve.Wait(), 0);
  }
  const std::string out = ReadFile(log);
  EXPECT_NE(out.find("listening on http://127.0.0.1:"), std::string::npos) << out;
  EXPECT_NE(out.find("{\"level\":\"info\""), std::string::npos)
      << out;  // JSON, not a terminal's text
  std::filesystem::remove(log);
}

}  // namespace
}  // namespace waymark::testing
