// `waymark report` on a generated programme in PostgreSQL: twelve networks in
// three regions through a year (two assessment rounds each, milestones in
// every outcome, steps, outcomes, membership), made through the command
// handler with a clock the test sets. The report's figures are checked
// against figures the test computes itself from the raw `events` rows (not
// through the report's code), the report of a past period stays byte for
// byte the same after later events (about the same networks too), and its
// CSV is read by Python's csv module.

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cmath>
#include <fstream>
#include <map>
#include <pqxx/pqxx>

#include "adapters/postgres/pg_event_store.hpp"
#include "core/command_handler.hpp"
#include "tests/support/pg_schema.hpp"
#include "tests/support/programme.hpp"
#include "tests/support/run_command.hpp"
#include "workflows/assessment/assessment_workflow.hpp"
#include "workflows/registry.hpp"

namespace waymark::testing {
namespace {

using boost::json::object;

constexpr const char* kFrom = "2026-03-01";
constexpr const char* kTo = "2026-10-31";
constexpr int kNetworks = 12;

class Report : public ::testing::Test {
 protected:
  Report()
      : clock_(*ParseRfc3339("2026-01-01T09:00:00Z")),
        store_(postgres::MakePostgresEventStore(schema_.conninfo(), clock_, 2)),
        handler_(*store_, workflows::TheDomain(), clock_, ids_) {}

  void Generate() { ASSERT_NO_THROW(programme_.Year(kNetworks, 2)); }
  void Later() { ASSERT_NO_THROW(programme_.Later()); }

