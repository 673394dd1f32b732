#pragma once

// The read side's contract as one suite, run on every ReadModelStore and
// its ReadModelQueries: in memory (the projector's logic: rows from history,
// dedupe, gaps, batch atomicity, checkpoints, rebuild alignment, check and
// swap; the listings' filters, order and paging) and on PostgreSQL (the
// same, in real tables). Each test starts from DESIGN.md's development cycle
// recorded in the fixture's event store.

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <functional>
#include <map>
#include <memory>
#include <set>

#include "core/checkpoint_store.hpp"
#include "core/command_handler.hpp"
#include "core/id_generator.hpp"
#include "core/time.hpp"
#include "core/timer_store.hpp"
#include "projections/projector.hpp"
#include "projections/read_model_queries.hpp"
#include "projections/rebuild.hpp"
#include "tests/workflows/development_cycle.hpp"
#include "workflows/registry.hpp"

namespace waymark::testing {

// A read-model store under test, beside the event store its history is in,
// with a way to look at and tamper with what it holds.
class ReadModelFixture {
 public:
  virtual ~ReadModelFixture() = default;
  virtual EventStore& events() = 0;
  virtual CheckpointStore& checkpoints() = 0;
  virtual TimerStore& timers() = 0;
  virtual projections::ReadModelStore& store() = 0;
  // The listings people read, over the same read models.
  virtual projections::ReadModelQueries& queries() = 0;
  // Another store object on the same read models (a second process).
  virtual std::unique_ptr<projections::ReadModelStore> Another() = 0;
  // A table's rows as JSON objects, in key order.
  virtual std::vector<boost::json::object> Rows(const std::string& table) = 0;
  // Sets one text column of the row whose key column is `key`.
  virtual void SetText(const std::string& table, const std::string& key_column,
                       const std::string& key, const std::string& column,
                       const std::string& value) = 0;
  // Deletes the audit row with the lowest position.
  virtual void DeleteFirstAuditRow() = 0;
  // How many rebuild tables are left beside the live ones.
  virtual std::size_t ShadowTablesLeft() = 0;
};

// Makes a fixture whose event store records time from `clock`.
using MakeReadModelFixture = std::function<std::unique_ptr<ReadModelFixture>(ManualClock& clock)>;

class ReadModelContract : public ::testing::TestWithParam<MakeReadModelFixture> {
 protected:
  void SetUp() override {
    f_ = GetParam()(clock_);
    DevelopmentCycle(f_->events(), f_->checkpoints(), f_->timers(), clock_).Run();
    events_ = AllEvents();
  }
  // Every event the store holds, in global order.
  std::vector<RecordedEvent> AllEvents() {
    std::vector<RecordedEvent> all;
    for (GlobalCursor after;;) {
      auto page = f_->events().ReadAll(after, 1000);
      EXPECT_TRUE(page);
      if (!page || page->empty()) return all;
      for (auto& e : *page) all.push_back(e);
      after = page->back().cursor();
    }
  }

  projections::Projector Live(projections::ReadModelStore* store = nullptr) {
    return projections::Projector(store ? *store : f_->store(), f_->events(),
                                  workflows::AllWorkflows());
  }
  std::expected<projections::RebuildReport, Error> Rebuild(bool check) {
    return projections::Rebuild(f_->store(), f_->events(), workflows::AllWorkflows(),
                                {{}, check, {}});
  }

  // The named columns of one row, as text ("a.b": field b of JSON column a),
  // so a failure names the column that differs.
  static std::map<std::string, std::string> Columns(const boost::json::object& row,
                                                    std::initializer_list<std::string> names) {
    std::map<std::string, std::string> out;
    for (const auto& name : names) {
      const auto dot = name.find('.');
      const boost::json::value* v = row.if_contains(name.substr(0, dot));
      if (v && dot != std::string::npos) {
        v = v->is_object() ? v->as_object().if_contains(name.substr(dot + 1)) : nullptr;
      }
      if (!v || v->is_null()) {
        out[name] = "null";
      } else if (v->is_string()) {
        out[name] = std::string(v->get_string());
      } else {
        out[name] = boost::json::serialize(*v);
      }
    }
    return out;
  }
  boost::json::object Row(const std::string& table, const std::string& key_column,
                          const std::string& key) {
    for (auto& row : f_->Rows(table)) {
      if (Columns(row, {key_column})[key_column] == key) return row;
    }
    ADD_FAILURE() << "no row " << key << " in " << table;
    return {};
  }
  // Every read model's content, to see that nothing changed.
  std::string Snapshot() {
    std::string all;
    for (const auto& m : projections::AllReadModels()) {
      for (const auto& row : f_->Rows(std::string(m.table)))
        all += boost::json::serialize(row) + "\n";
    }
    return all;
  }
  std::vector<RecordedEvent> EventsOf(const std::string& stream) {
    std::vector<RecordedEvent> out;
    for (const auto& e : events_) {
      if (e.stream == stream) out.push_back(e);
    }
    return out;
  }

