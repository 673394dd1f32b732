#include "projections/read_model_queries.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/text_rules.hpp"
#include "core/time.hpp"
#include "workflows/milestone/milestone_workflow.hpp"
#include "workflows/network/network_workflow.hpp"
#include "workflows/step/step_workflow.hpp"

namespace waymark::projections {
namespace {

constexpr char kDigits[] = "0123456789abcdef";

int Nibble(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// Each filter value: one line of text, at most 200 characters.
std::expected<void, Error> Texts(
    std::initializer_list<std::pair<std::string_view, const std::string&>> values) {
  for (const auto& [field, value] : values) {
    if (CharacterCount(value) > 200 || !TextProblem(value, TextLines::kOne).empty()) {
      return std::unexpected(MakeError(
          ErrorCode::kValidation,
          std::string(field) + " must be at most 200 characters on one line, without control "
                               "characters"));
    }
  }
  return {};
}

// `value` must be one of `accepted` (when given); the refusal lists them.
std::expected<void, Error> OneOf(std::string_view field, const std::string& value,
                                 const std::vector<std::string>& accepted) {
  if (value.empty() || std::find(accepted.begin(), accepted.end(), value) != accepted.end()) {
    return {};
  }
  std::string list;
  for (const auto& a : accepted) list += (list.empty() ? "" : ", ") + a;
  return std::unexpected(MakeError(ErrorCode::kValidation,
                                   std::string(field) + " '" + value + "' is not one of " + list));
}

// A machine's states, from its transition table.
std::vector<std::string> StatesOf(const Workflow& workflow) {
  std::vector<std::string> out;
  for (const auto& t : workflow.transitions()) {
    if (std::find(out.begin(), out.end(), t.to) == out.end()) out.push_back(t.to);
  }
  return out;
}

}  // namespace

std::expected<void, Error> CheckFilter(const NetworkFilter& filter) {
  if (auto ok = Texts(
          {{"officer", filter.officer}, {"region", filter.region}, {"network", filter.network}});
      !ok) {
    return ok;
  }
  return OneOf("stage", filter.stage,
               std::vector<std::string>(workflows::kStages.begin(), workflows::kStages.end()));
}

std::expected<void, Error> CheckFilter(const MilestoneFilter& filter) {
  if (auto ok = Texts({{"network", filter.network}, {"officer", filter.officer}}); !ok) return ok;
  if (auto ok = OneOf("status", filter.status, StatesOf(workflows::MilestoneWorkflow())); !ok) {
    return ok;
  }
  if (!filter.due_before.empty() &&
      (filter.due_before.size() != 10 || !ParseRfc3339(filter.due_before))) {
    return std::unexpected(MakeError(ErrorCode::kValidation,
                                     "due-before '" + filter.due_before +
                                         "' is not a date; expected YYYY-MM-DD, e.g. 2026-12-31"));
  }
  return {};
}

std::expected<void, Error> CheckFilter(const StepFilter& filter) {
  if (auto ok = Texts({{"network", filter.network}, {"plan", filter.plan}}); !ok) return ok;
  return OneOf("status", filter.status, StatesOf(workflows::StepWorkflow()));
}

std::expected<void, Error> CheckFilter(const AuditFilter& filter,
                                       std::span<const std::string> event_types) {
  if (auto ok = Texts({{"person", filter.actor}, {"network", filter.network}}); !ok) return ok;
  if (auto ok = OneOf("type", filter.type,
                      std::vector<std::string>(event_types.begin(), event_types.end()));
      !ok) {
    return ok;
  }
  for (const auto& [name, value] : {std::pair{"from", &filter.from}, {"before", &filter.before}}) {
    if (!value->empty() && (value->size() <= 10 || !ParseRfc3339(*value))) {
      return std::unexpected(
          MakeError(ErrorCode::kValidation,
                    std::string(name) + " '" + *value +
                        "' is not a time; expected RFC 3339, e.g. 2026-12-01T09:30:00Z"));
    }
  }
  return {};
}

std::string EncodeCursor(const boost::json::array& sort_key) {
  const std::string json = boost::json::serialize(sort_key);
  std::string out;
  out.reserve(2 * json.size());
  for (unsigned char c : json) {
    out += kDigits[c >> 4];
    out += kDigits[c & 0xf];
  }
  return out;
}

std::expected<std::vector<std::string>, Error> DecodeCursor(std::string_view cursor,
                                                            std::span<const CursorKey> shape) {
  const std::size_t keys = shape.size();
  const auto bad = [] {
    return std::unexpected(MakeError(ErrorCode::kValidation,
                                     "cursor: pass back the `next` value of the previous page, "
                                     "unchanged (or leave it out for the first page)"));
  };
  if (cursor.size() % 2 != 0 || cursor.size() > 2048) return bad();
  std::string json;
  for (std::size_t i = 0; i < cursor.size(); i += 2) {
    const int hi = Nibble(cursor[i]), lo = Nibble(cursor[i + 1]);
    if (hi < 0 || lo < 0) return bad();
    json += static_cast<char>(hi * 16 + lo);
  }
  boost::json::error_code ec;
  const auto value = boost::json::parse(json, ec);
  if (ec || !value.is_array() || value.as_array().size() != keys) return bad();
  std::vector<std::string> out;
  for (std::size_t i = 0; i < keys; ++i) {
    const auto* key = value.as_array()[i].if_string();
    if (!key || CharacterCount(*key) > 300 || !TextProblem(*key, TextLines::kOne).empty()) {
      return bad();
    }
    if (shape[i] == CursorKey::kDate && (key->size() != 10 || !ParseRfc3339(*key))) return bad();
    if (shape[i] == CursorKey::kWhole &&
        (key->empty() || key->size() > 18 ||
         key->find_first_not_of("0123456789") != std::string::npos)) {
      return bad();
    }
    out.emplace_back(*key);
  }
  return out;
}

}  // namespace waymark::projections
