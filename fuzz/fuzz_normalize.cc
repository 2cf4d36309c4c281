// Fuzz target: NormalizeName over arbitrary bytes with every NameType, plus
// ToLatin and ConsonantSkeleton. Checks the output invariants: tokens are
// non-empty valid UTF-8, `latin` is the tokens joined by single spaces,
// `compact` is the significant tokens concatenated, extra keys are non-empty,
// distinct and differ from `latin`, and the original is valid UTF-8 within
// the length limit.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "text/normalize.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

bool IsValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    size_t len = 0;
    uint32_t c = 0;
    if (b < 0x80) {
      ++i;
      continue;
    } else if (b >= 0xC2 && b <= 0xDF) {
      len = 2;
      c = b & 0x1F;
    } else if (b >= 0xE0 && b <= 0xEF) {
      len = 3;
      c = b & 0x0F;
    } else if (b >= 0xF0 && b <= 0xF4) {
      len = 4;
      c = b & 0x07;
    } else {
      return false;
    }
    if (i + len > s.size()) return false;
    for (size_t k = 1; k < len; ++k) {
      const auto cb = static_cast<unsigned char>(s[i + k]);
      if ((cb & 0xC0) != 0x80) return false;
      c = (c << 6) | (cb & 0x3F);
    }
    if ((len == 3 && c < 0x800) || (len == 4 && (c < 0x10000 || c > 0x10FFFF)) ||
        (c >= 0xD800 && c <= 0xDFFF)) {
      return false;
    }
    i += len;
  }
  return true;
}

bool Significant(icts::text::TokenKind kind) {
  return kind == icts::text::TokenKind::kWord || kind == icts::text::TokenKind::kNumber ||
         kind == icts::text::TokenKind::kInitial;
}

void CheckName(std::string_view raw, icts::text::NameType type) {
  const icts::text::NormalizedName n = icts::text::NormalizeName(raw, type);
  // Each invalid byte may become a 3-byte U+FFFD.
  Check(n.original.size() <= 3 * icts::text::kMaxNameBytes);
  Check(IsValidUtf8(n.original));
  std::string joined;
  std::string compact;
  size_t significant = 0;
  for (const icts::text::Token& t : n.tokens) {
    Check(!t.text.empty());
    Check(!t.canon.empty());
    Check(IsValidUtf8(t.text));
    Check(IsValidUtf8(t.canon));
    Check(t.text.find(' ') == std::string::npos);
    if (!joined.empty()) joined += ' ';
    joined += t.text;
    if (Significant(t.kind)) {
      compact += t.text;
      ++significant;
    }
  }
  Check(n.latin == joined);
  Check(n.compact == compact);
  Check(n.SignificantTokenCount() == significant);
  Check(n.empty() == n.tokens.empty());
  Check(IsValidUtf8(n.script));
  for (size_t i = 0; i < n.extra_keys.size(); ++i) {
    Check(!n.extra_keys[i].empty());
    Check(n.extra_keys[i] != n.latin);
    Check(IsValidUtf8(n.extra_keys[i]));
    for (size_t j = i + 1; j < n.extra_keys.size(); ++j) {
      Check(n.extra_keys[i] != n.extra_keys[j]);
    }
  }
  Check(IsValidUtf8(icts::text::ConsonantSkeleton(n.latin)));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view raw(reinterpret_cast<const char*>(data), size);
  CheckName(raw, icts::text::NameType::kUnknown);
  CheckName(raw, icts::text::NameType::kPerson);
  CheckName(raw, icts::text::NameType::kOrganization);
  Check(IsValidUtf8(icts::text::ToLatin(raw)));
  icts::text::IsLegalFormToken(raw);
  return 0;
}
