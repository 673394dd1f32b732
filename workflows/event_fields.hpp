#pragma once

// Each event's fields, declared once. An event is a plain struct whose
// members are field types that carry their own rule, described with
// Boost.Describe:
//
//   struct Rescheduled {
//     static constexpr const char* kType = "MilestoneRescheduled";
//     static constexpr const char* kCommand = "RescheduleMilestone";
//     fields::Date due;
//     fields::Text<1000> reason;
//   };
//   BOOST_DESCRIBE_STRUCT(Rescheduled, (), (due, reason))
//
// From that one declaration: ReadEvent (JSON in, each field checked, the
// first problem naming the field and what would be accepted), WriteEvent
// (JSON out) and ReadEventOf (the event of a stored or decided type). An
// event with a rule between fields adds `static void Check(const E&,
// FieldReader&)`. Adding a field is one member, its name in the macro, and
// (for a new kind of value) its rule here.
//
// Versions: an event's type and schema version never change meaning once
// released. An event that gains a field says `static constexpr int
// kSchemaVersion = 2;` and declares the field `NewIn<2, Rule>`: required (by
// its rule) from version 2 on, absent (empty) in events stored before. Where
// an older shape must be transformed, `static void Upcast(int from,
// boost::json::object& data)` does it on read. New events are recorded in
// the newest version. A rule that is new in a version must not re-judge
// history: an event that declares `int schema = 0;` (not described, so not in
// its JSON) learns the version it was read in, and its guards apply the rules
// of that version.

#include <boost/describe/class.hpp>
#include <boost/describe/members.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/mp11/algorithm.hpp>
#include <cstdint>
#include <expected>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "core/error.hpp"
#include "core/workflow.hpp"
#include "workflows/field_reader.hpp"

