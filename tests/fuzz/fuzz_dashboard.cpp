// The dashboard's handler without sockets, signed in as one of the roles:
// [role byte][method byte][target]\n[form body]; a post carries its
// session's form token and this site's origin, so forms reach the commands.
// Property: no 5xx, and whatever a form stored every consumer can hold.

#include "tests/fuzz/fuzz_world.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace waymark;
  namespace bhttp = boost::beast::http;
  static fuzz::World world;
  static const auto csrf = [] {
    std::map<std::string, std::string> out;  // session cookie → its form token
    for (unsigned char pick = 0; pick < 4; ++pick) {
      const auto& role = world.RoleOf(pick);
      http::Request page{bhttp::verb::get, "/networks/ne", 11};
      page.set(bhttp::field::host, "waymark.test");
      page.set(bhttp::field::cookie, "waymark_session=" + role.session_cookie);
      auto handled = world.dashboard().Handle(page, "fuzz");
      const std::string body = handled.response.body();
      const auto at = body.find("name=\"_csrf\" value=\"");
      out[role.session_cookie] = at == std::string::npos ? "" : body.substr(at + 20, 64);
    }
    return out;
  }();
  if (size < 3) return 0;
  const auto& role = world.RoleOf(data[0]);
  const std::string_view rest(reinterpret_cast<const char*>(data) + 2, size - 2);
  const auto cut = rest.find('\n');
  const std::string target(rest.substr(0, cut));
  std::string body(cut == std::string_view::npos ? "" : rest.substr(cut + 1));
  const bool post = data[1] % 2 == 1;
  http::Request request;
  try {
    request = http::Request{post ? bhttp::verb::post : bhttp::verb::get, target, 11};
  } catch (const std::exception&) {
    return 0;
  }
  request.set(bhttp::field::host, "waymark.test");
  request.set(bhttp::field::cookie, "waymark_session=" + role.session_cookie);
  if (post) {
    request.set(bhttp::field::origin, "http://waymark.test");
    request.set(bhttp::field::content_type, "application/x-www-form-urlencoded");
    body += (body.empty() ? "" : "&") + std::string("_csrf=") + csrf.at(role.session_cookie);
  }
  request.body() = body;
  request.prepare_payload();
  const std::size_t before = world.Events();
  auto handled = world.dashboard().Handle(request, "fuzz");
  if (handled.response.result_int() >= 500) {
    fuzz::Finding("answered " + std::to_string(handled.response.result_int()) +
                  " (cause: " + handled.cause + ")");
  }
  world.CheckAppendedSince(before);
  return 0;
}