  CommandResult Waymark(std::vector<std::string> args) {
    args.insert(args.begin(), WaymarkBinary());
    return RunCommand(args, {"WAYMARK_PG=" + schema_.conninfo()});
  }
  object ReportJson(std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"report", "--from", kFrom, "--to", kTo, "--format", "json"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto r = Waymark(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return boost::json::parse(r.out).as_object();
  }

  PgSchema schema_;
  ManualClock clock_;
  SequentialIdGenerator ids_;
  std::unique_ptr<EventStore> store_;
  CommandHandler handler_;
  Programme programme_{handler_, clock_};
};

// What the test computes itself from the raw rows of `events`.
struct Expected {
  std::int64_t networks = 0;
  std::map<std::string, std::int64_t> stage_start, stage_end;
  std::int64_t forward = 0, back = 0;
  std::map<std::string, std::pair<double, double>> means;    // dimension → first, latest
  std::map<std::string, std::array<std::int64_t, 3>> trend;  // improved, held, declined
  std::int64_t due = 0, on_time = 0, late = 0, overdue = 0, cancelled = 0;
  std::int64_t embedded = 0, reviewed = 0;
  std::map<std::string, std::pair<std::int64_t, std::int64_t>> opportunities;  // count, pence
  std::map<std::string, std::int64_t> levels;
  std::map<std::string, std::pair<std::int64_t, std::int64_t>> agencies;
  std::int64_t members_start = 0, active_start = 0, members_end = 0, active_end = 0;
  std::int64_t last_position = 0;
};

Expected FromRawEvents(const std::string& conninfo, const std::string& region) {
  pqxx::connection conn(conninfo);
  pqxx::read_transaction tx(conn);
  const std::string from = kFrom, to = kTo;
  struct Net {
    std::string region, stage_start, stage;
    bool registered = false, at_start = false;
    std::int64_t ms = 0, as = 0, me = 0, ae = 0, forward = 0, back = 0;
  };
  struct Assessment {
    std::string network;
    std::map<std::string, std::int64_t> self, moderated;
    std::string approved;
    std::int64_t position = 0;
  };
  struct Milestone {
    std::string network, due, status;
    bool on_time = false;
  };
  std::map<std::string, Net> nets;
  std::map<std::string, Assessment> assessments;
  std::map<std::string, Milestone> milestones;
  std::map<std::string, std::string> step_network;
  std::vector<std::tuple<std::string, std::string, object>> in_period;  // network, type, data
  Expected x;
  for (const auto& row :
       tx.exec("SELECT stream, type, data::text, to_char(recorded_at AT TIME ZONE 'UTC', "
               "'YYYY-MM-DD'), position FROM events ORDER BY stream, version")) {
    const std::string stream = row[0].as<std::string>(), type = row[1].as<std::string>();
    const object data = boost::json::parse(row[2].as<std::string>()).as_object();
    const std::string day = row[3].as<std::string>();
    if (day > to) continue;
    x.last_position = std::max(x.last_position, row[4].as<std::int64_t>());
    const auto text = [&](const char* k) {
      return data.contains(k) ? std::string(data.at(k).as_string()) : std::string();
    };
    const std::string id = stream.substr(stream.find('-') + 1);
    if (stream.starts_with("network-")) {
      auto& n = nets[id];
      if (day >= from && !n.at_start) {  // how it stood when the period began
        n.at_start = true;
        n.stage_start = n.registered ? n.stage : "";
        n.ms = n.me;
        n.as = n.ae;
      }
      if (type == "NetworkRegistered") {
        n.registered = true;
        n.region = text("region");
        n.stage = data.contains("stage") ? text("stage") : "startup";
      }
      if (type == "StageAdvanced" || type == "StageReturned") {
        n.stage = text("to");
        if (day >= from) (type == "StageAdvanced" ? n.forward : n.back) += 1;
      }
      if (type == "MembershipRecorded") {
        n.me = data.at("members").as_int64();
        n.ae = data.at("active_members").as_int64();
      }
      if (day >= from) in_period.emplace_back(id, type, data);
    } else if (stream.starts_with("assessment-")) {
      auto& a = assessments[id];
      if (type == "AssessmentStarted") a.network = text("network_id");
      if (type == "DimensionScored") a.self[text("dimension")] = data.at("score").as_int64();
      if (type == "ScoreModerated") a.moderated[text("dimension")] = data.at("score").as_int64();
      if (type == "AssessmentApproved") {
        a.approved = day;
        a.position = row[4].as<std::int64_t>();
      }
    } else if (stream.starts_with("milestone-")) {
      auto& m = milestones[id];
      if (type == "MilestoneScheduled") {
        m.network = text("network_id");
        m.due = text("due");
        m.status = "planned";
      }
      if (type == "MilestoneStarted") m.status = "in_progress";
      if (type == "EvidenceSubmitted") {
        m.status = "evidence_submitted";
        m.on_time = text("submitted_at").substr(0, 10) <= m.due;
      }
      if (type == "MilestoneVerified") m.status = "achieved";
      if (type == "MilestoneOverdue") m.status = "overdue";
      if (type == "MilestoneCancelled") m.status = "cancelled";
      if (type == "MilestoneRescheduled") {
        m.due = text("due");
        if (m.status == "overdue") m.status = "in_progress";
      }
    } else if (stream.starts_with("step-")) {
      if (type == "StepIdentified") step_network[id] = text("network_id");
      if (day >= from) in_period.emplace_back(step_network[id], type, data);
    }
  }
  // The selection, and what it covers.
  std::set<std::string> selected;
  for (auto& [id, n] : nets) {
    if (!n.at_start) {  // nothing happened to it in the period
      n.stage_start = n.registered ? n.stage : "";
      n.ms = n.me;
      n.as = n.ae;
    }
    if (!n.registered || (!region.empty() && n.region != region)) continue;
    selected.insert(id);
    x.forward += n.forward;
    x.back += n.back;
    if (!n.stage_start.empty()) {
      ++x.stage_start[n.stage_start];
      x.members_start += n.ms;
      x.active_start += n.as;
    }
    ++x.stage_end[n.stage];
    x.members_end += n.me;
    x.active_end += n.ae;
  }
  x.networks = static_cast<std::int64_t>(selected.size());
  for (const auto& [network, type, data] : in_period) {
    if (!selected.contains(network)) continue;
    if (type == "StepEmbedded") ++x.embedded;
    if (type == "StepReviewed") ++x.reviewed;
    if (type == "OpportunityBrokered") {
      auto& [count, pence] = x.opportunities[std::string(data.at("kind").as_string())];
      ++count;
      if (data.contains("value_gbp")) {
        pence += std::llround(std::stod(std::string(data.at("value_gbp").as_string())) * 100);
      }
    }
    if (type == "RepresentationRecorded") ++x.levels[std::string(data.at("level").as_string())];
    if (type == "SupportReferred") {
      auto& [count, members] = x.agencies[std::string(data.at("agency").as_string())];
      ++count;
      members += data.at("members").as_int64();
    }
  }
  for (const auto& [id, m] : milestones) {
    if (!selected.contains(m.network) || m.due < from || m.due > to) continue;
    ++x.due;
    if (m.status == "achieved") (m.on_time ? x.on_time : x.late) += 1;
    if (m.status == "overdue") ++x.overdue;
    if (m.status == "cancelled") ++x.cancelled;
  }
  std::map<std::string, std::vector<const Assessment*>> rounds;
  for (const auto& [id, a] : assessments) {
    if (!a.approved.empty() && selected.contains(a.network)) rounds[a.network].push_back(&a);
  }
  for (auto d : workflows::kDimensions) {
    const std::string dim(d);
    double first = 0, latest = 0;
    int n = 0;
    std::array<std::int64_t, 3> t{0, 0, 0};
    for (auto& [network, list] : rounds) {
      std::sort(list.begin(), list.end(), [](auto* a, auto* b) {
        return std::tie(a->approved, a->position) < std::tie(b->approved, b->position);
      });
      const auto counted = [&](const Assessment* a) {
        return a->moderated.contains(dim) ? a->moderated.at(dim) : a->self.at(dim);
      };
      const auto f = counted(list.front()), l = counted(list.back());
      first += static_cast<double>(f);
      latest += static_cast<double>(l);
      ++n;
      if (list.size() >= 2) ++t[l > f ? 0 : l == f ? 1 : 2];
    }
    x.means[dim] = {n ? first / n : 0, n ? latest / n : 0};
    x.trend[dim] = t;
  }
  return x;
}

void ExpectMatches(const object& r, const Expected& x) {
  EXPECT_EQ(r.at("networks").as_int64(), x.networks);
  EXPECT_EQ(r.at("last_position").as_int64(), x.last_position);
  const auto& stages = r.at("stages").as_object();
  for (const auto& [stage, n] : x.stage_start)
    EXPECT_EQ(stages.at("start").at(stage).as_int64(), n) << stage;
  for (const auto& [stage, n] : x.stage_end)
    EXPECT_EQ(stages.at("end").at(stage).as_int64(), n) << stage;
  std::int64_t start_total = 0, end_total = 0;
  for (const auto& [s, n] : stages.at("start").as_object()) start_total += n.as_int64();
  for (const auto& [s, n] : stages.at("end").as_object()) end_total += n.as_int64();
  std::int64_t x_start = 0;
  for (const auto& [s, n] : x.stage_start) x_start += n;
  EXPECT_EQ(start_total, x_start);
  EXPECT_EQ(end_total, x.networks);
  EXPECT_EQ(stages.at("forward").as_int64(), x.forward);
  EXPECT_EQ(stages.at("back").as_int64(), x.back);
  for (const auto& d : r.at("dimensions").as_array()) {
    const std::string dim(d.at("dimension").as_string());
    const auto [first, latest] = x.means.at(dim);
    EXPECT_NEAR(d.at("first_mean").to_number<double>(), first, 0.005) << dim;
    EXPECT_NEAR(d.at("latest_mean").to_number<double>(), latest, 0.005) << dim;
    EXPECT_EQ(d.at("improved").as_int64(), x.trend.at(dim)[0]) << dim;
    EXPECT_EQ(d.at("held").as_int64(), x.trend.at(dim)[1]) << dim;
    EXPECT_EQ(d.at("declined").as_int64(), x.trend.at(dim)[2]) << dim;
  }
  const auto& m = r.at("milestones").as_object();
  EXPECT_EQ(m.at("due").as_int64(), x.due);
  EXPECT_EQ(m.at("achieved_on_time").as_int64(), x.on_time);
  EXPECT_EQ(m.at("achieved_late").as_int64(), x.late);
  EXPECT_EQ(m.at("overdue").as_int64(), x.overdue);
  EXPECT_EQ(m.at("cancelled").as_int64(), x.cancelled);
  if (x.due > x.cancelled) {
    EXPECT_NEAR(m.at("on_time_rate").to_number<double>(),
                static_cast<double>(x.on_time) / static_cast<double>(x.due - x.cancelled), 0.005);
  }
  EXPECT_EQ(r.at("steps").at("embedded").as_int64(), x.embedded);
  EXPECT_EQ(r.at("steps").at("reviewed").as_int64(), x.reviewed);
  for (const auto& o : r.at("opportunities").as_array()) {
    const auto it = x.opportunities.find(std::string(o.at("kind").as_string()));
    const auto [count, pence] =
        it == x.opportunities.end() ? std::pair<std::int64_t, std::int64_t>{0, 0} : it->second;
    EXPECT_EQ(o.at("count").as_int64(), count) << o;
    EXPECT_EQ(std::llround(std::stod(std::string(o.at("value_gbp").as_string())) * 100), pence)
        << o;
  }
  for (const auto& l : r.at("representation").as_array()) {
    const auto it = x.levels.find(std::string(l.at("level").as_string()));
    EXPECT_EQ(l.at("count").as_int64(), it == x.levels.end() ? 0 : it->second) << l;
  }
  for (const auto& a : r.at("referrals").as_array()) {
    const auto it = x.agencies.find(std::string(a.at("agency").as_string()));
    EXPECT_EQ(a.at("count").as_int64(), it == x.agencies.end() ? 0 : it->second.first) << a;
    EXPECT_EQ(a.at("members").as_int64(), it == x.agencies.end() ? 0 : it->second.second) << a;
  }
  const auto& ms = r.at("membership").as_object();
  EXPECT_EQ(ms.at("start").at("members").as_int64(), x.members_start);
  EXPECT_EQ(ms.at("start").at("active_members").as_int64(), x.active_start);
  EXPECT_EQ(ms.at("end").at("members").as_int64(), x.members_end);
  EXPECT_EQ(ms.at("end").at("active_members").as_int64(), x.active_end);
}

TEST_F(Report, FiguresMatchTheRawEventsAndAPastPeriodNeverChanges) {
  Generate();
  if (HasFatalFailure()) return;
  const auto report = ReportJson();
  const Expected expected = FromRawEvents(schema_.conninfo(), "");
  ExpectMatches(report, expected);
  // The programme as generated: every milestone outcome is there.
  EXPECT_EQ(expected.due, 4 * kNetworks);
  EXPECT_EQ(expected.on_time, kNetworks);
  EXPECT_EQ(expected.late, kNetworks);
  EXPECT_EQ(expected.overdue, kNetworks);
  EXPECT_EQ(expected.cancelled, kNetworks);
  EXPECT_EQ(expected.forward, kNetworks / 2);
  EXPECT_EQ(expected.back, 1);
  EXPECT_GT(expected.trend.at("influence")[0] + expected.trend.at("influence")[2], 0);

  const auto fife = ReportJson({"--region", "Fife"});
  ExpectMatches(fife, FromRawEvents(schema_.conninfo(), "Fife"));
  EXPECT_EQ(fife.at("networks").as_int64(), 4);

  // The same bytes after later events, in every format.
  std::map<std::string, std::string> before;
  for (const char* format : {"text", "json", "csv"}) {
    auto r = Waymark({"report", "--from", kFrom, "--to", kTo, "--format", format});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    before[format] = r.out;
  }
  Later();
  if (HasFatalFailure()) return;
  for (const char* format : {"text", "json", "csv"}) {
    auto r = Waymark({"report", "--from", kFrom, "--to", kTo, "--format", format});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, before[format]) << format;
  }
  // The history read models hold what the events say, and match a rebuild.
  auto project = Waymark({"project", "--once"});
  ASSERT_EQ(project.exit_code, 0) << project.err;
  EXPECT_EQ(schema_.Exec("SELECT count(*) FROM rm_assessment_scores"),
            schema_.Exec("SELECT 10 * count(*) FROM events WHERE type = 'AssessmentApproved'"));
  EXPECT_EQ(schema_.Exec("SELECT count(*) FROM rm_stage_history"),
            schema_.Exec("SELECT count(*) FROM events WHERE type IN ('NetworkRegistered', "
                         "'StageAdvanced', 'StageReturned')"));
  EXPECT_EQ(schema_.Exec("SELECT count(*) FROM rm_membership_history"),
            schema_.Exec("SELECT count(*) FROM events WHERE type = 'MembershipRecorded'"));
  EXPECT_EQ(schema_.Exec("SELECT count(*) || ' ' || sum(value_gbp) FROM rm_outcomes"),
            schema_.Exec("SELECT count(*) || ' ' || sum((data->>'value_gbp')::numeric) FROM "
                         "events WHERE type IN ('OpportunityBrokered', "
                         "'RepresentationRecorded', 'SupportReferred')"));
  EXPECT_EQ(schema_.Exec("SELECT counted_score FROM rm_assessment_scores WHERE stream = "
                         "'assessment-an0_1' AND dimension = 'influence'"),
            "2");  // moderated
  auto check = Waymark({"rebuild", "all", "--check"});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  // A period that takes the later events in does change.
  auto wider = Waymark({"report", "--from", kFrom, "--to", "2026-12-31", "--format", "json"});
  EXPECT_NE(wider.out, before["json"]);

