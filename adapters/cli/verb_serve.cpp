// `waymark serve`: the HTTP API, and beside it the read models, policies and
// timers (unless --no-workers).

#include <unistd.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <thread>

#include "adapters/api/api.hpp"
#include "adapters/cli/cli.hpp"
#include "adapters/cli/project_units.hpp"
#include "adapters/http/pipeline.hpp"
#include "adapters/http/server.hpp"
#include "adapters/postgres/pg_event_store.hpp"
#include "adapters/postgres/pg_read_model_queries.hpp"
#include "adapters/postgres/pg_read_model_store.hpp"
#include "adapters/postgres/pg_service_probe.hpp"
#include "adapters/postgres/pg_session_store.hpp"
#include "adapters/postgres/pg_token_store.hpp"
#include "adapters/web/dashboard.hpp"
#include "core/id_generator.hpp"
#include "workflows/registry.hpp"

namespace po = boost::program_options;

namespace waymark::cli {
namespace {

// "host:port" → address and port; UsageError naming the form otherwise.
std::pair<std::string, unsigned short> ParseListen(const std::string& listen) {
  const auto colon = listen.rfind(':');
  const auto bad = [&] {
    return UsageError("--listen '" + listen +
                      "' is not HOST:PORT, e.g. 127.0.0.1:8080 (port 0: any free one)");
  };
  if (colon == std::string::npos || colon == 0) throw bad();
  const std::string port = listen.substr(colon + 1);
  if (port.empty() || port.size() > 5 ||
      port.find_first_not_of("0123456789") != std::string::npos || std::stoul(port) > 65535) {
    throw bad();
  }
  return {listen.substr(0, colon), static_cast<unsigned short>(std::stoul(port))};
}

// A JSON log line for a person: "time level message" or "time METHOD route
// status ms", then the other fields as key=value.
std::string LogLineAsText(const std::string& json) {
  boost::system::error_code ec;
  auto parsed = boost::json::parse(json, ec);
  if (ec || !parsed.is_object()) return json;
  auto& o = parsed.as_object();
  const auto take = [&](std::string_view key) {
    std::string text;
    if (auto* v = o.if_contains(key)) {
      text = v->is_string() ? std::string(v->as_string()) : boost::json::serialize(*v);
      o.erase(key);
    }
    return text;
  };
  std::string out = take("time");
  if (out.size() >= 19) out = out.substr(11, 8);  // hh:mm:ss
  out += " " + take("level");
  if (o.contains("route")) {
    out += " " + take("method") + " " + take("route") + " " + take("status");
    if (auto* ms = o.if_contains("ms"); ms && ms->is_double()) {
      char text[32];
      std::snprintf(text, sizeof text, " %.1fms", ms->as_double());
      out += text;
      o.erase("ms");
    }
  } else {
    out += " " + take("message");
  }
  for (const auto& [key, value] : o) {
    const std::string v =
        value.is_string() ? std::string(value.as_string()) : boost::json::serialize(value);
    if (!v.empty()) out += " " + std::string(key) + "=" + v;
  }
  return out;
}

// The server's options from the command line (UsageError for a bad one).
http::ServerOptions ServerOptionsOf(const po::variables_map& vm) {
  const std::string listen =
      vm.count("listen") ? vm["listen"].as<std::string>() : std::string("127.0.0.1:8080");
  const auto [address, port] = ParseListen(listen);
  const std::size_t threads = vm["threads"].as<std::size_t>();
  if (threads < 1 || threads > 256) throw UsageError("--threads must be 1 to 256");
  const auto seconds = [&](const char* name) {
    const double s = vm[name].as<double>();
    if (!(s > 0 && s <= 3600))
      throw UsageError(std::string("--") + name + " must be 0 to 3600 seconds");
    return std::chrono::milliseconds(static_cast<std::int64_t>(s * 1000));
  };
  http::ServerOptions options;
  options.address = address;
  options.port = port;
  options.handler_threads = threads;
  options.header_timeout = seconds("header-timeout");
  options.idle_timeout = seconds("idle-timeout");
  return options;
}

// Where the log lines go: stderr (inv.err), as JSON or as text for a person.
struct Log {
  bool text = false;
  std::ostream& err;
  std::mutex mu;

