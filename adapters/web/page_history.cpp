// A stream's history for auditors (and everyone, for what they may see):
// its events as a timeline with who, when, what and why, the links between
// streams, a diff between any two versions, the hash chain's status, and
// downloads as JSON Lines and CSV.

#include <fmt/format.h>

#include <boost/json/serialize.hpp>
#include <map>

#include "adapters/web/html.hpp"
#include "adapters/web/pages.hpp"
#include "application/views.hpp"
#include "core/event_json.hpp"
#include "core/hash_chain.hpp"
#include "core/stream_name.hpp"

namespace waymark::web {
namespace {

// The stream's events, when `v` may see the stream.
std::expected<std::vector<RecordedEvent>, Error> VisibleEvents(const Visit& v,
                                                               const std::string& stream) {
  return v.app.History(v.who, stream);
}

// "<stream>@<version>" as a link to that event; other text as it is.
std::string CauseHtml(std::string_view cause) {
  const auto at = cause.rfind('@');
  if (at != std::string_view::npos && ParseStreamName(cause.substr(0, at))) {
    const std::string stream(cause.substr(0, at));
    const std::string version(cause.substr(at + 1));
    if (!version.empty() && version.find_first_not_of("0123456789") == std::string::npos) {
      return fmt::format("<a href=\"{}/history#v{}\">{} version {}</a>", StreamHref(stream),
                         version, Escape(stream), version);
    }
  }
  return cause.empty() ? "<span class=\"hint\">none</span>" : "<code>" + Escape(cause) + "</code>";
}

std::string DiffHtml(const Visit& v, const std::string& stream, std::int64_t from,
                     std::int64_t to) {
  auto folded = v.app.Diff(v.who, stream, from, to);
  if (!folded) return "<p class=\"bad\">The stream could not be folded.</p>";
  const auto diff = app::DiffJson(stream, folded->before, folded->after, folded->events);
  std::string rows;
  for (const auto& c : diff.at("changes").as_array()) {
    const auto& o = c.as_object();
    rows +=
        fmt::format("<tr><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
                    Escape(Str(o, "path")), ValueHtml(o.at("before")), ValueHtml(o.at("after")));
  }
  std::string who;
  for (const auto& e : folded->events) {
    const std::string reason = app::EventReason(e);
    who += fmt::format("<li>version {}: {} by {} ({}) on {}{}</li>", e.version, Escape(e.type),
                       Escape(e.metadata.actor), Escape(e.metadata.role),
                       FormatRfc3339(e.metadata.recorded_at),
                       reason.empty() ? "" : " — why: " + Escape(reason));
  }
  return fmt::format(
      "<section class=\"card\" aria-labelledby=\"diff-h\"><h2 id=\"diff-h\">What changed from "
      "version {} to {}</h2><p>Status: {} → {}</p>{}<h3>Who did it, when and why</h3><ul>{}</ul>"
      "</section>",
      from, to, Escape(Humanize(Str(diff, "status_before"))),
      Escape(Humanize(Str(diff, "status_after"))),
      rows.empty() ? "<p>No field changed.</p>"
                   : "<table><thead><tr><th scope=\"col\">Field</th><th scope=\"col\">Before</th>"
                     "<th scope=\"col\">After</th></tr></thead><tbody>" +
                         rows + "</tbody></table>",
      who);
}

std::expected<std::int64_t, Error> VersionParam(const Visit& v, const std::string& name,
                                                std::int64_t fallback, std::int64_t max) {
  const std::string text = v.Param(name);
  if (text.empty()) return fallback;
  if (text.size() > 9 || text.find_first_not_of("0123456789") != std::string::npos ||
      std::stoll(text) > max) {
    return std::unexpected(
        MakeError(ErrorCode::kValidation,
                  fmt::format("{} '{}' is not a version from 0 to {}", name, text, max)));
  }
  return std::stoll(text);
}

}  // namespace

PageResult HistoryPage(const Visit& v, const std::string& stream) {
  auto events = VisibleEvents(v, stream);
  if (!events) return std::unexpected(events.error());
  const auto n = static_cast<std::int64_t>(events->size());
  auto from = VersionParam(v, "from", std::max<std::int64_t>(0, n - 1), n);
  if (!from) return std::unexpected(from.error());
  auto to = VersionParam(v, "to", n, n);
  if (!to) return std::unexpected(to.error());
  if (*from >= *to) {
    return std::unexpected(
        MakeError(ErrorCode::kValidation, "from must be below to (0 is before the first event)"));
  }
  const std::string network = events->front().network_id;

  ChainVerifier verifier;
  std::optional<BrokenLink> broken;
  for (const auto& e : *events) {
    if (!broken) broken = verifier.Feed(e);
  }
  const std::string chain =
      broken
          ? fmt::format("<p class=\"bad\" role=\"alert\">Hash chain broken at version {}: {}</p>",
                        broken->version, Escape(broken->reason))
          : fmt::format(
                "<p><span class=\"ok\">Hash chain intact</span>: {} events, each "
                "hash recomputed from its content and the one before; last hash "
                "<code>{}</code></p>",
                n, Escape(events->back().hash));

  std::string options_from, options_to;
  for (std::int64_t i = 0; i <= n; ++i) {
    const std::string label = i == 0 ? "0 (before the first event)" : std::to_string(i);
    if (i < n) {
      options_from += fmt::format("<option value=\"{}\"{}>{}</option>", i,
                                  i == *from ? " selected" : "", label);
    }
    if (i > 0) {
      options_to +=
          fmt::format("<option value=\"{}\"{}>{}</option>", i, i == *to ? " selected" : "", label);
    }
  }

  // The other streams' events of each request or flow (the audit log's
  // rows of the same correlation id), those this person may see.
  std::map<std::string, std::string> related;
  for (const auto& e : *events) {
    const std::string& id = e.metadata.correlation_id;
    if (id.empty() || related.contains(id)) continue;
    std::string links;
    auto rows = v.app.Correlated(v.who, id, 20);
    if (rows) {
      for (const auto& row : *rows) {
        if (Str(row, "stream") == stream) continue;
        const auto version =
            row.contains("version") ? boost::json::serialize(row.at("version")) : "";
        links +=
            fmt::format("{}<a href=\"{}/history#v{}\">{} version {} ({})</a>",
                        links.empty() ? "" : ", ", StreamHref(Str(row, "stream")), version,
                        Escape(Str(row, "stream")), version, Escape(Humanize(Str(row, "type"))));
      }
    }
    related[id] = links;
  }

  std::string timeline = "<ol class=\"events\" reversed>";
  for (auto it = events->rbegin(); it != events->rend(); ++it) {
    const auto& e = *it;
    const std::string reason = app::EventReason(e);
    boost::json::object data = e.data;
    data.erase("reason");
    const Timestamp just_before = e.metadata.recorded_at - std::chrono::microseconds(1);
    timeline += fmt::format(
        "<li id=\"v{}\"><strong>Version {}: {}</strong> <span class=\"meta\">— {} by {} ({})</span>"
        "{}<details><summary>What it recorded</summary>{}</details><p class=\"meta\">Correlation "
        "<code>{}</code>{} · caused by {} · position {} · <a href=\"{}?as_of={}\">network just "
        "before</a> · <a href=\"{}?as_of={}\">network just after</a> · <a "
        "href=\"{}?version={}\">this record as it stood after it</a> · <a "
        "href=\"?from={}&amp;to={}\">what this changed</a></p></li>",
        e.version, e.version, Escape(Humanize(e.type)), FormatRfc3339(e.metadata.recorded_at),
        Escape(e.metadata.actor), Escape(e.metadata.role),
        reason.empty() ? "" : "<p>Why: " + Escape(reason) + "</p>", ValueHtml(data),
        Escape(e.metadata.correlation_id),
        related[e.metadata.correlation_id].empty()
            ? ""
            : " (with " + related[e.metadata.correlation_id] + ")",
        CauseHtml(e.metadata.causation_id), e.position, NetworkHref(network),
        UrlEncode(FormatRfc3339(just_before)), NetworkHref(network),
        UrlEncode(FormatRfc3339(e.metadata.recorded_at)), StreamHref(stream), e.version,
        e.version - 1, e.version);
  }
  timeline += "</ol>";

  std::string body = fmt::format(
      "<h1>History of {}</h1><p class=\"sub\"><a href=\"{}\">{}</a> · network <a "
      "href=\"{}\">{}</a> · download <a href=\"{}/history.jsonl\" download>JSON Lines</a>, <a "
      "href=\"{}/history.csv\" download>CSV</a></p><section class=\"card\" "
      "aria-labelledby=\"chain-h\"><h2 id=\"chain-h\">Integrity</h2>{}</section>"
      "<form class=\"row noprint\" method=\"get\" action=\"{}/history\"><label "
      "for=\"diff-from\">Compare version</label><select id=\"diff-from\" "
      "name=\"from\">{}</select><label for=\"diff-to\">with version</label><select id=\"diff-to\" "
      "name=\"to\">{}</select><button type=\"submit\" class=\"secondary\">Show "
      "differences</button></form>{}<section class=\"card\" aria-labelledby=\"events-h\"><h2 "
      "id=\"events-h\">Events, newest first</h2>{}</section>",
      Escape(stream), StreamHref(stream), "the stream's page", NetworkHref(network),
      Escape(network), StreamHref(stream), StreamHref(stream), chain, StreamHref(stream),
      options_from, options_to, DiffHtml(v, stream, *from, *to), timeline);
  return Page{"History of " + stream, body};
}

std::expected<std::string, Error> HistoryJsonLines(const Visit& v, const std::string& stream) {
  auto events = VisibleEvents(v, stream);
  if (!events) return std::unexpected(events.error());
  std::string out;
  for (const auto& e : *events) out += boost::json::serialize(EventToJson(e)) + "\n";
  return out;
}

std::expected<std::string, Error> HistoryCsv(const Visit& v, const std::string& stream) {
  auto events = VisibleEvents(v, stream);
  if (!events) return std::unexpected(events.error());
  std::string out = std::string(app::HistoryCsvHeader()) + "\r\n";
  for (const auto& e : *events) out += app::HistoryCsvRow(e) + "\r\n";
  return out;
}

}  // namespace waymark::web