  // The CSV, read by Python's csv module: one table per section with a header row.
  const std::string path = "/tmp/waymark_report_" + schema_.name() + ".csv";
  std::ofstream(path) << before["csv"];
  auto parsed = RunCommand({"/usr/bin/python3", "-c",
                            "import csv, sys, json\n"
                            "tables, header = {}, None\n"
                            "for row in csv.reader(open(sys.argv[1], newline='')):\n"
                            "    if not row:\n"
                            "        header = None\n"
                            "    elif header is None:\n"
                            "        assert row[0] == 'section', row\n"
                            "        header = row\n"
                            "    else:\n"
                            "        tables.setdefault(row[0], []).append(dict(zip(header, row)))\n"
                            "print(json.dumps(tables))\n",
                            path});
  std::remove(path.c_str());
  ASSERT_EQ(parsed.exit_code, 0) << parsed.err;
  const auto tables = boost::json::parse(parsed.out).as_object();
  EXPECT_EQ(tables.at("report").as_array().at(0).at("networks").as_string(), "12");
  EXPECT_EQ(tables.at("dimensions").as_array().size(), 10u);
  EXPECT_EQ(tables.at("milestones").as_array().at(0).at("overdue").as_string(),
            std::to_string(kNetworks));
  EXPECT_EQ(tables.at("referrals").as_array().size(), 6u);
  EXPECT_EQ(tables.at("stage_moves").as_array().size(),
            static_cast<std::size_t>(kNetworks / 2 + 1));
}

TEST_F(Report, AnEmptyPeriodARegionWithoutNetworksAndBadDates) {
  Generate();
  if (HasFatalFailure()) return;
  auto empty =
      Waymark({"report", "--from", "2025-01-01", "--to", "2025-01-31", "--format", "json"});
  ASSERT_EQ(empty.exit_code, 0) << empty.err;
  const auto e = boost::json::parse(empty.out).as_object();
  EXPECT_EQ(e.at("networks").as_int64(), 0);
  EXPECT_EQ(e.at("last_position").as_int64(), 0);
  EXPECT_EQ(e.at("milestones").at("due").as_int64(), 0);
  EXPECT_TRUE(e.at("milestones").at("on_time_rate").is_null());
  const auto nowhere = ReportJson({"--region", "Nowhere"});
  EXPECT_EQ(nowhere.at("networks").as_int64(), 0);
  EXPECT_EQ(nowhere.at("membership").at("end").at("members").as_int64(), 0);
  for (const auto& [from, to] :
       std::vector<std::pair<std::string, std::string>>{{"2026-3-1", "2026-10-31"},
                                                        {"2026-03-01", "31/10/2026"},
                                                        {"yesterday", "2026-10-31"},
                                                        {"2026-02-30", "2026-10-31"}}) {
    auto bad = Waymark({"report", "--from", from, "--to", to});
    EXPECT_EQ(bad.exit_code, 2) << from << " " << to;
    EXPECT_NE(bad.err.find("expected YYYY-MM-DD"), std::string::npos) << bad.err;
  }
  auto backwards = Waymark({"report", "--from", "2026-10-31", "--to", "2026-03-01"});
  EXPECT_EQ(backwards.exit_code, 2);
  EXPECT_NE(backwards.err.find("is before"), std::string::npos) << backwards.err;
}

}  // namespace
}  // namespace waymark::testing
