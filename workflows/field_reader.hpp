#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/text_rules.hpp"

namespace waymark::workflows {

// Pence as the recorded pounds text, "1250.50", and back: the one spelling of
// money in events (FieldReader::Pounds records it; the report sums it).
std::string PoundsText(std::int64_t pence);
std::int64_t PenceOf(std::string_view pounds_text);  // 0 for text not so spelt

// Reads a command's or event's fields, checking each; keeps the first
// problem, which names the field and what would be accepted. A field that
// fails reads as empty, so callers read on and ask error() at the end.
class FieldReader {
 public:
  explicit FieldReader(const boost::json::object& data) : data_(data) {}

  std::string Id(std::string_view field);  // [A-Za-z0-9_-]{1,64}
  // 1..max characters of text every consumer holds (core/text_rules.hpp):
  // tab and newline only for kMany, where CR LF is read as LF.
  std::string Text(std::string_view field, std::size_t max_chars,
                   TextLines lines = TextLines::kMany);
  std::string Date(std::string_view field);                // YYYY-MM-DD
  std::string Instant(std::string_view field);             // RFC 3339
  std::vector<std::string> Links(std::string_view field);  // 0..20 http(s) URLs
  // One of `choices`; the error lists them.
  std::string OneOf(std::string_view field, std::span<const std::string_view> choices);
  std::string OneOf(std::string_view field, std::initializer_list<std::string_view> choices) {
    return OneOf(field, std::span<const std::string_view>(choices.begin(), choices.size()));
  }
  // A whole number in [min, max].
  std::int64_t Int(std::string_view field, std::int64_t min, std::int64_t max);
  // An amount of pounds, 0 to 999,999,999,999.99, with at most two decimals:
  // a JSON number whose value is exactly that (1250.5) or a string of digits
  // ("1250.50"); returned as a string with two decimals ("1250.50").
  std::string Pounds(std::string_view field);
  // An id, or "" when the field is absent.
  std::string OptionalId(std::string_view field);

  // Records a problem found by the caller (e.g. between two fields), unless
  // one was found already.
  void Fail(std::string_view field, std::string_view expected);

  const std::optional<Error>& error() const { return error_; }
  // The JSON being read, for rules of their own (a structured field).
  const boost::json::object& data() const { return data_; }

 private:
  const boost::json::string* String(std::string_view field, std::string_view expected);

  const boost::json::object& data_;
  std::optional<Error> error_;
};

}  // namespace waymark::workflows
