#pragma once

// The dashboard's pages, one function each, over what one signed-in
// request brings (internal to adapters/web).

#include <expected>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "adapters/http/request_parsing.hpp"
#include "adapters/web/charts.hpp"
#include "adapters/web/dashboard.hpp"
#include "application/tokens.hpp"
#include "application/words.hpp"

namespace waymark::web {

// One signed-in request.
struct Visit {
  app::Programme& app;
  const http::Request& request;
  const http::Target& target;
  Identity who;
  std::string csrf;   // the form token of this session
  std::string today;  // YYYY-MM-DD, UTC

  std::string Param(const std::string& name) const {
    auto it = target.query.find(name);
    return it == target.query.end() ? std::string() : it->second;
  }
};

// A page's content; the layout wraps `body` (unless `fragment`).
struct Page {
  std::string title;
  std::string body;
  unsigned status = 200;
  bool fragment = false;  // a live region's inner HTML: no layout
};

using PageResult = std::expected<Page, Error>;

PageResult CaseloadPage(const Visit& v);
PageResult NetworkPage(const Visit& v, const std::string& network_id);
// What a person typed into an assessment's scores, shown again after a
// refusal (`dimension`: the one refused, with `error`).
struct ScoresTyped {
  std::map<std::string, std::string> values;  // "score.membership", "note.membership", ...
  std::string dimension, error;
};
struct ScoresRefusal {
  std::string stream;
  ScoresTyped typed;
  Error error;
};

// A record's page; an assessment's shows `typed` in its scores form when given.
PageResult StreamPage(const Visit& v, const std::string& stream,
                      const ScoresTyped* typed = nullptr);
PageResult HistoryPage(const Visit& v, const std::string& stream);
PageResult ReportPage(const Visit& v);
PageResult TasksPage(const Visit& v);
// The programme-wide hash chain check (auditors and admins).
PageResult AuditPage(const Visit& v);
// Every event the person may see, newest first, found by person, type,
// network and days (a refused search: 422, the form as it was typed).
PageResult LogPage(const Visit& v);

// The administrator's access page (`typed` and `error`: a refused form shown
// again); a new token made and shown once; a token revoked after the page
// that asks to confirm (`confirm` filled, "" returned) — or where to go next.
PageResult TokensPage(const Visit& v, const std::map<std::string, std::string>& typed = {},
                      const std::string& error = {});
PageResult PostToken(const Visit& v, std::map<std::string, std::string>& form);
std::expected<std::string, Error> RevokeToken(const Visit& v,
                                              std::map<std::string, std::string>& form,
                                              Page& confirm);

// The first `limit` steps waiting on the person signed in (the navigation's count).
std::expected<std::vector<boost::json::object>, Error> OwnTasks(const Visit& v, std::size_t limit);

// Downloads: the history as JSON Lines or CSV, the report as CSV.
std::expected<std::string, Error> HistoryJsonLines(const Visit& v, const std::string& stream);
std::expected<std::string, Error> HistoryCsv(const Visit& v, const std::string& stream);
std::expected<std::string, Error> ReportCsvOf(const Visit& v);

// ---- An assessment on one page (page_assessment.cpp) ------------------------

class Records;

// The assessment's scores: the form that scores or moderates each dimension
// when this person may now (guides, previous round, one save each or all),
// else the table of scores with the moderation and the previous round.
std::string AssessmentSection(const Visit& v, const Records& records, const std::string& stream,
                              const FoldedStream& folded, const ScoresTyped* typed,
                              bool past = false);
// The scores as a list, for the confirmation of a submission or an approval.
std::string ScoresSummary(const boost::json::object& state);
// Whether `command` is offered by the assessment's own scores form.
bool ScoredOnItsPage(std::string_view command);
// The scores form posted: each dimension asked saved in turn (all checked
// first); the page to return to, or what was typed with the refusal.
std::expected<std::string, ScoresRefusal> PostScores(const Visit& v,
                                                     std::map<std::string, std::string>& form,
                                                     std::string_view request_id);
// "Best practice" → "best practice".
std::string ToLowerFirst(std::string text);

// ---- Shared pieces ----------------------------------------------------------

// The time a page is asked "as of": ?as_of= (RFC 3339, or a day: its end,
// UTC), or the form's ?on= day with ?at= time (UK time; none: the day's
// end); nullopt for now. kValidation naming what is accepted.
std::expected<std::optional<Timestamp>, Error> AsOfOf(const Visit& v);
// The form that shows `action` as it stood on a day at a time.
std::string AsOfForm(const Visit& v, const std::string& action,
                     const std::optional<Timestamp>& as_of, std::string_view what);

// A milestone's status as word and shape (and colour).
struct StatusLook {
  std::string word;
  Shape shape;
  std::string colour;
};
StatusLook MilestoneLook(std::string_view status);
std::string StatusBadge(const StatusLook& look);

// Forms for the commands `v.who` may issue on the folded stream now (and,
// for commands with nothing to fill in, only those the stream would accept),
// each posting to /commands and returning to `back`; a field naming another
// record offers `records`' choices; `fixed` fields are decided by the page
// (the stream's network always).
std::string CommandForms(const Visit& v, const Records* records, const std::string& stream,
                         const FoldedStream& folded, const std::string& back,
                         const std::map<std::string, std::string>& fixed = {});

// Forms that begin a new stream of each of `kinds` with a command this
// person may issue on a stream not yet begun (StartAssessment,
// ScheduleMilestone, IdentifyStep, RegisterNetwork, ...): its id made from
// its title unless the person chooses one; `fixed` fields (by kind, then
// field) decided by the page: the network, a milestone's plan. A form that
// must name a record the network has none of yet is not offered, and says so.
std::string BeginForms(const Visit& v, const Records* records,
                       const std::vector<std::string>& kinds,
                       const std::map<std::string, std::map<std::string, std::string>>& fixed,
                       const std::string& back);

// A plan's actions as a table: each with its theme, owner and the
// milestones that deliver it (by title, with their status).
std::string PlanActions(const Records& records, const std::string& plan_id,
                        const boost::json::object& plan);

// The workflow serving streams of `kind` (null: none), and the state of its
// streams before their first event.
const Workflow* WorkflowOf(const std::vector<const Workflow*>& workflows, std::string_view kind);
std::string StateBeforeFirstEvent(const Workflow& workflow);

// Links to a stream's page, a network's page.
std::string StreamHref(std::string_view stream);
std::string NetworkHref(std::string_view network_id);

// A JSON value as readable HTML (objects as definition lists, arrays as lists).
std::string ValueHtml(const boost::json::value& value);

// Text of a JSON string member, or "".
std::string Str(const boost::json::object& o, std::string_view key);
// An object member, or an empty object.
const boost::json::object& Obj(const boost::json::object& o, std::string_view key);

// Every network this person sees (rm_networks rows, by name), all pages read.
std::expected<std::vector<boost::json::object>, Error> AllNetworks(const Visit& v);

}  // namespace waymark::web
