#include "server/tokens.h"

#include <openssl/rand.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "base/sha256.h"
#include "base/strings.h"

namespace icts::server {
namespace {

constexpr std::string_view kCreateKind = "token.create";
constexpr std::string_view kRevokeKind = "token.revoke";
constexpr size_t kAuditPage = 10000;

// The create event's subject: "tok-…;role=…;sha256=…;name=…". Names cannot
// hold ';' or '=' (CheckTokenName), so the fields split cleanly.
std::string CreateSubject(const TokenInfo& t) {
  return t.id + ";role=" + std::string(RoleName(t.role)) + ";sha256=" + t.sha256 +
         ";name=" + t.name;
}

std::optional<TokenInfo> ParseCreateSubject(std::string_view subject) {
  TokenInfo t;
  std::vector<std::string_view> parts = SplitTrimmed(subject, ';');
  if (parts.size() != 4) return std::nullopt;
  t.id = std::string(parts[0]);
  for (size_t i = 1; i < parts.size(); ++i) {
    size_t eq = parts[i].find('=');
    if (eq == std::string_view::npos) return std::nullopt;
    std::string_view key = parts[i].substr(0, eq), value = parts[i].substr(eq + 1);
    if (key == "role") {
      Result<Role> r = ParseRole(value);
      if (!r.ok()) return std::nullopt;
      t.role = *r;
    } else if (key == "sha256") {
      t.sha256 = std::string(value);
    } else if (key == "name") {
      t.name = std::string(value);
    }
  }
  if (t.sha256.size() != 64 || t.name.empty()) return std::nullopt;
  return t;
}

}  // namespace

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kViewer:
      return "viewer";
    case Role::kAnalyst:
      return "analyst";
    case Role::kReviewer:
      return "reviewer";
    case Role::kAdmin:
      return "admin";
  }
  return "viewer";
}

Result<Role> ParseRole(std::string_view name) {
  for (Role r : {Role::kViewer, Role::kAnalyst, Role::kReviewer, Role::kAdmin}) {
    if (name == RoleName(r)) return r;
  }
  return InvalidArgumentError("role '" + std::string(name) +
                              "' is not viewer, analyst, reviewer or admin");
}

std::string HashToken(std::string_view token) { return Sha256Hex(token); }

Status CheckTokenName(std::string_view name) {
  bool ok = !name.empty() && name.size() <= 64;
  for (char c : name) {
    bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                   c == '.' || c == '_' || c == '@' || c == '-';
    ok = ok && allowed;
  }
  if (ok) return Status::Ok();
  return InvalidArgumentError("token name '" + std::string(name) +
                              "': use 1-64 of the characters A-Z a-z 0-9 . _ @ -");
}

Result<std::string> CreateToken(store::Store& store, std::string_view actor, Role role,
                                const std::string& name, TokenInfo* info) {
  ICTS_RETURN_IF_ERROR(CheckTokenName(name));
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof bytes) != 1) {
    return InternalError("no random bytes for a token");
  }
  std::string token = "icts_" + ToHex(bytes, sizeof bytes);
  TokenInfo t;
  t.sha256 = HashToken(token);
  t.id = "tok-" + t.sha256.substr(0, 12);
  t.name = name;
  t.role = role;
  ICTS_RETURN_IF_ERROR(store.AppendAuditEvent(actor, kCreateKind, CreateSubject(t), "").status());
  if (info != nullptr) *info = t;
  return token;
}

Status RevokeToken(store::Store& store, std::string_view actor, const std::string& id) {
  TokenRegistry current;
  ICTS_RETURN_IF_ERROR(current.Refresh(store));
  if (!current.FindId(id)) {
    return Status(StatusCode::kNotFound, "no active token has the id " + id);
  }
  return store.AppendAuditEvent(actor, kRevokeKind, id, "").status();
}

namespace {
int64_t SteadyMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}
}  // namespace

bool TokenRegistry::IsOlderThan(int64_t max_age_ms) const {
  std::lock_guard<std::mutex> lock(mu_);
  return SteadyMillis() - refreshed_ms_ > max_age_ms;
}

Status TokenRegistry::RefreshIfOlder(store::Store& store, int64_t max_age_ms) {
  if (!IsOlderThan(max_age_ms)) return Status::Ok();
  return Refresh(store);
}

std::optional<TokenInfo> TokenRegistry::FindId(std::string_view id) const {
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [hash, info] : by_hash_) {
    if (info.id == id) return info;
  }
  return std::nullopt;
}

std::vector<TokenInfo> TokenRegistry::List() const {
  std::vector<TokenInfo> out;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [hash, info] : by_hash_) out.push_back(info);
  }
  std::sort(out.begin(), out.end(),
            [](const TokenInfo& a, const TokenInfo& b) { return a.id < b.id; });
  return out;
}

Status TokenRegistry::Refresh(store::Store& store) {
  std::lock_guard<std::mutex> lock(mu_);
  refreshed_ms_ = SteadyMillis();
  for (;;) {
    ICTS_ASSIGN_OR_RETURN(std::vector<store::AuditEvent> events,
                          store.ReadAudit(last_seq_, kAuditPage));
    for (const store::AuditEvent& e : events) {
      last_seq_ = e.seq;
      if (e.kind == kCreateKind) {
        if (std::optional<TokenInfo> t = ParseCreateSubject(e.subject_id)) {
          by_hash_[t->sha256] = *t;
        }
      } else if (e.kind == kRevokeKind) {
        for (auto it = by_hash_.begin(); it != by_hash_.end(); ++it) {
          if (it->second.id == e.subject_id) {
            by_hash_.erase(it);
            break;
          }
        }
      }
    }
    if (events.size() < kAuditPage) return Status::Ok();
  }
}

std::optional<TokenInfo> TokenRegistry::Find(std::string_view token) const {
  std::string h = HashToken(token);
  std::lock_guard<std::mutex> lock(mu_);
  auto it = by_hash_.find(h);
  if (it == by_hash_.end()) return std::nullopt;
  return it->second;
}

size_t TokenRegistry::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return by_hash_.size();
}

}  // namespace icts::server
