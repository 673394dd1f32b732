// The auditor's programme-wide check: every network's hash chains, network
// by network (with scripts, one request each, with a progress bar; without,
// all in one request), and the events no network's check covers.

#include <fmt/format.h>

#include "adapters/web/html.hpp"
#include "adapters/web/pages.hpp"

namespace waymark::web {
namespace {

struct NetworkName {
  std::string id, name;
};

std::expected<std::vector<NetworkName>, Error> NetworksOf(const Visit& v) {
  auto rows = AllNetworks(v);
  if (!rows) return std::unexpected(rows.error());
  std::vector<NetworkName> out;
  for (const auto& row : *rows) out.push_back({Str(row, "network_id"), Str(row, "name")});
  return out;
}

std::string Unchecked(const NetworkName& n) {
  return fmt::format(
      "<tr data-network=\"{}\"><td><a href=\"{}\">{}</a></td><td class=\"num\">—</td><td "
      "class=\"num\">—</td><td><span class=\"hint\">not checked yet</span></td></tr>",
      Escape(n.id), NetworkHref(n.id), Escape(n.name.empty() ? n.id : n.name));
}

std::string Checked(const NetworkName& n, const app::ChainCheck& c) {
  return fmt::format(
      "<tr data-network=\"{}\" data-events=\"{}\" data-ok=\"{}\"><td><a href=\"{}\">{}</a></td><td "
      "class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
      Escape(n.id), c.events, c.broken ? "no" : "yes", NetworkHref(n.id),
      Escape(n.name.empty() ? n.id : n.name), c.streams, c.events,
      c.broken ? fmt::format("<span class=\"bad\">Broken</span> at <a href=\"{}/history\">{}</a> "
                             "version {}: {}",
                             StreamHref(c.broken->stream), Escape(c.broken->stream),
                             c.broken->version, Escape(c.broken->reason))
               : std::string("<span class=\"ok\">Intact</span>"));
}

// Whether every event the store holds is in a checked network's chains.
std::string Total(std::size_t counted, std::size_t held) {
  if (counted == held) {
    return fmt::format(
        "<p id=\"chains-total\" class=\"ok\">All {} events the store holds are in the chains "
        "checked.</p>",
        held);
  }
  return fmt::format(
      "<p id=\"chains-total\" class=\"bad\" role=\"alert\">The store holds {} events; the "
      "networks' chains hold {}: {} belong to no registered network's records. <code>waymark "
      "audit verify</code> names them.</p>",
      held, counted, held > counted ? held - counted : counted - held);
}

}  // namespace

PageResult AuditPage(const Visit& v) {
  const std::string check = v.Param("check");
  if (v.Param("part") == "row" && check == "total") {
    auto held = v.app.CountEvents(v.who);
    if (!held) return std::unexpected(held.error());
    auto counted = app::ParseWholeNumber("counted", v.Param("counted"), 0, 1'000'000'000'000);
    if (!counted) return std::unexpected(counted.error());
    return Page{"", Total(static_cast<std::size_t>(*counted), *held), 200, true};
  }
  if (v.Param("part") == "row") {  // one network's row, checked
    auto network = v.app.Network(v.who, check);
    if (!network) return std::unexpected(network.error());
    auto c = v.app.CheckChains(v.who, check);
    if (!c) return std::unexpected(c.error());
    return Page{"", Checked({check, Str(*network, "name")}, *c), 200, true};
  }
  auto held = v.app.CountEvents(v.who);  // refuses anyone but auditors and admins
  if (!held) return std::unexpected(held.error());
  auto networks = NetworksOf(v);
  if (!networks) return std::unexpected(networks.error());
  std::string rows, total;
  if (check == "all") {
    std::size_t counted = 0, broken = 0;
    for (const auto& n : *networks) {
      auto c = v.app.CheckChains(v.who, n.id);
      if (!c) return std::unexpected(c.error());
      counted += c->events;
      broken += c->broken.has_value();
      rows += Checked(n, *c);
    }
    total = Total(counted, *held) +
            (broken ? fmt::format("<p class=\"bad\" role=\"alert\">{} network{} with a broken "
                                  "chain.</p>",
                                  broken, broken == 1 ? "" : "s")
                    : std::string());
  } else {
    for (const auto& n : *networks) rows += Unchecked(n);
  }
  const std::string body = fmt::format(
      "<h1>Integrity</h1><p class=\"sub\">Every hash chain of the programme, network by network: "
      "each event's hash recomputed from its content and the one before, each row held to its "
      "record's network, and every event the store holds accounted for.</p><form "
      "class=\"row noprint\" id=\"check-all\" method=\"get\" action=\"/audit\"><input "
      "type=\"hidden\" name=\"check\" value=\"all\"><button type=\"submit\">Check every hash "
      "chain</button> <progress id=\"chains-progress\" max=\"{}\" value=\"0\" hidden>0 of "
      "{}</progress> <span id=\"chains-note\" role=\"status\"></span></form><section "
      "class=\"card\" aria-labelledby=\"chains-h\"><h2 id=\"chains-h\">{} networks, {} "
      "events</h2><table id=\"chains\"><thead><tr><th scope=\"col\">Network</th><th "
      "scope=\"col\" class=\"num\">Records</th><th scope=\"col\" class=\"num\">Events</th><th "
      "scope=\"col\">Hash chains</th></tr></thead><tbody>{}</tbody></table>{}</section>",
      networks->size(), networks->size(), networks->size(), *held, rows,
      total.empty() ? "<p id=\"chains-total\"></p>" : total);
  return Page{"Integrity", body};
}

}  // namespace waymark::web
