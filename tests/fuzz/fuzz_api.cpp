// The HTTP API's request handler without sockets: [role byte][method byte]
// [target]\n[body]. Property: nothing a client sends is answered 5xx (the
// in-memory stores never fail), and whatever a command stored every consumer
// can hold.

#include "tests/fuzz/fuzz_world.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace waymark;
  namespace bhttp = boost::beast::http;
  static fuzz::World world;
  if (size < 3) return 0;
  const std::string_view rest(reinterpret_cast<const char*>(data) + 2, size - 2);
  const auto cut = rest.find('\n');
  const std::string target(rest.substr(0, cut));
  const std::string body(cut == std::string_view::npos ? "" : rest.substr(cut + 1));
  static constexpr bhttp::verb kMethods[] = {bhttp::verb::get, bhttp::verb::post,
                                             bhttp::verb::delete_, bhttp::verb::put};
  http::Request request;
  try {
    request = http::Request{kMethods[data[1] % 4], target, 11};
  } catch (const std::exception&) {
    return 0;  // not a request line Beast would have parsed
  }
  request.set(bhttp::field::host, "waymark.test");
  if (data[0] % 5 != 4) {
    request.set(bhttp::field::authorization, "Bearer " + world.RoleOf(data[0]).token);
  }
  request.set(bhttp::field::content_type, "application/json");
  request.body() = body;
  request.prepare_payload();
  const std::size_t before = world.Events();
  auto handled = world.api().Handle(request, "fuzz");
  if (handled.response.result_int() >= 500) {
    fuzz::Finding("answered " + std::to_string(handled.response.result_int()) + ": " +
                  handled.response.body() + " (cause: " + handled.cause + ")");
  }
  world.CheckAppendedSince(before);
  return 0;
}
