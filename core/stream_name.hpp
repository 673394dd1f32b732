#pragma once

#include <expected>
#include <string_view>

#include "core/error.hpp"

namespace waymark {

// A stream name is "<kind>-<id>": kind is lowercase letters and underscores
// (1-32, starting with a letter), id is [A-Za-z0-9_-]{1,64}.
struct StreamName {
  std::string_view kind;
  std::string_view id;
};

// Splits and checks a stream name; the error names what is wrong and the accepted form.
std::expected<StreamName, Error> ParseStreamName(std::string_view stream);

// True when `id` is a valid id on its own ([A-Za-z0-9_-]{1,64}).
bool IsValidId(std::string_view id);

}  // namespace waymark
