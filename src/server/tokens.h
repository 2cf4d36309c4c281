// API tokens and roles for `icts serve`.
//
// A token is "icts_" followed by 64 hex digits (32 random bytes). Only its
// SHA-256 is kept. Tokens live in the store's hash-chained audit log: a
// "token.create" event whose subject names the token's id, role, hash and
// user name, and a "token.revoke" event to withdraw one. So creating or
// revoking a token is itself audited, and the store needs no table of its
// own for them.
//
// Thread safety: TokenRegistry is safe to use from several threads.
#ifndef ICTS_SERVER_TOKENS_H_
#define ICTS_SERVER_TOKENS_H_

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "store/store.h"

namespace icts::server {

// Ordered: each role may do what the roles before it may.
enum class Role { kViewer = 0, kAnalyst = 1, kReviewer = 2, kAdmin = 3 };
std::string_view RoleName(Role role);  // viewer | analyst | reviewer | admin
Result<Role> ParseRole(std::string_view name);

struct TokenInfo {
  std::string id;    // "tok-" + first 12 hex digits of the hash.
  std::string name;  // The user the token acts for.
  Role role = Role::kViewer;
  std::string sha256;  // Hex SHA-256 of the token text.
};

// Hex SHA-256 of `token`.
std::string HashToken(std::string_view token);

// A user name for a token: 1-64 of [A-Za-z0-9._@-].
Status CheckTokenName(std::string_view name);

// Makes a new random token for `name` with `role`, records it in `store`
// (attributed to `actor`) and returns the token text, which is shown once and
// never stored. *info gets the record.
Result<std::string> CreateToken(store::Store& store, std::string_view actor, Role role,
                                const std::string& name, TokenInfo* info);

// Withdraws the active token with `id` (NotFound when no active token has
// it). A server that reads the store sees the revocation within about a
// second (TokenRegistry::RefreshIfOlder).
Status RevokeToken(store::Store& store, std::string_view actor, const std::string& id);

// The tokens recorded in a store, read from its audit log and kept up to date
// by reading only the events after the last one seen.
class TokenRegistry {
 public:
  // Reads events after the last one seen. `store` is used only during the call.
  Status Refresh(store::Store& store);
  // Refresh() when the last one is older than `max_age_ms` (tokens revoked
  // by another process then stop working within that time).
  Status RefreshIfOlder(store::Store& store, int64_t max_age_ms);
  bool IsOlderThan(int64_t max_age_ms) const;
  // The token whose text is `token`, or nullopt.
  std::optional<TokenInfo> Find(std::string_view token) const;
  // The active token with `id`, or nullopt.
  std::optional<TokenInfo> FindId(std::string_view id) const;
  // Active tokens, by id.
  std::vector<TokenInfo> List() const;
  size_t size() const;

 private:
  mutable std::mutex mu_;
  int64_t last_seq_ = 0;
  int64_t refreshed_ms_ = 0;  // Steady-clock time of the last Refresh().
  std::map<std::string, TokenInfo> by_hash_;  // Active tokens by hex hash.
};

}  // namespace icts::server

#endif  // ICTS_SERVER_TOKENS_H_
