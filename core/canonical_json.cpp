#include "core/canonical_json.hpp"

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <vector>

namespace waymark {

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
        out += boost::json::serialize(boost::json::string_view(kv->key()));
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
    default:
      out += boost::json::serialize(value);
      return;
  }
}

std::string CanonicalJson(const boost::json::value& value) {
  std::string out;
  AppendCanonicalJson(value, out);
  return out;
}

}  // namespace waymark
