// The dashboard's shared pieces: links, statuses, JSON as HTML.

#include <fmt/format.h>

#include <boost/json/serialize.hpp>

#include "adapters/web/html.hpp"
#include "adapters/web/pages.hpp"
#include "core/stream_name.hpp"
#include "workflows/roles.hpp"

namespace waymark::web {

const Workflow* WorkflowOf(const std::vector<const Workflow*>& workflows, std::string_view kind) {
  for (const Workflow* w : workflows) {
    if (w->kind() == kind) return w;
  }
  return nullptr;
}

std::string StateBeforeFirstEvent(const Workflow& workflow) {
  return workflow.NewState("")->state();
}

std::string StreamHref(std::string_view stream) { return "/streams/" + UrlEncode(stream); }
std::string NetworkHref(std::string_view network_id) {
  return "/networks/" + UrlEncode(network_id);
}

std::string Str(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

std::expected<std::optional<Timestamp>, Error> AsOfOf(const Visit& v) {
  const std::string on = v.Param("on"), at = v.Param("at");
  if (on.empty()) return app::ParseAsOf(v.Param("as_of"), app::AsOfForm::kTimeOrDay, "as of");
  if (at.empty()) return app::ParseAsOf(on, app::AsOfForm::kTimeOrDay, "as of");
  auto t = app::FromLondonTime(on, at);
  if (!t) return std::unexpected(t.error());
  return std::optional<Timestamp>(*t);
}

std::string AsOfForm(const Visit& v, const std::string& action,
                     const std::optional<Timestamp>& as_of, std::string_view what) {
  std::string day, time;
  if (as_of) {  // shown as the UK clock showed it
    const bool summer = app::InBritishSummerTime(*as_of);
    const std::string local = FormatRfc3339(*as_of + std::chrono::hours(summer ? 1 : 0));
    day = local.substr(0, 10);
    time = local.substr(11, 5);
  }
  return fmt::format(
      "<form class=\"row noprint asof-form\" method=\"get\" action=\"{}\"><label "
      "for=\"as-of\">See {} as it stood on</label><input id=\"as-of\" name=\"on\" type=\"date\" "
      "max=\"{}\" value=\"{}\" required><label for=\"as-of-at\">at <span class=\"hint\">(UK "
      "time; empty: the end of the day)</span></label><input id=\"as-of-at\" name=\"at\" "
      "type=\"time\" value=\"{}\"><button type=\"submit\" class=\"secondary\">Show</button></form>",
      Escape(action), Escape(what), Escape(v.today), Escape(day), Escape(time));
}

const boost::json::object& Obj(const boost::json::object& o, std::string_view key) {
  static const boost::json::object kEmpty;
  const auto* v = o.if_contains(key);
  return v && v->is_object() ? v->get_object() : kEmpty;
}

std::expected<std::vector<boost::json::object>, Error> AllNetworks(const Visit& v) {
  std::vector<boost::json::object> out;
  for (projections::Page page{"", 500};;) {
    auto rows = v.app.Networks(v.who, {}, page);
    if (!rows) return std::unexpected(rows.error());
    for (auto& row : rows->rows) out.push_back(std::move(row));
    if (rows->next.empty()) return out;
    page.after = rows->next;
  }
}

StatusLook MilestoneLook(std::string_view status) {
  if (status == "overdue") return {"Overdue", Shape::kTriangle, "#d55e00"};
  if (status == "at_risk") return {"At risk", Shape::kDiamond, "#e69f00"};
  if (status == "evidence_submitted") return {"Awaiting verification", Shape::kSquare, "#cc79a7"};
  if (status == "achieved") return {"Achieved", Shape::kCircle, "#009e73"};
  if (status == "cancelled") return {"Cancelled", Shape::kCross, "#555555"};
  if (status == "in_progress") return {"In progress", Shape::kSquare, "#0072b2"};
  if (status == "planned") return {"Planned", Shape::kRing, "#0072b2"};
  return {Humanize(status), Shape::kRing, "#555555"};
}

std::string StatusBadge(const StatusLook& look) {
  return "<span class=\"status\">" + StatusIcon(look.shape, look.colour) + Escape(look.word) +
         "</span>";
}

std::string ValueHtml(const boost::json::value& value) {
  if (value.is_string()) return Escape(value.get_string());
  if (value.is_null()) return "<span class=\"hint\">none</span>";
  if (value.is_bool()) return value.get_bool() ? "yes" : "no";
  if (value.is_array()) {
    const auto& a = value.get_array();
    if (a.empty()) return "<span class=\"hint\">none</span>";
    std::string out = "<ul>";
    for (const auto& item : a) {
      const bool link = item.is_string() && (item.get_string().starts_with("https://") ||
                                             item.get_string().starts_with("http://"));
      out += "<li>" +
             (link ? "<a href=\"" + Escape(item.get_string()) + "\" rel=\"noopener noreferrer\">" +
                         Escape(item.get_string()) + "</a>"
                   : ValueHtml(item)) +
             "</li>";
    }
    return out + "</ul>";
  }
  if (value.is_object()) {
    const auto& o = value.get_object();
    if (o.empty()) return "<span class=\"hint\">none</span>";
    std::string out = "<dl class=\"facts\">";
    for (const auto& [k, v] : o) {
      // Field names read as words; ids used as keys (a plan's milestones) stay as they are.
      const bool field = k.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") == std::string::npos;
      out += "<dt>" + Escape(field ? Humanize(k) : std::string(k)) + "</dt><dd>" + ValueHtml(v) +
             "</dd>";
    }
    return out + "</dl>";
  }
  return Escape(boost::json::serialize(value));
}

}  // namespace waymark::web
