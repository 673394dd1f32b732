// The command handler's contract, on the in-memory store with a small
// workflow made for the test (the domain's workflows have tests of their own).

#include "core/command_handler.hpp"

#include <gtest/gtest.h>

#include "core/memory_event_store.hpp"

namespace waymark {
namespace {

// "counter-<id>": Open{network_id} → Opened; Bump{by 1-10} → Bumped (officer
// or network); Close → Closed (officer). Open and Close are officer-only.
class CounterState final : public WorkflowState {
 public:
  std::expected<void, Error> Apply(const RecordedEvent& e) override {
    if (e.type == "Opened") {
      state_ = "open";
      network_ = std::string(e.data.at("network_id").as_string());
    } else if (e.type == "Bumped") {
      total_ += e.data.at("by").as_int64();
    } else if (e.type == "Closed") {
      state_ = "closed";
    } else {
      return std::unexpected(MakeError(ErrorCode::kCorrupt, "unknown event " + e.type));
    }
    return {};
  }

  std::expected<std::vector<NewEvent>, Error> Decide(const CommandRequest& c,
                                                     Timestamp now) const override {
    const auto allowed = AllowedCommands();
    if (std::find(allowed.begin(), allowed.end(), c.type) == allowed.end()) {
      Error e = MakeError(ErrorCode::kNotAllowed, c.type + " is not allowed while " + state_);
      e.allowed = allowed;
      return std::unexpected(e);
    }
    const bool officer = c.actor.role == "officer" || c.actor.role == "system";
    if (c.type == "Open") {
      if (!officer) return std::unexpected(MakeError(ErrorCode::kForbidden, "officers open"));
      const auto* id = c.data.if_contains("network_id");
      if (!id || !id->is_string()) {
        return std::unexpected(MakeError(ErrorCode::kValidation, "network_id: a string"));
      }
      return std::vector<NewEvent>{{"Opened", 1, c.data}};
    }
    if (c.type == "Bump") {
      const auto* by = c.data.if_contains("by");
      if (!by || !by->is_int64() || by->as_int64() < 1 || by->as_int64() > 10) {
        return std::unexpected(MakeError(ErrorCode::kValidation, "by: an integer 1-10"));
      }
      return std::vector<NewEvent>{
          {"Bumped", 1, boost::json::object{{"by", *by}, {"at", FormatRfc3339(now)}}}};
    }
    if (!officer) return std::unexpected(MakeError(ErrorCode::kForbidden, "officers close"));
    return std::vector<NewEvent>{{"Closed", 1, boost::json::object{}}};
  }

  std::vector<std::string> AllowedCommands() const override {
    if (state_ == "new") return {"Open"};
    if (state_ == "open") return {"Bump", "Close"};
    return {};
  }
  std::string network_id() const override { return network_; }
  boost::json::object ToJson() const override {
    return {{"state", state_}, {"total", total_}, {"network_id", network_}};
  }
  std::string state() const override { return state_; }
  boost::json::object ReadModelRow() const override { return {}; }

 private:
  std::string state_ = "new";
  std::string network_;
  std::int64_t total_ = 0;
};

class CounterWorkflow final : public Workflow {
 public:
  std::string_view kind() const override { return "counter"; }
  std::unique_ptr<WorkflowState> NewState(std::string_view) const override {
    return std::make_unique<CounterState>();
  }
  std::vector<Transition> transitions() const override {
    return {{"new", "Open", "Opened", "open"},
            {"open", "Bump", "Bumped", "open"},
            {"open", "Close", "Closed", "closed"}};
  }
  std::vector<CommandSpec> commands() const override {
    return {{"Open", {}}, {"Bump", {}}, {"Close", {}}};
  }
};

// Wraps a store; before the first append it lets "another writer" append,
// to stage a race.
class RacingStore final : public EventStoreWrapper {
 public:
  explicit RacingStore(EventStore& inner) : EventStoreWrapper(inner) {}
  std::function<void()> before_next_append;