namespace waymark::workflows::fields {

// Text-valued fields are strings with a rule: usable wherever a string is.
template <class Self>
struct TextField : std::string {
  TextField() = default;
  TextField(std::string s) : std::string(std::move(s)) {}  // NOLINT: a string is one
  TextField(const char* s) : std::string(s) {}             // NOLINT
};

// A stream id: [A-Za-z0-9_-]{1,64}.
struct Id : TextField<Id> {
  using TextField::TextField;
  static Id Read(FieldReader& r, std::string_view f) { return r.Id(f); }
  static void Describe(CommandField& f) { f.kind = "id"; }
};
// An id, or "" when absent (and then left out of the JSON).
struct OptionalId : TextField<OptionalId> {
  using TextField::TextField;
  static constexpr bool kOmitEmpty = true;
  static OptionalId Read(FieldReader& r, std::string_view f) { return r.OptionalId(f); }
  static void Describe(CommandField& f) {
    f.kind = "id";
    f.required = false;
  }
};
// 1..Max characters, tab and newline allowed (a note, a reason, a description).
template <std::size_t Max>
struct Text : TextField<Text<Max>> {
  using TextField<Text<Max>>::TextField;
  static Text Read(FieldReader& r, std::string_view f) { return r.Text(f, Max); }
  static void Describe(CommandField& f) {
    f.kind = "text";
    f.min = 1;
    f.max = Max;
    f.multiline = true;
  }
};
// 1..Max characters on one line (a name, a title, who did it): no tab or newline.
template <std::size_t Max>
struct Line : TextField<Line<Max>> {
  using TextField<Line<Max>>::TextField;
  static Line Read(FieldReader& r, std::string_view f) { return r.Text(f, Max, TextLines::kOne); }
  static void Describe(CommandField& f) {
    f.kind = "text";
    f.min = 1;
    f.max = Max;
  }
};
// YYYY-MM-DD, years 1900 to 2999.
struct Date : TextField<Date> {
  using TextField::TextField;
  static Date Read(FieldReader& r, std::string_view f) { return r.Date(f); }
  static void Describe(CommandField& f) { f.kind = "date"; }
};
// RFC 3339.
struct Instant : TextField<Instant> {
  using TextField::TextField;
  static Instant Read(FieldReader& r, std::string_view f) { return r.Instant(f); }
  static void Describe(CommandField& f) { f.kind = "instant"; }
};
// One of `Choices` (a constexpr array of string_view); the error lists them.
template <const auto& Choices>
struct OneOf : TextField<OneOf<Choices>> {
  using TextField<OneOf<Choices>>::TextField;
  static OneOf Read(FieldReader& r, std::string_view f) {
    return r.OneOf(f, std::span<const std::string_view>(Choices.data(), Choices.size()));
  }
  static void Describe(CommandField& f) {
    f.kind = "choice";
    f.choices.assign(Choices.begin(), Choices.end());
  }
};
// Pounds with at most two decimals, kept as a string ("1250.50"): exact, never a float.
struct Pounds : TextField<Pounds> {
  using TextField::TextField;
  static Pounds Read(FieldReader& r, std::string_view f) { return r.Pounds(f); }
  static void Describe(CommandField& f) { f.kind = "pounds"; }
};
// 0..20 http(s) URLs.
struct Links : std::vector<std::string> {
  Links() = default;
  Links(std::vector<std::string> v) : std::vector<std::string>(std::move(v)) {}  // NOLINT
  Links(std::initializer_list<std::string> v) : std::vector<std::string>(v) {}
  static Links Read(FieldReader& r, std::string_view f) { return r.Links(f); }
  static void Describe(CommandField& f) {
    f.kind = "links";
    f.required = false;  // none is a list too
    f.max = 20;
  }
  boost::json::value ToJson() const { return boost::json::array(begin(), end()); }
};
// A whole number in [Min, Max].
template <std::int64_t Min, std::int64_t Max>
struct Int {
  std::int64_t value = 0;
  Int() = default;
  Int(std::int64_t v) : value(v) {}  // NOLINT: a number is one
  operator std::int64_t() const { return value; }
  static Int Read(FieldReader& r, std::string_view f) { return r.Int(f, Min, Max); }
  static void Describe(CommandField& f) {
    f.kind = "int";
    f.min = Min;
    f.max = Max;
  }
  boost::json::value ToJson() const { return value; }
};

// An optional field: absent (empty, and left out of the JSON) or valid by `Rule`.
template <class Rule>
struct Optional : Rule {
  using Rule::Rule;
  Optional() = default;
  Optional(Rule r) : Rule(std::move(r)) {}  // NOLINT
  static constexpr bool kOmitEmpty = true;
  static Optional Read(FieldReader& r, std::string_view f) {
    if (!r.data().contains(f)) return Optional();
    return Optional(Rule::Read(r, f));
  }
  static void Describe(CommandField& f) requires requires { Rule::Describe(f); }
  {
    Rule::Describe(f);
    f.required = false;
  }
};

// A field added in schema version `Since`: read by `Rule` in events of that
// version or later; absent, and empty, in older ones (and then left out).
template <int Since, class Rule>
struct NewIn : Rule {
  using Rule::Rule;
  NewIn() = default;
  NewIn(Rule r) : Rule(std::move(r)) {}  // NOLINT
  static constexpr bool kOmitEmpty = true;
  static NewIn ReadAt(FieldReader& r, std::string_view f, int version) {
    if (version < Since) return NewIn();
    return NewIn(Rule::Read(r, f));
  }
};

template <class T>
void Write(boost::json::object& out, std::string_view name, const T& v) {
  if constexpr (requires { T::kOmitEmpty; }) {
    if (v.empty()) return;
  }
  if constexpr (std::is_base_of_v<std::string, T>) {
    out[name] = std::string_view(v);
  } else {
    out[name] = v.ToJson();
  }
}

}  // namespace waymark::workflows::fields

