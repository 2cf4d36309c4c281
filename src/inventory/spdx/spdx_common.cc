#include "inventory/spdx/spdx_common.h"

#include <cctype>
#include <utility>

#include "base/strings.h"
#include "inventory/spdx/spdx.h"

namespace icts::inventory::spdx_internal {

namespace {

// Upper case without '-', '_' and spaces: "operatingSystem" and
// "OPERATING-SYSTEM" both give "OPERATINGSYSTEM".
std::string Squash(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == '-' || c == '_' || c == ' ') continue;
    out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  return out;
}

}  // namespace

bool IsNoAssertion(std::string_view value) {
  value = TrimAscii(value);
  return value.empty() || EqualsIgnoreCaseAscii(value, "NOASSERTION") ||
         EqualsIgnoreCaseAscii(value, "NONE");
}

std::optional<OrgRef> ParseAgent(std::string_view value, std::string role,
                                 std::string* agent_type) {
  agent_type->clear();
  value = TrimAscii(value);
  if (IsNoAssertion(value)) return std::nullopt;
  for (std::string_view prefix : {"Organization:", "Person:", "Tool:"}) {
    if (StartsWithIgnoreCaseAscii(value, prefix)) {
      agent_type->assign(prefix.substr(0, prefix.size() - 1));
      value = TrimAscii(value.substr(prefix.size()));
      break;
    }
  }
  OrgRef org;
  org.role = std::move(role);
  // A trailing "(email)" or "()" is the agent's e-mail address.
  if (!value.empty() && value.back() == ')') {
    size_t open = value.rfind('(');
    if (open != std::string_view::npos) {
      std::string_view inside = TrimAscii(value.substr(open + 1, value.size() - open - 2));
      if (inside.empty() || inside.find('@') != std::string_view::npos) {
        org.email = std::string(inside);
        value = TrimAscii(value.substr(0, open));
      }
    }
  }
  if (IsNoAssertion(value)) return std::nullopt;
  org.name = std::string(value);
  return org;
}

std::string HashAlgorithmName(std::string_view algorithm) {
  std::string a = Squash(algorithm);
  if (a == "SHA1") return "SHA-1";
  if (a == "SHA224") return "SHA-224";
  if (a == "SHA256") return "SHA-256";
  if (a == "SHA384") return "SHA-384";
  if (a == "SHA512") return "SHA-512";
  if (a == "SHA3256") return "SHA3-256";
  if (a == "SHA3384") return "SHA3-384";
  if (a == "SHA3512") return "SHA3-512";
  if (a == "BLAKE2B256") return "BLAKE2b-256";
  if (a == "BLAKE2B384") return "BLAKE2b-384";
  if (a == "BLAKE2B512") return "BLAKE2b-512";
  if (a == "BLAKE3") return "BLAKE3";
  if (a == "MD2" || a == "MD4" || a == "MD5" || a == "MD6") return a;
  return ToUpperAscii(TrimAscii(algorithm));
}

std::string FormatHash(std::string_view algorithm, std::string_view value) {
  return HashAlgorithmName(algorithm) + ":" + ToLowerAscii(TrimAscii(value));
}

std::string KindForPurpose(std::string_view purpose) {
  std::string p = Squash(purpose);
  if (p == "DEVICE") return "hardware";
  if (p == "FIRMWARE") return "firmware";
  if (p == "DATA") return "data";
  static constexpr std::string_view kSoftware[] = {
      "APPLICATION",     "FRAMEWORK",       "LIBRARY",   "CONTAINER",
      "OPERATINGSYSTEM", "SOURCE",          "ARCHIVE",   "FILE",
      "INSTALL",         "EXECUTABLE",      "MODULE",    "PATCH",
      "DEVICEDRIVER",    "FILESYSTEMIMAGE", "DISKIMAGE", "MODEL"};
  for (std::string_view s : kSoftware) {
    if (p == s) return "software";
  }
  return "";
}

std::string PointerToken(std::string_view key) {
  std::string out;
  out.reserve(key.size());
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace icts::inventory::spdx_internal

namespace icts::inventory {

namespace {

std::string_view SkipBomAndSpace(std::string_view head) {
  if (StartsWith(head, "\xEF\xBB\xBF")) head.remove_prefix(3);
  size_t i = 0;
  while (i < head.size() &&
         (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n')) {
    ++i;
  }
  return head.substr(i);
}

}  // namespace

bool LooksLikeSpdxJson(std::string_view head) {
  head = SkipBomAndSpace(head);
  // Some generators write the files first, so the version can be far away;
  // "SPDXID" (upper case) is SPDX 2 only (SPDX 3 writes "spdxId").
  return StartsWith(head, "{") && (head.find("\"spdxVersion\"") != std::string_view::npos ||
                                   head.find("\"SPDXID\"") != std::string_view::npos);
}

bool LooksLikeSpdx3(std::string_view head) {
  head = SkipBomAndSpace(head);
  return StartsWith(head, "{") && head.find("spdx.org/rdf/3") != std::string_view::npos;
}

bool LooksLikeSpdxTagValue(std::string_view head) {
  head = SkipBomAndSpace(head);
  constexpr std::string_view kTag = "SPDXVersion:";
  for (size_t at = head.find(kTag); at != std::string_view::npos; at = head.find(kTag, at + 1)) {
    if (at == 0 || head[at - 1] == '\n' || head[at - 1] == '\r') return true;
  }
  return false;
}

}  // namespace icts::inventory