  void Line(const std::string& json) {
    const std::string out = text ? LogLineAsText(json) : json;
    std::lock_guard lock(mu);
    err << out << std::endl;
  }
  void Message(const std::string& level, const std::string& message) {
    Line(boost::json::serialize(boost::json::object{
        {"time", FormatRfc3339(std::chrono::time_point_cast<std::chrono::microseconds>(
                     std::chrono::system_clock::now()))},
        {"level", level},
        {"message", message}}));
  }
};

// Why this process is not ready to serve (empty: ready): PostgreSQL and
// the migrations, the projectors, a unit stuck on an event, and, until they
// first caught up, how far the read models are behind.
std::vector<std::string> NotReady(postgres::ServiceProbe& probe, const UnitHealth& health,
                                  bool workers, bool workers_running,
                                  std::atomic<bool>& caught_up_once) {
  auto reasons = probe.NotReady();
  if (workers && !workers_running) reasons.push_back("the projectors are not running");
  // A unit that fails now is named with its cause: an event it cannot
  // apply stops it until an operator acts (README, "When a unit is stuck").
  for (const auto& u : health.Units()) {
    if (u.failing) {
      reasons.push_back(u.name + " failing (" + std::to_string(u.failures_in_a_row) +
                        " times in a row): " + u.error);
    }
  }
  if (!caught_up_once && reasons.empty()) {
    const auto behind = probe.EventsNotProjected();
    if (behind && *behind == 0) {
      caught_up_once = true;
    } else {
      reasons.push_back((behind
                             ? "the read models are " + std::to_string(*behind) + " events behind"
                             : std::string("the read models cannot be read")) +
                        "; waiting for the projectors to catch up once");
    }
  }
  return reasons;
}

// serve's options, each also read from the $WAYMARK_ variable named beside it.
po::options_description ServeOptions() {
  po::options_description options("waymark serve");
  options.add_options()("listen", po::value<std::string>(),
                        "HOST:PORT to listen on; $WAYMARK_LISTEN; default 127.0.0.1:8080")(
      "no-workers",
      "serve the API and dashboard only: no read models, policies or timers in this process "
      "(an API node; $WAYMARK_NO_WORKERS=1)")(
      "topic", po::value<std::string>()->default_value("waymark.events"),
      "with --kafka: the topic the relay publishes to; $WAYMARK_TOPIC")(
      "threads", po::value<std::size_t>()->default_value(8),
      "requests handled at once (each holds a PostgreSQL connection while it runs); "
      "$WAYMARK_THREADS")("header-timeout", po::value<double>()->default_value(10),
                          "seconds a client has to send a request's header; "
                          "$WAYMARK_HEADER_TIMEOUT")(
      "idle-timeout", po::value<double>()->default_value(60),
      "seconds a kept-alive connection may wait for its next request; $WAYMARK_IDLE_TIMEOUT")(
      "log-format", po::value<std::string>()->default_value("auto"),
      "json (one object per line), text, or auto: text on a terminal, json otherwise; "
      "$WAYMARK_LOG_FORMAT");
  AddConnectionOptions(options);
  AddKafkaOption(options);
  return options;
}

}  // namespace

int RunServe(const Invocation& inv) {
  po::options_description options = ServeOptions();
  po::variables_map vm;
  if (!ParseArgs(inv,
                 "waymark serve [--listen HOST:PORT] [--no-workers] [--kafka BROKERS]\n"
                 "The HTTP API (DESIGN.md \"HTTP\") and the web dashboard at /: bearer tokens\n"
                 "from `waymark token create` (the dashboard signs in with one),\n"
                 "JSON answers filtered to what each token may see, /healthz, /readyz,\n"
                 "/metrics and /api/v1/openapi.json. Beside it, unless --no-workers, the read\n"
                 "models, policies and timers as `waymark project` runs them. One log line\n"
                 "per request on stderr (JSON, or text on a terminal). SIGTERM or SIGINT:\n"
                 "stop accepting, finish the requests in flight, stop. Every option may also\n"
                 "be set by the $WAYMARK_ variable named beside it (the command line wins).",
                 options, {}, vm)) {
    return kExitOk;
  }
  StoreEnvironment(options, vm);
  const http::ServerOptions server_options = ServerOptionsOf(vm);
  const std::size_t threads = server_options.handler_threads;

  const std::string conninfo = PgConnInfo(vm);
  const std::string log_format = vm["log-format"].as<std::string>();
  if (log_format != "auto" && log_format != "json" && log_format != "text") {
    throw UsageError("--log-format '" + log_format + "' is not one of auto, json, text");
  }
  Log log{log_format == "text" || (log_format == "auto" && &inv.err == &std::cerr && isatty(2)),
          inv.err,
          {}};
  const auto log_message = [&](const std::string& level, const std::string& message) {
    log.Message(level, message);
  };

  auto clock = MakeSystemClock();
  auto pg_store = postgres::MakePostgresEventStore(conninfo, *clock, threads);
  http::Metrics metrics;
  auto store = http::MakeMeteredEventStore(*pg_store, metrics);
  auto ids = MakeRandomIdGenerator();
  CommandHandler handler(*store, workflows::TheDomain(), *clock, *ids);
  auto queries = postgres::MakePostgresReadModelQueries(conninfo, threads);
  auto tokens = postgres::MakePostgresTokenStore(conninfo, threads);
  auto sessions = postgres::MakePostgresSessionStore(conninfo, threads);
  postgres::ServiceProbe probe(conninfo);
  const char* no_workers = std::getenv("WAYMARK_NO_WORKERS");
  const bool workers =
      vm.count("no-workers") == 0 && !(no_workers && (std::string_view(no_workers) == "1" ||
                                                      std::string_view(no_workers) == "true"));
  std::atomic<bool> workers_running{false};
  // Ready once the read models have caught up with the store at least once
  // (every stored event projected, from the store or from Kafka; any process's).
  std::atomic<bool> caught_up_once{!workers};

  UnitHealth health;
  app::Programme programme({handler, *store, *queries, *tokens, *sessions, *clock, metrics});
  api::ApiPorts ports{programme, metrics, *clock};
  ports.units = [&] { return health.Units(); };
  ports.not_ready = [&] {
    return NotReady(probe, health, workers, workers_running, caught_up_once);
  };
  ports.lag = [&] {
    std::vector<http::Lag> out;
    for (const auto& l : probe.Lag()) out.push_back({l.follower, l.events, l.seconds});
    return out;
  };
  api::Api api(std::move(ports));
  web::Dashboard dashboard({programme, metrics});
  // The API's paths go to the API, every other one to the dashboard.
  std::vector<http::DoorRoute> routes;
  for (const auto& path : api::Api::Paths()) routes.push_back({path, &api});
  http::Pipeline site(std::move(routes), dashboard, metrics, *clock);
  const auto live_position = [&]() -> std::int64_t {
    auto position = queries->Position();
    if (!position) throw std::runtime_error(position.error().message);
    return *position;
  };
  std::unique_ptr<http::Server> server;
  try {
    server = std::make_unique<http::Server>(
        site.AsHandler(), server_options, [&](const std::string& line) { log.Line(line); },
        live_position,
        [&](const std::string& session) {
          auto stands = SessionStands(*sessions, *tokens, *clock, session);
          return !stands || *stands;  // an unreachable store ends no stream
        });
  } catch (const std::runtime_error& e) {
    return Refuse(inv, "serve", MakeError(ErrorCode::kUnavailable, e.what()));
  }
  const std::atomic<bool>& stop = StopOnSignals();

  std::thread worker;
  std::unique_ptr<ProjectUnits> project;
  if (workers) {
    try {
      project = std::make_unique<ProjectUnits>(
          conninfo, KafkaBrokers(vm), vm["topic"].as<std::string>(), *store, *clock,
          [&](const std::string& m) { log_message("warn", m); }, /*relay=*/true);
    } catch (const std::runtime_error& e) {
      return Refuse(inv, "serve", MakeError(ErrorCode::kUnavailable, e.what()));
    }
    worker = std::thread([&] {
      workers_running = true;
      RunOptions run;
      run.idle_wait = ProjectUnits::kTimerCheck;
      run.health = &health;
      auto ran = RunUnits(
          project->units(), project->wakeup(), run,
          [&](const std::string& m) { log_message("info", m); }, stop);
      workers_running = false;
      if (!ran) log_message("error", "workers stopped: " + ran.error().message);
    });
  }
  inv.out << "serve: listening on http://" << server_options.address << ":" << server->port()
          << (workers ? " (with read models, policies and timers)" : " (API only)") << std::endl;
  server->Run(stop);
  if (worker.joinable()) worker.join();
  if (project) log_message("info", "workers: " + project->Summary());
  inv.out << "serve: stopped" << std::endl;
  return kExitOk;
}

}  // namespace waymark::cli
