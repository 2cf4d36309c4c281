// Name normalisation: UTF-8 clean-up, NFKC case folding, romanisation,
// tokenising and token classification.
//
// Romanisation runs in two tiers. ASCII input never reaches ICU. Other input
// is NFKC-case-folded by ICU (cheap), then walked code point by code point:
// ASCII and Latin letters with diacritics are folded through the tables
// below; runs of letters in other scripts go to an ICU transliterator chosen
// by the run's script. Transliterators are expensive to create and not safe
// for concurrent use, so each thread creates its own on first use and keeps
// them (see IcuCache).
//
// Choices worth knowing:
// - "Müller" → "muller" (the ICU Latin-ASCII convention, and how most lists
//   spell it in capitals); names with ä/ö/ü also get the "mueller" spelling
//   as an extra key.
// - Cyrillic → BGN/PCGN (Ukrainian or Serbian BGN when their letters appear),
//   the way English-language sanctions lists romanise; the ICU scholarly
//   form ("kasperskij") and a plain form ("kaspersky") become extra keys.
// - Greek → UN/ELOT ("Konstantinos"); BGN ("Konstandinos") is an extra key.
// - Han → pinyin without tones, one token per syllable; legal forms such as
//   有限公司 are found in the original script first. Japanese kanji get
//   Mandarin readings (an ICU limitation), kana get Hepburn-like ones.
// - Hangul → Revised Romanisation, one token per syllable; a diacritic-free
//   McCune-Reischauer form (how most North Korean names are listed) is an
//   extra key.
// - Arabic script → ICU's consonantal romanisation ("mhmd"); the article ال
//   is split off its word, and a consonant skeleton is added as a key.
#include "text/normalize.h"

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>
#include <unicode/utf16.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "text/internal/lexicon.h"

namespace icts::text {
namespace {

using internal::LookupWord;
using internal::WordInfo;

// ---------------------------------------------------------------------------
// UTF-8

constexpr char32_t kInvalid = 0xFFFFFFFF;
constexpr size_t kMaxCachedSyllables = 1 << 16;
// Put before a romanised CJK syllable or word in the intermediate text: the
// token that follows is taken verbatim, never as a stop word or legal form
// (pinyin "da", "de", "ao" are not the Romance "da", "de" or the Russian AO).
constexpr char kVerbatimMark = '\x01';

// Decodes the code point at `s[*pos]` and advances `*pos`. Ill-formed
// sequences (truncated, overlong, surrogates, > U+10FFFF) consume one byte and
// give kInvalid.
char32_t DecodeUtf8(std::string_view s, size_t* pos) {
  const size_t i = *pos;
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    *pos = i + 1;
    return b0;
  }
  size_t len = 0;
  char32_t c = 0;
  char32_t min = 0;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
    c = b0 & 0x1F;
    min = 0x80;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    c = b0 & 0x0F;
    min = 0x800;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    c = b0 & 0x07;
    min = 0x10000;
  } else {
    *pos = i + 1;
    return kInvalid;
  }
  if (i + len > s.size()) {
    *pos = i + 1;
    return kInvalid;
  }
  for (size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) {
      *pos = i + 1;
      return kInvalid;
    }
    c = (c << 6) | (b & 0x3F);
  }
  if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
    *pos = i + 1;
    return kInvalid;
  }
  *pos = i + len;
  return c;
}

void AppendUtf8(char32_t c, std::string* out) {
  if (c < 0x80) {
    out->push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (c >> 6)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (c >> 12)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (c >> 18)));
    out->push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

bool IsAscii(std::string_view s) {
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t word;
    std::memcpy(&word, s.data() + i, 8);
    if (word & 0x8080808080808080ull) return false;
  }
  for (; i < s.size(); ++i) {
    if (static_cast<unsigned char>(s[i]) >= 0x80) return false;
  }
  return true;
}

bool IsAsciiSpace(char ch) {
  return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v';
}