namespace waymark::workflows {

template <class E>
using EventFields = boost::describe::describe_members<E, boost::describe::mod_public>;

// The schema version new events of type E are recorded in (1 unless it says).
template <class E>
constexpr int SchemaVersionOf() {
  if constexpr (requires { E::kSchemaVersion; }) {
    return E::kSchemaVersion;
  } else {
    return 1;
  }
}

// The event's data as JSON, field by field in declaration order.
template <class E>
boost::json::object WriteEvent(const E& e) {
  boost::json::object out;
  boost::mp11::mp_for_each<EventFields<E>>(
      [&](auto d) { fields::Write(out, d.name, e.*d.pointer); });
  return out;
}

// The event read from JSON stored in schema `version`, each field by its
// rule in declaration order (the first problem is the one reported), then the
// event's own Check if any.
template <class E>
std::expected<E, Error> ReadEvent(const boost::json::object& data, int version) {
  FieldReader r(data);
  E e{};
  boost::mp11::mp_for_each<EventFields<E>>([&](auto d) {
    using T = std::remove_cvref_t<decltype(e.*d.pointer)>;
    if constexpr (requires { T::ReadAt(r, d.name, version); }) {
      e.*d.pointer = T::ReadAt(r, d.name, version);
    } else {
      e.*d.pointer = T::Read(r, d.name);
    }
  });
  if constexpr (requires { E::Check(e, r); }) E::Check(e, r);
  if (auto error = r.error()) return std::unexpected(*error);
  return e;
}

// The fields of E a command may carry, each described by its rule; a field
// whose type has no Describe (a structure the engine fills in) is left out.
template <class E>
std::vector<CommandField> CommandFieldsOf() {
  std::vector<CommandField> out;
  boost::mp11::mp_for_each<EventFields<E>>([&](auto d) {
    using T = std::remove_cvref_t<decltype(std::declval<E&>().*d.pointer)>;
    if constexpr (requires(CommandField & f) { T::Describe(f); }) {
      CommandField f;
      f.name = d.name;
      T::Describe(f);
      out.push_back(std::move(f));
    }
  });
  return out;
}

// Read a new event, decided now: in its type's newest schema version.
inline constexpr int kNewestSchema = 0;

// The alternative of `Variant` whose kType is `type`, read from `data`
// stored in `schema_version` (upcast first when older than the newest;
// kNewestSchema: the newest);
// kCorrupt "unknown <noun> event <type>" when none is, or for a version newer
// than this build knows.
template <class Variant>
std::expected<Variant, Error> ReadEventOf(std::string_view type, int schema_version,
                                          const boost::json::object& data, std::string_view noun) {
  std::expected<Variant, Error> out = std::unexpected(MakeError(
      ErrorCode::kCorrupt, "unknown " + std::string(noun) + " event " + std::string(type)));
  boost::mp11::mp_for_each<boost::mp11::mp_iota_c<std::variant_size_v<Variant>>>([&](auto i) {
    using E = std::variant_alternative_t<i, Variant>;
    if (type != E::kType) return;
    constexpr int kNewest = SchemaVersionOf<E>();
    if (schema_version == kNewestSchema) schema_version = kNewest;
    if (schema_version < 1 || schema_version > kNewest) {
      out = std::unexpected(
          MakeError(ErrorCode::kCorrupt, std::string(type) + " in schema version " +
                                             std::to_string(schema_version) +
                                             ": this build reads 1 to " + std::to_string(kNewest)));
      return;
    }
    std::expected<E, Error> e;
    if constexpr (requires(boost::json::object & o) { E::Upcast(1, o); }) {
      if (schema_version < kNewest) {
        boost::json::object upcast = data;
        E::Upcast(schema_version, upcast);
        e = ReadEvent<E>(upcast, schema_version);
      } else {
        e = ReadEvent<E>(data, schema_version);
      }
    } else {
      e = ReadEvent<E>(data, schema_version);
    }
    if (e) {
      if constexpr (requires { e->schema = schema_version; }) e->schema = schema_version;
      out = Variant(std::move(*e));
    } else {
      out = std::unexpected(e.error());
    }
  });
  return out;
}

}  // namespace waymark::workflows