  ManualClock clock_{*ParseRfc3339("2026-11-26T09:00:00Z")};
  std::unique_ptr<ReadModelFixture> f_;
  std::vector<RecordedEvent> events_;
};

TEST_P(ReadModelContract, RowsSayWhatTheDevelopmentCycleDid) {
  auto projector = Live();
  for (std::size_t i = 0; i < events_.size(); i += 7) {  // small batches, many transactions
    std::span<const RecordedEvent> batch(events_.data() + i,
                                         std::min<std::size_t>(7, events_.size() - i));
    auto applied = projector.Apply(batch);
    ASSERT_TRUE(applied) << applied.error().message;
  }
  EXPECT_EQ(Columns(Row("rm_networks", "network_id", "ne"),
                    {"status", "stage", "officer", "members", "active_members",
                     "latest_assessment_id", "latest_scores.influence", "latest_scores.membership",
                     "open_milestones", "overdue_milestones"}),
            (std::map<std::string, std::string>{{"status", "development"},
                                                {"stage", "development"},
                                                {"officer", "olivia"},
                                                {"latest_scores.membership", "3"},
                                                {"members", "42"},
                                                {"active_members", "30"},
                                                {"latest_assessment_id", "a1"},
                                                {"latest_scores.influence", "1"},
                                                {"open_milestones", "0"},
                                                {"overdue_milestones", "0"}}));
  EXPECT_EQ(Columns(Row("rm_assessments", "assessment_id", "a1"),
                    {"status", "submitted_by", "approved_by", "scored", "connectivity", "influence",
                     "membership", "moderated.membership"}),
            (std::map<std::string, std::string>{{"status", "approved"},
                                                {"submitted_by", "nadia"},
                                                {"approved_by", "olivia"},
                                                {"scored", "10"},
                                                {"connectivity", "2"},
                                                {"influence", "1"},
                                                {"membership", "4"},  // the network's own
                                                {"moderated.membership", "3"}}));
  EXPECT_EQ(Columns(Row("rm_plans", "plan_id", "a1"),
                    {"status", "action_count", "agreed_by_officer", "agreed_by_network",
                     "milestones_total", "milestones_achieved", "milestones_open"}),
            (std::map<std::string, std::string>{{"status", "completed"},
                                                {"action_count", "2"},
                                                {"agreed_by_officer", "olivia"},
                                                {"agreed_by_network", "nadia"},
                                                {"milestones_total", "3"},
                                                {"milestones_achieved", "2"},
                                                {"milestones_open", "0"}}));
  std::vector<std::map<std::string, std::string>> milestones;
  for (const auto& row : f_->Rows("rm_milestones")) {
    milestones.push_back(Columns(row, {"milestone_id", "status", "due", "original_due",
                                       "times_rescheduled", "action_id", "on_time"}));
  }
  using Row = std::map<std::string, std::string>;
  EXPECT_EQ(milestones, (std::vector<Row>{{{"milestone_id", "m1"},
                                           {"status", "achieved"},
                                           {"due", "2026-12-15"},
                                           {"original_due", "2026-12-15"},
                                           {"times_rescheduled", "0"},
                                           {"action_id", "connectivity"},
                                           {"on_time", "true"}},
                                          {{"milestone_id", "m2"},  // delivered late
                                           {"status", "achieved"},
                                           {"due", "2026-12-20"},
                                           {"original_due", "2026-12-20"},
                                           {"times_rescheduled", "0"},
                                           {"action_id", "influence"},
                                           {"on_time", "false"}},
                                          {{"milestone_id", "m3"},  // a foreseen slip
                                           {"status", "cancelled"},
                                           {"due", "2027-01-15"},
                                           {"original_due", "2026-12-31"},
                                           {"times_rescheduled", "1"},
                                           {"action_id", "influence"},
                                           {"on_time", "null"}},
                                          {{"milestone_id", "m4"},  // its plan abandoned
                                           {"status", "cancelled"},
                                           {"due", "2027-01-10"},
                                           {"original_due", "2027-01-10"},
                                           {"times_rescheduled", "0"},
                                           {"action_id", "catering"},
                                           {"on_time", "null"}}}));
  ASSERT_EQ(f_->Rows("rm_steps").size(), 1u);
  EXPECT_EQ(Columns(f_->Rows("rm_steps")[0], {"status", "kind", "cycles", "plan_id"}),
            (std::map<std::string, std::string>{
                {"status", "planned"}, {"kind", "income"}, {"cycles", "1"}, {"plan_id", "a1"}}));
  const auto audit = f_->Rows("rm_audit_log");
  EXPECT_EQ(audit.size(), events_.size());
  std::size_t overdue = 0;
  for (const auto& row : audit) {
    if (Columns(row, {"type"})["type"] != "MilestoneOverdue") continue;
    ++overdue;
    EXPECT_EQ(Columns(row, {"actor", "role", "network_id", "summary"}),
              (std::map<std::string, std::string>{
                  {"actor", "waymark/milestone-overdue"},
                  {"role", "system"},
                  {"network_id", "ne"},
                  {"summary", "detected_at: 2026-12-21T09:00:01.000000Z; due: 2026-12-20"}}));
  }
  EXPECT_EQ(overdue, 1u);

  // History read models: what each event added, with its stream and version.
  std::vector<Row> stages;
  for (const auto& row : f_->Rows("rm_stage_history")) {
    stages.push_back(Columns(row, {"network_id", "direction", "from_stage", "to_stage",
                                   "assessment_id", "stream", "version"}));
  }
  EXPECT_EQ(stages.size(), 3u);  // ne registered and advanced; nw registered
  EXPECT_NE(std::find(stages.begin(), stages.end(),
                      Row{{"network_id", "ne"},
                          {"direction", "registered"},
                          {"from_stage", "null"},
                          {"to_stage", "startup"},
                          {"assessment_id", "null"},
                          {"stream", "network-ne"},
                          {"version", "1"}}),
            stages.end());
  const auto advanced = std::find_if(stages.begin(), stages.end(),
                                     [](const Row& r) { return r.at("direction") == "forward"; });
  ASSERT_NE(advanced, stages.end());
  EXPECT_EQ(advanced->at("from_stage"), "startup");
  EXPECT_EQ(advanced->at("to_stage"), "development");
  EXPECT_EQ(advanced->at("assessment_id"), "a1");
  std::map<std::string, Row> scores;
  for (const auto& row : f_->Rows("rm_assessment_scores")) {
    auto c = Columns(row, {"assessment_id", "network_id", "period", "dimension", "self_score",
                           "moderated_score", "counted_score"});
    scores[c["dimension"]] = c;
  }
  ASSERT_EQ(scores.size(), 10u);  // one per dimension of the approved assessment
  EXPECT_EQ(scores["membership"],
            (Row{{"assessment_id", "a1"},
                 {"network_id", "ne"},
                 {"period", Columns(this->Row("rm_assessments", "assessment_id", "a1"),
                                    {"period"})["period"]},
                 {"dimension", "membership"},
                 {"self_score", "4"},
                 {"moderated_score", "3"},
                 {"counted_score", "3"}}));
  EXPECT_EQ(scores["influence"].at("moderated_score"), "null");
  EXPECT_EQ(scores["influence"].at("counted_score"), "1");
  const auto membership = f_->Rows("rm_membership_history");
  ASSERT_FALSE(membership.empty());
  std::vector<Row> counts;
  for (const auto& row : membership) counts.push_back(Columns(row, {"members", "active_members"}));
  EXPECT_NE(
      std::find(counts.begin(), counts.end(), Row{{"members", "42"}, {"active_members", "30"}}),
      counts.end());
}

// The ids of a page's rows, in order.
inline std::vector<std::string> Ids(const std::expected<projections::RowPage, Error>& page,
                                    const std::string& key) {
  EXPECT_TRUE(page) << page.error().message;
  std::vector<std::string> out;
  if (!page) return out;
  for (const auto& row : page->rows) out.emplace_back(row.at(key).as_string());
  return out;
}

TEST_P(ReadModelContract, ListingsFilterSortAndPageTheRowsAlike) {
  ASSERT_TRUE(Live().Apply(events_));
  auto& q = f_->queries();
  using Ids_ = std::vector<std::string>;
  // Networks by name ("Northside LSEN", "Westway"), filtered by each column.
  EXPECT_EQ(Ids(q.Networks({}, {}), "network_id"), (Ids_{"ne", "nw"}));
  EXPECT_EQ(Ids(q.Networks({"olivia", "", "", ""}, {}), "network_id"), Ids_{"ne"});
  EXPECT_EQ(Ids(q.Networks({"", "development", "", ""}, {}), "network_id"), Ids_{"ne"});
  EXPECT_EQ(Ids(q.Networks({"", "", "London", ""}, {}), "network_id"), Ids_{"nw"});
  EXPECT_EQ(Ids(q.Networks({"", "", "", "nw"}, {}), "network_id"), Ids_{"nw"});
  EXPECT_EQ(Ids(q.Networks({"oscar", "", "", ""}, {}), "network_id"), Ids_{});
  auto ne = q.Networks({"olivia", "", "", ""}, {});
  ASSERT_TRUE(ne && ne->rows.size() == 1);
  EXPECT_EQ(Columns(ne->rows[0], {"name", "region", "stage", "status", "members", "open_milestones",
                                  "overdue_milestones", "latest_assessment_id"}),
            (std::map<std::string, std::string>{{"name", "Northside LSEN"},
                                                {"region", "North West"},
                                                {"stage", "development"},
                                                {"status", "development"},
                                                {"members", "42"},
                                                {"open_milestones", "0"},
                                                {"overdue_milestones", "0"},
                                                {"latest_assessment_id", "a1"}}));

  // Milestones by due date, then id; the officer joined from the network.
  EXPECT_EQ(Ids(q.Milestones({}, {}), "milestone_id"), (Ids_{"m1", "m2", "m4", "m3"}));
  EXPECT_EQ(Ids(q.Milestones({"", "", "", "2026-12-20"}, {}), "milestone_id"), Ids_{"m1"});
  EXPECT_EQ(Ids(q.Milestones({"", "", "cancelled", ""}, {}), "milestone_id"), (Ids_{"m4", "m3"}));
  EXPECT_EQ(Ids(q.Milestones({"", "olivia", "", ""}, {}), "milestone_id").size(), 4u);
  EXPECT_EQ(Ids(q.Milestones({"nw", "", "", ""}, {}), "milestone_id"), Ids_{});
  auto m1 = q.Milestones({"", "", "", "2026-12-16"}, {});
  ASSERT_TRUE(m1 && m1->rows.size() == 1);
  EXPECT_EQ(Columns(m1->rows[0], {"network_id", "plan_id", "due", "status", "officer", "on_time"}),
            (std::map<std::string, std::string>{{"network_id", "ne"},
                                                {"plan_id", "a1"},
                                                {"due", "2026-12-15"},
                                                {"status", "achieved"},
                                                {"officer", "olivia"},
                                                {"on_time", "true"}}));

  // Steps, by network then id.
  EXPECT_EQ(Ids(q.Steps({"ne", "", "planned"}, {}), "step_id").size(), 1u);
  EXPECT_EQ(Ids(q.Steps({"", "", "embedded"}, {}), "step_id"), Ids_{});

  // Pages of a few rows walk the same rows, in the same order, and end.
  const auto walk = [&](auto&& list, const std::string& key, std::size_t limit) {
    Ids_ out;
    projections::Page page{"", limit};
    for (int guard = 0; guard < 10; ++guard) {
      auto rows = list(page);
      EXPECT_TRUE(rows) << rows.error().message;
      if (!rows) break;
      EXPECT_LE(rows->rows.size(), limit);
      for (const auto& row : rows->rows) out.emplace_back(row.at(key).as_string());
      if (rows->next.empty()) break;
      page.after = rows->next;
    }
    return out;
  };
  EXPECT_EQ(walk([&](auto& p) { return q.Networks({}, p); }, "network_id", 1), (Ids_{"ne", "nw"}));
  EXPECT_EQ(walk([&](auto& p) { return q.Milestones({}, p); }, "milestone_id", 3),
            (Ids_{"m1", "m2", "m4", "m3"}));
  // A cursor the listing never handed out is refused, naming what is accepted.
  auto forged = q.Networks({}, {"bm90LWEtY3Vyc29y", 1});
  ASSERT_FALSE(forged);
  EXPECT_EQ(forged.error().code, ErrorCode::kValidation);

  // One row by id.
  auto network = q.Network("ne");
  ASSERT_TRUE(network && *network);
  EXPECT_EQ(Columns(**network, {"latest_scores.membership", "officer"}),
            (std::map<std::string, std::string>{{"latest_scores.membership", "3"},
                                                {"officer", "olivia"}}));
  EXPECT_GT((*network)->at("version").as_int64(), 0);
  auto absent = q.Network("zz");
  ASSERT_TRUE(absent);
  EXPECT_FALSE(*absent);
  auto plan = q.Plan("a1");
  ASSERT_TRUE(plan && *plan);
  EXPECT_EQ(Columns(**plan, {"status", "network_id"})["status"], "completed");
  auto assessment = q.Assessment("a1");
  ASSERT_TRUE(assessment && *assessment);
  EXPECT_EQ(Columns(**assessment, {"status"})["status"], "approved");

  // The audit rows of one request, by position; the position the read models stand at.
  const std::string correlation = events_.front().metadata.correlation_id;
  std::vector<std::string> expected;
  for (const auto& e : events_) {
    if (e.metadata.correlation_id == correlation) {
      expected.push_back(e.stream + "@" + std::to_string(e.version));
    }
  }
  auto correlated = q.Correlated(correlation, 100);
  ASSERT_TRUE(correlated);
  std::vector<std::string> got;
  for (const auto& row : *correlated) {
    got.push_back(std::string(row.at("stream").as_string()) + "@" +
                  std::to_string(row.at("version").as_int64()));
    EXPECT_EQ(row.at("network_id").as_string(), "ne");
  }
  EXPECT_EQ(got, expected);
  std::int64_t last = 0;
  for (const auto& e : events_) last = std::max(last, e.position);
  auto position = q.Position();
  ASSERT_TRUE(position);
  EXPECT_EQ(*position, last);
}

TEST_P(ReadModelContract, TheAuditLogFindsEventsByPersonTypeNetworkAndTimeNewestFirst) {
  ASSERT_TRUE(Live().Apply(events_));
  auto& q = f_->queries();
  // The positions of the events `keep` takes, newest first: what the log must list.
  const auto expect = [&](auto&& keep) {
    std::vector<std::int64_t> out;
    for (auto it = events_.rbegin(); it != events_.rend(); ++it) {
      if (keep(*it)) out.push_back(it->position);
    }
    return out;
  };
  const auto listed = [&](const projections::AuditFilter& filter, std::size_t limit = 0) {
    std::vector<std::int64_t> out;
    projections::Page page{"", limit};
    for (int guard = 0; guard < 200; ++guard) {
      auto rows = q.AuditLog(filter, page);
      EXPECT_TRUE(rows) << rows.error().message;
      if (!rows) break;
      if (limit) {
        EXPECT_LE(rows->rows.size(), limit);
      }
      for (const auto& row : rows->rows) out.push_back(row.at("position").as_int64());
      if (rows->next.empty()) break;
      page.after = rows->next;
    }
    return out;
  };
  // A filter of the person, type, network, from and before given (the rest any).
  const auto filter = [](std::string actor, std::string type, std::string network,
                         std::string from = "", std::string before = "") {
    return projections::AuditFilter{std::move(actor), std::move(type), std::move(network),
                                    std::move(from), std::move(before)};
  };
  const auto all = expect([](const RecordedEvent&) { return true; });
  ASSERT_GT(all.size(), 10u);
  EXPECT_EQ(listed({}), all);
  EXPECT_EQ(listed({}, 4), all);  // pages of four walk the same rows and end

  std::set<std::string> actors, actors_nw, types;
  for (const auto& e : events_) {
    actors.insert(e.metadata.actor);
    types.insert(e.type);
    if (e.network_id == "nw") actors_nw.insert(e.metadata.actor);
  }
  ASSERT_GT(actors.size(), 2u);
  for (const auto& actor : actors) {
    EXPECT_EQ(listed(filter(actor, "", "")),
              expect([&](const RecordedEvent& e) { return e.metadata.actor == actor; }))
        << actor;
  }
  for (const auto& type : types) {
    EXPECT_EQ(listed(filter("", type, "")),
              expect([&](const RecordedEvent& e) { return e.type == type; }))
        << type;
  }
  const auto of_nw = expect([](const RecordedEvent& e) { return e.network_id == "nw"; });
  ASSERT_FALSE(of_nw.empty());
  EXPECT_EQ(listed(filter("", "", "nw")), of_nw);
  EXPECT_TRUE(listed(filter("nobody", "", "")).empty());

  // From one event's time (included) to a later one's (excluded), with a person too.
  const Timestamp from = events_[events_.size() / 3].metadata.recorded_at;
  const Timestamp before = events_[2 * events_.size() / 3].metadata.recorded_at;
  ASSERT_LT(from, before);
  const auto between = [&](const RecordedEvent& e) {
    return !(e.metadata.recorded_at < from) && e.metadata.recorded_at < before;
  };
  EXPECT_EQ(listed(filter("", "", "", FormatRfc3339(from), FormatRfc3339(before))),
            expect(between));
  const std::string someone = events_[events_.size() / 2].metadata.actor;
  EXPECT_EQ(
      listed(filter(someone, "", "", FormatRfc3339(from), FormatRfc3339(before)), 2),
      expect([&](const RecordedEvent& e) { return between(e) && e.metadata.actor == someone; }));

  // Each row says who did what, when (UTC, as the store recorded it), where.
  auto newest = q.AuditLog({}, {"", 1});
  ASSERT_TRUE(newest && newest->rows.size() == 1);
  const RecordedEvent& last = events_.back();
  EXPECT_EQ(
      Columns(newest->rows[0], {"stream", "version", "type", "actor", "role", "network_id",
                                "recorded_at", "correlation_id"}),
      (std::map<std::string, std::string>{{"stream", last.stream},
                                          {"version", std::to_string(last.version)},
                                          {"type", last.type},
                                          {"actor", last.metadata.actor},
                                          {"role", last.metadata.role},
                                          {"network_id", last.network_id},
                                          {"recorded_at", FormatRfc3339(last.metadata.recorded_at)},
                                          {"correlation_id", last.metadata.correlation_id}}));
  EXPECT_FALSE(newest->next.empty());

  // A cursor the log never handed out is refused; so is one of another listing's shape.
  for (const std::string& forged :
       {std::string("bm90LWEtY3Vyc29y"), projections::EncodeCursor({"ne", "m1"}),
        projections::EncodeCursor({"12x"})}) {
    auto refused = q.AuditLog({}, {forged, 1});
    ASSERT_FALSE(refused) << forged;
    EXPECT_EQ(refused.error().code, ErrorCode::kValidation);
  }

  // The people it names, sorted; of one network, only that network's.
  auto people = q.AuditActors("", 100);
  ASSERT_TRUE(people);
  EXPECT_EQ(*people, std::vector<std::string>(actors.begin(), actors.end()));
  auto people_nw = q.AuditActors("nw", 100);
  ASSERT_TRUE(people_nw);
  EXPECT_EQ(*people_nw, std::vector<std::string>(actors_nw.begin(), actors_nw.end()));
  auto two = q.AuditActors("", 2);
  ASSERT_TRUE(two);
  EXPECT_EQ(two->size(), 2u);
}

TEST_P(ReadModelContract, EveryKindOfTaskIsARowOfTheStreamItWaitsOn) {
  // A network of its own with a record in each state that waits on someone.
  SequentialIdGenerator ids{"k-"};
  CommandHandler handler(f_->events(), workflows::TheDomain(), clock_, ids);
  const Actor olivia{"olivia", "officer", ""}, oscar{"oscar", "officer", ""},
      kim{"kim", "network", "nk"}, engine{"timer", std::string(kEngineRole), ""};
  const auto must = [&](const std::string& stream, const std::string& type,
                        boost::json::object data, const Actor& actor) {
    auto r = handler.Handle({stream, type, std::move(data), std::nullopt, "", actor, "", ""});
    ASSERT_TRUE(r) << stream << " " << type << ": " << r.error().message;
  };
  const std::string today = FormatRfc3339(clock_.Now()).substr(0, 10);
  must("network-nk", "RegisterNetwork", {{"name", "Kintyre"}, {"region", "West"}}, olivia);
  must("network-nk", "AssignOfficer", {{"officer", "olivia"}}, olivia);
  const auto assessment = [&](const std::string& id, bool submit) {
    must("assessment-" + id, "StartAssessment", {{"network_id", "nk"}, {"period", id}}, olivia);
    if (!submit) return;
    for (auto dimension : workflows::kDimensions) {
      must("assessment-" + id, "ScoreDimension",
           {{"dimension", dimension}, {"score", 3}, {"note", "n"}}, kim);
    }
    must("assessment-" + id, "SubmitAssessment", {}, kim);
  };
  assessment("k-draft", false);
  assessment("k-submitted", true);
  assessment("k-approved", true);
  must("assessment-k-approved", "ApproveAssessment", {}, olivia);
  const auto plan = [&](const std::string& id, int step) {
    must("plan-" + id, "DraftPlan", {{"network_id", "nk"}, {"assessment_id", "k-approved"}},
         olivia);
    must("plan-" + id, "AddAction",
         {{"action_id", "bid"},
          {"theme", "brokering"},
          {"description", "A joint bid"},
          {"owner", "network"}},
         kim);
    if (step >= 1) must("plan-" + id, "ProposePlan", {}, kim);
    if (step >= 2) must("plan-" + id, "AgreePlan", {}, kim);
    if (step >= 2) must("plan-" + id, "AgreePlan", {}, olivia);
    if (step >= 3) must("plan-" + id, "ActivatePlan", {}, olivia);
  };
  plan("k-drafted", 0);
  plan("k-proposed", 1);
  plan("k-agreed", 2);
  plan("k-active", 3);
  const auto milestone = [&](const std::string& id, const std::string& due) {
    must("milestone-" + id, "ScheduleMilestone",
         {{"plan_id", "k-active"},
          {"network_id", "nk"},
          {"action_id", "bid"},
          {"title", id},
          {"due", due}},
         olivia);
  };
  milestone("k-due", AddDays(today, 10));
  milestone("k-risk", AddDays(today, 10));
  must("milestone-k-risk", "StartMilestone", {}, kim);
  must("milestone-k-risk", "FlagAtRisk", {{"reason", "late partner"}}, kim);
  milestone("k-evidence", AddDays(today, 10));
  must("milestone-k-evidence", "StartMilestone", {}, kim);
  must("milestone-k-evidence", "SubmitEvidence", {{"summary", "done"}}, kim);
  milestone("k-rejected", AddDays(today, 10));
  must("milestone-k-rejected", "StartMilestone", {}, kim);
  must("milestone-k-rejected", "SubmitEvidence", {{"summary", "a draft"}}, kim);
  must("milestone-k-rejected", "RejectEvidence", {{"reason", "the draft"}}, oscar);
  milestone("k-late", AddDays(today, -3));
  must("milestone-k-late", "MarkMilestoneOverdue", {}, engine);  // as its timer does
  must("step-k-embedded", "IdentifyStep",
       {{"network_id", "nk"}, {"kind", "income"}, {"description", "Fees"}}, kim);
  must("step-k-embedded", "PlanStep", {{"target", "Half"}}, kim);
  must("step-k-embedded", "BeginStep", {}, kim);
  must("step-k-embedded", "EmbedStep", {{"evidence", "Accounts"}}, kim);
  ASSERT_TRUE(Live().Apply(AllEvents()));

  std::map<std::string, std::set<std::string>> kinds;  // stream → its tasks' kinds
  for (const auto& row : f_->Rows("rm_tasks")) {
    auto c = Columns(row, {"stream", "network_id", "kind", "party", "officer"});
    if (c["network_id"] != "nk") continue;
    EXPECT_EQ(c["officer"], "olivia") << c["stream"];
    kinds[c["stream"]].insert(c["kind"] + " " + c["party"]);
  }
  using K = std::set<std::string>;
  EXPECT_EQ(kinds["network-nk"], K{"assess_network officer"});
  EXPECT_EQ(kinds["assessment-k-draft"], K{"score_assessment network"});
  EXPECT_EQ(kinds["assessment-k-submitted"], K{"approve_assessment officer"});
  EXPECT_FALSE(kinds.contains("assessment-k-approved"));
  EXPECT_EQ(kinds["plan-k-drafted"], K{"propose_plan network"});
  EXPECT_EQ(kinds["plan-k-proposed"], (K{"agree_plan network", "agree_plan officer"}));
  EXPECT_EQ(kinds["plan-k-agreed"], K{"activate_plan officer"});
  EXPECT_FALSE(kinds.contains("plan-k-active"));
  EXPECT_EQ(kinds["milestone-k-due"], K{"deliver_milestone network"});
  EXPECT_EQ(kinds["milestone-k-risk"],
            (K{"deliver_milestone network", "at_risk_milestone officer"}));
  EXPECT_EQ(kinds["milestone-k-evidence"], K{"verify_evidence officer"});
  EXPECT_EQ(kinds["milestone-k-rejected"], K{"resubmit_evidence network"});
  EXPECT_TRUE(kinds["milestone-k-late"].contains("overdue_milestone officer"))
      << *kinds["milestone-k-late"].begin();
  EXPECT_EQ(kinds["step-k-embedded"], K{"review_step network"});
  // Every kind the dashboard names is among them.
  std::set<std::string> seen;
  for (const auto& [stream, of] : kinds) {
    for (const auto& k : of) seen.insert(k.substr(0, k.find(' ')));
  }
  EXPECT_EQ(seen.size(), 12u);
}

TEST_P(ReadModelContract, TasksSayWhatWaitsOnWhomAndEachPersonListsTheirOwn) {
  // Beyond the cycle's end: an assessment submitted by the network, a step embedded.
  SequentialIdGenerator ids{"t-"};
  CommandHandler handler(f_->events(), workflows::TheDomain(), clock_, ids);
  const Actor olivia{"olivia", "officer", ""}, nadia{"nadia", "network", "ne"};
  const auto must = [&](const std::string& stream, const std::string& type,
                        boost::json::object data, const Actor& actor) {
    auto r = handler.Handle({stream, type, std::move(data), std::nullopt, "", actor, "", ""});
    ASSERT_TRUE(r) << type << ": " << r.error().message;
  };
  must("assessment-a2", "StartAssessment", {{"network_id", "ne"}, {"period", "2027"}}, olivia);
  for (auto dimension : workflows::kDimensions) {
    must("assessment-a2", "ScoreDimension", {{"dimension", dimension}, {"score", 3}, {"note", "n"}},
         nadia);
  }
  must("assessment-a2", "SubmitAssessment", {}, nadia);
  must("step-s2", "IdentifyStep",
       {{"network_id", "ne"}, {"kind", "structure"}, {"description", "A board"}}, nadia);
  must("step-s2", "PlanStep", {{"target", "Five trustees"}}, nadia);
  must("step-s2", "BeginStep", {}, nadia);
  must("step-s2", "EmbedStep", {{"evidence", "Minutes"}}, nadia);
  ASSERT_TRUE(Live().Apply(AllEvents()));

  using Row = std::map<std::string, std::string>;
  std::vector<Row> rows;
  for (const auto& row : f_->Rows("rm_tasks")) {
    auto c = Columns(row, {"task_id", "stream", "network_id", "kind", "party", "officer", "title",
                           "due", "not_by", "status"});
    EXPECT_NE(Columns(row, {"since"})["since"], "null") << c["task_id"];
    rows.push_back(std::move(c));
  }
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0], (Row{{"task_id", "assessment-a2:approve"},
                          {"stream", "assessment-a2"},
                          {"network_id", "ne"},
                          {"kind", "approve_assessment"},
                          {"party", "officer"},
                          {"officer", "olivia"},
                          {"title", "Assessment 2027"},
                          {"due", "null"},
                          {"not_by", "nadia"},
                          {"status", "submitted"}}));
  EXPECT_EQ(rows[1].at("task_id"), "network-ne:assess");
  EXPECT_EQ(rows[1].at("kind"), "assess_network");
  EXPECT_EQ(rows[1].at("officer"), "olivia");
  EXPECT_EQ(rows[1].at("title"), "Northside LSEN");
  const std::string due = rows[1].at("due");  // a year after the last outcome was recorded
  EXPECT_EQ(due.size(), 10u);
  EXPECT_EQ(rows[2], (Row{{"task_id", "step-s2:review"},
                          {"stream", "step-s2"},
                          {"network_id", "ne"},
                          {"kind", "review_step"},
                          {"party", "network"},
                          {"officer", "olivia"},
                          {"title", "A board"},
                          {"due", "null"},
                          {"not_by", "null"},
                          {"status", "embedded"}}));

  // Each person's list: due soonest first, those with no day last; what
  // is not yet due to be shown, and what a person may not take, left out.
  auto& q = f_->queries();
  const std::string today = FormatRfc3339(clock_.Now()).substr(0, 10);
  using Ids_ = std::vector<std::string>;
  EXPECT_EQ(Ids(q.Tasks({"officer", "", "olivia", today, "olivia"}, {}), "task_id"),
            Ids_{"assessment-a2:approve"});
  EXPECT_EQ(Ids(q.Tasks({"officer", "", "olivia", today, "nadia"}, {}), "task_id"), Ids_{});
  EXPECT_EQ(Ids(q.Tasks({"officer", "", "oscar", today, "oscar"}, {}), "task_id"), Ids_{});
  EXPECT_EQ(Ids(q.Tasks({"officer", "", "", "2099-01-01", ""}, {}), "task_id"),
            (Ids_{"network-ne:assess", "assessment-a2:approve"}));
  EXPECT_EQ(Ids(q.Tasks({"network", "ne", "", today, ""}, {}), "task_id"), Ids_{"step-s2:review"});
  EXPECT_EQ(Ids(q.Tasks({"network", "nw", "", today, ""}, {}), "task_id"), Ids_{});
  auto paged = q.Tasks({"officer", "", "", "2099-01-01", ""}, {"", 1});
  ASSERT_TRUE(paged);
  ASSERT_EQ(paged->rows.size(), 1u);
  auto rest = q.Tasks({"officer", "", "", "2099-01-01", ""}, {paged->next, 1});
  EXPECT_EQ(Ids(rest, "task_id"), Ids_{"assessment-a2:approve"});

  // Approved, the assessment waits on no one: its row goes.
  must("assessment-a2", "ApproveAssessment", {}, olivia);
  auto approved = f_->events().ReadStream("assessment-a2", 13, 10);
  ASSERT_TRUE(approved && !approved->empty());
  ASSERT_TRUE(Live().Apply(*approved));
  EXPECT_EQ(Ids(q.Tasks({"officer", "", "olivia", today, "olivia"}, {}), "task_id"), Ids_{});
  // And a rebuild says the same.
  auto check = Rebuild(true);
  ASSERT_TRUE(check) << check.error().message;
  EXPECT_TRUE(check->differences.empty()) << check->differences.front().examples.front();
}

