// Word lists used by NormalizeName: legal forms (single words and phrases),
// canonical forms of abbreviations, stop words, and the legal forms written in
// Chinese, Japanese and Korean script. The tables live in legal_forms.cc.
//
// All lookups take normalised tokens (lower-case ASCII) and are thread-safe:
// the tables are immutable after their first (thread-safe) initialisation.
#ifndef ICTS_TEXT_INTERNAL_LEXICON_H_
#define ICTS_TEXT_INTERNAL_LEXICON_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace icts::text::internal {

// Properties of one known word.
enum WordFlag : uint8_t {
  kLegalAnywhere = 1 << 0,   // A legal form wherever it stands ("ltd", "gmbh").
  kLegalAtStart = 1 << 1,    // A legal form as the first token ("ao", "pt").
  kLegalAtEnd = 1 << 2,      // A legal form inside the trailing run of legal
                             // forms and stop words ("sa", "ag", "ao").
  kStop = 1 << 3,            // A stop word or name particle ("the", "de", "bin").
  kStopIfCyrillic = 1 << 4,  // "i" is the Russian "and" (и), else an initial.
  kPhraseStart = 1 << 5,     // May start a multi-word legal form.
  kStopIfLatin = 1 << 6,     // A personal title ("dr", "mr") in a name written in
                             // Latin letters only; romanised from another script
                             // it may be a name ("mr" from عمر, Omar).
};

struct WordInfo {
  std::string_view canon;  // Empty when the word is its own canonical form.
  uint8_t flags = 0;
};

// Null when `word` is not in any table.
const WordInfo* LookupWord(std::string_view word);

// Length in tokens of the longest multi-word legal form that starts at
// `tokens[start]` (for example 3 for "limited liability company"), or 0.
// `tokens` holds `count` normalised token texts. Only words whose WordInfo has
// kPhraseStart can start one.
size_t MatchLegalPhrase(const std::string_view* tokens, size_t count, size_t start);

// A legal form (or a fixed company word) written in Han, Kana or Hangul, with
// the romanisation NormalizeName emits for it instead of transliterating it
// syllable by syllable ("有限公司" → "youxian gongsi").
struct CjkForm {
  std::u16string_view script;  // UTF-16, as in the NFKC-folded name.
  std::string_view latin;      // One or more space-separated ASCII words.
};

// The longest table entry that is a prefix of `text`, or null.
const CjkForm* MatchCjkForm(std::u16string_view text);

}  // namespace icts::text::internal

#endif  // ICTS_TEXT_INTERNAL_LEXICON_H_