  std::expected<AppendResult, Error> Append(const AppendRequest& r) override {
    if (auto hook = std::exchange(before_next_append, nullptr)) hook();
    ++appends;
    return inner().Append(r);
  }
  int appends = 0;
};

class CommandHandlerTest : public ::testing::Test {
 protected:
  CommandRequest Command(std::string type, boost::json::object data = {},
                         Actor actor = {"olivia", "officer", ""}) {
    return {
        "counter-c1", std::move(type), std::move(data), std::nullopt, "", std::move(actor), "", ""};
  }
  std::size_t Stored() { return store_->ReadStream("counter-c1", 1, 1000)->size(); }

  // Streams that commands name must exist: networks ne and nw, and a plan of nw.
  void SetUp() override {
    const EventMetadata by{"olivia", "officer", "c", "c", "", {}};
    for (const char* network : {"network-ne", "network-nw"}) {
      ASSERT_TRUE(
          memory_->Append({network, 0, {{"NetworkRegistered", 1, boost::json::object{}}}, by}));
    }
    ASSERT_TRUE(memory_->Append(
        {"plan-pw", 0, {{"PlanDrafted", 1, boost::json::object{{"network_id", "nw"}}}}, by}));
  }

  ManualClock clock_{*ParseRfc3339("2026-11-26T10:00:00Z")};
  SequentialIdGenerator ids_{"id-"};
  std::unique_ptr<EventStore> memory_ = MakeMemoryEventStore(clock_);
  std::unique_ptr<RacingStore> store_ = std::make_unique<RacingStore>(*memory_);
  CounterWorkflow counter_;
  // The test's own access model: the engine knows no role or field by name.
  CommandHandler handler_{*store_,
                          {{&counter_},
                           {{"admin", "officer", "network", "auditor", "system"},
                            {"auditor"},
                            "network",
                            {{"plan_id", "plan"}}}},
                          clock_,
                          ids_};
};

TEST_F(CommandHandlerTest, LoadsFoldsDecidesAndAppendsWithMetadata) {
  auto opened = handler_.Handle(Command("Open", {{"network_id", "ne"}}));
  ASSERT_TRUE(opened) << opened.error().message;
  EXPECT_EQ(opened->last_version, 1);
  clock_.Advance(std::chrono::minutes(5));
  auto bumped = handler_.Handle(Command("Bump", {{"by", 3}}));
  ASSERT_TRUE(bumped) << bumped.error().message;
  EXPECT_EQ(bumped->last_version, 2);
  const auto& e = bumped->events.at(0);
  EXPECT_EQ(e.data.at("at").as_string(), "2026-11-26T10:05:00.000000Z");
  EXPECT_EQ(e.metadata.actor, "olivia");
  EXPECT_EQ(e.metadata.role, "officer");
  EXPECT_FALSE(e.metadata.correlation_id.empty());
  EXPECT_FALSE(e.metadata.causation_id.empty());

  auto folded = handler_.Load("counter-c1");
  ASSERT_TRUE(folded);
  EXPECT_EQ(folded->version, 2);
  EXPECT_EQ(folded->state->ToJson().at("total").as_int64(), 3);
}

TEST_F(CommandHandlerTest, RefusalsAreTypedAndWriteNothing) {
  auto early = handler_.Handle(Command("Bump", {{"by", 1}}));
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().code, ErrorCode::kNotAllowed);
  EXPECT_EQ(early.error().allowed, std::vector<std::string>{"Open"});
  ASSERT_TRUE(handler_.Handle(Command("Open", {{"network_id", "ne"}})));
  auto bad = handler_.Handle(Command("Bump", {{"by", 11}}));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kValidation);
  auto unknown_kind =
      handler_.Handle({"widget-w1", "Open", {}, std::nullopt, "", {"o", "officer", ""}, "", ""});
  ASSERT_FALSE(unknown_kind);
  EXPECT_NE(unknown_kind.error().message.find("known kinds: counter"), std::string::npos);
  auto auditor = handler_.Handle(Command("Bump", {{"by", 1}}, {"ann", "auditor", ""}));
  ASSERT_FALSE(auditor);
  EXPECT_EQ(auditor.error().code, ErrorCode::kForbidden);
  auto nobody = handler_.Handle(Command("Bump", {{"by", 1}}, {"", "officer", ""}));
  ASSERT_FALSE(nobody);
  EXPECT_EQ(nobody.error().code, ErrorCode::kValidation);
  auto odd_role = handler_.Handle(Command("Bump", {{"by", 1}}, {"x", "owner", ""}));
  ASSERT_FALSE(odd_role);
  EXPECT_NE(odd_role.error().message.find("not one of admin, officer"), std::string::npos);
  EXPECT_EQ(Stored(), 1u);
}