TEST_P(ReadModelContract, ARedeliveredEventChangesNothing) {
  ASSERT_TRUE(Live().Apply(events_));
  const std::string before = Snapshot();
  auto another = f_->Another();
  auto again = Live(another.get()).Apply(events_);  // a fresh projector: no folded state kept
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->applied, 0u);
  EXPECT_EQ(again->duplicates, events_.size());
  EXPECT_EQ(Snapshot(), before);
}

TEST_P(ReadModelContract, AGapIsRefusedAndNothingIsWritten) {
  auto projector = Live();
  // Up to and with the assessment's first event.
  std::size_t upto = 0;
  while (upto < events_.size() && events_[upto].stream != "assessment-a1") ++upto;
  ++upto;
  ASSERT_TRUE(projector.Apply(std::span(events_).first(upto)));
  const std::string before = Snapshot();
  // A good event (the plan's first), then the assessment's third without its second.
  std::vector<RecordedEvent> gapped{EventsOf("plan-a1").at(0), EventsOf("assessment-a1").at(2)};
  auto refused = projector.Apply(gapped);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kCorrupt);
  EXPECT_NE(refused.error().message.find("gap in stream assessment-a1: the read models hold "
                                         "version 1 and the next event delivered is 3"),
            std::string::npos)
      << refused.error().message;
  EXPECT_EQ(Snapshot(), before);
  // The same projector goes on from what was written.
  auto rest = projector.Apply(events_);
  ASSERT_TRUE(rest) << rest.error().message;
  EXPECT_EQ(rest->applied, events_.size() - upto);
}

