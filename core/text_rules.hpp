#pragma once

// What text every consumer can hold. One rule, used by the write side (a
// command's fields, an event read back for folding, an import, metadata such
// as an idempotency key or an actor's name), so that whatever is accepted can
// be stored, projected into PostgreSQL, shown on a page and exported:
// valid UTF-8 (no overlong forms, no surrogates), no NUL, no other C0 control,
// no DEL and no C1 control; tab and newline only where a text may span lines.

#include <cstddef>
#include <string>
#include <string_view>

namespace waymark {

enum class TextLines {
  kOne,   // a name, a title, a key: no control character at all
  kMany,  // a note, a reason, a description: tab and newline allowed
};

// True when `text` is well-formed UTF-8 (RFC 3629).
bool IsValidUtf8(std::string_view text);

// "" when `text` keeps the rule; otherwise what is wrong, for a person
// ("contains a control character (U+0000) at character 12").
std::string TextProblem(std::string_view text, TextLines lines);

// The number of characters (code points) of valid UTF-8 `text`.
std::size_t CharacterCount(std::string_view text);

// At most `max_chars` characters of valid UTF-8 `text`, never cutting one in
// two (a label shortened for a page stays valid UTF-8).
std::string_view TruncateCharacters(std::string_view text, std::size_t max_chars);

// A person's name as one identity: surrounding white space removed, inner
// runs of white space one space, ASCII letters in lower case ("Olivia ",
// "olivia" and " OLIVIA" are one person). Four eyes compares these.
std::string PersonKey(std::string_view name);

// The dates and times Waymark accepts anywhere (a due date, an as-of, a
// timer): years 1900 to 2999, far inside what PostgreSQL's date and
// timestamptz, the timer store and the text forms hold.
inline constexpr int kFirstYear = 1900;
inline constexpr int kLastYear = 2999;

}  // namespace waymark
