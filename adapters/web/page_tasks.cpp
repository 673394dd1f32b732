// "What needs you": every step waiting on the person signed in (rm_tasks,
// through the application's Tasks), soonest due first, each opening the
// page where it is taken; updated live.

#include <fmt/format.h>

#include <map>

#include "adapters/web/html.hpp"
#include "adapters/web/pages.hpp"

namespace waymark::web {
namespace {

// Where a task is done: its record's page (a network's for its own).
std::string TaskHref(const boost::json::object& task) {
  const std::string stream = Str(task, "stream");
  if (stream.starts_with("network-")) return NetworkHref(Str(task, "network_id"));
  return StreamHref(stream);
}

}  // namespace

std::expected<std::vector<boost::json::object>, Error> OwnTasks(const Visit& v, std::size_t limit) {
  auto rows = v.app.Tasks(v.who, {"", limit});
  if (!rows) return std::unexpected(rows.error());
  return std::move(rows->rows);
}

PageResult TasksPage(const Visit& v) {
  auto position = v.app.Position();
  if (!position) return std::unexpected(position.error());
  auto tasks = OwnTasks(v, 500);
  if (!tasks) return std::unexpected(tasks.error());
  std::map<std::string, std::string> names;  // network → its name
  for (const auto& t : *tasks) {
    const std::string id = Str(t, "network_id");
    if (names.contains(id)) continue;
    auto row = v.app.Network(v.who, id);
    names[id] = row ? Str(*row, "name") : std::string();
  }
  std::string live;
  if (tasks->empty()) {
    live = "<p>Nothing waits on you just now.</p>";
  } else {
    live = "<ul class=\"tasks\">";
    for (const auto& t : *tasks) {
      const std::string due = Str(t, "due"), network = names[Str(t, "network_id")];
      live += fmt::format(
          "<li><a href=\"{}\"><strong>{}</strong></a> <span>{}</span>{}{}</li>", TaskHref(t),
          Escape(Humanize(Str(t, "kind"))), Escape(Str(t, "title")),
          network.empty() || app::IsNetwork(v.who)
              ? ""
              : " <span class=\"hint\">· " + Escape(network) + "</span>",
          due.empty() ? ""
                      : " <span class=\"hint\">· due " + Escape(app::LongDate(due)) + "</span>");
    }
    live += "</ul>";
  }
  if (v.Param("part") == "live") return Page{"", live, 200, true};
  const std::string body = fmt::format(
      "<h1>What needs you</h1><p class=\"sub\">{} step{} waiting on you · <span id=\"live-note\" "
      "role=\"status\">Updates as things change</span></p><div data-live=\"/tasks?part=live\" "
      "data-position=\"{}\">{}</div>",
      tasks->size(), tasks->size() == 1 ? "" : "s", *position, live);
  return Page{"What needs you", body};
}

}  // namespace waymark::web