TEST_P(ReadModelContract, ABatchThatCannotBeFoldedWritesNothing) {
  auto projector = Live();
  ASSERT_TRUE(projector.Apply(std::span(events_).first(3)));
  const std::string before = Snapshot();
  // Good events, then one its workflow cannot apply: the whole batch is refused.
  std::vector<RecordedEvent> batch(events_.begin() + 3, events_.begin() + 10);
  RecordedEvent bad = EventsOf("plan-a1").at(0);
  bad.type = "PlanTeleported";
  batch.push_back(bad);
  auto refused = projector.Apply(batch);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kCorrupt) << refused.error().message;
  EXPECT_EQ(Snapshot(), before);
  auto good = projector.Apply(std::span(events_).subspan(3, 7));
  ASSERT_TRUE(good) << good.error().message;
  EXPECT_EQ(good->applied, 7u);
}

TEST_P(ReadModelContract, TheCheckpointMovesWithItsBatch) {
  auto start = f_->store().Checkpoint();
  ASSERT_TRUE(start);
  EXPECT_EQ(*start, GlobalCursor{});
  auto projector = Live();
  ASSERT_TRUE(projector.Apply(std::span(events_).first(5), events_[4].cursor()));
  EXPECT_EQ(*f_->Another()->Checkpoint(), events_[4].cursor());
  // A refused batch leaves it where it was.
  std::vector<RecordedEvent> gapped{EventsOf("assessment-a1").at(4)};
  ASSERT_FALSE(projector.Apply(gapped, events_[20].cursor()));
  EXPECT_EQ(*f_->store().Checkpoint(), events_[4].cursor());
  // Kafka's batches carry none: it stays.
  ASSERT_TRUE(projector.Apply(std::span(events_).subspan(5, 5)));
  EXPECT_EQ(*f_->store().Checkpoint(), events_[4].cursor());
}

