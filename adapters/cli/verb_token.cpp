// `waymark token create|list|revoke`: the API's bearer tokens.

#include <boost/json/serialize.hpp>
#include <iomanip>
#include <iostream>

#include "adapters/cli/cli.hpp"
#include "adapters/cli/rows_output.hpp"
#include "adapters/postgres/pg_token_store.hpp"

namespace po = boost::program_options;

namespace waymark::cli {
namespace {

constexpr const char* kUsage =
    "waymark token create --role admin|officer|network|auditor --name PERSON [--network ID] "
    "[--format text|json]\n"
    "       waymark token list [--format table|json|csv]\n"
    "       waymark token revoke ID\n"
    "Tokens for the HTTP API: create prints a new token once (only its hash is kept);\n"
    "list shows every token's id, role, name, network, creation and revocation;\n"
    "revoke ends a token at once.";

boost::json::object RecordJson(const TokenRecord& r) {
  return {{"id", r.id},
          {"role", r.role},
          {"name", r.name},
          {"network_id", r.network_id},
          {"created_at", FormatRfc3339(r.created_at)},
          {"revoked_at", r.revoked_at ? boost::json::value(FormatRfc3339(*r.revoked_at))
                                      : boost::json::value(nullptr)}};
}

}  // namespace

int RunToken(const Invocation& inv) {
  po::options_description options("waymark token");
  options.add_options()("action", po::value<std::string>(), "create | list | revoke")(
      "id", po::value<std::string>(), "revoke: the token's id (from list)")(
      "role", po::value<std::string>(), "create: admin | officer | network | auditor")(
      "name", po::value<std::string>(), "create: the person the token is for")(
      "network", po::value<std::string>(), "create, role network: the network it acts for")(
      "format", po::value<std::string>(), "create: text | json; list: table | json | csv");
  AddConnectionOptions(options);
  po::positional_options_description positional;
  positional.add("action", 1).add("id", 1);
  po::variables_map vm;
  if (!ParseArgs(inv, kUsage, options, positional, vm)) return kExitOk;
  if (!vm.count("action")) throw UsageError("name an action: create, list or revoke");
  const std::string action = vm["action"].as<std::string>();
  const auto text = [&](const char* name) {
    return vm.count(name) ? vm[name].as<std::string>() : std::string();
  };
  const std::string format = text("format");

  if (action == "create") {
    if (!format.empty() && format != "text" && format != "json") {
      throw UsageError("--format for create must be text or json, not '" + format + "'");
    }
    if (!vm.count("role") || !vm.count("name")) throw UsageError("create needs --role and --name");
    auto clock = MakeSystemClock();
    auto tokens = postgres::MakePostgresTokenStore(PgConnInfo(vm), 1);
    auto issued = CreateToken(*tokens, *clock, text("role"), text("name"), text("network"));
    if (!issued) {
      if (issued.error().code == ErrorCode::kValidation) throw UsageError(issued.error().message);
      return Refuse(inv, "token", issued.error());
    }
    if (format == "json") {
      auto out = RecordJson(issued->record);
      out["token"] = issued->token;
      inv.out << boost::json::serialize(out) << "\n";
    } else {
      inv.out << issued->token << "\n";
      inv.err << "token " << issued->record.id << " for " << issued->record.name << " ("
              << issued->record.role
              << (issued->record.network_id.empty() ? "" : ", network " + issued->record.network_id)
              << "): shown once, only its hash is kept\n";
    }
    return kExitOk;
  }
  if (action == "list") {
    if (!format.empty() && format != "table" && format != "json" && format != "csv") {
      throw UsageError("--format for list must be table, json or csv, not '" + format + "'");
    }
    auto tokens = postgres::MakePostgresTokenStore(PgConnInfo(vm), 1);
    auto all = tokens->List();
    if (!all) return Refuse(inv, "token", all.error());
    std::vector<boost::json::object> rows;
    for (const auto& r : *all) rows.push_back(RecordJson(r));
    PrintRows(inv.out, rows, {"id", "role", "name", "network_id", "created_at", "revoked_at"},
              format.empty() ? "table" : format);
    return kExitOk;
  }
  if (action == "revoke") {
    if (!vm.count("id")) throw UsageError("revoke needs the token's id (waymark token list)");
    auto clock = MakeSystemClock();
    auto tokens = postgres::MakePostgresTokenStore(PgConnInfo(vm), 1);
    auto revoked = tokens->Revoke(text("id"), clock->Now());
    if (!revoked) return Refuse(inv, "token", revoked.error());
    if (!*revoked) {
      return Refuse(inv, "token",
                    MakeError(ErrorCode::kNotFound, "no token " + text("id") +
                                                        " that is not revoked already; "
                                                        "waymark token list shows them"));
    }
    inv.out << "token " << text("id") << " revoked\n";
    return kExitOk;
  }
  throw UsageError("unknown action '" + action + "'; use create, list or revoke");
}

}  // namespace waymark::cli
