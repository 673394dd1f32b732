// What a request's parts are parsed by: the request target (path segments
// and query), the strict JSON body, a form body, a listing's cursor.
// Property: what each accepts keeps its promise (decoded parts without
// control characters, valid UTF-8; a cursor's keys one line of text, a
// date where the listing sorts by one).

#include "adapters/http/request_parsing.hpp"
#include "adapters/web/html.hpp"
#include "projections/read_model_queries.hpp"
#include "tests/fuzz/fuzz_world.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace waymark;
  if (size < 1) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 4) {
    case 0:
      if (auto target = http::ParseTarget(text)) {
        for (const auto& s : target->segments) {
          if (!TextProblem(s, TextLines::kOne).empty()) fuzz::Finding("segment: " + s);
        }
        for (const auto& [k, v] : target->query) {
          if (!TextProblem(k, TextLines::kOne).empty() ||
              !TextProblem(v, TextLines::kOne).empty()) {
            fuzz::Finding("query parameter with a control character or invalid UTF-8");
          }
        }
      }
      break;
    case 1:  // strict UTF-8 (the text rule is each field's, read by the workflows)
      if (auto body = http::ParseJsonObject(text)) fuzz::CheckUtf8(*body, "body");
      break;
    case 2:
      if (auto form = web::ParseForm(text)) {
        for (const auto& [k, v] : *form) {
          if (!IsValidUtf8(k) || !IsValidUtf8(v)) fuzz::Finding("form field not UTF-8");
        }
      }
      break;
    case 3: {
      const projections::CursorKey shape[] = {projections::CursorKey::kDate,
                                              projections::CursorKey::kText};
      if (auto keys = projections::DecodeCursor(text, shape)) {
        for (const auto& k : *keys) {
          if (!TextProblem(k, TextLines::kOne).empty()) fuzz::Finding("cursor key");
        }
        if ((*keys)[0].size() != 10 || !ParseRfc3339((*keys)[0])) fuzz::Finding("cursor date");
      }
      break;
    }
  }
  return 0;
}
