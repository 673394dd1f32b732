#include "core/stream_name.hpp"

#include <string>

namespace waymark {
namespace {

constexpr std::size_t kMaxKind = 32;
constexpr std::size_t kMaxId = 64;

bool IsIdChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

}  // namespace

bool IsValidId(std::string_view id) {
  if (id.empty() || id.size() > kMaxId) return false;
  for (char c : id) {
    if (!IsIdChar(c)) return false;
  }
  return true;
}

std::expected<StreamName, Error> ParseStreamName(std::string_view stream) {
  auto refuse = [&](std::string_view why) {
    std::string shown(stream.substr(0, 100));
    return std::unexpected(
        MakeError(ErrorCode::kValidation,
                  "stream '" + shown + "' is not a valid stream name: " + std::string(why) +
                      "; expected <kind>-<id>, kind in lowercase letters, id of 1-64 characters "
                      "from A-Z a-z 0-9 _ - (e.g. network-north-east)"));
  };
  const auto dash = stream.find('-');
  if (dash == std::string_view::npos) return refuse("no '-' between kind and id");
  const auto kind = stream.substr(0, dash);
  const auto id = stream.substr(dash + 1);
  if (kind.empty() || kind.size() > kMaxKind) return refuse("the kind must be 1-32 characters");
  if (kind.front() < 'a' || kind.front() > 'z') return refuse("the kind must start with a-z");
  for (char c : kind) {
    if (!((c >= 'a' && c <= 'z') || c == '_')) return refuse("the kind may hold only a-z and _");
  }
  if (id.empty()) return refuse("the id is empty");
  if (id.size() > kMaxId) return refuse("the id is longer than 64 characters");
  if (!IsValidId(id)) return refuse("the id holds a character outside A-Z a-z 0-9 _ -");
  return StreamName{kind, id};
}

}  // namespace waymark
