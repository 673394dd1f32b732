#pragma once

// What the fuzz targets share: the engine on its in-memory stores with the
// domain's workflows, a programme to act on (networks ne and nw, an
// assessment, a plan with an action, a milestone, a step), a token and a
// dashboard session of each role, the API and the dashboard over them; and
// the property every accepted input must keep: each text stored is one every
// consumer can hold (core/text_rules.hpp) and each touched stream still folds.
// A broken property aborts, which libFuzzer reports as a finding.

#include <boost/json/value.hpp>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>

#include "adapters/api/api.hpp"
#include "adapters/web/dashboard.hpp"
#include "application/sessions.hpp"
#include "application/tokens.hpp"
#include "core/command_handler.hpp"
#include "core/fold.hpp"
#include "core/id_generator.hpp"
#include "core/memory_event_store.hpp"
#include "core/text_rules.hpp"
#include "tests/support/memory_programme.hpp"
#include "workflows/registry.hpp"

namespace waymark::fuzz {

[[noreturn]] inline void Finding(const std::string& what) {
  std::fprintf(stderr, "finding: %s\n", what.c_str());
  std::abort();
}

// Every string in `v` (keys and values, at any depth) keeps the text rule.
inline void CheckTexts(const boost::json::value& v, const std::string& where) {
  if (auto problem = JsonTextProblem(v); !problem.empty()) {
    Finding(where + ": a stored text " + problem);
  }
}

// Every string in `v` (keys and values, at any depth) is well-formed UTF-8.
inline void CheckUtf8(const boost::json::value& v, const std::string& where) {
  if (const auto* s = v.if_string()) {
    if (!IsValidUtf8(*s)) Finding(where + ": a string that is not UTF-8");
  } else if (const auto* a = v.if_array()) {
    for (const auto& item : *a) CheckUtf8(item, where);
  } else if (const auto* o = v.if_object()) {
    for (const auto& [key, item] : *o) {
      CheckUtf8(boost::json::string(key), where);
      CheckUtf8(item, where);
    }
  }
}

class World {
 public:
  World()
      : parts_(*ParseRfc3339("2026-11-28T10:00:00Z")),
        api_(api::ApiPorts{parts_.programme, parts_.metrics, clock_}),
        dashboard_({parts_.programme, parts_.metrics}) {
    const Actor ada{"ada", "admin", ""};
    Must("network-ne", "RegisterNetwork", {{"name", "North East"}, {"region", "Fife"}}, ada);
    Must("network-nw", "RegisterNetwork", {{"name", "North West"}, {"region", "Fife"}}, ada);
    Must("assessment-a1", "StartAssessment", {{"network_id", "ne"}, {"period", "2026"}}, ada);
    Must("plan-p1", "DraftPlan", {{"network_id", "ne"}, {"assessment_id", "a1"}}, ada);
    Must("plan-p1", "AddAction",
         {{"action_id", "news"},
          {"theme", "information_flow"},
          {"description", "A newsletter"},
          {"owner", "network"}},
         ada);
    Must("milestone-m1", "ScheduleMilestone",
         {{"plan_id", "p1"},
          {"network_id", "ne"},
          {"action_id", "news"},
          {"title", "First"},
          {"due", "2027-01-15"}},
         ada);
    Must("step-s1", "IdentifyStep",
         {{"network_id", "ne"}, {"kind", "structure"}, {"description", "A board"}}, ada);
    for (const auto& [role, network] : {std::pair{"admin", ""}, std::pair{"officer", ""},
                                        std::pair{"network", "ne"}, std::pair{"auditor", ""}}) {
      auto issued = CreateToken(*tokens_, clock_, role, std::string(role) + " person", network);
      if (!issued) Finding("token: " + issued.error().message);
      auto identity = Authenticate(*tokens_, issued->token);
      auto session = BeginSession(*sessions_, clock_, *identity);
      roles_.push_back({issued->token, session->cookie, *identity});
    }
    parts_.Project();  // listings and pages with rows
  }

  struct Role {
    std::string token, session_cookie;
    Identity identity;
  };
  const Role& RoleOf(unsigned char pick) const { return roles_[pick % roles_.size()]; }

  CommandHandler& handler() { return handler_; }
  EventStore& store() { return *store_; }
  api::Api& api() { return api_; }
  web::Dashboard& dashboard() { return dashboard_; }
  std::size_t Events() { return *store_->CountEvents(); }

  // The events appended since `before`: each keeps the text rule, and its
  // stream still folds through its workflow.
  void CheckAppendedSince(std::size_t before) {
    GlobalCursor after;
    std::size_t seen = 0;
    for (;;) {
      auto page = store_->ReadAll(after, 1000);
      if (!page) Finding("read all: " + page.error().message);
      if (page->empty()) return;
      for (const auto& e : *page) {
        if (++seen <= before) continue;
        CheckTexts(e.data, e.stream);
        for (const std::string* text : {&e.metadata.actor, &e.metadata.idempotency_key,
                                        &e.metadata.correlation_id, &e.metadata.causation_id}) {
          if (auto p = TextProblem(*text, TextLines::kOne); !p.empty()) {
            Finding(e.stream + " metadata " + p);
          }
        }
        if (auto folded = handler_.Load(e.stream); !folded) {
          Finding(e.stream + " no longer folds: " + folded.error().message);
        }
      }
      after = page->back().cursor();
    }
  }

 private:
  void Must(const std::string& stream, const std::string& type, boost::json::object data,
            const Actor& actor) {
    auto r = handler_.Handle({stream, type, std::move(data), std::nullopt, "", actor, "", ""});
    if (!r) Finding("the world's " + type + ": " + r.error().message);
  }

  testing::MemoryProgramme parts_;
  ManualClock& clock_ = parts_.clock;
  std::unique_ptr<EventStore>& store_ = parts_.store;
  CommandHandler& handler_ = parts_.handler;
  std::unique_ptr<TokenStore>& tokens_ = parts_.tokens;
  std::unique_ptr<SessionStore>& sessions_ = parts_.sessions;
  api::Api api_;
  web::Dashboard dashboard_;
  std::vector<Role> roles_;
};

}  // namespace waymark::fuzz
