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
PageResult StreamPage(const Visit& v, const std::string& stream);
PageResult HistoryPage(const Visit& v, const std::string& stream);
PageResult ReportPage(const Visit& v);
PageResult TasksPage(const Visit& v);

// The first `limit` steps waiting on the person signed in (the navigation's count).
std::expected<std::vector<boost::json::object>, Error> OwnTasks(const Visit& v, std::size_t limit);

// Downloads: the history as JSON Lines or CSV, the report as CSV.
std::expected<std::string, Error> HistoryJsonLines(const Visit& v, const std::string& stream);
std::expected<std::string, Error> HistoryCsv(const Visit& v, const std::string& stream);
std::expected<std::string, Error> ReportCsvOf(const Visit& v);

// ---- Shared pieces ----------------------------------------------------------

// A milestone's status as word and shape (and colour).
struct StatusLook {
  std::string word;
  Shape shape;
  std::string colour;
};
StatusLook MilestoneLook(std::string_view status);
std::string StatusBadge(const StatusLook& look);

class Records;

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

}  // namespace waymark::web
