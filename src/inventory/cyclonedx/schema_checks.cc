#include "inventory/cyclonedx/schema_checks.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <iterator>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace icts::inventory::cyclonedx {
namespace {

constexpr std::string_view kSpdxIds[] = {
#include "inventory/cyclonedx/spdx_license_ids.inc"
};

template <size_t N>
bool In(const std::array<std::string_view, N>& set, std::string_view v) {
  return std::find(set.begin(), set.end(), v) != set.end();
}

constexpr bool IsHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool Digits(std::string_view s, size_t pos, size_t n) {
  if (pos + n > s.size()) return false;
  for (size_t i = pos; i < pos + n; ++i) {
    if (!IsDigit(s[i])) return false;
  }
  return true;
}

}  // namespace

int SpecMinor(std::string_view version) {
  if (version.size() == 3 && version[0] == '1' && version[1] == '.' && version[2] >= '2' &&
      version[2] <= '7') {
    return version[2] - '0';
  }
  return 0;
}

bool IsComponentType(std::string_view type) {
  static constexpr std::array<std::string_view, 13> kTypes = {
      "application", "framework", "library", "container", "platform",
      "operating-system", "device", "device-driver", "firmware", "file",
      "machine-learning-model", "data", "cryptographic-asset"};
  return In(kTypes, type);
}

std::string_view KindForComponentType(std::string_view type) {
  if (type == "device") return "hardware";
  if (type == "firmware") return "firmware";
  if (type == "machine-learning-model" || type == "data") return "data";
  return "software";
}

bool IsHashAlgorithm(std::string_view alg) {
  static constexpr std::array<std::string_view, 14> kAlgs = {
      "MD5",         "SHA-1",       "SHA-256",     "SHA-384",   "SHA-512",
      "SHA3-256",    "SHA3-384",    "SHA3-512",    "BLAKE2b-256", "BLAKE2b-384",
      "BLAKE2b-512", "BLAKE3",      "Streebog-256", "Streebog-512"};
  return In(kAlgs, alg);
}

bool IsHashContent(std::string_view content) {
  size_t n = content.size();
  if (n != 32 && n != 40 && n != 64 && n != 96 && n != 128) return false;
  size_t i = 0;
#if defined(__SSE2__)
  // 16 digits at a time: '0'..'9', or 'a'..'f' once bit 5 is set (which
  // also folds 'A'..'F'). Bytes >= 0x80 compare as negative and fail both.
  for (; i + 16 <= n; i += 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(content.data() + i));
    __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('0' - 1)),
                                  _mm_cmplt_epi8(v, _mm_set1_epi8('9' + 1)));
    __m128i folded = _mm_or_si128(v, _mm_set1_epi8(0x20));
    __m128i letter = _mm_and_si128(_mm_cmpgt_epi8(folded, _mm_set1_epi8('a' - 1)),
                                   _mm_cmplt_epi8(folded, _mm_set1_epi8('f' + 1)));
    if (_mm_movemask_epi8(_mm_or_si128(digit, letter)) != 0xFFFF) return false;
  }
#endif
  for (; i < n; ++i) {
    if (!IsHex(content[i])) return false;
  }
  return true;
}

bool IsScope(std::string_view scope) {
  static constexpr std::array<std::string_view, 3> kScopes = {"required", "optional",
                                                              "excluded"};
  return In(kScopes, scope);
}

bool IsPatchType(std::string_view type) {
  static constexpr std::array<std::string_view, 4> kTypes = {"unofficial", "monkey",
                                                             "backport", "cherry-pick"};
  return In(kTypes, type);
}

bool IsIssueType(std::string_view type) {
  static constexpr std::array<std::string_view, 3> kTypes = {"defect", "enhancement",
                                                             "security"};
  return In(kTypes, type);
}

bool IsDataFlow(std::string_view flow) {
  static constexpr std::array<std::string_view, 4> kFlows = {"inbound", "outbound",
                                                             "bi-directional", "unknown"};
  return In(kFlows, flow);
}

bool IsLicenseAcknowledgement(std::string_view ack) {
  return ack == "declared" || ack == "concluded";
}

bool IsSpdxLicenseId(std::string_view id) {
  return std::binary_search(std::begin(kSpdxIds), std::end(kSpdxIds), id);
}

bool IsSerialNumber(std::string_view s) {
  constexpr std::string_view kPrefix = "urn:uuid:";
  if (s.substr(0, kPrefix.size()) != kPrefix) return false;
  s.remove_prefix(kPrefix.size());
  static constexpr size_t kGroups[] = {8, 4, 4, 4, 12};
  size_t pos = 0;
  for (size_t g = 0; g < 5; ++g) {
    for (size_t i = 0; i < kGroups[g]; ++i, ++pos) {
      if (pos >= s.size() || !IsHex(s[pos])) return false;
    }
    if (g < 4) {
      if (pos >= s.size() || s[pos] != '-') return false;
      ++pos;
    }
  }
  return pos == s.size();
}

bool IsDateTime(std::string_view s) {
  // YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM)
  if (!Digits(s, 0, 4) || s.size() < 20 || s[4] != '-' || !Digits(s, 5, 2) || s[7] != '-' ||
      !Digits(s, 8, 2) || (s[10] != 'T' && s[10] != 't') || !Digits(s, 11, 2) || s[13] != ':' ||
      !Digits(s, 14, 2) || s[16] != ':' || !Digits(s, 17, 2)) {
    return false;
  }
  int month = (s[5] - '0') * 10 + (s[6] - '0');
  int day = (s[8] - '0') * 10 + (s[9] - '0');
  int hour = (s[11] - '0') * 10 + (s[12] - '0');
  int minute = (s[14] - '0') * 10 + (s[15] - '0');
  int second = (s[17] - '0') * 10 + (s[18] - '0');
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    return false;
  }
  size_t pos = 19;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    size_t start = pos;
    while (pos < s.size() && IsDigit(s[pos])) ++pos;
    if (pos == start) return false;
  }
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) return pos + 1 == s.size();
  if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    return pos + 6 == s.size() && Digits(s, pos + 1, 2) && s[pos + 3] == ':' &&
           Digits(s, pos + 4, 2);
  }
  return false;
}

bool IsMetadataKey(std::string_view key, int minor) {
  static constexpr std::array<std::string_view, 10> kKeys = {
      "timestamp", "tools",    "authors",  "component",  "manufacture",
      "supplier",  "licenses", "properties", "lifecycles", "manufacturer"};
  if (In(kKeys, key)) return true;
  if (key == "distributionConstraints") return minor >= 7 || minor == 0;
  return false;
}

}  // namespace icts::inventory::cyclonedx