TEST_F(CommandHandlerTest, AStreamThatACommandNamesMustExistAndShareTheNetwork) {
  auto missing = handler_.Handle(Command("Open", {{"network_id", "nx"}}));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(missing.error().message,
            "field 'network_id' names network-nx, which does not exist; name an existing network");
  auto other = handler_.Handle(Command("Open", {{"network_id", "ne"}, {"plan_id", "pw"}}));
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, ErrorCode::kValidation);
  EXPECT_EQ(other.error().message,
            "field 'plan_id' names plan-pw, which belongs to network nw, not ne; name a plan of "
            "network ne");
  EXPECT_EQ(Stored(), 0u);
  EXPECT_TRUE(handler_.Handle(Command("Open", {{"network_id", "nw"}, {"plan_id", "pw"}})));
}

TEST_F(CommandHandlerTest, ANetworkActsOnlyOnItsOwnStreams) {
  auto no_network = handler_.Handle(Command("Bump", {{"by", 1}}, {"nadia", "network", ""}));
  ASSERT_FALSE(no_network);
  EXPECT_EQ(no_network.error().code, ErrorCode::kValidation);
  ASSERT_TRUE(handler_.Handle(Command("Open", {{"network_id", "ne"}})));
  auto own = handler_.Handle(Command("Bump", {{"by", 2}}, {"nadia", "network", "ne"}));
  ASSERT_TRUE(own) << own.error().message;
  // Another network's stream is not there for sw: the same answer as a stream that does not
  // exist, so existence never leaks.
  auto other = handler_.Handle(Command("Bump", {{"by", 2}}, {"sam", "network", "sw"}));
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(other.error().message,
            "network sw has no stream counter-c1; a network acts on its own streams");
  auto missing = Command("Bump", {{"by", 2}}, {"sam", "network", "sw"});
  missing.stream = "counter-c9";
  auto absent = handler_.Handle(missing);
  ASSERT_FALSE(absent);
  EXPECT_EQ(absent.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(absent.error().message,
            "network sw has no stream counter-c9; a network acts on its own streams");
  // Its version is not told either: another network's stream is at version 0 for sw.
  auto versioned = Command("Bump", {{"by", 2}}, {"sam", "network", "sw"});
  versioned.expected_version = 2;
  auto stale = handler_.Handle(versioned);
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, ErrorCode::kConflict);
  EXPECT_NE(stale.error().message.find("is at version 0"), std::string::npos);
  EXPECT_EQ(Stored(), 2u);
}

TEST_F(CommandHandlerTest, AStaleExpectedVersionIsAConflict) {
  ASSERT_TRUE(handler_.Handle(Command("Open", {{"network_id", "ne"}})));
  auto command = Command("Bump", {{"by", 1}});
  command.expected_version = 0;
  auto stale = handler_.Handle(command);
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, ErrorCode::kConflict);
  command.expected_version = 1;
  EXPECT_TRUE(handler_.Handle(command));
}

