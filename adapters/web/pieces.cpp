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
