#pragma once

// The dashboard's sign-in sessions: the server's own, never the bearer token.
// A session is made when a person signs in with a token, lives at most
// kSessionLifetime on the server's clock, ends at sign-out, and ends at once
// when its token is revoked (every use looks the token up again).

#include <chrono>
#include <expected>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "application/tokens.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"

namespace waymark {

inline constexpr std::chrono::hours kSessionLifetime{12};

// A session as stored: whose token it rests on and when it ends; never its secret.
struct SessionRecord {
  std::string id;
  std::string token_id;
  Timestamp created_at{};
  Timestamp expires_at{};
  std::optional<Timestamp> ended_at;  // signed out
};

// Where sessions are kept: each record and the SHA-256 (hex) of its secret.
//
// Thread-safety: every method may be called from any thread concurrently.
// Failure: kUnavailable when the backing store fails; nothing half-written.
class SessionStore {
 public:
  virtual ~SessionStore() = default;
  // kConflict when the id is taken.
  virtual std::expected<void, Error> Insert(const SessionRecord& record,
                                            const std::string& secret_sha256) = 0;
  // The record and its secret's hash, or nullopt for an unknown id.
  virtual std::expected<std::optional<std::pair<SessionRecord, std::string>>, Error> Find(
      std::string_view id) = 0;
  // Marks the session ended at `at`; false when no such session or ended already.
  virtual std::expected<bool, Error> End(std::string_view id, Timestamp at) = 0;
};

std::unique_ptr<SessionStore> MakeMemorySessionStore();

// A session just begun: its record and the cookie value, to be set once.
struct BegunSession {
  SessionRecord record;
  std::string cookie;  // "wms_<id>_<secret>": 64 random bits of id, 256 of secret, hex
};

// Begins a session for a token already authenticated as `identity`.
std::expected<BegunSession, Error> BeginSession(SessionStore& sessions, Clock& clock,
                                                const Identity& identity);

// Who a session cookie speaks for now: its token's identity, and the
// session's id. kUnauthenticated (never quoting the cookie) for a malformed,
// unknown, expired or ended session, or one whose token is revoked;
// kUnavailable when a store fails. The secret is compared in constant time.
struct SessionIdentity {
  std::string session_id;
  Identity identity;
};
std::expected<SessionIdentity, Error> AuthenticateSession(SessionStore& sessions,
                                                          TokenStore& tokens, Clock& clock,
                                                          std::string_view cookie);

// Whether session `id` still stands now (not ended, not expired, its token
// not revoked): what keeps a session's open event streams open.
std::expected<bool, Error> SessionStands(SessionStore& sessions, TokenStore& tokens, Clock& clock,
                                         std::string_view id);

// Ends the session a cookie names (sign-out); a cookie that names none is no error.
std::expected<void, Error> EndSession(SessionStore& sessions, Clock& clock,
                                      std::string_view cookie);

}  // namespace waymark