char LowerAscii(char ch) { return ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch + 32) : ch; }
bool IsAsciiLetter(char ch) { return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z'); }
bool IsAsciiDigit(char ch) { return ch >= '0' && ch <= '9'; }

// Trims ASCII whitespace and cuts at kMaxNameBytes on a character boundary.
std::string_view Prepare(std::string_view raw) {
  size_t begin = 0;
  size_t end = raw.size();
  while (begin < end && IsAsciiSpace(raw[begin])) ++begin;
  while (end > begin && IsAsciiSpace(raw[end - 1])) --end;
  raw = raw.substr(begin, end - begin);
  if (raw.size() > kMaxNameBytes) {
    size_t cut = kMaxNameBytes;
    // Back off over at most three continuation bytes.
    for (int k = 0; k < 3 && cut > 0 && (static_cast<unsigned char>(raw[cut]) & 0xC0) == 0x80;
         ++k) {
      --cut;
    }
    raw = raw.substr(0, cut);
  }
  return raw;
}

// Apostrophe look-alikes, unified before NFKC (which would turn U+00B4 into a
// space and a combining accent).
// clang-format off
bool IsApostropheLike(char32_t c) {
  switch (c) {
    case 0x0060: case 0x00B4: case 0x2018: case 0x2019: case 0x201B: case 0x2032:
    case 0x02B9: case 0x02BB: case 0x02BC: case 0x02BD: case 0x02BE: case 0x02BF:
    case 0xFF07:
      return true;
    default:
      return false;
  }
}
// clang-format on

// Valid UTF-8 copy of `s`: invalid bytes become U+FFFD when `replace`, else
// are dropped; apostrophe look-alikes become '\'' when `fold_apostrophes`.
std::string CleanUtf8(std::string_view s, bool replace, bool fold_apostrophes) {
  std::string out;
  out.reserve(s.size());
  size_t pos = 0;
  while (pos < s.size()) {
    const char32_t c = DecodeUtf8(s, &pos);
    if (c == kInvalid) {
      if (replace) AppendUtf8(0xFFFD, &out);
    } else if (c == 0xFFFD && !replace) {
      // Dropped: a replacement character carries no name information.
    } else if (fold_apostrophes && IsApostropheLike(c)) {
      out.push_back('\'');
    } else {
      AppendUtf8(c, &out);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// Latin letters with diacritics.

// clang-format off
// U+00C0..U+00FF. "" marks a non-letter (× ÷), handled as punctuation.
constexpr std::string_view kLatin1Letters[64] = {
    // À Á Â Ã Ä Å Æ Ç È É Ê Ë Ì Í Î Ï
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    // Ð Ñ Ò Ó Ô Õ Ö × Ø Ù Ú Û Ü Ý Þ ß
    "d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "ss",
    // à á â ã ä å æ ç è é ê ë ì í î ï
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    // ð ñ ò ó ô õ ö ÷ ø ù ú û ü ý þ ÿ
    "d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "y",
};
// clang-format on

// clang-format off
// U+0100..U+017F (Latin Extended-A).
constexpr std::string_view kLatinExtendedA[128] = {
    // Ā ā Ă ă Ą ą Ć ć Ĉ ĉ Ċ ċ Č č Ď ď
    "a", "a", "a", "a", "a", "a", "c", "c", "c", "c", "c", "c", "c", "c", "d", "d",
    // Đ đ Ē ē Ĕ ĕ Ė ė Ę ę Ě ě Ĝ ĝ Ğ ğ
    "d", "d", "e", "e", "e", "e", "e", "e", "e", "e", "e", "e", "g", "g", "g", "g",
    // Ġ ġ Ģ ģ Ĥ ĥ Ħ ħ Ĩ ĩ Ī ī Ĭ ĭ Į į
    "g", "g", "g", "g", "h", "h", "h", "h", "i", "i", "i", "i", "i", "i", "i", "i",
    // İ ı Ĳ ĳ Ĵ ĵ Ķ ķ ĸ Ĺ ĺ Ļ ļ Ľ ľ Ŀ
    "i", "i", "ij", "ij", "j", "j", "k", "k", "k", "l", "l", "l", "l", "l", "l", "l",
    // ŀ Ł ł Ń ń Ņ ņ Ň ň ŉ Ŋ ŋ Ō ō Ŏ ŏ
    "l", "l", "l", "n", "n", "n", "n", "n", "n", "n", "n", "n", "o", "o", "o", "o",
    // Ő ő Œ œ Ŕ ŕ Ŗ ŗ Ř ř Ś ś Ŝ ŝ Ş ş
    "o", "o", "oe", "oe", "r", "r", "r", "r", "r", "r", "s", "s", "s", "s", "s", "s",
    // Š š Ţ ţ Ť ť Ŧ ŧ Ũ ũ Ū ū Ŭ ŭ Ů ů
    "s", "s", "t", "t", "t", "t", "t", "t", "u", "u", "u", "u", "u", "u", "u", "u",
    // Ű ű Ų ų Ŵ ŵ Ŷ ŷ Ÿ Ź ź Ż ż Ž ž ſ
    "u", "u", "u", "u", "w", "w", "y", "y", "y", "z", "z", "z", "z", "z", "z", "s",
};
// clang-format on

// Latin letters outside the two tables above whose base letter is not found
// through canonical decomposition.
// clang-format off
std::string_view SpecialLatin(char32_t c) {
  switch (c) {
    case 0x0180: case 0x0181: case 0x0253: return "b";
    case 0x0187: case 0x0188: case 0x023B: case 0x023C: return "c";
    case 0x0189: case 0x018A: case 0x0256: case 0x0257: case 0x0221: return "d";
    case 0x018E: case 0x018F: case 0x0190: case 0x01DD: case 0x0259: case 0x025B:
    case 0x0246: case 0x0247: return "e";
    case 0x0191: case 0x0192: return "f";
    case 0x0193: case 0x0260: case 0x01E4: case 0x01E5: return "g";
    case 0x0197: case 0x0268: case 0x0269: return "i";
    case 0x0237: case 0x0248: case 0x0249: return "j";
    case 0x0198: case 0x0199: return "k";
    case 0x019A: case 0x023D: case 0x0234: return "l";
    case 0x019D: case 0x019E: case 0x0235: case 0x0272: return "n";
    case 0x019F: case 0x0254: return "o";
    case 0x01A2: case 0x01A3: return "oi";
    case 0x01A4: case 0x01A5: return "p";
    case 0x024C: case 0x024D: return "r";
    case 0x01AB: case 0x01AC: case 0x01AD: case 0x01AE: case 0x023E: case 0x0236: return "t";
    case 0x0244: case 0x0289: return "u";
    case 0x01B2: case 0x028B: return "v";
    case 0x01B3: case 0x01B4: case 0x024E: case 0x024F: return "y";
    case 0x01B5: case 0x01B6: return "z";
    case 0x023A: return "a";
    case 0x1E9E: return "ss";
    default: return {};
  }
}
// clang-format on

// Appends the lower-case ASCII spelling of a Latin letter with diacritics
// (Latin-1, Extended-A/B/Additional) and returns true, or returns false when
// `c` is not such a letter. `german` spells ä ö ü as ae oe ue.
bool FoldLatinLetter(char32_t c, bool german, std::string* out) {
  if (c >= 0xC0 && c <= 0xFF) {
    std::string_view s = kLatin1Letters[c - 0xC0];
    if (s.empty()) return false;
    if (german && (c == 0xE4 || c == 0xF6 || c == 0xFC || c == 0xC4 || c == 0xD6 || c == 0xDC)) {
      out->append(s);
      out->push_back('e');
      return true;
    }
    out->append(s);
    return true;
  }
  if (c >= 0x100 && c <= 0x17F) {
    out->append(kLatinExtendedA[c - 0x100]);
    return true;
  }
  const bool extended = (c >= 0x180 && c <= 0x2AF) || (c >= 0x1E00 && c <= 0x1EFF);
  if (!extended) return false;
  std::string_view special = SpecialLatin(c);
  if (!special.empty()) {
    out->append(special);
    return true;
  }
  // Vietnamese and other precomposed letters: take the base letter of the
  // canonical decomposition.
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  if (U_FAILURE(status) || nfd == nullptr) return false;
  icu::UnicodeString decomposition;
  if (!nfd->getDecomposition(static_cast<UChar32>(c), decomposition) ||
      decomposition.length() == 0) {
    return false;
  }
  const UChar32 base = decomposition.char32At(0);
  if (base < 0x80 && IsAsciiLetter(static_cast<char>(base))) {
    out->push_back(LowerAscii(static_cast<char>(base)));
    return true;
  }
  return false;
}

// ---------------------------------------------------------------------------
// Cyrillic without ICU: the plain spelling English-language media use
// ("Kaspersky", "Yuri"), one of the extra keys.

// clang-format off
std::string_view SimpleCyrillic(char32_t c) {
  static constexpr std::string_view kBasic[32] = {
      // а б в г д е ж з и й к л м н о п
      "a", "b", "v", "g", "d", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p",
      // р с т у ф х ц ч ш щ ъ ы ь э ю я
      "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya",
  };
  if (c >= 0x430 && c <= 0x44F) return kBasic[c - 0x430];
  if (c >= 0x410 && c <= 0x42F) return kBasic[c - 0x410];
  switch (c) {
    case 0x451: case 0x401: return "e";    // ё
    case 0x456: case 0x406: return "i";    // і
    case 0x457: case 0x407: return "yi";   // ї
    case 0x454: case 0x404: return "ye";   // є
    case 0x491: case 0x490: return "g";    // ґ
    case 0x45E: case 0x40E: return "u";    // ў
    case 0x458: case 0x408: return "j";    // ј
    case 0x452: case 0x402: return "dj";   // ђ
    case 0x45B: case 0x40B: return "c";    // ћ
    case 0x459: case 0x409: return "lj";   // љ
    case 0x45A: case 0x40A: return "nj";   // њ
    case 0x45F: case 0x40F: return "dz";   // џ
    case 0x453: case 0x403: return "g";    // ѓ
    case 0x45C: case 0x40C: return "k";    // ќ
    case 0x455: case 0x405: return "dz";   // ѕ
    default: return {};
  }
}
// clang-format on

// ---------------------------------------------------------------------------
// ICU objects, one set per thread.

enum Chain : int {
  kChainGeneric = 0,
  kChainRussian,
  kChainUkrainian,
  kChainSerbian,
  kChainCyrillicIso,
  kChainGreek,
  kChainGreekBgn,
  kChainHan,
  kChainHanNames,
  kChainHangul,
  kChainArabic,
  kChainHebrew,
  kChainCount,
};

// Script-specific transliterators only: their output (Latin with
// diacritics, BGN's soft-sign and separator marks) is folded to ASCII by
// AppendMapped, which is several times cheaper than ICU's Latin-ASCII.
// Letters a specific transliterator leaves alone go through Any-Latin.
constexpr const char* kChainIds[kChainCount] = {
    "Any-Latin",       "Russian-Latin/BGN",  "Ukrainian-Latin/BGN", "Serbian-Latin/BGN",
    "Cyrillic-Latin",  "Greek-Latin/UNGEGN", "Greek-Latin/BGN",     "Han-Latin",
    "Han-Latin/Names", "Hangul-Latin",       "Arabic-Latin",        "Hebrew-Latin",
};

class IcuCache {
 public:
  // Null when neither the chain nor the generic fallback could be created.
  const icu::Transliterator* Get(Chain chain) {
    const icu::Transliterator* t = Create(chain);
    return t != nullptr ? t : Create(kChainGeneric);
  }

  // Dictionary-based word breaker (Chinese and Japanese words), or null.
  icu::BreakIterator* Words() {
    if (!words_tried_) {
      words_tried_ = true;
      UErrorCode status = U_ZERO_ERROR;
      words_.reset(icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
      if (U_FAILURE(status)) words_.reset();
    }
    return words_.get();
  }

 private:
  const icu::Transliterator* Create(Chain chain) {
    if (!tried_[chain]) {
      tried_[chain] = true;
      UErrorCode status = U_ZERO_ERROR;
      chains_[chain].reset(icu::Transliterator::createInstance(
          icu::UnicodeString(kChainIds[chain], -1, US_INV), UTRANS_FORWARD, status));
      if (U_FAILURE(status)) chains_[chain].reset();
    }
    return chains_[chain].get();
  }

  std::array<std::unique_ptr<icu::Transliterator>, kChainCount> chains_;
  std::array<bool, kChainCount> tried_{};
  std::unique_ptr<icu::BreakIterator> words_;
  bool words_tried_ = false;
};

IcuCache& Icu() {
  thread_local IcuCache cache;
  return cache;
}

// ---------------------------------------------------------------------------
// Romanisation of non-ASCII text.

// Which of the alternative romanisations to produce.
enum class Variant : uint8_t {
  kPrimary,
  kCyrillicIso,     // ICU Cyrillic-Latin ("kasperskij").
  kCyrillicSimple,  // SimpleCyrillic ("kaspersky").
  kGreekBgn,
  kGerman,    // ä ö ü → ae oe ue.
  kKoreanMr,  // HangulMr instead of ICU's Revised Romanisation.
  // HangulMr with every syllable's initial as at the start of a word.
  kKoreanMrUnvoiced,
};

// What the romanisation saw, for the extra keys.
struct ScriptInfo {
  // Letter counts per script (ICU UScriptCode), for the dominant script.
  // Scripts beyond the first kMaxScripts count only towards `letters`.
  static constexpr size_t kMaxScripts = 8;
  std::array<std::pair<int, int>, kMaxScripts> counts{};
  size_t scripts = 0;
  int letters = 0;
  bool has_cyrillic = false;
  bool has_greek = false;
  bool has_cjk = false;  // Han or Hangul.
  bool has_hangul = false;
  bool has_abjad = false;         // Arabic-script or Hebrew.
  bool has_german_vowel = false;  // ä ö ü.

  void Count(int script) {
    ++letters;
    for (size_t i = 0; i < scripts; ++i) {
      if (counts[i].first == script) {
        ++counts[i].second;
        return;
      }
    }
    if (scripts < kMaxScripts) counts[scripts++] = {script, 1};
  }
};

class Romanizer {
 public:
  Romanizer(NameType type, Variant variant, ScriptInfo* info)
      : type_(type), variant_(variant), info_(info) {}

  // Romanises the NFKC-case-folded `text`. `joined` receives the same text
  // with CJK words written as one token instead of one per syllable.
  void Run(const icu::UnicodeString& text, std::string* out, std::string* joined) {
    out_ = out;
    joined_ = joined;
    const int32_t length = text.length();
    int32_t i = 0;
    while (i < length) {
      const UChar32 c = text.char32At(i);
      i += U16_LENGTH(c);
      Step(c);
    }
    FlushRun();
  }

 private:
  void Append(std::string_view s) {
    out_->append(s);
    if (joined_ != nullptr) joined_->append(s);
  }
  void AppendChar(char ch) {
    out_->push_back(ch);
    if (joined_ != nullptr) joined_->push_back(ch);
  }

  // Maps one code point outside a foreign-script run, or one code point of a
  // transliterator's output.
  void AppendMapped(UChar32 c) {
    if (c < 0x80) {
      AppendChar(c < 0x20 || c == 0x7F ? ' ' : LowerAscii(static_cast<char>(c)));
      return;
    }
    if (IsApostropheLike(static_cast<char32_t>(c))) {
      AppendChar('\'');
      return;
    }
    // Joiners inside romanised words: BGN's separator and hard sign, and
    // the other spacing modifier letters transliterators leave behind.
    if (c == 0x00B7 || (c >= 0x02B0 && c <= 0x02FF)) return;
    std::string folded;
    if (FoldLatinLetter(static_cast<char32_t>(c), variant_ == Variant::kGerman, &folded)) {
      Append(folded);
      return;
    }
    const int8_t type = u_charType(c);
    if (type == U_DECIMAL_DIGIT_NUMBER) {
      const int32_t digit = u_charDigitValue(c);
      if (digit >= 0 && digit <= 9) AppendChar(static_cast<char>('0' + digit));
      return;
    }
    if (type == U_NON_SPACING_MARK || type == U_COMBINING_SPACING_MARK ||
        type == U_ENCLOSING_MARK) {
      // Kept only on letters that stayed non-ASCII (scripts without a
      // romanisation), dropped on Latin letters.
      if (!out_->empty() && static_cast<unsigned char>(out_->back()) >= 0x80) {
        std::string utf8;
        AppendUtf8(static_cast<char32_t>(c), &utf8);
        Append(utf8);
      }
      return;
    }
    if (type == U_FORMAT_CHAR || type == U_CONTROL_CHAR || type == U_UNASSIGNED ||
        type == U_PRIVATE_USE_CHAR || type == U_SURROGATE || c == 0xFFFD) {
      return;
    }
    if (u_isalpha(c) || type == U_MODIFIER_LETTER || type == U_OTHER_NUMBER ||
        type == U_LETTER_NUMBER) {
      if (u_isalpha(c)) {
        std::string utf8;
        AppendUtf8(static_cast<char32_t>(u_tolower(c)), &utf8);
        Append(utf8);
      } else {
        AppendChar(' ');
      }
      return;
    }
    if (type == U_DASH_PUNCTUATION) {
      AppendChar('-');
      return;
    }
    AppendChar(' ');
  }

  void Step(UChar32 c) {
    if (c < 0x80) {
      if (IsAsciiLetter(static_cast<char>(c)) || IsAsciiDigit(static_cast<char>(c))) {
        FlushRun();
        if (IsAsciiLetter(static_cast<char>(c))) info_->Count(USCRIPT_LATIN);
        AppendMapped(c);
      } else if (run_script_ >= 0) {
        run_.append(c);
      } else {
        AppendMapped(c);
      }
      return;
    }
    if (c >= 0xC0 && c <= 0x17F && c != 0xD7 && c != 0xF7) {
      // Latin-1 and Latin Extended-A letters: the table.
      FlushRun();
      info_->Count(USCRIPT_LATIN);
      if (c == 0xE4 || c == 0xF6 || c == 0xFC) info_->has_german_vowel = true;
      AppendMapped(c);
      return;
    }
    UErrorCode status = U_ZERO_ERROR;
    const UScriptCode script = uscript_getScript(c, &status);
    const int8_t type = u_charType(c);
    const bool letter =
        u_isalpha(c) != 0 && type != U_NON_SPACING_MARK && type != U_COMBINING_SPACING_MARK;
    if (letter && script != USCRIPT_COMMON && script != USCRIPT_INHERITED) {
      info_->Count(script);
      if (script == USCRIPT_LATIN) {
        std::string folded;
        if (FoldLatinLetter(static_cast<char32_t>(c), variant_ == Variant::kGerman, &folded)) {
          FlushRun();
          Append(folded);
          return;
        }
      }
      if (script == USCRIPT_CYRILLIC) info_->has_cyrillic = true;
      if (script == USCRIPT_GREEK) info_->has_greek = true;
      if (script == USCRIPT_HAN || script == USCRIPT_HANGUL) info_->has_cjk = true;
      if (script == USCRIPT_HANGUL) info_->has_hangul = true;
      if (script == USCRIPT_ARABIC || script == USCRIPT_HEBREW || script == USCRIPT_SYRIAC ||
          script == USCRIPT_THAANA) {
        info_->has_abjad = true;
      }
      if (run_script_ != script) {
        FlushRun();
        run_script_ = script;
      }
      run_.append(c);
      return;
    }
    if (run_script_ >= 0 && type != U_DECIMAL_DIGIT_NUMBER) {
      run_.append(c);  // Marks, spaces and punctuation stay with the run.
      return;
    }
    FlushRun();
    AppendMapped(c);
  }

  void AppendTransliterated(const icu::UnicodeString& text) {
    const int32_t length = text.length();
    int32_t i = 0;
    while (i < length) {
      const UChar32 c = text.char32At(i);
      i += U16_LENGTH(c);
      AppendMapped(c);
    }
  }

  // True when `text` still holds letters of a script other than Latin.
  static bool HasNonLatinLetters(const icu::UnicodeString& text) {
    const int32_t length = text.length();
    int32_t i = 0;
    while (i < length) {
      const UChar32 c = text.char32At(i);
      i += U16_LENGTH(c);
      if (c < 0x250 || (c >= 0x1E00 && c <= 0x1EFF) || !u_isalpha(c)) continue;
      UErrorCode status = U_ZERO_ERROR;
      const UScriptCode script = uscript_getScript(c, &status);
      if (script != USCRIPT_LATIN && script != USCRIPT_COMMON && script != USCRIPT_INHERITED) {
        return true;
      }
    }
    return false;
  }

  static void Transliterate(Chain chain, icu::UnicodeString* text) {
    const icu::Transliterator* t = Icu().Get(chain);
    if (t != nullptr) t->transliterate(*text);
    if (chain != kChainGeneric && HasNonLatinLetters(*text)) {
      t = Icu().Get(kChainGeneric);
      if (t != nullptr) t->transliterate(*text);
    }
  }

  void AppendThrough(Chain chain, icu::UnicodeString text) {
    Transliterate(chain, &text);
    AppendTransliterated(text);
  }

  // The mapped form of `text` as a separate string (not written to the
  // outputs).
  std::string MapToString(const icu::UnicodeString& text) {
    std::string result;
    std::string* saved_out = out_;
    std::string* saved_joined = joined_;
    out_ = &result;
    joined_ = nullptr;
    AppendTransliterated(text);
    out_ = saved_out;
    joined_ = saved_joined;
    return result;
  }

  // Romanisation of one Han character or Hangul syllable, cached per thread:
  // Han-Latin costs about 10 µs per character and reads characters one by
  // one anyway.
  const std::string& Syllable(Chain chain, UChar32 c) {
    thread_local std::unordered_map<uint32_t, std::string> cache;
    const uint32_t key = static_cast<uint32_t>(c) | (static_cast<uint32_t>(chain) << 21);
    auto it = cache.find(key);
    if (it != cache.end()) return it->second;
    if (cache.size() >= kMaxCachedSyllables) cache.clear();
    icu::UnicodeString text(c);
    Transliterate(chain, &text);
    return cache.emplace(key, MapToString(text)).first->second;
  }

  void FlushRun() {
    if (run_script_ < 0) return;
    const auto script = static_cast<UScriptCode>(run_script_);
    run_script_ = -1;
    icu::UnicodeString run;
    run.fastCopyFrom(run_);
    run_.remove();
    // Han, Hangul and kana runs are words of their own ("华为Huawei" is two);
    // an alphabetic script continues the word it stands in ("Т2" → "t2", as
    // the Latin "T2").
    const bool separate = script == USCRIPT_HAN || script == USCRIPT_HANGUL ||
                          script == USCRIPT_HIRAGANA || script == USCRIPT_KATAKANA;
    if (separate) AppendChar(' ');
    switch (script) {
      case USCRIPT_CYRILLIC:
        Cyrillic(run);
        break;
      case USCRIPT_GREEK:
        AppendThrough(variant_ == Variant::kGreekBgn ? kChainGreekBgn : kChainGreek, run);
        break;
      case USCRIPT_HAN:
      case USCRIPT_HANGUL:
        Cjk(run, script == USCRIPT_HANGUL);
        break;
      case USCRIPT_ARABIC:
        AppendThrough(kChainArabic, MarkLongVowels(SplitArabicArticle(run)));
        break;
      case USCRIPT_HEBREW:
        AppendThrough(kChainHebrew, run);
        break;
      default:
        AppendThrough(kChainGeneric, run);
        break;
    }
    if (separate) AppendChar(' ');
  }

  void Cyrillic(const icu::UnicodeString& run) {
    if (variant_ == Variant::kCyrillicSimple) {
      const int32_t length = run.length();
      int32_t i = 0;
      while (i < length) {
        const UChar32 c = run.char32At(i);
        i += U16_LENGTH(c);
        // ий / ый at the end of a word → y ("Kaspersky", "Yuri" → "Yury").
        if ((c == 0x438 || c == 0x44B) && i < length && run.char32At(i) == 0x439 &&
            (i + 1 >= length || !u_isalpha(run.char32At(i + 1)))) {
          AppendChar('y');
          ++i;
          continue;
        }
        std::string_view s = SimpleCyrillic(static_cast<char32_t>(c));
        if (!s.empty() || c == 0x44A || c == 0x44C || c == 0x42A || c == 0x42C) {
          Append(s);
        } else if (u_isalpha(c)) {
          Append(Syllable(kChainCyrillicIso, c));  // Kazakh, Tatar ... letters.
        } else {
          AppendMapped(c);
        }
      }
      return;
    }
    Chain chain = kChainRussian;
    if (variant_ == Variant::kCyrillicIso) {
      chain = kChainCyrillicIso;
    } else {
      for (int32_t i = 0; i < run.length(); ++i) {
        const UChar u = run.charAt(i);
        if (u == 0x456 || u == 0x457 || u == 0x454 || u == 0x491) {  // і ї є ґ
          chain = kChainUkrainian;
          break;
        }
        if (u == 0x452 || u == 0x458 || u == 0x459 || u == 0x45A || u == 0x45B ||
            u == 0x45F) {  // ђ ј љ њ ћ џ
          chain = kChainSerbian;
          break;
        }
      }
    }
    AppendThrough(chain, run);
  }

  // Urdu letters ICU's Arabic-Latin leaves alone, as their nearest Arabic
  // letters.
  static UChar ArabicEquivalent(UChar u) {
    switch (u) {
      case 0x0679:
        return 0x062A;  // ٹ → ت
      case 0x0688:
        return 0x062F;  // ڈ → د
      case 0x0691:
        return 0x0631;  // ڑ → ر
      case 0x06BA:
        return 0x0646;  // ں → ن
      case 0x06D2:
      case 0x06D3:
        return 0x064A;  // ے → ي
      case 0x06C1:
      case 0x06BE:
        return 0x0647;  // ہ ھ → ه
      case 0x06C3:
        return 0x0629;  // ۃ → ة
      case 0x0671:
        return 0x0627;  // ٱ → ا
      default:
        return u;
    }
  }

  // Writes "ال" as a separate word: "الرشيد" → "ال رشيد" (not for الله),
  // also after عبد written joined ("عبدالخالق" → "عبد ال خالق", as lists
  // write "Abd al-Khaliq"; عبدالله stays one word). A ta marbuta ending the name is read as "a"
  // (القاعدة → "qada", listed as "Qaida"); inside the name it stays "t"
  // (construct state: حركة الشباب → "Harakat al-Shabab").
  static icu::UnicodeString SplitArabicArticle(const icu::UnicodeString& input) {
    auto is_arabic_letter = [](UChar u) { return u >= 0x620 && u <= 0x64A; };
    icu::UnicodeString run;
    const int32_t input_length = input.length();
    int32_t last_letter = -1;
    for (int32_t i = 0; i < input_length; ++i) {
      if (is_arabic_letter(ArabicEquivalent(input.charAt(i)))) last_letter = i;
    }
    for (int32_t i = 0; i < input_length; ++i) {
      UChar u = input.charAt(i);
      if (u == 0x629 && i == last_letter) u = 0x627;
      run.append(u);
      const bool word_start = i == 0 || !is_arabic_letter(ArabicEquivalent(input.charAt(i - 1)));
      if (word_start && u == 0x639 && i + 5 < input_length && input.charAt(i + 1) == 0x628 &&
          input.charAt(i + 2) == 0x62F && input.charAt(i + 3) == 0x627 &&
          input.charAt(i + 4) == 0x644 && i + 7 < input_length &&
          is_arabic_letter(input.charAt(i + 5)) && is_arabic_letter(input.charAt(i + 6)) &&
          is_arabic_letter(input.charAt(i + 7))) {  // Not عبدالله.
        run.append(input.charAt(i + 1));
        run.append(input.charAt(i + 2));
        run.append(static_cast<UChar>(' '));
        i += 2;
      }
    }
    icu::UnicodeString out;
    const int32_t length = run.length();
    for (int32_t i = 0; i < length; ++i) {
      const UChar u = ArabicEquivalent(run.charAt(i));
      out.append(u);
      const bool word_start = i == 0 || !is_arabic_letter(run.charAt(i - 1));
      if (word_start && u == 0x627 && i + 1 < length && run.charAt(i + 1) == 0x644) {
        int32_t end = i;
        while (end < length && is_arabic_letter(run.charAt(end))) ++end;
        const bool allah = end - i == 4 && run.charAt(i + 2) == 0x644 && run.charAt(i + 3) == 0x647;
        if (end - i >= 4 && !allah) {
          out.append(static_cast<UChar>(0x644));
          out.append(static_cast<UChar>(' '));
          ++i;
        }
      }
    }
    return out;
  }

  // Arabic script writes long vowels with the letters that are also the
  // consonants w and y, and no short vowels; ICU's consonantal romanisation
  // keeps them as "w" and "y" ("mhmwd", "dwry", "abw"), where the lists write
  // Mahmoud, Duri, Abu. A waw or ya between a consonant and a consonant or
  // the end of the word is read as the vowel (u, i); after an alif or at the
  // start of a word it stays a consonant (Zawahiri, Ayman). An ayn starting a
  // word before a consonant gets the "a" the lists write (Abd, Aziz, Ali),
  // as ICU drops the ayn itself.
  static icu::UnicodeString MarkLongVowels(const icu::UnicodeString& input) {
    // Persian letters: pe, che, zhe, keheh, gaf (consonants) and Farsi ya.
    auto is_persian = [](UChar u) {
      return u == 0x67E || u == 0x686 || u == 0x698 || u == 0x6A9 || u == 0x6AF || u == 0x6CC;
    };
    auto is_letter = [&](UChar u) { return (u >= 0x620 && u <= 0x64A) || is_persian(u); };
    auto is_ya = [](UChar u) { return u == 0x64A || u == 0x6CC; };
    // Letters read as consonants here (not alif, hamza seats, waw, ya,
    // alif maqsura, ta marbuta, tatweel).
    auto is_consonant = [&](UChar u) {
      return is_letter(u) && u >= 0x628 && u != 0x629 && u != 0x640 && u != 0x648 && u != 0x649 &&
             !is_ya(u);
    };
    icu::UnicodeString out;
    const int32_t length = input.length();
    for (int32_t i = 0; i < length; ++i) {
      const UChar u = input.charAt(i);
      const bool word_start = i == 0 || !is_letter(input.charAt(i - 1));
      const UChar next = i + 1 < length ? input.charAt(i + 1) : 0;
      const bool next_closes = !is_letter(next) || is_consonant(next);
      if (u == 0x639 && word_start && is_consonant(next)) {
        out.append(static_cast<UChar>('a'));
        out.append(u);
      } else if ((u == 0x648 || is_ya(u)) && !word_start && is_consonant(input.charAt(i - 1)) &&
                 next_closes) {
        out.append(static_cast<UChar>(u == 0x648 ? 'u' : 'i'));
      } else {
        out.append(u);
      }
    }
    return out;
  }

  // Han or Hangul run (with the spaces and punctuation inside it).
  void Cjk(const icu::UnicodeString& run, bool hangul) {
    const UScriptCode want = hangul ? USCRIPT_HANGUL : USCRIPT_HAN;
    const int32_t length = run.length();
    int32_t i = 0;
    while (i < length) {
      const UChar32 c = run.char32At(i);
      UErrorCode status = U_ZERO_ERROR;
      if (uscript_getScript(c, &status) != want) {
        AppendMapped(c);
        i += U16_LENGTH(c);
        continue;
      }
      int32_t end = i;
      while (end < length) {
        const UChar32 d = run.char32At(end);
        status = U_ZERO_ERROR;
        if (uscript_getScript(d, &status) != want) break;
        end += U16_LENGTH(d);
      }
      CjkSegment(run.tempSubStringBetween(i, end), hangul);
      i = end;
    }
  }

  // One unbroken stretch of Han (or Hangul) characters.
  void CjkSegment(const icu::UnicodeString& segment, bool hangul) {
    const int32_t length = segment.length();
    int32_t plain_start = 0;
    int32_t i = 0;
    while (i < length) {
      const std::u16string_view rest(reinterpret_cast<const char16_t*>(segment.getBuffer()) + i,
                                     static_cast<size_t>(length - i));
      const internal::CjkForm* form = internal::MatchCjkForm(rest);
      if (form == nullptr) {
        ++i;
        continue;
      }
      CjkPlain(segment.tempSubStringBetween(plain_start, i), hangul);
      AppendChar(' ');
      Append(form->latin);
      AppendChar(' ');
      i += static_cast<int32_t>(form->script.size());
      plain_start = i;
    }
    CjkPlain(segment.tempSubStringBetween(plain_start, length), hangul);
  }

  // Han text without legal forms: dictionary words, each romanised one
  // syllable per token in `out_` and as one token in `joined_`.
  void CjkPlain(const icu::UnicodeString& text, bool hangul) {
    if (text.isEmpty()) return;
    if (hangul && (variant_ == Variant::kKoreanMr || variant_ == Variant::kKoreanMrUnvoiced)) {
      EmitSyllables(HangulMr(text, variant_ == Variant::kKoreanMr));
      return;
    }
    if (hangul) {
      CjkWord(text, kChainHangul);  // One token per Hangul block.
      return;
    }
    const Chain chain = type_ == NameType::kPerson ? kChainHanNames : kChainHan;
    icu::BreakIterator* words = Icu().Words();
    if (words == nullptr || text.length() <= 2) {
      CjkWord(text, chain);
      return;
    }
    words->setText(text);
    int32_t start = words->first();
    for (int32_t end = words->next(); end != icu::BreakIterator::DONE;
         start = end, end = words->next()) {
      CjkWord(text.tempSubStringBetween(start, end), chain);
    }
  }

  void CjkWord(const icu::UnicodeString& word, Chain chain) {
    std::string syllables;
    if (chain == kChainHanNames) {
      // Surname readings depend on the position in the name: no cache.
      icu::UnicodeString text(word);
      Transliterate(chain, &text);
      syllables = MapToString(text);
    } else {
      const int32_t length = word.length();
      int32_t i = 0;
      while (i < length) {
        const UChar32 c = word.char32At(i);
        i += U16_LENGTH(c);
        syllables.push_back(' ');
        syllables += Syllable(chain, c);
      }
    }
    EmitSyllables(std::move(syllables));
  }

  // Writes space-separated syllables to `out_`, each marked verbatim, and
  // their concatenation to `joined_`.
  void EmitSyllables(std::string syllables) {
    syllables.push_back(' ');
    out_->push_back(' ');
    for (size_t k = 0; k < syllables.size(); ++k) {
      // Marks each syllable's first byte.
      if (syllables[k] != ' ' && (k == 0 || syllables[k - 1] == ' ')) {
        out_->push_back(kVerbatimMark);
      }
      out_->push_back(syllables[k]);
    }
    if (joined_ != nullptr) {
      joined_->push_back(' ');
      joined_->push_back(kVerbatimMark);
      for (char ch : syllables) {
        if (ch != ' ' && ch != '-' && ch != '\'') joined_->push_back(ch);
      }
      joined_->push_back(' ');
    }
  }

  // McCune-Reischauer without diacritics (the style of most North Korean
  // names in the lists: "Choson Kwangop", "Kim Jong Un" ~ "kim chong un"),
  // computed from the jamo of each Hangul syllable. Initial k/t/p/ch are
  // voiced after a vowel or a sonorant inside a word, as MR writes them,
  // when `voicing`. Written Korean does not mark where the words of a
  // compound name begin ("조선대성은행" is "Choson Taesong Unhaeng" in the
  // lists, not "Chosondaesong..."), so the form without voicing is a key too.
  static std::string HangulMr(const icu::UnicodeString& text, bool voicing) {
    static constexpr std::string_view kLead[19] = {"k",  "kk", "n", "t",  "tt", "r",  "m",
                                                   "p",  "pp", "s", "ss", "",   "ch", "tch",
                                                   "ch", "k",  "t", "p",  "h"};
    static constexpr std::string_view kVowel[21] = {"a",  "ae", "ya", "yae", "o",  "e",  "yo",
                                                    "ye", "o",  "wa", "wae", "oe", "yo", "u",
                                                    "wo", "we", "wi", "yu",  "u",  "ui", "i"};
    static constexpr std::string_view kTail[28] = {
        "",  "k", "k", "k", "n", "n", "n", "t",  "l", "k", "m", "l", "l", "l",
        "p", "l", "m", "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t"};
    std::string out;
    int previous_tail = -1;  // -1: start of the word.
    for (int32_t i = 0; i < text.length(); ++i) {
      const UChar u = text.charAt(i);
      if (u < 0xAC00 || u > 0xD7A3) {
        previous_tail = -1;
        continue;
      }
      const int index = u - 0xAC00;
      const int lead = index / (21 * 28);
      const int vowel = (index / 28) % 21;
      const int tail = index % 28;
      // After a vowel (no tail) or the tails ㄴ ㄹ ㅁ ㅇ.
      const bool voiced =
          voicing && (previous_tail == 0 || previous_tail == 4 || previous_tail == 8 ||
                      previous_tail == 16 || previous_tail == 21);
      std::string_view initial = kLead[lead];
      if (voiced) {
        if (lead == 0) initial = "g";
        if (lead == 3) initial = "d";
        if (lead == 7) initial = "b";
        if (lead == 12) initial = "j";
      }
      out.push_back(' ');
      out.append(initial);
      if (lead == 9 && vowel == 20) out.push_back('h');  // 시 → shi
      out.append(kVowel[vowel]);
      out.append(kTail[tail]);
      previous_tail = tail;
    }
    return out;
  }

  NameType type_;
  Variant variant_;
  ScriptInfo* info_;
  std::string* out_ = nullptr;
  std::string* joined_ = nullptr;
  icu::UnicodeString run_;
  int run_script_ = -1;
};

// NFKC + case folding of valid UTF-8, after apostrophe unification.
icu::UnicodeString FoldCase(std::string_view clean) {
  icu::UnicodeString text = icu::UnicodeString::fromUTF8(
      icu::StringPiece(clean.data(), static_cast<int32_t>(clean.size())));
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCCasefoldInstance(status);
  if (U_FAILURE(status) || nfkc == nullptr) return text;
  icu::UnicodeString folded = nfkc->normalize(text, status);
  return U_FAILURE(status) ? text : folded;
}

// Latin-script names need no ICU when every character is ASCII, a Latin-1 or
// Latin Extended-A letter, a combining accent or common punctuation: the
// table gives what NFKC case folding followed by the table would. Returns
// false, with `out` in an unspecified state, for anything else.
bool RomanizeLatinFast(std::string_view clean, Variant variant, ScriptInfo* info,
                       std::string* out) {
  const bool german = variant == Variant::kGerman;
  size_t pos = 0;
  while (pos < clean.size()) {
    const char32_t c = DecodeUtf8(clean, &pos);
    if (c < 0x80) {
      const char ch = static_cast<char>(c);
      if (IsAsciiLetter(ch)) info->Count(USCRIPT_LATIN);
      out->push_back(c < 0x20 || c == 0x7F ? ' ' : LowerAscii(ch));
    } else if (c >= 0xC0 && c <= 0x17F && c != 0xD7 && c != 0xF7) {
      info->Count(USCRIPT_LATIN);
      if (c == 0xE4 || c == 0xF6 || c == 0xFC || c == 0xC4 || c == 0xD6 || c == 0xDC) {
        info->has_german_vowel = true;
      }
      FoldLatinLetter(c, german, out);
    } else if ((c >= 0x300 && c <= 0x36F) || c == 0xAD || c == 0xB7 ||
               (c >= 0x200B && c <= 0x200D) || c == 0x2060 || c == 0xFEFF) {
      // Accents (on Latin letters here), soft hyphen, joiners: dropped.
    } else if (c >= 0x2010 && c <= 0x2015) {
      out->push_back('-');
    } else if (c == 0xA0 ||
               (c >= 0xA1 && c <= 0xBF && c != 0xAA && c != 0xB2 && c != 0xB3 && c != 0xB5 &&
                c != 0xB9 && c != 0xBA && !(c >= 0xBC && c <= 0xBE)) ||
               c == 0xD7 || c == 0xF7 || (c >= 0x2000 && c <= 0x200A) ||
               (c >= 0x2016 && c <= 0x2027) || (c >= 0x2030 && c <= 0x205E && c != 0x2044) ||
               c == 0x3000) {
      out->push_back(' ');
    } else {
      return false;
    }
  }
  return true;
}

// Romanises valid UTF-8 `clean` (non-ASCII). See Romanizer::Run.
std::string Romanize(std::string_view clean, NameType type, Variant variant, ScriptInfo* info,
                     std::string* joined) {
  std::string out;
  out.reserve(clean.size() + 16);
  ScriptInfo fast_info;
  if (RomanizeLatinFast(clean, variant, &fast_info, &out)) {
    *info = fast_info;  // No CJK, so `joined` is not needed.
  } else {
    out.clear();
    Romanizer(type, variant, info).Run(FoldCase(clean), &out, joined);
  }
  // Collapse the spaces put around transliterated runs.
  size_t w = 0;
  for (char ch : out) {
    if (ch == ' ' && (w == 0 || out[w - 1] == ' ')) continue;
    out[w++] = ch;
  }
  if (w > 0 && out[w - 1] == ' ') --w;
  out.resize(w);
  return out;
}

// ---------------------------------------------------------------------------
// Tokenising and classification.

// Byte → its lower-case form when it belongs to a word (ASCII letters and
// digits, and every byte of a non-ASCII character), else 0.
constexpr std::array<char, 256> MakeWordBytes() {
  std::array<char, 256> table{};
  for (int b = 0; b < 256; ++b) {
    if ((b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b >= 0x80) {
      table[b] = static_cast<char>(b);
    } else if (b >= 'A' && b <= 'Z') {
      table[b] = static_cast<char>(b + 32);
    }
  }
  return table;
}
constexpr std::array<char, 256> kWordBytes = MakeWordBytes();

char WordByte(char ch) { return kWordBytes[static_cast<unsigned char>(ch)]; }
bool IsWordByte(char ch) { return WordByte(ch) != 0; }

// Splits romanised text into tokens. ASCII letters are lower-cased here, so
// raw ASCII names can be passed directly. When `verbatim` is given, kVerbatim
// marks are honoured and (*verbatim)[i] tells whether token i had one.
void Tokenize(std::string_view s, NameType type, std::vector<Token>* tokens,
              std::vector<bool>* verbatim = nullptr) {
  bool marked = false;
  // A token's bytes are a subset of the input's, so `s.size()` bytes suffice.
  constexpr size_t kStackBytes = 512;
  char stack_buffer[kStackBytes];
  std::string heap_buffer;
  char* buffer = stack_buffer;
  if (s.size() > kStackBytes) {
    heap_buffer.resize(s.size());
    buffer = heap_buffer.data();
  }
  size_t length = 0;
  bool acronym = false;  // The buffer holds single letters joined by dots.
  const size_t n = s.size();
  tokens->reserve(tokens->size() + n / 5 + 2);
  auto at = [&](size_t k) -> char { return k < n ? s[k] : ' '; };
  auto finish = [&](bool abbreviated) {
    if (length > 0) {
      Token& t = tokens->emplace_back();
      t.text.assign(buffer, length);
      t.abbreviated = abbreviated;
      length = 0;
      if (verbatim != nullptr) verbatim->push_back(marked);
    }
    marked = false;
    acronym = false;
  };
  for (size_t i = 0; i < n; ++i) {
    const char ch = s[i];
    const char word_byte = WordByte(ch);
    if (word_byte != 0) {
      buffer[length++] = word_byte;
      continue;
    }
    const char next = at(i + 1);
    switch (ch) {
      case '\'':
        // Inside a word: removed ("O'Neil" → "oneil").
        if (length == 0 || !IsWordByte(next)) finish(false);
        break;
      case '.':
        if (length == 0) break;
        if (IsAsciiDigit(buffer[length - 1]) && IsAsciiDigit(next)) break;  // "1.5"
        if (type != NameType::kPerson && IsAsciiLetter(next) && !IsWordByte(at(i + 2)) &&
            (acronym || (length == 1 && IsAsciiLetter(buffer[0])))) {
          acronym = true;  // "p.j.s.c." → "pjsc"
          break;
        }
        finish(true);
        break;
      case '/':
        // "a/s" → "as".
        if (length == 1 && IsAsciiLetter(buffer[0]) && IsAsciiLetter(next) &&
            !IsWordByte(at(i + 2)) && type != NameType::kPerson) {
          break;
        }
        finish(false);
        break;
      case '&': {
        finish(false);
        Token& t = tokens->emplace_back();
        t.text = "and";
        if (verbatim != nullptr) verbatim->push_back(false);
        break;
      }
      case ',':
        // Thousands separator: "1,000" → "1000".
        if (length > 0 && IsAsciiDigit(buffer[length - 1]) && IsAsciiDigit(next) &&
            IsAsciiDigit(at(i + 2)) && IsAsciiDigit(at(i + 3)) && !IsAsciiDigit(at(i + 4))) {
          break;
        }
        finish(false);
        break;
      case kVerbatimMark:
        finish(false);
        marked = verbatim != nullptr;
        break;
      default:
        finish(false);
        break;
    }
  }
  finish(false);
}

// The number of leading digits of a digit ordinal ("29th", "702nd", "31st"),
// else 0.
size_t DigitOrdinalLength(std::string_view t) {
  size_t digits = 0;
  while (digits < t.size() && t[digits] >= '0' && t[digits] <= '9') ++digits;
  if (digits == 0 || t.size() != digits + 2) return 0;
  const std::string_view suffix = t.substr(digits);
  return suffix == "st" || suffix == "nd" || suffix == "rd" || suffix == "th" ? digits : 0;
}

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char ch : s) {
    if (!IsAsciiDigit(ch)) return false;
  }
  return true;
}

// One code point (ASCII letter or a non-ASCII letter left unromanised).
bool IsSingleLetter(std::string_view s) {
  if (s.size() == 1) return IsAsciiLetter(s[0]);
  if (s.size() < 2 || s.size() > 4) return false;
  size_t pos = 0;
  const char32_t c = DecodeUtf8(s, &pos);
  return c != kInvalid && pos == s.size() && u_isalpha(static_cast<UChar32>(c));
}

// A word made of the initials of the words just before it, stop words
// skipped ("Daedong Credit Bank (DCB)", "Islamic Revolutionary Guard Corps (IRGC)",
// "China Aerospace Science and Industry Corporation (CASIC)"), says nothing
// the name has not said: lists add it to some spellings of a name and not
// to others. It counts as a stop word.
void MarkOwnAcronyms(std::vector<Token>* tokens) {
  constexpr size_t kMinAcronym = 3;
  const size_t n = tokens->size();
  for (size_t i = kMinAcronym; i < n; ++i) {
    Token& t = (*tokens)[i];
    if (t.kind != TokenKind::kWord || t.abbreviated || t.text.size() < kMinAcronym) continue;
    size_t matched = 0;
    for (size_t j = i; j-- > 0 && matched < t.text.size();) {
      const Token& before = (*tokens)[j];
      if (before.kind == TokenKind::kStopWord) continue;
      if (before.text.empty() || before.text[0] != t.text[t.text.size() - 1 - matched]) break;
      ++matched;
    }
    if (matched == t.text.size()) t.kind = TokenKind::kStopWord;
  }
}

// The key of one Korean syllable as romanisations write it, when `t` is one:
// an initial (voiced or not, aspirated or not: "k", "g", "kh"; "ch", "j",
// "tch"; "p", "b", "ph"), a vowel ("o", "eo"; "u", "eu"; "yo", "yeo") and a
// final ("k", "n", "l", "m", "p", "t", "ng"), each read one way: "jong",
// "chong" and "cheong" are "chong"; "bom" and "pom" are "pom"; "thae" and
// "tae" are "tae". Empty when `t` is not one syllable.
std::string KoreanSyllableKey(std::string_view t) {
  static constexpr std::pair<std::string_view, std::string_view> kInitials[] = {
      {"tch", "ch"}, {"jj", "ch"}, {"kk", "k"}, {"tt", "t"}, {"pp", "p"}, {"ss", "s"}, {"ch", "ch"},
      {"kh", "k"},   {"th", "t"},  {"ph", "p"}, {"sh", "s"}, {"k", "k"},  {"g", "k"},  {"n", "n"},
      {"t", "t"},    {"d", "t"},   {"r", "r"},  {"l", "r"},  {"m", "m"},  {"p", "p"},  {"b", "p"},
      {"s", "s"},    {"j", "ch"},  {"h", "h"},  {"", ""}};
  static constexpr std::pair<std::string_view, std::string_view> kVowels[] = {
      {"yeo", "yo"}, {"yae", "yae"}, {"wae", "wae"}, {"ae", "ae"}, {"ya", "ya"}, {"eo", "o"},
      {"yo", "yo"},  {"ye", "ye"},   {"wa", "wa"},   {"oe", "oe"}, {"wo", "wo"}, {"we", "we"},
      {"wi", "wi"},  {"yu", "yu"},   {"eu", "u"},    {"ui", "ui"}, {"a", "a"},   {"e", "e"},
      {"i", "i"},    {"o", "o"},     {"u", "u"}};
  static constexpr std::string_view kFinals[] = {"ng", "k", "n", "l", "m", "p", "t", ""};
  if (t.size() < 2 || t.size() > 6) return {};
  for (const auto& [initial, initial_key] : kInitials) {
    if (t.substr(0, initial.size()) != initial) continue;
    const std::string_view rest = t.substr(initial.size());
    for (const auto& [vowel, vowel_key] : kVowels) {
      if (rest.substr(0, vowel.size()) != vowel) continue;
      const std::string_view final = rest.substr(vowel.size());
      for (const std::string_view f : kFinals) {
        if (final == f) {
          std::string key(initial_key);
          key.append(vowel_key);
          key.append(f);
          return key;
        }
      }
    }
  }
  return {};
}

// Korean names have a few words (syllables); longer names are not read.
constexpr size_t kMaxKoreanWords = 8;

// A person's name (or one of unknown type) whose every word is one Korean
// syllable ("RI, Chong Chol", "KWAK, Jong-chol") gets the syllables' keys
// as canonical forms, so that McCune-Reischauer and Revised Romanization
// spellings of one name meet. Words that already have another canonical
// form keep it; two words at least.
void MarkKoreanSyllables(std::vector<Token>* tokens) {
  // Most names fail at once, on a word of more than six letters; the others
  // as soon as a word has no syllable's shape.
  size_t words = 0;
  for (const Token& t : *tokens) {
    if (t.kind == TokenKind::kStopWord || t.kind == TokenKind::kInitial) continue;
    if (t.kind != TokenKind::kWord || t.text.size() > 6) return;
    ++words;
  }
  if (words < 2) return;
  std::string keys[kMaxKoreanWords];
  size_t k = 0;
  for (const Token& t : *tokens) {
    if (t.kind != TokenKind::kWord || t.canon != t.text) continue;
    if (k == kMaxKoreanWords) return;
    keys[k] = KoreanSyllableKey(t.text);
    if (keys[k].empty()) return;
    ++k;
  }
  k = 0;
  for (Token& t : *tokens) {
    if (t.kind != TokenKind::kWord || t.canon != t.text) continue;
    t.canon = std::move(keys[k++]);
  }
}

// Sets kind and canon of every token. Tokens flagged in `verbatim` (may be
// null) are words, numbers or initials only. `cyrillic`: the name holds
// Cyrillic letters; `latin`: it holds letters of no other script.
void Classify(NameType type, bool cyrillic, bool latin, const std::vector<bool>* verbatim,
              std::vector<Token>* tokens) {
  const size_t n = tokens->size();
  if (n == 0) return;
  constexpr size_t kInline = 32;
  std::string_view inline_texts[kInline];
  std::vector<std::string_view> heap_texts;
  std::string_view* texts = inline_texts;
  if (n > kInline) {
    heap_texts.resize(n);
    texts = heap_texts.data();
  }
  for (size_t i = 0; i < n; ++i) texts[i] = (*tokens)[i].text;

  // Legal-form candidates: 0 none, 1 legal, 2 legal only at the start or in
  // the trailing run, 3 legal only in the trailing run.
  constexpr uint8_t kNo = 0, kYes = 1, kStartOrEnd = 2, kEndOnly = 3;
  uint8_t inline_legal[kInline];
  const WordInfo* inline_infos[kInline];
  std::vector<uint8_t> heap_legal;
  std::vector<const WordInfo*> heap_infos;
  uint8_t* legal = inline_legal;
  const WordInfo** infos = inline_infos;
  if (n > kInline) {
    heap_legal.resize(n);
    heap_infos.resize(n);
    legal = heap_legal.data();
    infos = heap_infos.data();
  }
  for (size_t i = 0; i < n; ++i) {
    legal[i] = kNo;
    const bool raw = verbatim != nullptr && i < verbatim->size() && (*verbatim)[i];
    infos[i] = raw ? nullptr : LookupWord(texts[i]);
  }
  const bool legal_forms = type != NameType::kPerson;
  for (size_t i = 0; i < n && legal_forms; ++i) {
    const size_t phrase = infos[i] != nullptr && (infos[i]->flags & internal::kPhraseStart) != 0
                              ? internal::MatchLegalPhrase(texts, n, i)
                              : 0;
    if (phrase > 1) {
      for (size_t k = 0; k < phrase; ++k) legal[i + k] = kYes;
      i += phrase - 1;
      continue;
    }
    const WordInfo* info = infos[i];
    if (info == nullptr) continue;
    if (info->flags & internal::kLegalAnywhere) {
      legal[i] = kYes;
    } else if (info->flags & internal::kLegalAtStart) {
      legal[i] = kStartOrEnd;
    } else if (info->flags & internal::kLegalAtEnd) {
      legal[i] = kEndOnly;
    }
  }
  if (legal_forms) {
    if (legal[0] == kStartOrEnd) legal[0] = kYes;
    // The trailing run: legal forms (of any kind) and stop words.
    for (size_t i = n; i-- > 0;) {
      const bool stop = infos[i] != nullptr && (infos[i]->flags & internal::kStop) != 0;
      if (legal[i] == kNo && !stop) break;
      if (legal[i] != kNo) legal[i] = kYes;
    }
  }

  for (size_t i = 0; i < n; ++i) {
    Token& t = (*tokens)[i];
    const WordInfo* info = infos[i];
    t.canon = info != nullptr && !info->canon.empty() ? std::string(info->canon) : t.text;
    // Other digit ordinals stand for their number ("29th" = "29"); the
    // table spells out the small ones ("2nd" = "second").
    if (info == nullptr) {
      const size_t digits = DigitOrdinalLength(t.text);
      if (digits > 0) t.canon.resize(digits);
    }
    if (legal[i] == kYes) {
      t.kind = TokenKind::kLegalForm;
      continue;
    }
    const bool single = IsSingleLetter(t.text);
    // An undotted "i" between two words (not letters spelled out) of a name
    // that is not a person's links them: the Persian and Urdu izafe
    // ("Tehrik-i-Taliban", also written "Tehrik-e-Taliban") or the Catalan
    // "and".
    const bool link = latin && type != NameType::kPerson && t.text == "i" && !t.abbreviated &&
                      i > 0 && i + 1 < n && !IsSingleLetter((*tokens)[i - 1].text) &&
                      !IsSingleLetter((*tokens)[i + 1].text);
    const bool stop =
        link || (info != nullptr && ((info->flags & internal::kStop) != 0 ||
                                     (cyrillic && (info->flags & internal::kStopIfCyrillic) != 0) ||
                                     (latin && (info->flags & internal::kStopIfLatin) != 0)));
    if (stop && !(single && t.abbreviated)) {
      t.kind = TokenKind::kStopWord;
    } else if (AllDigits(t.text)) {
      t.kind = TokenKind::kNumber;
    } else if (single) {
      t.kind = TokenKind::kInitial;
    } else {
      t.kind = TokenKind::kWord;
    }
  }
  if (type != NameType::kOrganization) MarkKoreanSyllables(tokens);
  if (type != NameType::kPerson && latin) MarkOwnAcronyms(tokens);
}

bool IsSignificant(TokenKind kind) {
  return kind == TokenKind::kWord || kind == TokenKind::kNumber || kind == TokenKind::kInitial;
}

std::string JoinTokens(const std::vector<Token>& tokens, bool significant_only, char sep) {
  std::string out;
  size_t size = 0;
  for (const Token& t : tokens) size += t.text.size() + 1;
  out.reserve(size);
  for (const Token& t : tokens) {
    if (significant_only && !IsSignificant(t.kind)) continue;
    if (!out.empty() && sep != '\0') out.push_back(sep);
    out += t.text;
  }
  return out;
}

std::string DominantScript(const ScriptInfo& info) {
  if (info.letters == 0) return {};
  int best = -1;
  int best_count = 0;
  int han = 0, kana = 0, hangul = 0;
  for (size_t i = 0; i < info.scripts; ++i) {
    const auto [code, count] = info.counts[i];
    if (count > best_count) {
      best = code;
      best_count = count;
    }
    if (code == USCRIPT_HAN) han += count;
    if (code == USCRIPT_HIRAGANA || code == USCRIPT_KATAKANA) kana += count;
    if (code == USCRIPT_HANGUL) hangul += count;
  }
  // Japanese mixes Han and kana; Korean may mix Hangul and Han.
  if (kana > 0 && (han + kana) * 5 >= info.letters * 4 && han + kana > best_count) {
    return "Japanese";
  }
  if (hangul > 0 && han > 0 && (han + hangul) * 5 >= info.letters * 4 &&
      han + hangul > best_count) {
    return "Korean";
  }
  if (best_count * 5 < info.letters * 4) return "Mixed";
  const char* name = uscript_getName(static_cast<UScriptCode>(best));
  return name != nullptr ? name : "Mixed";
}

void AddKey(NormalizedName* n, std::string key) {
  if (key.empty() || key == n->latin || key == n->compact) return;
  if (std::find(n->extra_keys.begin(), n->extra_keys.end(), key) != n->extra_keys.end()) return;
  n->extra_keys.push_back(std::move(key));
}

// Keys of a Han or Hangul name from its syllable `tokens` and the `joined`
// romanisation: significant tokens joined per word ("hua wei jishu"); with
// `merge_runs` (Han), also each run of untranslated words joined whole, as
// English names write a brand of three or more syllables ("中兴新通讯" →
// "zhongxingxin tongxun", listed as "Zhongxingxin Telecom"); and for a short
// name that may be a person's, family name then given name as one word
// ("xi jinping").
void AddCjkKeys(const std::vector<Token>& tokens, const std::string& joined, NameType type,
                bool merge_runs, NormalizedName* n) {
  std::vector<Token> words;
  std::vector<bool> verbatim;
  Tokenize(joined, type, &words, &verbatim);
  Classify(type, false, false, &verbatim, &words);
  AddKey(n, JoinTokens(words, true, ' '));
  if (merge_runs) {
    std::string merged;
    bool previous_plain = false;
    for (const Token& t : words) {
      if (!IsSignificant(t.kind)) continue;
      const bool plain = t.kind == TokenKind::kWord && t.canon == t.text;
      if (!merged.empty() && !(plain && previous_plain)) merged.push_back(' ');
      merged += t.text;
      previous_plain = plain;
    }
    AddKey(n, std::move(merged));
  }
  size_t significant = 0;
  for (const Token& t : tokens) significant += IsSignificant(t.kind) ? 1 : 0;
  if (type != NameType::kOrganization && tokens.size() >= 3 && tokens.size() <= 4 &&
      significant == tokens.size()) {
    std::string key = tokens[0].text;
    key.push_back(' ');
    for (size_t k = 1; k < tokens.size(); ++k) key += tokens[k].text;
    AddKey(n, std::move(key));
  }
}

// Tokenised, classified romanisation of `clean` in an alternative spelling.
std::string VariantKey(std::string_view clean, NameType type, Variant variant) {
  ScriptInfo ignored;
  const std::string latin = Romanize(clean, type, variant, &ignored, nullptr);
  std::vector<Token> tokens;
  Tokenize(latin, type, &tokens);
  return JoinTokens(tokens, false, ' ');
}

}  // namespace

size_t NormalizedName::SignificantTokenCount() const {
  size_t count = 0;
  for (const Token& t : tokens) count += IsSignificant(t.kind) ? 1 : 0;
  return count;
}

std::string ConsonantSkeleton(std::string_view latin) {
  std::string out;
  out.reserve(latin.size());
  size_t i = 0;
  while (i < latin.size()) {
    while (i < latin.size() && !IsWordByte(latin[i])) ++i;
    const size_t start = i;
    while (i < latin.size() && IsWordByte(latin[i])) ++i;
    const std::string_view word = latin.substr(start, i - start);
    if (word.empty() || word == "al" || word == "el") continue;  // Arabic article.
    if (!out.empty() && out.back() != ' ') out.push_back(' ');
    for (char ch : word) {
      char c = LowerAscii(ch);
      if (!IsAsciiLetter(c) && !IsAsciiDigit(c)) continue;
      if (c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y') continue;
      // Letters Arabic script does not tell apart, or Persian romanisations
      // spell two ways: p/b, v/w, q/k.
      if (c == 'p') c = 'b';
      if (c == 'v') c = 'w';
      if (c == 'q') c = 'k';
      if (!out.empty() && out.back() == c) continue;
      out.push_back(c);
    }
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string ToLatin(std::string_view raw) {
  const std::string_view prepared = Prepare(raw);
  if (IsAscii(prepared)) {
    std::string out(prepared);
    for (char& ch : out) ch = LowerAscii(ch);
    return out;
  }
  ScriptInfo info;
  const std::string clean = CleanUtf8(prepared, false, true);
  std::string out = Romanize(clean, NameType::kUnknown, Variant::kPrimary, &info, nullptr);
  out.erase(std::remove(out.begin(), out.end(), kVerbatimMark), out.end());
  return out;
}

NormalizedName NormalizeName(std::string_view raw, NameType type) {
  NormalizedName n;
  const std::string_view prepared = Prepare(raw);
  if (IsAscii(prepared)) {
    n.original.assign(prepared.data(), prepared.size());
    Tokenize(prepared, type, &n.tokens);
    Classify(type, false, true, nullptr, &n.tokens);
    for (char ch : prepared) {
      if (IsAsciiLetter(ch)) {
        n.script = "Latin";
        break;
      }
    }
  } else {
    n.original = CleanUtf8(prepared, true, false);
    const std::string clean = CleanUtf8(prepared, false, true);
    ScriptInfo info;
    std::string joined;
    const std::string latin = Romanize(clean, type, Variant::kPrimary, &info, &joined);
    n.script = DominantScript(info);
    std::vector<bool> verbatim;
    Tokenize(latin, type, &n.tokens, &verbatim);
    const bool latin_only =
        info.scripts == 0 || (info.scripts == 1 && info.counts[0].first == USCRIPT_LATIN &&
                              info.letters == info.counts[0].second);
    Classify(type, info.has_cyrillic, latin_only, &verbatim, &n.tokens);
    n.latin = JoinTokens(n.tokens, false, ' ');
    n.compact = JoinTokens(n.tokens, true, '\0');
    if (info.has_cyrillic) {
      AddKey(&n, VariantKey(clean, type, Variant::kCyrillicIso));
      AddKey(&n, VariantKey(clean, type, Variant::kCyrillicSimple));
    }
    if (info.has_greek) AddKey(&n, VariantKey(clean, type, Variant::kGreekBgn));
    if (info.has_german_vowel) AddKey(&n, VariantKey(clean, type, Variant::kGerman));
    if (info.has_cjk) AddCjkKeys(n.tokens, joined, type, !info.has_hangul, &n);
    if (info.has_hangul) {
      for (const Variant variant : {Variant::kKoreanMr, Variant::kKoreanMrUnvoiced}) {
        ScriptInfo ignored;
        std::string mr_joined;
        const std::string mr = Romanize(clean, type, variant, &ignored, &mr_joined);
        std::vector<Token> mr_tokens;
        std::vector<bool> mr_verbatim;
        Tokenize(mr, type, &mr_tokens, &mr_verbatim);
        Classify(type, false, false, &mr_verbatim, &mr_tokens);
        AddCjkKeys(mr_tokens, mr_joined, type, false, &n);
      }
    }
    if (info.has_abjad) AddKey(&n, ConsonantSkeleton(JoinTokens(n.tokens, true, ' ')));
  }
  if (n.latin.empty()) n.latin = JoinTokens(n.tokens, false, ' ');
  if (n.compact.empty()) n.compact = JoinTokens(n.tokens, true, '\0');
  return n;
}

}  // namespace icts::text