TEST_P(ReadModelContract, ACheckMatchesAProjectorBehindOrAheadAndNamesATamperedRow) {
  auto projector = Live();
  ASSERT_TRUE(projector.Apply(std::span(events_).first(events_.size() / 2)));
  // The rebuild folds the whole history, then meets the projector where it is (behind).
  auto check = Rebuild(true);
  ASSERT_TRUE(check) << check.error().message;
  EXPECT_EQ(check->events, events_.size());
  EXPECT_TRUE(check->differences.empty()) << check->differences.front().examples.front();

  // A projector that moves on while the rebuild folds (ahead of the shadow).
  auto shadow = f_->store().OpenShadow({}, true);
  ASSERT_TRUE(shadow) << shadow.error().message;
  projections::Projector rebuilt(**shadow, f_->events(), workflows::AllWorkflows());
  ASSERT_TRUE(rebuilt.Apply(std::span(events_).first(events_.size() / 3)));
  ASSERT_TRUE(projector.Apply(events_));
  auto differences = (*shadow)->Finish([&](const auto& gaps) { return rebuilt.Align(gaps); });
  ASSERT_TRUE(differences) << differences.error().message;
  EXPECT_TRUE(differences->empty()) << differences->front().examples.front();
  shadow->reset();

  f_->SetText("rm_milestones", "milestone_id", "m3", "status", "achieved");
  f_->DeleteFirstAuditRow();
  auto tampered = Rebuild(true);
  ASSERT_TRUE(tampered);
  ASSERT_EQ(tampered->differences.size(), 2u);
  const auto& milestones = tampered->differences[0];  // in the order of AllReadModels
  const auto& audit = tampered->differences[1];
  EXPECT_EQ(milestones.table, "rm_milestones");
  EXPECT_EQ(milestones.live_only, 1u);
  EXPECT_EQ(milestones.rebuilt_only, 1u);
  ASSERT_EQ(milestones.examples.size(), 2u);
  EXPECT_EQ(milestones.examples[0].rfind("live: {", 0), 0u) << milestones.examples[0];
  EXPECT_NE(milestones.examples[0].find("\"milestone_id\":\"m3\""), std::string::npos)
      << milestones.examples[0];
  EXPECT_NE(milestones.examples[0].find("\"status\":\"achieved\""), std::string::npos);
  EXPECT_EQ(milestones.examples[1].rfind("rebuilt: {", 0), 0u) << milestones.examples[1];
  EXPECT_NE(milestones.examples[1].find("\"status\":\"cancelled\""), std::string::npos);
  EXPECT_EQ(audit.table, "rm_audit_log");
  EXPECT_EQ(audit.live_only, 0u);
  EXPECT_EQ(audit.rebuilt_only, 1u);

  // A rebuild swaps in what the history says.
  auto swapped = Rebuild(false);
  ASSERT_TRUE(swapped) << swapped.error().message;
  EXPECT_TRUE(swapped->differences.empty());
  EXPECT_TRUE(Rebuild(true)->differences.empty());
  EXPECT_EQ(Columns(Row("rm_milestones", "milestone_id", "m3"), {"status"})["status"], "cancelled");
  EXPECT_EQ(f_->Rows("rm_audit_log").size(), events_.size());
  EXPECT_EQ(f_->ShadowTablesLeft(), 0u) << "no shadow table is left behind";
}

TEST_P(ReadModelContract, RebuildsRunOneAtATimeAndAnAbandonedOneLeavesNothing) {
  ASSERT_TRUE(Live().Apply(events_));
  const std::string before = Snapshot();
  {
    auto first = f_->store().OpenShadow({}, false);
    ASSERT_TRUE(first) << first.error().message;
    auto second = f_->Another()->OpenShadow({}, true);
    ASSERT_FALSE(second);
    EXPECT_EQ(second.error().code, ErrorCode::kConflict);
    projections::Projector half(**first, f_->events(), workflows::AllWorkflows());
    ASSERT_TRUE(half.Apply(std::span(events_).first(10)));
  }  // dropped before Finish: nothing swapped in
  EXPECT_EQ(Snapshot(), before);
  EXPECT_EQ(f_->ShadowTablesLeft(), 0u);
  auto next = f_->store().OpenShadow({}, true);
  EXPECT_TRUE(next) << next.error().message;
}

}  // namespace waymark::testing
