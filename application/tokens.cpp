#include "application/tokens.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <map>
#include <mutex>

#include "core/secrets.hpp"
#include "core/stream_name.hpp"
#include "core/text_rules.hpp"
#include "workflows/registry.hpp"

namespace waymark {
namespace {

constexpr std::string_view kPrefix = "wmk_";
constexpr std::size_t kIdBytes = 8, kSecretBytes = 32;

std::unexpected<Error> Refuse(ErrorCode code, std::string message) {
  return std::unexpected(MakeError(code, std::move(message)));
}

class MemoryTokenStore final : public TokenStore {
 public:
  std::expected<void, Error> Insert(const TokenRecord& record,
                                    const std::string& secret_sha256) override {
    std::lock_guard lock(mu_);
    if (!tokens_.try_emplace(record.id, record, secret_sha256).second) {
      return Refuse(ErrorCode::kConflict, "token id " + record.id + " is taken");
    }
    order_.push_back(record.id);
    return {};
  }
  std::expected<std::optional<std::pair<TokenRecord, std::string>>, Error> Find(
      std::string_view id) override {
    std::lock_guard lock(mu_);
    auto it = tokens_.find(std::string(id));
    if (it == tokens_.end()) return std::nullopt;
    return it->second;
  }
  std::expected<std::vector<TokenRecord>, Error> List() override {
    std::lock_guard lock(mu_);
    std::vector<TokenRecord> out;
    for (const auto& id : order_) out.push_back(tokens_.at(id).first);
    return out;
  }
  std::expected<bool, Error> Revoke(std::string_view id, Timestamp at) override {
    std::lock_guard lock(mu_);
    auto it = tokens_.find(std::string(id));
    if (it == tokens_.end() || it->second.first.revoked_at) return false;
    it->second.first.revoked_at = at;
    return true;
  }

 private:
  std::mutex mu_;
  std::map<std::string, std::pair<TokenRecord, std::string>> tokens_;  // guarded by mu_
  std::vector<std::string> order_;                                     // guarded by mu_
};

}  // namespace

std::unique_ptr<TokenStore> MakeMemoryTokenStore() { return std::make_unique<MemoryTokenStore>(); }

std::expected<IssuedToken, Error> CreateToken(TokenStore& store, Clock& clock,
                                              std::string_view role, std::string_view name,
                                              std::string_view network_id) {
  // A person's roles: the domain's, but the engine's own (its policies and timers).
  const AccessModel access = workflows::Access();
  std::vector<std::string> roles;
  for (const auto& r : access.roles) {
    if (r != kEngineRole) roles.push_back(r);
  }
  if (std::find(roles.begin(), roles.end(), role) == roles.end()) {
    std::string known;
    for (const auto& r : roles) known += (known.empty() ? "" : ", ") + r;
    return Refuse(ErrorCode::kValidation,
                  "role '" + std::string(role) + "' is not one a token can have: " + known);
  }
  // One spelling per person: white space trimmed and single (PersonKey's
  // rule, case kept for display).
  std::string person;
  for (char c : name) {
    if (c == ' ') {
      if (!person.empty() && person.back() != ' ') person += ' ';
    } else {
      person += c;
    }
  }
  while (!person.empty() && person.back() == ' ') person.pop_back();
  if (person.empty() || CharacterCount(person) > 100 ||
      !TextProblem(person, TextLines::kOne).empty()) {
    return Refuse(ErrorCode::kValidation,
                  "name: 1 to 100 characters on one line (no control characters), the person the "
                  "token is for");
  }
  if (role == access.tenant_role) {
    if (!IsValidId(network_id)) {
      return Refuse(ErrorCode::kValidation,
                    "a network token needs the network it acts for: an id of 1 to 64 of "
                    "A-Z a-z 0-9 _ -");
    }
  } else if (!network_id.empty()) {
    return Refuse(ErrorCode::kValidation, "a network id is for role " + access.tenant_role +
                                              " only, not " + std::string(role));
  }
  IssuedToken issued{{RandomHex(kIdBytes), std::string(role), person, std::string(network_id),
                      clock.Now(), std::nullopt},
                     {}};
  const std::string secret = RandomHex(kSecretBytes);
  issued.token = std::string(kPrefix) + issued.record.id + "_" + secret;
  if (auto stored = store.Insert(issued.record, Sha256Hex(secret)); !stored) {
    return std::unexpected(stored.error());
  }
  return issued;
}

std::expected<Identity, Error> Authenticate(TokenStore& store, std::string_view token) {
  const auto malformed = [] {
    return Refuse(ErrorCode::kUnauthenticated,
                  "the bearer token is not a Waymark token (wmk_ followed by its id and secret); "
                  "ask an admin for one (waymark token create)");
  };
  if (!token.starts_with(kPrefix)) return malformed();
  token.remove_prefix(kPrefix.size());
  const auto cut = token.find('_');
  if (cut != 2 * kIdBytes || token.size() != cut + 1 + 2 * kSecretBytes) return malformed();
  const std::string_view id = token.substr(0, cut), secret = token.substr(cut + 1);
  if (!IsLowerHex(id) || !IsLowerHex(secret)) return malformed();
  auto found = store.Find(id);
  if (!found) return std::unexpected(found.error());
  const std::string presented = Sha256Hex(secret);
  // Unknown and wrong secrets take the same path and the same answer.
  const std::string& stored = *found ? (*found)->second : presented;
  const bool equal = ConstantTimeEqual(stored, presented);
  if (!*found || !equal) {
    return Refuse(ErrorCode::kUnauthenticated,
                  "the bearer token is unknown; ask an admin for one (waymark token create)");
  }
  const TokenRecord& record = (*found)->first;
  if (record.revoked_at) {
    return Refuse(ErrorCode::kUnauthenticated,
                  "the bearer token " + record.id + " was revoked; ask an admin for a new one");
  }
  return Identity{record.id, {record.name, record.role, record.network_id}};
}

}  // namespace waymark
