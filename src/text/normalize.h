// Name normalisation for screening: one raw name (any script) → Latin
// lower-case tokens with their roles, plus the extra keys some scripts need.
//
// Pipeline: NFKC + case fold (ICU); script → Latin (a table-driven fast path
// for ASCII and Latin-1/Latin Extended; ICU transliterators only for other
// scripts: Cyrillic, Greek, Han, Hangul, Kana, Arabic/Persian, Hebrew, ...);
// punctuation → separators ("&" kept as "and"); tokens classified as legal
// forms ("co", "ltd", "llc", "ooo", "pao", "gmbh", "youxian gongsi" ...),
// stop words ("the", "of", "and" ...), numbers, initials, or words; each
// token also gets a canonical form for abbreviations ("tech." / "technology" /
// "technologies" → "tech"; "comm" / "communications" → "comm"; "grp" →
// "group"; "intl" → "international"; "corp" → "corporation" ...).
//
// Normalisation is deterministic and pure; all functions are thread-safe.
// The index normalises every list name once at build time; queries are
// normalised once per query.
#ifndef ICTS_TEXT_NORMALIZE_H_
#define ICTS_TEXT_NORMALIZE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace icts::text {

enum class TokenKind : uint8_t {
  kWord = 0,
  kLegalForm = 1,  // Co., Ltd., LLC, OOO, AO, PAO, GmbH, 有限公司 ... (down-weighted)
  kStopWord = 2,   // the, of, and, de, la ... (down-weighted)
  kNumber = 3,     // Digits are kept: "No. 2 Factory" ≠ "No. 3 Factory".
  kInitial = 4,    // A single letter ("J." in "John J. Smith").
};

struct Token {
  std::string text;   // Latin, lower case ASCII where possible ("huawei").
  std::string canon;  // Canonical form for abbreviations; equals text if none.
  TokenKind kind = TokenKind::kWord;
  bool abbreviated = false;  // Written with a trailing '.' in the original.
};

enum class NameType : uint8_t { kUnknown = 0, kPerson = 1, kOrganization = 2 };

struct NormalizedName {
  std::string original;  // As given (trimmed).
  std::string latin;     // Tokens' text joined by single spaces.
  std::vector<Token> tokens;
  std::string script;    // Dominant script of the original: "Latin", "Cyrillic",
                         // "Han", "Arabic", "Hangul", "Greek", "Hebrew", "Mixed", ...
  // Every significant (kWord/kNumber/kInitial) token concatenated, so
  // "HUA WEI" and "HUAWEI" share a key ("huawei").
  std::string compact;
  // Further keys to index: alternative romanisations (e.g. BGN/PCGN and ICU
  // for Cyrillic), a consonant skeleton for Arabic-script names, the compact
  // form of the original-script name for CJK. No duplicates of `latin`.
  std::vector<std::string> extra_keys;

  bool empty() const { return tokens.empty(); }
  // Number of tokens that are not legal forms or stop words.
  size_t SignificantTokenCount() const;
};

// Never fails: invalid UTF-8 bytes are replaced (U+FFFD, then dropped), an
// empty or all-punctuation name gives an empty result (no tokens). Input
// longer than kMaxNameBytes is cut at a character boundary first.
inline constexpr size_t kMaxNameBytes = 4096;
NormalizedName NormalizeName(std::string_view raw, NameType type = NameType::kUnknown);

// Latin lower-case transliteration of `raw` alone (no tokenising), the first
// step of NormalizeName. ASCII input costs no ICU call.
std::string ToLatin(std::string_view raw);

// True when `token` (normalised, lower case) is a known legal-form word or a
// multi-word legal form's part ("limited", "liability", "company" when part
// of "limited liability company" are classified by NormalizeName).
bool IsLegalFormToken(std::string_view token);

}  // namespace icts::text

#endif  // ICTS_TEXT_NORMALIZE_H_
