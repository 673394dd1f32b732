#include "application/sessions.hpp"

#include <map>
#include <mutex>

#include "core/secrets.hpp"

namespace waymark {
namespace {

constexpr std::string_view kPrefix = "wms_";
constexpr std::size_t kIdBytes = 8, kSecretBytes = 32;

std::unexpected<Error> SignInAgain(std::string why) {
  return std::unexpected(
      MakeError(ErrorCode::kUnauthenticated, std::move(why) + "; sign in again"));
}

// The id and secret of a well-formed cookie value.
std::optional<std::pair<std::string_view, std::string_view>> Parts(std::string_view cookie) {
  if (!cookie.starts_with(kPrefix)) return std::nullopt;
  cookie.remove_prefix(kPrefix.size());
  const auto cut = cookie.find('_');
  if (cut != 2 * kIdBytes || cookie.size() != cut + 1 + 2 * kSecretBytes) return std::nullopt;
  const std::string_view id = cookie.substr(0, cut), secret = cookie.substr(cut + 1);
  if (!IsLowerHex(id) || !IsLowerHex(secret)) return std::nullopt;
  return std::pair{id, secret};
}

class MemorySessionStore final : public SessionStore {
 public:
  std::expected<void, Error> Insert(const SessionRecord& record,
                                    const std::string& secret_sha256) override {
    std::lock_guard lock(mu_);
    if (!sessions_.try_emplace(record.id, record, secret_sha256).second) {
      return std::unexpected(
          MakeError(ErrorCode::kConflict, "session id " + record.id + " is taken"));
    }
    return {};
  }
  std::expected<std::optional<std::pair<SessionRecord, std::string>>, Error> Find(
      std::string_view id) override {
    std::lock_guard lock(mu_);
    auto it = sessions_.find(std::string(id));
    if (it == sessions_.end()) return std::nullopt;
    return it->second;
  }
  std::expected<bool, Error> End(std::string_view id, Timestamp at) override {
    std::lock_guard lock(mu_);
    auto it = sessions_.find(std::string(id));
    if (it == sessions_.end() || it->second.first.ended_at) return false;
    it->second.first.ended_at = at;
    return true;
  }

 private:
  std::mutex mu_;
  std::map<std::string, std::pair<SessionRecord, std::string>> sessions_;  // guarded by mu_
};

}  // namespace

std::unique_ptr<SessionStore> MakeMemorySessionStore() {
  return std::make_unique<MemorySessionStore>();
}

std::expected<BegunSession, Error> BeginSession(SessionStore& sessions, Clock& clock,
                                                const Identity& identity) {
  const Timestamp now = clock.Now();
  BegunSession begun{{RandomHex(kIdBytes), identity.token_id, now, now + kSessionLifetime, {}}, {}};
  const std::string secret = RandomHex(kSecretBytes);
  begun.cookie = std::string(kPrefix) + begun.record.id + "_" + secret;
  if (auto stored = sessions.Insert(begun.record, Sha256Hex(secret)); !stored) {
    return std::unexpected(stored.error());
  }
  return begun;
}

std::expected<SessionIdentity, Error> AuthenticateSession(SessionStore& sessions,
                                                          TokenStore& tokens, Clock& clock,
                                                          std::string_view cookie) {
  const auto parts = Parts(cookie);
  if (!parts) return SignInAgain("this is not a Waymark session");
  auto found = sessions.Find(parts->first);
  if (!found) return std::unexpected(found.error());
  const std::string presented = Sha256Hex(parts->second);
  // Unknown ids and wrong secrets take the same path and the same answer.
  const std::string& stored = *found ? (*found)->second : presented;
  if (!*found || !ConstantTimeEqual(stored, presented))
    return SignInAgain("the session is unknown");
  const SessionRecord& session = (*found)->first;
  if (session.ended_at) return SignInAgain("the session was signed out");
  if (clock.Now() >= session.expires_at) return SignInAgain("the session has expired");
  auto token = tokens.Find(session.token_id);
  if (!token) return std::unexpected(token.error());
  if (!*token || (*token)->first.revoked_at) {
    return SignInAgain("the token this session rests on was revoked");
  }
  const TokenRecord& record = (*token)->first;
  return SessionIdentity{session.id,
                         Identity{record.id, {record.name, record.role, record.network_id}}};
}

std::expected<bool, Error> SessionStands(SessionStore& sessions, TokenStore& tokens, Clock& clock,
                                         std::string_view id) {
  auto found = sessions.Find(id);
  if (!found) return std::unexpected(found.error());
  if (!*found || (*found)->first.ended_at || clock.Now() >= (*found)->first.expires_at) {
    return false;
  }
  auto token = tokens.Find((*found)->first.token_id);
  if (!token) return std::unexpected(token.error());
  return *token && !(*token)->first.revoked_at;
}

std::expected<void, Error> EndSession(SessionStore& sessions, Clock& clock,
                                      std::string_view cookie) {
  const auto parts = Parts(cookie);
  if (!parts) return {};
  auto found = sessions.Find(parts->first);
  if (!found) return std::unexpected(found.error());
  if (!*found || !ConstantTimeEqual((*found)->second, Sha256Hex(parts->second))) return {};
  auto ended = sessions.End(parts->first, clock.Now());
  if (!ended) return std::unexpected(ended.error());
  return {};
}

}  // namespace waymark