TEST_F(CommandHandlerTest, LosingARaceRedecidesWithoutExpectedVersionAndConflictsWithIt) {
  ASSERT_TRUE(handler_.Handle(Command("Open", {{"network_id", "ne"}})));
  auto other_writer = [&] {
    ASSERT_TRUE(memory_->Append({"counter-c1",
                                 1,
                                 {{"Bumped", 1, boost::json::object{{"by", 5}}}},
                                 {"sam", "officer", "", "", "", {}}}));
  };
  store_->before_next_append = other_writer;
  auto redecided = handler_.Handle(Command("Bump", {{"by", 1}}));
  ASSERT_TRUE(redecided) << redecided.error().message;
  EXPECT_EQ(redecided->last_version, 3);
  EXPECT_EQ(handler_.Load("counter-c1")->state->ToJson().at("total").as_int64(), 6);

  auto command = Command("Bump", {{"by", 1}});
  command.expected_version = 3;
  store_->before_next_append = [&] {
    ASSERT_TRUE(memory_->Append({"counter-c1",
                                 3,
                                 {{"Bumped", 1, boost::json::object{{"by", 5}}}},
                                 {"sam", "officer", "", "", "", {}}}));
  };
  auto conflicted = handler_.Handle(command);
  ASSERT_FALSE(conflicted);
  EXPECT_EQ(conflicted.error().code, ErrorCode::kConflict);
}

TEST_F(CommandHandlerTest, ARepeatedIdempotencyKeyReturnsTheFirstResultEvenWhenTheStateMovedOn) {
  auto open = Command("Open", {{"network_id", "ne"}});
  open.idempotency_key = "open-c1";
  auto first = handler_.Handle(open);
  ASSERT_TRUE(first);
  // Open is no longer allowed, but the repeat is the same command: its first result.
  auto again = handler_.Handle(open);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_TRUE(again->replayed);
  EXPECT_EQ(again->events.at(0).hash, first->events.at(0).hash);
  EXPECT_EQ(Stored(), 1u);
}

TEST_F(CommandHandlerTest, ARepeatedIdempotencyKeyWithAnotherCommandOrActorIsRefused) {
  ASSERT_TRUE(handler_.Handle(Command("Open", {{"network_id", "ne"}})));
  auto bump = Command("Bump", {{"by", 2}});
  bump.idempotency_key = "bump-1";
  ASSERT_TRUE(handler_.Handle(bump));
  auto other_data = bump;
  other_data.data["by"] = 3;
  auto other_actor = bump;
  other_actor.actor.name = "omar";
  for (const auto& repeat : {other_data, other_actor}) {
    auto refused = handler_.Handle(repeat);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::kConflict);
    EXPECT_NE(refused.error().message.find("idempotency key 'bump-1' was first used"),
              std::string::npos)
        << refused.error().message;
  }
  EXPECT_EQ(handler_.Load("counter-c1")->state->ToJson().at("total").as_int64(), 2);
  auto same = handler_.Handle(bump);
  ASSERT_TRUE(same) << same.error().message;
  EXPECT_TRUE(same->replayed);
}

TEST_F(CommandHandlerTest, LoadFoldsUpToAVersionOrATime) {
  ASSERT_TRUE(handler_.Handle(Command("Open", {{"network_id", "ne"}})));
  for (int i = 1; i <= 3; ++i) {
    clock_.Advance(std::chrono::hours(1));
    ASSERT_TRUE(handler_.Handle(Command("Bump", {{"by", i}})));
  }
  EXPECT_EQ(handler_.Load("counter-c1", 2)->state->ToJson().at("total").as_int64(), 1);
  auto at = handler_.Load("counter-c1", std::nullopt, *ParseRfc3339("2026-11-26T12:30:00Z"));
  ASSERT_TRUE(at);
  EXPECT_EQ(at->version, 3);
  EXPECT_EQ(at->state->ToJson().at("total").as_int64(), 3);
  auto before = handler_.Load("counter-c1", std::nullopt, *ParseRfc3339("2026-11-26T09:00:00Z"));
  ASSERT_TRUE(before);
  EXPECT_EQ(before->version, 0);
  EXPECT_EQ(before->state->ToJson().at("state").as_string(), "new");
}

}  // namespace
}  // namespace waymark
