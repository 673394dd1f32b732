#pragma once

#include <expected>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/workflow.hpp"

namespace waymark {

// A bearer token as stored: who it speaks for, never its secret.
struct TokenRecord {
  std::string id;          // public; shown by `token list`, named by `token revoke`
  std::string role;        // admin | officer | network | auditor
  std::string name;        // the person (or network coordinator) it was issued to
  std::string network_id;  // role network: the one network it acts for; else empty
  Timestamp created_at{};
  std::optional<Timestamp> revoked_at;
};

// Where tokens are kept: each token's record and the SHA-256 (hex) of its
// secret, never the secret itself.
//
// Thread-safety: every method may be called from any thread concurrently.
// Failure: kUnavailable when the backing store fails; nothing half-written.
class TokenStore {
 public:
  virtual ~TokenStore() = default;
  // kConflict when the id is taken.
  virtual std::expected<void, Error> Insert(const TokenRecord& record,
                                            const std::string& secret_sha256) = 0;
  // The record and its secret's hash, or nullopt for an unknown id.
  virtual std::expected<std::optional<std::pair<TokenRecord, std::string>>, Error> Find(
      std::string_view id) = 0;
  // Every token, revoked ones too, oldest first.
  virtual std::expected<std::vector<TokenRecord>, Error> List() = 0;
  // Marks the token revoked at `at`; false when no such token or already revoked.
  virtual std::expected<bool, Error> Revoke(std::string_view id, Timestamp at) = 0;
};

std::unique_ptr<TokenStore> MakeMemoryTokenStore();

// A token just made: its record and the whole token, to be shown once.
struct IssuedToken {
  TokenRecord record;
  std::string token;  // "wmk_<id>_<secret>": 64 random bits of id, 256 of secret, hex
};

// Makes and stores a token. kValidation names what is accepted: a role of
// admin, officer, network, auditor; a name of 1-100 printable characters; a
// network id ([A-Za-z0-9_-]{1,64}) exactly when the role is network.
std::expected<IssuedToken, Error> CreateToken(TokenStore& store, Clock& clock,
                                              std::string_view role, std::string_view name,
                                              std::string_view network_id);

// Who a presented token speaks for: its id, and the actor that commands are
// recorded under (the token's name, role and network). The secret's hash is
// compared in constant time. kUnauthenticated for a malformed, unknown or
// revoked token (the message never quotes the token); kUnavailable when the
// store fails.
struct Identity {
  std::string token_id;
  Actor actor;  // name = the token's name, role, network (role network)
};
std::expected<Identity, Error> Authenticate(TokenStore& store, std::string_view token);

}  // namespace waymark
