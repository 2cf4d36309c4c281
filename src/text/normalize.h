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
// Each thread keeps its own ICU transliterators and a cache of romanised Han
// characters, created on first use. The index normalises every list name once
// at build time; queries are normalised once per query.
//
// Cost (one core, -O2): ASCII names well under 1 µs and no ICU call; Latin
// names with diacritics about 1 µs (no transliterator); other scripts a few
// µs to a few tens of µs (see normalize.cc for the romanisation choices).
#ifndef ICTS_TEXT_NORMALIZE_H_
#define ICTS_TEXT_NORMALIZE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace icts::text {

enum class TokenKind : uint8_t {
  kWord = 0,
  kLegalForm = 1,  // Co., Ltd., LLC, OOO, AO, PAO, GmbH, 有限公司 ... (down-weighted);
                   // "group" and "holding(s)" are words, not legal forms.
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
  // As given, trimmed of ASCII white space and cut to kMaxNameBytes; invalid
  // UTF-8 bytes are replaced by U+FFFD so the field is always valid UTF-8.
  std::string original;
  std::string latin;  // Tokens' text joined by single spaces.
  std::vector<Token> tokens;
  // Dominant script of the letters of the original, by ICU's long script
  // names: "Latin", "Cyrillic", "Han", "Arabic", "Hangul", "Greek", "Hebrew",
  // "Katakana", "Thai" ... Two combinations get their ICU names: Han with
  // kana is "Japanese", Han with Hangul is "Korean". "Mixed" when no script
  // has 80% of the letters; "" when there are no letters.
  std::string script;
  // Every significant (kWord/kNumber/kInitial) token concatenated, so
  // "HUA WEI" and "HUAWEI" share a key ("huawei"). For Han and Hangul names,
  // whose tokens are single syllables, this is the joined pinyin or
  // romanisation without legal forms ("huaweijishu").
  std::string compact;
  // Further whole-name keys, each lower-case words (ASCII wherever the
  // script has a romanisation) joined by spaces:
  // - Cyrillic: the ICU scholarly romanisation ("kasperskij") and a plain
  //   one ("kaspersky"), besides BGN/PCGN in `latin` ("kasperskiy");
  // - Greek: BGN/PCGN ("konstandinos") besides UN/ELOT in `latin`;
  // - Latin with ä/ö/ü: the German spelling ("mueller gmbh");
  // - Hangul: McCune-Reischauer without diacritics, joined per word
  //   ("chosongwangopkaebalmuyok"), once with initials voiced inside a word
  //   and once without, besides Revised Romanisation in `latin`;
  // - Han/Hangul: significant tokens joined per dictionary word
  //   ("hua wei jishu" for 华为技术有限公司, "zhejiang da hua jishu"), and for
  //   short names that may be persons, family name + given name ("xi jinping");
  // - Arabic script and Hebrew: ConsonantSkeleton of the significant tokens.
  // Never empty strings, never equal to `latin` or `compact`, no duplicates.
  std::vector<std::string> extra_keys;

  bool empty() const { return tokens.empty(); }
  // Number of tokens that are not legal forms or stop words.
  size_t SignificantTokenCount() const;
};

// Never fails and never throws: invalid UTF-8 bytes are dropped (replaced by
// U+FFFD in `original`); an empty or all-punctuation name gives an empty
// result (no tokens). Input longer than kMaxNameBytes is cut at a character
// boundary first. `type` kPerson turns off legal forms (a Korean "Sa" is a
// surname) and acronym joining ("J.R.R." stays three initials).
inline constexpr size_t kMaxNameBytes = 4096;
NormalizedName NormalizeName(std::string_view raw, NameType type = NameType::kUnknown);

// Latin lower-case transliteration of `raw` alone (no tokenising), the first
// step of NormalizeName. ASCII input costs no ICU call.
std::string ToLatin(std::string_view raw);

// Consonant skeleton of a romanised name, for names written in Arabic script
// or Hebrew, whose romanisations disagree mostly on vowels: the words'
// letters without a e i o u y, with p→b, v→w, q→k (letters Arabic script does
// not distinguish, or Persian names are spelt both ways with), doubled
// letters collapsed, the article words "al"/"el" left out, the words'
// skeletons separated by spaces. "Mohammad", "Muhammad" and ICU's "mhmd" all
// give "mhmd"; "Abd Allah" gives "bd lh" and "Abdullah" "bdlh" (compared
// without spaces as whole keys); "Javad" and "jwad" give "jwd". One string
// without spaces met other names by the similarity of its letters: two
// company names sharing only their last word ("... للتجارة", trading)
// scored 0.85.
// NormalizeName adds it to `extra_keys` for Arabic-script and Hebrew
// originals; the index may call it for any name.
std::string ConsonantSkeleton(std::string_view latin);

// True when `token` (normalised, lower case) is a legal form on its own
// ("ltd", "gmbh", "ooo", "sa"). Words that are legal forms only inside a
// phrase ("liability" in "limited liability company", "joint", "stock")
// give false: NormalizeName classifies those in context, and also accepts
// short forms such as "sa" or "ag" only at the end of a name.
bool IsLegalFormToken(std::string_view token);

// The canonical form of `token` (normalised, lower case) taken alone, as
// Token::canon holds it for a token of a name: "technologies" → "tech",
// the pinyin "jishu" (技术) → "tech", "jituan" (集团) → "group"; `token`
// itself when no table maps it. For the words of extra keys, which are
// compared like tokens.
std::string_view CanonicalForm(std::string_view token);

}  // namespace icts::text

#endif  // ICTS_TEXT_NORMALIZE_H_
