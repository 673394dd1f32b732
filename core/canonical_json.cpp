#include "core/canonical_json.hpp"

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <charconv>
#include <cmath>
#include <vector>

namespace waymark {
namespace {

// Appends `text` as a JSON string, escaped exactly as Boost.JSON does: '"',
// '\\' and control characters; everything else, UTF-8 included, verbatim.
void AppendQuoted(std::string_view text, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  std::size_t run = 0;  // start of the pending unescaped run
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text.data() + run, i - run);
    run = i + 1;
    out.push_back('\\');
    switch (c) {
      case '"':
        out.push_back('"');
        break;
      case '\\':
        out.push_back('\\');
        break;
      case '\b':
        out.push_back('b');
        break;
      case '\t':
        out.push_back('t');
        break;
      case '\n':
        out.push_back('n');
        break;
      case '\f':
        out.push_back('f');
        break;
      case '\r':
        out.push_back('r');
        break;
      default:
        out += "u00";
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 0xf]);
    }
  }
  out.append(text.data() + run, text.size() - run);
  out.push_back('"');
}

template <typename Int>
void AppendInteger(Int value, std::string& out) {
  char buf[24];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, end);
}

}  // namespace

void AppendCanonicalJsonString(std::string_view text, std::string& out) { AppendQuoted(text, out); }

void AppendCanonicalJson(const boost::json::value& value, std::string& out) {
  switch (value.kind()) {
    case boost::json::kind::object: {
      const auto& obj = value.get_object();
      std::vector<const boost::json::key_value_pair*> members;
      members.reserve(obj.size());
      for (const auto& kv : obj) members.push_back(&kv);
      std::sort(members.begin(), members.end(),
                [](const auto* a, const auto* b) { return a->key() < b->key(); });
      out.push_back('{');
      bool first = true;
      for (const auto* kv : members) {
        if (!first) out.push_back(',');
        first = false;
        AppendQuoted(kv->key(), out);
        out.push_back(':');
        AppendCanonicalJson(kv->value(), out);
      }
      out.push_back('}');
      return;
    }
    case boost::json::kind::array: {
      out.push_back('[');
      bool first = true;
      for (const auto& item : value.get_array()) {
        if (!first) out.push_back(',');
        first = false;
        AppendCanonicalJson(item, out);
      }
      out.push_back(']');
      return;
    }
    case boost::json::kind::string:
      AppendQuoted(value.get_string(), out);
      return;
    case boost::json::kind::int64:
      AppendInteger(value.get_int64(), out);
      return;
    case boost::json::kind::uint64:
      AppendInteger(value.get_uint64(), out);
      return;
    case boost::json::kind::bool_:
      out += value.get_bool() ? "true" : "false";
      return;
    case boost::json::kind::null:
      out += "null";
      return;
    case boost::json::kind::double_:
      if (!std::isfinite(value.get_double())) {
        out += "null";  // unreachable through the parsers (HoldsNonFiniteNumber)
        return;
      }
      out += boost::json::serialize(value);
      return;
  }
}

namespace {

// True when some number in `value`, at any depth, is a double for which `test` holds.
template <class Test>
bool AnyDouble(const boost::json::value& value, const Test& test) {
  if (value.is_double()) return test(value.get_double());
  if (const auto* a = value.if_array()) {
    return std::any_of(a->begin(), a->end(),
                       [&](const auto& item) { return AnyDouble(item, test); });
  }
  if (const auto* o = value.if_object()) {
    return std::any_of(o->begin(), o->end(),
                       [&](const auto& member) { return AnyDouble(member.value(), test); });
  }
  return false;
}

}  // namespace

bool HoldsFloatingPoint(const boost::json::value& value) {
  return AnyDouble(value, [](double) { return true; });
}

bool HoldsNonFiniteNumber(const boost::json::value& value) {
  return AnyDouble(value, [](double d) { return !std::isfinite(d); });
}

std::string CanonicalJson(const boost::json::value& value) {
  std::string out;
  out.reserve(256);
  AppendCanonicalJson(value, out);
  return out;
}

}  // namespace waymark
