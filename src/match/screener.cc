#include "match/screener.h"

#include <immintrin.h>
#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <iterator>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "match/similarity.h"
#include "refdata/countries.h"

// How the index works
// -------------------
// Every normalised name yields keys in one interned table; the first byte of
// a key names what it stands for, so that a posting says what the name
// holds:
//   T  a significant token's text (numbers and initials included);
//   C  a token's canonical form, when it differs from the text;
//   J  two adjacent word tokens joined ("hua" + "wei" → "huawei");
//   K  the compact form of the whole name (NormalizedName::compact);
//   E  a word of an extra key; X an extra key without spaces.
// Postings are CSR arrays of name numbers. Token weights (the TokenWeightFn
// given to the scorer) are IDF over T keys, scaled to [0.1, 1].
//
// The scorer pairs tokens that are merely similar: Jaro-Winkler or edit
// similarity from 0.75, two joined tokens against one from 0.88, an initial
// against a word of that letter, a prefix against an abbreviation; and it
// also aligns extra keys, consonant skeletons and whole compact forms. To
// reach such names, fuzzy tables list the index's words (T words and E
// words), joins and skeletons with a character profile each (which byte
// values occur once and twice). The common part of two profiles bounds
// Jaro's match count and the edit distance, so a scan (AVX-512 when the CPU
// has it), grouped by first byte and length, keeps only entries that can
// reach the floor, which are then measured exactly. With AVX-512 BITALG a
// search first counts, for 64 strings of one length at once (stored by
// column), the bytes that have an equal query byte within Jaro's match
// window (or within the most edits, for short words): that bounds Jaro's
// matches far more tightly than the profiles, which ignore positions. A
// small index precomputes these neighbour lists for its own words; a large
// one searches within the first byte only, plus edits of the first byte.
//
// A query becomes units: one per significant token (its T, C and J keys,
// its initial, list abbreviations of it, and its fuzzy neighbours), plus the
// join of adjacent query words, the compact form and the extra keys. Token
// units are searched completely rarest first, until the others carry only a
// small share of the query's rarity weight (prefix filtering); rare units
// always. When every token is searched completely, neighbours weaker than
// the threshold only complete the records of names already reached (a name
// reached through nothing stronger cannot reach the threshold).
//
// Every name reached gets upper bounds of its score: first in constant time
// from what reached it (the best similarity and the weight of the list
// tokens each unit met), then from the two names' tokens, with the scorer's
// pairing rules made looser, over every alignment the scorer tries. Names
// whose bound plus the largest possible adjustment stays below the
// threshold are not scored; the rest, at most `max_candidates` by bound, are
// scored with ScoreNamesFast, and only hits get a full explanation. Debug
// builds check every pruned name against the scorer.

namespace icts::match {
namespace {

using refdata::EntityView;
using refdata::PropKind;
using refdata::PropView;
using refdata::Schema;
using text::NormalizedName;
using text::Token;
using text::TokenKind;

constexpr uint32_t kNoKey = 0xFFFFFFFFu;

// Key namespaces (the first byte of every key), so that a posting tells what
// the name holds.
constexpr char kNsToken = 'T';     // A significant token's text.
constexpr char kNsCanon = 'C';     // A token's canonical form, when not its text.
constexpr char kNsJoin = 'J';      // Two adjacent word tokens joined.
constexpr char kNsCompact = 'K';   // NormalizedName::compact.
constexpr char kNsPiece = 'E';     // A word of an extra key.
constexpr char kNsExtra = 'X';     // An extra key without spaces.
constexpr char kNsSkeleton = 'S';  // A word token's consonant skeleton.

// --- Tunables -------------------------------------------------------------

// Query units.
constexpr size_t kMaxQueryTokens = 64;      // Further tokens add no units.
constexpr uint64_t kCheapPostings = 8;      // Units this short are always read.
constexpr uint64_t kPostingBudget = 60000;  // Past the first token unit.
constexpr uint64_t kExtraBudget = 4000;     // Extra-key words, widened.
// Token units are searched completely (rarest first) until the others carry
// at most this share of the query's token weight; units with at most
// kAlwaysComplete exact postings are searched completely anyway.
// A small index searches every token unit completely (the units that cannot
// decide a hit then only complete names reached otherwise, see
// MarkInessential); a large one (fuzzy tables past kFullScanEntries) leaves
// the commonest open while the others carry all but this share.
constexpr double kUncoveredShare = 0.3;
constexpr uint64_t kAlwaysComplete = 500;
// Fuzzy tables larger than this are searched within the query token's first
// byte only (plus edits of the first byte); smaller ones keep precomputed
// neighbour lists for their own entries.
constexpr size_t kFullScanEntries = 100000;
constexpr size_t kNeighbourCacheEntries = 60000;
constexpr float kIdentifierBoost = 1000.0f;
// At most this many names per candidate get the token bound (best reach
// bounds first).
constexpr size_t kBoundedPerCandidate = 4;

// Fuzzy search. The scorer accepts a token pair from 0.75 (min(Jaro-Winkler,
// edit similarity + 0.2), or edit similarity for tokens under five bytes)
// and a joined pair from 0.88; the search uses the same measure and floors.
constexpr size_t kMinFuzzyLength = 4;   // Shorter tokens pair exactly only.
constexpr size_t kMaxFuzzyLength = 64;  // Longer ones are not searched.
constexpr double kFuzzyFloor = 0.75;
constexpr double kJoinedFloor = 0.88;
constexpr double kBoostedJaro = 0.7;  // Winkler's prefix boost needs Jaro > 0.7.
constexpr size_t kMinAbbreviationLength = 3;
constexpr size_t kMinJaroWinklerLength = 5;  // Shorter: edit similarity only.
constexpr double kLevenshteinSlack = 0.2;    // The scorer's cap: edit similarity + 0.2.

// Score bound: mirrors of the scorer's limits (kept at least as loose).
constexpr size_t kScorerMaxTokens = 24;
constexpr size_t kScorerMaxMinor = 12;
constexpr double kMinorWeightShare = 0.1;
constexpr double kMaxPairBonus = 0.9;  // Initial or abbreviation pair.
constexpr double kCompactEqual = 0.97;
constexpr size_t kCompactMaxEdits = 2;
constexpr size_t kCompactMinLength = 6;
constexpr double kOtherKeyEqual = 0.95;
constexpr size_t kOtherKeyMinLength = 4;
// Minimum of the scorer's weights for unmatched query / list tokens.
constexpr double kMinUnmatchedShare = 0.5;
// The scorer's share for an unmatched patronymic or link of a genealogical
// chain (IsOptionalNameWord); the bounds use it for every such token.
constexpr double kPatronymicShare = 0.2;

// Adjustments (see score.h).
constexpr double kCountrySame = 0.03;
constexpr double kCountryConflict = -0.05;
constexpr double kTypeConflict = -0.15;
constexpr double kIdentifierMatch = 0.20;
constexpr double kBirthYearSame = 0.03;
constexpr double kBirthYearConflict = -0.10;

// --- Small helpers -------------------------------------------------------------

uint64_t HashBytes(std::string_view s) { return std::hash<std::string_view>{}(s); }

bool IsSignificant(TokenKind k) {
  return k == TokenKind::kWord || k == TokenKind::kNumber || k == TokenKind::kInitial;
}

bool IsOrganisationSchema(Schema s) {
  return s == Schema::kOrganization || s == Schema::kCompany || s == Schema::kPublicBody;
}

text::NameType NameTypeFor(Schema s) {
  if (s == Schema::kPerson) return text::NameType::kPerson;
  if (IsOrganisationSchema(s)) return text::NameType::kOrganization;
  return text::NameType::kUnknown;
}

// Scripts for which the scorer also compares consonant skeletons.
bool WritesNoShortVowels(std::string_view script) {
  return script == "Arabic" || script == "Hebrew" || script == "Syriac" || script == "Thaana";
}

// Names the scorer may also align through other keys or skeletons; the
// score bound does not model those and lets such pairs through.
bool HasOtherModes(const NormalizedName& n) {
  return !n.extra_keys.empty() || WritesNoShortVowels(n.script);
}

std::string_view CanonOf(const Token& t) { return t.canon.empty() ? t.text : t.canon; }

// Least total the scorer can charge for the complete units a name's record
// does not show: their weight at kMinUnmatchedShare, that of words a name
// may leave out (IsOptionalNameWord) at kPatronymicShare, less what the
// `reached` weight of units that did reach it may have been charged at most.
double UnmatchedFloor(double complete_weight, double complete_patronymic, double reached) {
  if (complete_patronymic <= 0) {
    return kMinUnmatchedShare * std::max(0.0, complete_weight - reached);
  }
  return std::max(0.0, kMinUnmatchedShare * (complete_weight - complete_patronymic) +
                           kPatronymicShare * complete_patronymic - kMinUnmatchedShare * reached);
}

// The index of the first significant token after `i`, or tokens.size(). The
// scorer pairs two neighbouring significant tokens joined against one
// ("Abd el Illah" joins "abd" + "illah" past the article).
size_t NextSignificant(const std::vector<Token>& tokens, size_t i) {
  for (size_t j = i + 1; j < tokens.size(); ++j) {
    if (IsSignificant(tokens[j].kind) && !tokens[j].text.empty()) return j;
  }
  return tokens.size();
}

// Upper-case ASCII letters and digits (other bytes ≥ 0x80 kept); spaces and
// punctuation dropped.
std::string NormalizeIdentifier(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (char c : raw) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u >= 'a' && u <= 'z') {
      out.push_back(static_cast<char>(u - 'a' + 'A'));
    } else if ((u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || u >= 0x80) {
      out.push_back(c);
    }
  }
  return out;
}

// Four-digit year at the start of an ISO date, or "".
std::string_view YearOf(std::string_view date) {
  if (date.size() < 4) return {};
  for (size_t i = 0; i < 4; ++i) {
    if (date[i] < '0' || date[i] > '9') return {};
  }
  return date.substr(0, 4);
}

inline uint32_t Popcount64(uint64_t x) {
  x = x - ((x >> 1) & 0x5555555555555555ULL);
  x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
  x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0FULL;
  return static_cast<uint32_t>((x * 0x0101010101010101ULL) >> 56);
}

// Which byte values (folded to 6 bits) a string holds once and twice, and
// how many occurrences lie beyond the second. Folding merges counts, which
// only raises the bound below.
struct CharProfile {
  uint64_t once = 0;
  uint64_t twice = 0;
  uint8_t extra = 0;
};

CharProfile ProfileOf(std::string_view s) {
  CharProfile p;
  uint8_t counts[64] = {};
  for (char c : s) {
    const unsigned bit = static_cast<unsigned char>(c) & 63u;
    if (counts[bit] == 0) {
      p.once |= uint64_t{1} << bit;
    } else if (counts[bit] == 1) {
      p.twice |= uint64_t{1} << bit;
    } else if (p.extra < 255) {
      ++p.extra;
    }
    if (counts[bit] < 255) ++counts[bit];
  }
  return p;
}

// Upper bound of the characters two strings have in common (as multisets),
// hence of Jaro's match count and of their longest common subsequence.
inline uint32_t CommonBound(const CharProfile& a, const CharProfile& b) {
  return Popcount64(a.once & b.once) + Popcount64(a.twice & b.twice) +
         std::min<uint32_t>(a.extra, b.extra);
}

// How a fuzzy search measures two words.
enum class Measure : uint8_t {
  // The scorer's own measure (FuzzySimilarity in score.cc).
  kScorer,
  // max(Jaro-Winkler, edit similarity), a superset of the scorer's measure.
  // The scorer also aligns the consonant skeletons of names written in
  // scripts without short vowels ("sdam" / "saddam" share "sdm" although
  // their edit similarity is 0.67); such pairs are as good as always within
  // this wider measure, so the search for them uses it.
  kLoose,
};

// Most edits with which two tokens, the shorter of `shorter` bytes and the
// longer of `longer`, can still reach `floor` by the scorer's measure
// (FuzzySimilarity in score.cc): tokens of kMinJaroWinklerLength bytes or
// more need edit similarity + kLevenshteinSlack ≥ floor (and Jaro-Winkler ≥
// floor), shorter ones edit similarity ≥ floor.
size_t MaxEditsFor(size_t shorter, size_t longer, double floor) {
  const double edit_floor = shorter >= kMinJaroWinklerLength ? floor - kLevenshteinSlack : floor;
  return static_cast<size_t>(std::floor((1.0 - edit_floor) * static_cast<double>(longer) + 1e-9));
}

// Least common-character count with which two tokens of lengths `a` and `b`
// can still reach `floor` (at least kFuzzyFloor) by `measure`; more than
// min(a, b) when they cannot. An edit distance of d leaves at
// least max(a, b) - d characters in common, and Jaro-Winkler needs its
// matches. `same_first`: the strings start with the same byte (Winkler's
// boost is then possible, which still needs Jaro > 0.7).
uint32_t NeedFor(size_t a, size_t b, double floor, bool same_first,
                 Measure measure = Measure::kScorer) {
  if (measure == Measure::kLoose) {
    const double jaro = same_first ? std::min(floor, kBoostedJaro) : floor;
    const double harmonic =
        static_cast<double>(a) * static_cast<double>(b) / static_cast<double>(a + b);
    const double by_jaro = (3.0 * jaro - 1.0) * harmonic;
    const double by_edit = floor * static_cast<double>(std::max(a, b));
    const double need = std::min(by_jaro, by_edit);
    return static_cast<uint32_t>(std::max(0.0, std::ceil(need - 1e-9)));
  }
  floor = std::max(floor, kFuzzyFloor);
  const size_t shorter = std::min(a, b);
  const size_t longer = std::max(a, b);
  const size_t max_edits = MaxEditsFor(shorter, longer, floor);
  if (shorter < kMinFuzzyLength || longer - shorter > max_edits) {
    return static_cast<uint32_t>(shorter + 1);
  }
  const auto by_edit = static_cast<uint32_t>(longer - max_edits);
  if (shorter < kMinJaroWinklerLength) return by_edit;
  const double jaro = same_first ? std::min(floor, kBoostedJaro) : floor;
  const double harmonic =
      static_cast<double>(a) * static_cast<double>(b) / static_cast<double>(a + b);
  const double by_jaro = std::max(0.0, std::ceil((3.0 * jaro - 1.0) * harmonic - 1e-9));
  return std::max(by_edit, static_cast<uint32_t>(by_jaro));
}

// NeedFor(a, b, kFuzzyFloor, same_first) for a, b ≤ kMaxFuzzyLength, from a
// table.
uint32_t TokenNeed(size_t a, size_t b, bool same_first) {
  static const std::vector<uint8_t> table = [] {
    std::vector<uint8_t> t(2 * (kMaxFuzzyLength + 1) * (kMaxFuzzyLength + 1));
    for (size_t x = 0; x <= kMaxFuzzyLength; ++x) {
      for (size_t y = 0; y <= kMaxFuzzyLength; ++y) {
        for (int same = 0; same < 2; ++same) {
          t[(static_cast<size_t>(same) * (kMaxFuzzyLength + 1) + x) * (kMaxFuzzyLength + 1) + y] =
              static_cast<uint8_t>(
                  std::min<uint32_t>(255, x + y == 0 ? 0 : NeedFor(x, y, kFuzzyFloor, same != 0)));
        }
      }
    }
    return t;
  }();
  return table[(static_cast<size_t>(same_first) * (kMaxFuzzyLength + 1) + a) *
                   (kMaxFuzzyLength + 1) +
               b];
}

// Better of Jaro-Winkler and edit similarity (an upper bound of the
// scorer's measure).
double FuzzyValue(std::string_view a, std::string_view b) {
  return std::max(JaroWinkler(a, b), LevenshteinSimilarity(a, b));
}

// 1 / n for the lengths the fuzzy search measures.
constexpr auto kInverse = [] {
  std::array<double, kMaxFuzzyLength + 1> r{};
  for (size_t i = 1; i <= kMaxFuzzyLength; ++i) r[i] = 1.0 / static_cast<double>(i);
  return r;
}();

// Jaro's match window for strings of which the longer has `longer` bytes:
// bytes match at most this many positions apart.
inline size_t JaroWindow(size_t longer) { return longer / 2 > 0 ? longer / 2 - 1 : 0; }

// Least Jaro match count with which strings of lengths `a` and `b` can
// reach Jaro-Winkler `floor` (at least kFuzzyFloor): Jaro ≤ (m/a + m/b +
// 1) / 3, and Winkler's boost (same first byte) needs Jaro > kBoostedJaro.
size_t JaroNeedOf(size_t a, size_t b, double floor, bool same_first) {
  const double jaro = same_first ? std::min(floor, kBoostedJaro) : floor;
  const double need = (3.0 * jaro - 1.0) * static_cast<double>(a) * static_cast<double>(b) /
                      static_cast<double>(a + b);
  return static_cast<size_t>(std::max(0.0, std::ceil(need - 1e-9)));
}

// The same, from a table at the scorer's own floor (lengths up to
// kMaxFuzzyLength).
size_t JaroNeed(size_t a, size_t b, double floor, bool same_first) {
  static const std::vector<uint8_t> table = [] {
    std::vector<uint8_t> t(2 * (kMaxFuzzyLength + 1) * (kMaxFuzzyLength + 1), 0);
    for (size_t x = 1; x <= kMaxFuzzyLength; ++x) {
      for (size_t y = 1; y <= kMaxFuzzyLength; ++y) {
        for (int same = 0; same < 2; ++same) {
          t[(static_cast<size_t>(same) * (kMaxFuzzyLength + 1) + x) * (kMaxFuzzyLength + 1) + y] =
              static_cast<uint8_t>(JaroNeedOf(x, y, kFuzzyFloor, same != 0));
        }
      }
    }
    return t;
  }();
  if (floor != kFuzzyFloor || a == 0 || b == 0 || a > kMaxFuzzyLength || b > kMaxFuzzyLength) {
    return JaroNeedOf(a, b, floor, same_first);
  }
  return table[(static_cast<size_t>(same_first) * (kMaxFuzzyLength + 1) + a) *
                   (kMaxFuzzyLength + 1) +
               b];
}

// A string compared with many others by similarity, prepared once: its
// character profile and the positions of each byte value (strings of at
// most kMaxFuzzyLength bytes).
class FuzzyProbe {
 public:
  FuzzyProbe() { std::memset(positions_, 0, sizeof(positions_)); }
  FuzzyProbe(const FuzzyProbe&) = delete;
  FuzzyProbe& operator=(const FuzzyProbe&) = delete;

  void Reset(std::string_view text) {
    for (const char c : text_) positions_[static_cast<unsigned char>(c)] = 0;
    text_.assign(text.substr(0, kMaxFuzzyLength));
    for (size_t i = 0; i < text_.size(); ++i) {
      positions_[static_cast<unsigned char>(text_[i])] |= uint64_t{1} << i;
    }
    profile_ = ProfileOf(text_);
  }

  std::string_view text() const { return text_; }
  const CharProfile& profile() const { return profile_; }

  // The scorer's similarity of the probe and `t` before its stretch
  // (FuzzySimilarity in score.cc: min(Jaro-Winkler, edit similarity +
  // kLevenshteinSlack), or edit similarity alone when the shorter has fewer
  // than kMinJaroWinklerLength bytes) when it reaches `floor` (at least
  // kFuzzyFloor, the scorer's own floor), else 0. `common` bounds their
  // common characters. With Measure::kLoose: max(Jaro-Winkler, edit
  // similarity) when it reaches `floor`, else 0.
  double AtLeast(std::string_view t, uint32_t common, double floor,
                 Measure measure = Measure::kScorer) const {
    const size_t la = text_.size();
    const size_t lb = t.size();
    if (lb > kMaxFuzzyLength) return 0.0;
    if (measure == Measure::kLoose) return LooseAtLeast(t, common, floor);
    const size_t shorter = std::min(la, lb);
    const size_t longer = std::max(la, lb);
    if (shorter < kMinFuzzyLength) return 0.0;
    floor = std::max(floor, kFuzzyFloor);
    const size_t max_edits = MaxEditsFor(shorter, longer, floor);
    if (longer - shorter > max_edits || longer - std::min<size_t>(common, longer) > max_edits) {
      return 0.0;
    }
    const bool with_jw = shorter >= kMinJaroWinklerLength;
    const double jw = with_jw ? JaroWinklerWith(t, JaroNeed(la, lb, floor, text_[0] == t[0])) : 1.0;
    if (jw + 1e-9 < floor) return 0.0;
    const size_t d = EditsAtMost(t, max_edits);
#ifndef NDEBUG
    if (d != LevenshteinBounded(text_, t, max_edits)) {
      std::fprintf(stderr, "screener: EditsAtMost('%s', '%.*s') disagrees\n", text_.c_str(),
                   static_cast<int>(t.size()), t.data());
      std::abort();
    }
#endif
    if (d > max_edits) return 0.0;
    const double edit = 1.0 - static_cast<double>(d) * kInverse[longer];
    const double value = with_jw ? std::min(jw, edit + kLevenshteinSlack) : edit;
    // A hair above the exact value, so that rounding never makes this
    // smaller than the scorer's own measure.
    return value + 1e-9 >= floor ? value + 1e-9 : 0.0;
  }

 private:
  double LooseAtLeast(std::string_view t, uint32_t common, double floor) const {
    const size_t la = text_.size();
    const size_t lb = t.size();
    if (la == 0 || lb == 0) return 0.0;
    const size_t longer = std::max(la, lb);
    const size_t gap = longer - std::min(la, lb);
    const double lev_bound =
        1.0 - static_cast<double>(std::max(gap, longer - std::min<size_t>(common, longer))) *
                  kInverse[longer];
    // Jaro-Winkler below the floor counts for nothing here: it may stop as
    // soon as too few matches remain possible.
    const size_t need = floor >= kFuzzyFloor ? JaroNeed(la, lb, floor, text_[0] == t[0]) : 0;
    double best = JaroWinklerWith(t, need);
    if (lev_bound >= floor && lev_bound > best) {
      const auto max_edits =
          static_cast<size_t>(std::floor((1.0 - floor) * static_cast<double>(longer) + 1e-9));
      const size_t d = EditsAtMost(t, max_edits);
      if (d <= max_edits) {
        best = std::max(best, 1.0 - static_cast<double>(d) * kInverse[longer]);
      }
    }
    return best + 1e-9 >= floor ? best + 1e-9 : 0.0;
  }

  // Levenshtein distance of the probe and `t` when at most `max`, else
  // max + 1: Myers' bit-parallel algorithm over the probe's byte positions,
  // after a count of the bytes of `t` with no equal byte of the probe
  // within `max` positions (an alignment within `max` edits shifts no
  // matched byte further, so each of them costs an edit).
  size_t EditsAtMost(std::string_view t, size_t max) const {
    const size_t m = text_.size();
    size_t lonely = 0;
    for (size_t j = 0; j < t.size(); ++j) {
      const size_t lo = j > max ? j - max : 0;
      uint64_t near = 0;
      if (lo < m) {
        const size_t hi = std::min(j + max, m - 1);
        const uint64_t upto = hi >= 63 ? ~uint64_t{0} : (uint64_t{1} << (hi + 1)) - 1;
        near = positions_[static_cast<unsigned char>(t[j])] & upto & ~((uint64_t{1} << lo) - 1);
      }
      if (near == 0 && ++lonely > max) return max + 1;
    }
    const uint64_t last = uint64_t{1} << (m - 1);
    uint64_t pv = ~uint64_t{0};
    uint64_t mv = 0;
    size_t score = m;
    size_t remaining = t.size();
    for (const char c : t) {
      const uint64_t eq = positions_[static_cast<unsigned char>(c)];
      const uint64_t xv = eq | mv;
      const uint64_t xh = (((eq & pv) + pv) ^ pv) | eq;
      uint64_t ph = mv | ~(xh | pv);
      uint64_t mh = pv & xh;
      if (ph & last) {
        ++score;
      } else if (mh & last) {
        --score;
      }
      ph = (ph << 1) | 1;
      mh <<= 1;
      pv = mh | ~(xv | ph);
      mv = ph & xv;
      --remaining;
      if (score > max + remaining) return max + 1;
    }
    return score <= max ? score : max + 1;
  }

  // Jaro-Winkler of the probe and `t` (Jaro's matching with the probe as
  // the pattern; the measure is symmetric), prefix scale 0.1 over at most
  // four bytes, applied when Jaro exceeds 0.7. 0 as soon as fewer than
  // `min_matches` matches remain possible.
  double JaroWinklerWith(std::string_view t, size_t min_matches = 0) const {
    const size_t la = text_.size();
    const size_t lb = t.size();
    const size_t longer = std::max(la, lb);
    const size_t window = JaroWindow(longer);
    uint64_t q_flags = 0;
    uint64_t t_flags = 0;
    size_t matches = 0;
    // Positions of `t` that may go unmatched.
    const size_t spare = lb >= min_matches ? lb - min_matches : 0;
    if (lb < min_matches) return 0.0;
    size_t missed = 0;
    for (size_t j = 0; j < lb; ++j) {
      const size_t lo = j > window ? j - window : 0;
      if (lo >= la) break;
      const size_t hi = std::min(j + window, la - 1);
      const uint64_t upto = hi >= 63 ? ~uint64_t{0} : (uint64_t{1} << (hi + 1)) - 1;
      const uint64_t from = ~((uint64_t{1} << lo) - 1);
      const uint64_t candidates =
          positions_[static_cast<unsigned char>(t[j])] & upto & from & ~q_flags;
      if (candidates == 0) {
        if (++missed > spare) return 0.0;
        continue;
      }
      q_flags |= candidates & (~candidates + 1);
      t_flags |= uint64_t{1} << j;
      ++matches;
    }
    if (matches == 0) return 0.0;
    size_t mismatched = 0;
    while (q_flags != 0) {
      const int qi = __builtin_ctzll(q_flags);
      const int ti = __builtin_ctzll(t_flags);
      mismatched += text_[static_cast<size_t>(qi)] != t[static_cast<size_t>(ti)] ? 1 : 0;
      q_flags &= q_flags - 1;
      t_flags &= t_flags - 1;
    }
    // Reciprocals instead of divisions: a few ulps off at most, well within
    // the margin AtLeast adds.
    const double m = static_cast<double>(matches);
    const double half = static_cast<double>(mismatched / 2);
    const double jaro =
        (m * kInverse[la] + m * kInverse[lb] + (m - half) * kInverse[matches]) * (1.0 / 3.0);
    if (jaro <= kBoostedJaro) return jaro;
    size_t prefix = 0;
    while (prefix < 4 && prefix < la && prefix < lb && text_[prefix] == t[prefix]) ++prefix;
    return jaro + 0.1 * static_cast<double>(prefix) * (1.0 - jaro);
  }

  std::string text_;
  CharProfile profile_;
  uint64_t positions_[256];
};

// --- Interned keys ----------------------------------------------------------------

// Hash of a namespace byte and a short string, a word at a time.
inline uint64_t KeyHash(char ns, std::string_view text) {
  const char* p = text.data();
  size_t n = text.size();
  uint64_t h =
      (0x9E3779B97F4A7C15ULL ^ (static_cast<uint64_t>(static_cast<unsigned char>(ns)) << 56)) ^
      (n * 0xC2B2AE3D27D4EB4FULL);
  while (n >= 8) {
    uint64_t v;
    std::memcpy(&v, p, 8);
    h = (h ^ v) * 0xFF51AFD7ED558CCDULL;
    h ^= h >> 32;
    p += 8;
    n -= 8;
  }
  uint64_t v = 0;
  std::memcpy(&v, p, n);
  h = (h ^ v) * 0xC4CEB9FE1A85EC53ULL;
  h ^= h >> 29;
  h *= 0x94D049BB133111EBULL;
  h ^= h >> 32;
  return h;
}

// Interned byte strings, each in a namespace (its first byte), → dense ids
// (open addressing, linear probing).
class KeyTable {
 public:
  size_t size() const { return offsets_.size() - 1; }

  // The key with its namespace byte.
  std::string_view key(uint32_t id) const {
    return std::string_view(arena_.data() + offsets_[id], offsets_[id + 1] - offsets_[id]);
  }
  // The key without its namespace byte.
  std::string_view text(uint32_t id) const { return key(id).substr(1); }

  // Id of `text` in namespace `ns`, or kNoKey.
  uint32_t Find(char ns, std::string_view text) const {
    if (slots_.empty()) return kNoKey;
    const uint64_t h = KeyHash(ns, text);
    const uint32_t tag = static_cast<uint32_t>(h >> 32);
    for (size_t i = h & mask_;; i = (i + 1) & mask_) {
      const uint64_t slot = slots_[i];
      if (slot == 0) return kNoKey;
      if (static_cast<uint32_t>(slot >> 32) == tag) {
        const uint32_t id = static_cast<uint32_t>(slot) - 1;
        if (Equals(id, ns, text)) return id;
      }
    }
  }

  // The id of `text` in namespace `ns`, adding it when absent (then *added
  // is set).
  uint32_t Intern(char ns, std::string_view text, bool* added) {
    *added = false;
    if ((size() + 1) * 2 > slots_.size()) Rehash(std::max<size_t>(64, slots_.size() * 2));
    const uint64_t h = KeyHash(ns, text);
    const uint32_t tag = static_cast<uint32_t>(h >> 32);
    size_t i = h & mask_;
    for (;; i = (i + 1) & mask_) {
      const uint64_t slot = slots_[i];
      if (slot == 0) break;
      if (static_cast<uint32_t>(slot >> 32) == tag) {
        const uint32_t id = static_cast<uint32_t>(slot) - 1;
        if (Equals(id, ns, text)) return id;
      }
    }
    const uint32_t id = static_cast<uint32_t>(size());
    arena_.push_back(ns);
    arena_.append(text);
    offsets_.push_back(arena_.size());
    slots_[i] = (static_cast<uint64_t>(tag) << 32) | (id + 1);
    *added = true;
    return id;
  }

  void ShrinkToFit() {
    arena_.shrink_to_fit();
    offsets_.shrink_to_fit();
  }

 private:
  bool Equals(uint32_t id, char ns, std::string_view text) const {
    const uint64_t begin = offsets_[id];
    const uint64_t length = offsets_[id + 1] - begin;
    return length == text.size() + 1 && arena_[begin] == ns &&
           std::memcmp(arena_.data() + begin + 1, text.data(), text.size()) == 0;
  }

  void Rehash(size_t capacity) {
    slots_.assign(capacity, 0);
    mask_ = capacity - 1;
    for (uint32_t id = 0; id < size(); ++id) {
      const std::string_view k = key(id);
      const uint64_t h = KeyHash(k[0], k.substr(1));
      size_t i = h & mask_;
      while (slots_[i] != 0) i = (i + 1) & mask_;
      slots_[i] = (static_cast<uint64_t>(h >> 32) << 32) | (id + 1);
    }
  }

  std::string arena_;
  std::vector<uint64_t> offsets_{0};
  std::vector<uint64_t> slots_;  // (hash tag << 32) | (id + 1); 0 = empty.
  size_t mask_ = 0;
};

// --- Fuzzy tables -------------------------------------------------------------------

// Writes the indexes i < n with CommonBound ≥ need into `out`; returns the
// count. `extra` is the query's repeat count (an upper bound of the third
// term of CommonBound).
using ScanFn = size_t (*)(const uint64_t* once, const uint64_t* twice, size_t n,
                          const CharProfile& q, uint32_t need, uint32_t* out);

// The scan one profile at a time; `kInstruction` counts bits with the
// POPCNT instruction (the caller must be compiled for it), else portably.
template <bool kInstruction>
inline __attribute__((always_inline)) size_t ScanEach(const uint64_t* once, const uint64_t* twice,
                                                      size_t n, const CharProfile& q, uint32_t need,
                                                      uint32_t* out) {
  const uint32_t target = need > q.extra ? need - q.extra : 0;
  size_t hits = 0;
  for (size_t i = 0; i < n; ++i) {
    uint32_t c = 0;
    if constexpr (kInstruction) {
      c = static_cast<uint32_t>(__builtin_popcountll(once[i] & q.once) +
                                __builtin_popcountll(twice[i] & q.twice));
    } else {
      c = Popcount64(once[i] & q.once) + Popcount64(twice[i] & q.twice);
    }
    out[hits] = static_cast<uint32_t>(i);
    hits += c >= target ? 1 : 0;
  }
  return hits;
}

size_t ScanGeneric(const uint64_t* once, const uint64_t* twice, size_t n, const CharProfile& q,
                   uint32_t need, uint32_t* out) {
  return ScanEach<false>(once, twice, n, q, need, out);
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define ICTS_SCREENER_AVX512 1
// The same with the POPCNT instruction (every x86-64 CPU with AVX2 has it).
__attribute__((target("popcnt"))) size_t ScanPopcnt(const uint64_t* once, const uint64_t* twice,
                                                    size_t n, const CharProfile& q, uint32_t need,
                                                    uint32_t* out) {
  return ScanEach<true>(once, twice, n, q, need, out);
}

__attribute__((target("avx512f,avx512vpopcntdq"))) size_t ScanAvx512(const uint64_t* once,
                                                                     const uint64_t* twice,
                                                                     size_t n, const CharProfile& q,
                                                                     uint32_t need, uint32_t* out) {
  const uint32_t target = need > q.extra ? need - q.extra : 0;
  const __m512i q1 = _mm512_set1_epi64(static_cast<long long>(q.once));
  const __m512i q2 = _mm512_set1_epi64(static_cast<long long>(q.twice));
  const __m512i limit = _mm512_set1_epi64(static_cast<long long>(target) - 1);
  size_t hits = 0;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const __m512i a = _mm512_and_si512(_mm512_loadu_si512(once + i), q1);
    const __m512i b = _mm512_and_si512(_mm512_loadu_si512(twice + i), q2);
    const __m512i c = _mm512_add_epi64(_mm512_popcnt_epi64(a), _mm512_popcnt_epi64(b));
    unsigned mask = _mm512_cmpgt_epi64_mask(c, limit);
    while (mask != 0) {
      out[hits++] = static_cast<uint32_t>(i + static_cast<size_t>(__builtin_ctz(mask)));
      mask &= mask - 1;
    }
  }
  if (i < n) {
    // The last few profiles of the group with masked loads (groups are
    // small, so tails are a large share of the work).
    const auto rest = static_cast<__mmask8>((1u << (n - i)) - 1);
    const __m512i a = _mm512_and_si512(_mm512_maskz_loadu_epi64(rest, once + i), q1);
    const __m512i b = _mm512_and_si512(_mm512_maskz_loadu_epi64(rest, twice + i), q2);
    const __m512i c = _mm512_add_epi64(_mm512_popcnt_epi64(a), _mm512_popcnt_epi64(b));
    unsigned mask = _mm512_mask_cmpgt_epi64_mask(rest, c, limit);
    while (mask != 0) {
      out[hits++] = static_cast<uint32_t>(i + static_cast<size_t>(__builtin_ctz(mask)));
      mask &= mask - 1;
    }
  }
  return hits;
}

// Set bits per byte of `v`, by nibble lookup (PSHUFB).
__attribute__((target("avx2"))) inline __m256i ByteCounts(__m256i v) {
  const __m256i nibble_counts = _mm256_setr_epi8(0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4, 0,
                                                 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4);
  const __m256i low = _mm256_set1_epi8(0x0F);
  const __m256i lo = _mm256_shuffle_epi8(nibble_counts, _mm256_and_si256(v, low));
  const __m256i hi =
      _mm256_shuffle_epi8(nibble_counts, _mm256_and_si256(_mm256_srli_epi16(v, 4), low));
  return _mm256_add_epi8(lo, hi);
}

// AVX2 has no vector popcount: bytes are counted by nibble lookup and summed
// per 64-bit lane (PSADBW), four profiles per step.
__attribute__((target("avx2,popcnt"))) size_t ScanAvx2(const uint64_t* once, const uint64_t* twice,
                                                       size_t n, const CharProfile& q,
                                                       uint32_t need, uint32_t* out) {
  const uint32_t target = need > q.extra ? need - q.extra : 0;
  const __m256i q1 = _mm256_set1_epi64x(static_cast<long long>(q.once));
  const __m256i q2 = _mm256_set1_epi64x(static_cast<long long>(q.twice));
  const __m256i limit = _mm256_set1_epi64x(static_cast<long long>(target) - 1);
  size_t hits = 0;
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const __m256i a =
        _mm256_and_si256(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(once + i)), q1);
    const __m256i b =
        _mm256_and_si256(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(twice + i)), q2);
    // At most 16 per byte: the sum of both counts fits a byte.
    const __m256i c =
        _mm256_sad_epu8(_mm256_add_epi8(ByteCounts(a), ByteCounts(b)), _mm256_setzero_si256());
    auto mask = static_cast<unsigned>(
        _mm256_movemask_pd(_mm256_castsi256_pd(_mm256_cmpgt_epi64(c, limit))));
    while (mask != 0) {
      out[hits++] = static_cast<uint32_t>(i + static_cast<size_t>(__builtin_ctz(mask)));
      mask &= mask - 1;
    }
  }
  const size_t tail = ScanPopcnt(once + i, twice + i, n - i, q, need, out + hits);
  for (size_t k = 0; k < tail; ++k) out[hits + k] += static_cast<uint32_t>(i);
  return hits + tail;
}

// Window filter over blocks of 64 strings of one length, stored by column
// (byte j of the block's 64 strings at columns + 64 * j): lane i of
// `masks[b]` is set when, for at least its need of positions j, byte j of
// string i (folded to 6 bits) is in sets[j]; the need is `need_same` for
// strings that start with byte `first`, else `need_other`. With sets[j] the
// probe's bytes within a window of j, that count bounds the matches of Jaro
// (window: its match window) or of an alignment within that many edits.
// `first_valid` and `last_valid` mask the lanes of the first and last blocks.
// `same_first[b]` gets the lanes whose string starts with `first`.
__attribute__((target("avx512f,avx512bw,avx512bitalg"))) void WindowAvx512(
    const uint8_t* columns, size_t blocks, size_t length, const uint64_t* sets, uint32_t need_same,
    uint32_t need_other, uint8_t first, uint64_t first_valid, uint64_t last_valid,
    uint64_t* masks, uint64_t* same_first) {
  const __m512i one = _mm512_set1_epi8(1);
  const __m512i first_byte = _mm512_set1_epi8(static_cast<char>(first));
  const __m512i same_need = _mm512_set1_epi8(static_cast<char>(need_same));
  const __m512i other_need = _mm512_set1_epi8(static_cast<char>(need_other));
  for (size_t b = 0; b < blocks; ++b) {
    const uint8_t* block = columns + b * length * 64;
    const __mmask64 same = _mm512_cmpeq_epi8_mask(_mm512_loadu_si512(block), first_byte);
    const __m512i need = _mm512_mask_blend_epi8(same, other_need, same_need);
    __m512i counts = _mm512_setzero_si512();
    uint64_t alive =
        (b == 0 ? first_valid : ~uint64_t{0}) & (b + 1 == blocks ? last_valid : ~uint64_t{0});
    for (size_t j = 0; j < length && alive != 0; ++j) {
      const __m512i bytes = _mm512_loadu_si512(block + j * 64);
      const __mmask64 in =
          _mm512_bitshuffle_epi64_mask(_mm512_set1_epi64(static_cast<long long>(sets[j])), bytes);
      counts = _mm512_mask_add_epi8(counts, in, counts, one);
      // Lanes that can still reach their need with the positions left.
      const __m512i left = _mm512_set1_epi8(static_cast<char>(length - 1 - j));
      alive &= _mm512_cmpge_epu8_mask(_mm512_add_epi8(counts, left), need);
    }
    masks[b] = alive;
    same_first[b] = same;
  }
}
#endif

// Applies the window filter (see WindowAvx512) to `blocks` blocks.
using WindowFn = void (*)(const uint8_t* columns, size_t blocks, size_t length,
                          const uint64_t* sets, uint32_t need_same, uint32_t need_other,
                          uint8_t first, uint64_t first_valid, uint64_t last_valid,
                          uint64_t* masks, uint64_t* same_first);

// The scan kernels this CPU runs.
struct ScanKernels {
  ScanFn profile = nullptr;
  WindowFn window = nullptr;  // Null when the CPU lacks it.
};

// The widest scan this CPU runs (AVX-512, then AVX2, then POPCNT, then
// portable code); ICTS_SCREENER_SIMD=avx512|avx2|popcnt|scalar caps it (for
// tests and benchmarks). The window filter needs AVX-512 BITALG.
ScanKernels PickScan() {
  ScanKernels k;
  k.profile = &ScanGeneric;
#ifdef ICTS_SCREENER_AVX512
  __builtin_cpu_init();
  const char* cap = std::getenv("ICTS_SCREENER_SIMD");
  const std::string_view limit = cap != nullptr ? cap : "avx512";
  if (limit == "avx512" && __builtin_cpu_supports("avx512f") &&
      __builtin_cpu_supports("avx512vpopcntdq")) {
    k.profile = &ScanAvx512;
    if (__builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512bitalg")) {
      k.window = &WindowAvx512;
    }
  } else if ((limit == "avx512" || limit == "avx2") && __builtin_cpu_supports("avx2")) {
    k.profile = &ScanAvx2;
  } else if (limit != "scalar" && __builtin_cpu_supports("popcnt")) {
    k.profile = &ScanPopcnt;
  }
#endif
  return k;
}

// Strings (by key id) with their character profiles, grouped by first byte
// and length; each group's texts are stored back to back.
class FuzzyTable {
 public:
  struct Entry {
    uint32_t key;
    std::string_view text;
    float partner;  // Weight of the list token(s) the key stands for.
  };

  void Build(std::vector<Entry> entries) {
    std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
      if (a.text[0] != b.text[0]) {
        return static_cast<uint8_t>(a.text[0]) < static_cast<uint8_t>(b.text[0]);
      }
      if (a.text.size() != b.text.size()) return a.text.size() < b.text.size();
      return a.key < b.key;
    });
    once_.resize(entries.size());
    twice_.resize(entries.size());
    key_.resize(entries.size());
    partner_.resize(entries.size());
    texts_.clear();
    entry_text_.clear();
    entry_text_.reserve(entries.size());
    groups_.clear();
    first_groups_.assign(257, 0);
    for (size_t i = 0; i < entries.size(); ++i) {
      const CharProfile p = ProfileOf(entries[i].text);
      once_[i] = p.once;
      twice_[i] = p.twice;
      key_[i] = entries[i].key;
      partner_[i] = entries[i].partner;
      const uint8_t first = static_cast<uint8_t>(entries[i].text[0]);
      const uint8_t length = static_cast<uint8_t>(entries[i].text.size());
      if (groups_.empty() || groups_.back().first != first || groups_.back().length != length) {
        groups_.push_back(Group{first, length, static_cast<uint32_t>(i), static_cast<uint32_t>(i),
                                texts_.size()});
        first_groups_[first + 1]++;
      }
      groups_.back().end = static_cast<uint32_t>(i + 1);
      entry_text_.push_back(texts_.size());
      texts_.append(entries[i].text);
      max_group_ = std::max<size_t>(max_group_, groups_.back().end - groups_.back().begin);
    }
    for (size_t f = 0; f < 256; ++f) first_groups_[f + 1] += first_groups_[f];
    // The same texts by length, 64 strings to a block and by column (for
    // the window filter); lanes past a length's last string hold 0.
    columns_.clear();
    by_length_.clear();
    length_begin_.assign(kMaxFuzzyLength + 2, 0);
    for (const Group& g : groups_) {
      if (g.length <= kMaxFuzzyLength) length_begin_[g.length + 1] += g.end - g.begin;
    }
    for (size_t l = 0; l <= kMaxFuzzyLength; ++l) length_begin_[l + 1] += length_begin_[l];
    by_length_.resize(length_begin_.back());
    {
      std::vector<size_t> fill(length_begin_.begin(), length_begin_.end() - 1);
      for (Group& g : groups_) {
        if (g.length > kMaxFuzzyLength) continue;
        g.in_length = fill[g.length] - length_begin_[g.length];
        for (uint32_t e = g.begin; e < g.end; ++e) by_length_[fill[g.length]++] = e;
      }
    }
    column_begin_.assign(kMaxFuzzyLength + 1, 0);
    for (size_t l = 1; l <= kMaxFuzzyLength; ++l) {
      column_begin_[l] = columns_.size();
      const size_t n = length_begin_[l + 1] - length_begin_[l];
      columns_.resize(columns_.size() + (n + 63) / 64 * l * 64, 0);
      for (size_t k = 0; k < n; ++k) {
        const std::string_view text(texts_.data() + entry_text_[by_length_[length_begin_[l] + k]],
                                    l);
        uint8_t* block = columns_.data() + column_begin_[l] + (k / 64) * l * 64;
        for (size_t j = 0; j < l; ++j) block[j * 64 + k % 64] = static_cast<uint8_t>(text[j]);
      }
    }
    // Their character profiles in the same order, so that the survivors of
    // a block are tested without looking their entries up.
    length_profiles_.resize(by_length_.size());
    for (size_t i = 0; i < by_length_.size(); ++i) {
      length_profiles_[i] = {once_[by_length_[i]], twice_[by_length_[i]]};
    }
    columns_.shrink_to_fit();
    by_length_.shrink_to_fit();
  }

  size_t size() const { return key_.size(); }

  // Calls fn(key, text) for every entry.
  template <typename Fn>
  void ForEach(Fn&& fn) const {
    for (const Group& g : groups_) {
      for (uint32_t e = g.begin; e < g.end; ++e) {
        fn(key_[e], std::string_view(texts_.data() + g.text_begin + size_t{e - g.begin} * g.length,
                                     g.length));
      }
    }
  }

  // Calls fn(key, similarity, partner) for every entry of length in [min_length,
  // max_length] (and first byte equal to the probe's when `only_first`)
  // whose similarity to the probe by `measure` reaches `floor`.
  template <typename Fn>
  void Scan(const ScanKernels& kernels, const FuzzyProbe& probe, Measure measure, bool only_first,
            size_t min_length, size_t max_length, double floor, std::vector<uint32_t>& buffer,
            Fn&& fn) const {
    const std::string_view q = probe.text();
    if (key_.empty() || q.empty()) return;
    if (kernels.window != nullptr && measure == Measure::kScorer) {
      WindowScan(kernels.window, probe, only_first, min_length, max_length, floor, fn);
      return;
    }
    const ScanFn scan = kernels.profile;

    if (buffer.size() < max_group_) buffer.resize(max_group_);
    const CharProfile& qp = probe.profile();
    const uint8_t q_first = static_cast<uint8_t>(q[0]);
    uint8_t need[2][kMaxFuzzyLength + 1];
    std::memset(need, 0xFF, sizeof(need));
    const size_t g_begin = only_first ? first_groups_[q_first] : 0;
    const size_t g_end = only_first ? first_groups_[q_first + 1] : groups_.size();
    for (size_t g = g_begin; g < g_end; ++g) {
      const Group& group = groups_[g];
      if (group.length < min_length || group.length > max_length) continue;
      const bool same = group.first == q_first;
      uint8_t& cached = need[same ? 1 : 0][group.length];
      if (cached == 0xFF) {
        cached = static_cast<uint8_t>(
            std::min<uint32_t>(0xFE, NeedFor(q.size(), group.length, floor, same, measure)));
      }
      if (cached > std::min<size_t>(q.size(), group.length)) continue;
      const size_t n = scan(once_.data() + group.begin, twice_.data() + group.begin,
                            group.end - group.begin, qp, cached, buffer.data());
      for (size_t k = 0; k < n; ++k) {
        const size_t e = group.begin + buffer[k];
        const uint32_t common = CommonWith(e, qp);
        const std::string_view text(
            texts_.data() + group.text_begin + size_t{buffer[k]} * group.length, group.length);
        const double sim = probe.AtLeast(text, common, floor, measure);
        if (sim > 0) fn(key_[e], sim, partner_[e]);
      }
    }
  }

 private:
  // CommonBound of entry `e` and a probe's profile `qp` (the table keeps no
  // repeat count: the probe's stands for both).
  uint32_t CommonWith(size_t e, const CharProfile& qp) const {
    return CommonOf(once_[e], twice_[e], qp);
  }
  static uint32_t CommonOf(uint64_t once, uint64_t twice, const CharProfile& qp) {
    return Popcount64(once & qp.once) + Popcount64(twice & qp.twice) + qp.extra;
  }

  struct Group {
    uint8_t first;
    uint8_t length;
    uint32_t begin;
    uint32_t end;
    size_t text_begin;
    size_t in_length = 0;  // Where its strings start among those of its length.
  };

  // Scan() by the scorer's measure with the window filter: a string can
  // reach the floor only if enough of its bytes have an equal probe byte
  // within Jaro's match window (strings of kMinJaroWinklerLength bytes or
  // more), or within the most edits allowed (shorter ones); the profile
  // bound and the exact measure follow for the strings that pass.
  template <typename Fn>
  void WindowScan(WindowFn window, const FuzzyProbe& probe, bool only_first, size_t min_length,
                  size_t max_length, double floor, Fn&& fn) const {
    const std::string_view q = probe.text();
    const CharProfile& qp = probe.profile();
    const size_t la = q.size();
    const uint8_t q_first = static_cast<uint8_t>(q[0]);
    const double at_least = std::max(floor, kFuzzyFloor);
    thread_local std::vector<uint64_t> masks;
    // The probe's bytes as bits, and ORs of runs of 2^k of them, so that
    // the bytes within any window take two lookups.
    uint64_t runs[7][kMaxFuzzyLength];
    for (size_t i = 0; i < la; ++i) {
      runs[0][i] = uint64_t{1} << (static_cast<unsigned char>(q[i]) & 63u);
    }
    for (size_t k = 1; (size_t{1} << k) <= la; ++k) {
      const size_t half = size_t{1} << (k - 1);
      for (size_t i = 0; i + (size_t{1} << k) <= la; ++i) {
        runs[k][i] = runs[k - 1][i] | runs[k - 1][i + half];
      }
    }
    auto bytes_in = [&](size_t lo, size_t hi) -> uint64_t {  // [lo, hi), lo < hi ≤ la
      const auto k = static_cast<size_t>(63 - __builtin_clzll(hi - lo));
      return runs[k][lo] | runs[k][hi - (size_t{1} << k)];
    };
    uint64_t sets[kMaxFuzzyLength];
    const size_t top = std::min(max_length, kMaxFuzzyLength);
    // The first byte's groups, by length (only_first).
    size_t group = first_groups_[q_first];
    const size_t group_end = first_groups_[q_first + 1];
    for (size_t lb = std::max<size_t>(min_length, 1); lb <= top; ++lb) {
      // The strings of this length to test: all, or those of the probe's
      // first byte (one group, contiguous in by_length_).
      size_t begin = 0;
      size_t end = length_begin_[lb + 1] - length_begin_[lb];
      if (only_first) {
        while (group < group_end && groups_[group].length < lb) ++group;
        if (group == group_end || groups_[group].length != lb) continue;
        begin = groups_[group].in_length;
        end = begin + (groups_[group].end - groups_[group].begin);
      }
      if (end == begin) continue;
      const size_t shorter = std::min(la, lb);
      const size_t longer = std::max(la, lb);
      // Least counts by first byte (same as the probe's or not): Jaro's
      // matches within its window, or the aligned equal bytes within the
      // most edits for the shorter strings the scorer measures by edits.
      uint32_t profile_need[2];
      uint32_t need[2];
      size_t radius = 0;
      for (int same = 0; same < 2; ++same) {
        // From the table at the scorer's own floor (NeedFor raises lower
        // floors to it).
        profile_need[same] =
            floor <= kFuzzyFloor ? TokenNeed(la, lb, same != 0) : NeedFor(la, lb, floor, same != 0);
        if (shorter >= kMinJaroWinklerLength) {
          radius = JaroWindow(longer);
          need[same] = static_cast<uint32_t>(JaroNeed(la, lb, at_least, same != 0));
        } else {
          radius = MaxEditsFor(shorter, longer, at_least);
          need[same] = static_cast<uint32_t>(longer > radius ? longer - radius : 0);
        }
        if (profile_need[same] > shorter || need[same] > lb) need[same] = 0xFF;
      }
      if (need[0] == 0xFF && need[1] == 0xFF) continue;
      for (size_t j = 0; j < lb; ++j) {
        const size_t lo = j > radius ? j - radius : 0;
        const size_t hi = std::min(j + radius + 1, la);
        sets[j] = lo < hi ? bytes_in(lo, hi) : 0;
      }
      const size_t first_block = begin / 64;
      const size_t blocks = (end + 63) / 64 - first_block;
      if (masks.size() < 2 * blocks) masks.resize(2 * blocks);
      const uint64_t first_valid = ~uint64_t{0} << (begin % 64);
      const uint64_t last_valid = end % 64 == 0 ? ~uint64_t{0} : (uint64_t{1} << (end % 64)) - 1;
      uint64_t* same_first = masks.data() + blocks;
      window(columns_.data() + column_begin_[lb] + first_block * lb * 64, blocks, lb, sets, need[1],
             need[0], q_first, first_valid, last_valid, masks.data(), same_first);
      const size_t at = length_begin_[lb] + first_block * 64;
      const uint32_t* entries = by_length_.data() + at;
      const LengthProfile* profiles = length_profiles_.data() + at;
      for (size_t b = 0; b < blocks; ++b) {
        uint64_t m = masks[b];
        while (m != 0) {
          const auto lane = static_cast<size_t>(__builtin_ctzll(m));
          m &= m - 1;
          const LengthProfile& p = profiles[b * 64 + lane];
          const uint32_t common = CommonOf(p.once, p.twice, qp);
          if (common < profile_need[(same_first[b] >> lane) & 1]) continue;
          const uint32_t e = entries[b * 64 + lane];
          const std::string_view text(texts_.data() + entry_text_[e], lb);
          const double sim = probe.AtLeast(text, common, floor, Measure::kScorer);
          if (sim > 0) fn(key_[e], sim, partner_[e]);
        }
      }
    }
  }

  std::vector<uint64_t> once_;
  std::vector<uint64_t> twice_;
  std::vector<uint32_t> key_;
  std::vector<float> partner_;
  std::string texts_;
  std::vector<size_t> entry_text_;    // Per entry: where its text starts in texts_.
  std::vector<uint32_t> by_length_;   // Entries by length (then as stored).
  std::vector<size_t> length_begin_;  // kMaxFuzzyLength + 2: by_length_ of length l.
  struct LengthProfile {
    uint64_t once;
    uint64_t twice;
  };
  std::vector<LengthProfile> length_profiles_;  // Profiles in by_length_'s order.
  std::vector<uint8_t> columns_;      // Texts by length and column, see Build().
  std::vector<size_t> column_begin_;  // kMaxFuzzyLength + 1: columns_ of length l.
  std::vector<Group> groups_;
  std::vector<uint32_t> first_groups_;  // 257: groups of first byte f.
  size_t max_group_ = 0;
};

// --- Per-query state --------------------------------------------------------------

// A fuzzy neighbour of a word: an index key, its similarity to the word, and
// the weight of the list token(s) it stands for.
struct Neighbour {
  uint32_t key;
  float sim;
  float partner;
  float loose = 0;  // Measure::kLoose (cached neighbours only).
};

// A significant token as the bounds see it (query or list side). `text`
// points into storage that lives as long as the index or the query.
struct BoundToken {
  const char* text = nullptr;
  uint32_t text_hash = 0;   // Equal hashes count as equal texts (a
  uint32_t canon_hash = 0;  // collision only raises a bound).
  float weight = 0;
  TokenKind kind = TokenKind::kWord;
  uint8_t first = 0;   // First byte of the text.
  uint8_t length = 0;  // Bytes of the text, at most 255.
  bool patronymic = false;  // IsOptionalNameWord: unmatched at kPatronymicShare.
  uint32_t head = 0;        // The first four bytes (zero-padded).
  // List side: the token's number in the index's token dictionary (equal
  // numbers: equal text, canonical form and kind), under which bounds
  // against a query token are remembered; kNoKey on the query side.
  uint32_t id = 0xFFFFFFFFu;
  CharProfile profile;

  std::string_view view() const { return std::string_view(text, length); }
};

BoundToken MakeBound(std::string_view text, std::string_view canon, TokenKind kind, float weight) {
  BoundToken b;
  b.text = text.data();
  b.text_hash = static_cast<uint32_t>(HashBytes(text));
  b.canon_hash = static_cast<uint32_t>(HashBytes(canon));
  b.weight = weight;
  b.kind = kind;
  b.first = text.empty() ? 0 : static_cast<uint8_t>(text[0]);
  b.length = static_cast<uint8_t>(std::min<size_t>(255, text.size()));
  b.patronymic = kind == TokenKind::kWord && IsPatronymic(text);
  std::memcpy(&b.head, text.data(), std::min<size_t>(4, text.size()));
  b.profile = ProfileOf(text.substr(0, b.length));
  return b;
}

// One token sequence the scorer aligns: a name's own tokens, the words of
// one of its extra keys, or its consonant skeletons.
struct BoundSide {
  uint32_t begin = 0;  // Into the owner's token array.
  uint16_t tokens = 0;
  uint8_t legal = 0;
  uint8_t stop = 0;
  uint32_t squeezed_hash = 0;    // The side as one string (compact or extra
  uint16_t squeezed_length = 0;  // key without spaces), for whole-key matches.
  bool skeleton = false;
};

// The scorer's consonant skeleton of a Latin word (TokenSkeleton); used
// only when a name comes from a script without short vowels.
std::string SkeletonOf(std::string_view token) {
  std::string out(token.size(), '\0');
  const size_t n = TokenSkeleton(token, out.data(), out.size());
  out.resize(std::min(n, token.size()));
  return out;
}
// Skeletons a query in a script without short vowels compares (the index's
// skeleton keys and the skeletons of dictionary words), and those any other
// query compares (the skeleton sides of list names in such scripts).
constexpr size_t kMinSkeletonLength = MinTokenSkeleton(true);
constexpr size_t kMinListSkeletonLength = MinTokenSkeleton(false);

// How the scorer reads a word of an extra key.
TokenKind PieceKind(std::string_view piece) {
  if (std::all_of(piece.begin(), piece.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return TokenKind::kNumber;
  }
  if (text::IsLegalFormToken(piece)) return TokenKind::kLegalForm;
  if (piece.size() == 1) return TokenKind::kInitial;
  return TokenKind::kWord;
}

struct PreparedQuery {
  NormalizedName name;
  text::NameType type = text::NameType::kUnknown;
  std::vector<BoundToken> tokens;  // Significant tokens, in order.
  double token_weight = 0;         // Sum of their weights.
  uint8_t legal = 0;
  uint8_t stop = 0;
  bool other_modes = false;
  bool abjad = false;  // Written in a script without short vowels.
  CharProfile compact_profile;
  // Alternative sides: tokens in `alt_tokens` (the main side is `tokens`).
  std::vector<BoundToken> alt_tokens;
  std::vector<BoundSide> extra_sides;
  BoundSide main_side;
  BoundSide skeleton_side;             // Over alt_tokens.
  std::vector<std::string> skeletons;  // Storage for skeleton texts.

  std::string country;                            // Alpha-2, or "".
  std::vector<std::string> identifiers;           // Normalised, non-empty.
  std::vector<std::string_view> raw_identifiers;  // Same order.
  std::string birth_year;
  double max_raise = 0;  // Largest total positive adjustment possible.
};

// Per-thread work areas for Screen(), reused across queries. Stamps avoid
// clearing the per-name arrays between queries.
struct Scratch {
  // A key of a unit: its similarity to the unit's text, the weight of the
  // list token(s) it stands for (at most 1 per token when unknown), and
  // whether it pairs the unit's token together with the next one.
  struct UnitKey {
    uint32_t key;
    float factor;
    float partner;
    bool join;
  };
  enum class UnitKind : uint8_t {
    kToken,       // A significant token whose neighbours can all be found.
    kLooseToken,  // An initial or an abbreviation: read, never complete.
    kExtraWord,   // A word of an extra key.
    kOther,       // Query join, compact form, whole extra key.
  };
  struct Unit {
    uint32_t key_begin = 0;
    uint32_t key_end = 0;
    uint64_t postings = 0;
    float weight = 0;    // Token weight times the token's repeats.
    uint32_t count = 0;  // The token's repeats.
    UnitKind kind = UnitKind::kOther;
    int32_t token = -1;        // Index into name.tokens for token units.
    std::string_view text;     // What fuzzy neighbours are sought for.
    bool complete = false;     // Widened and read: reached names are all that
                               // pair with its token.
    bool optional = false;     // Its token is a word a name may leave out
                               // (IsOptionalNameWord).
    bool inessential = false;  // Complete, but names it alone reaches cannot
                               // pass the reach bound: read only for names
                               // reached otherwise (see Gather).
  };
  struct Ranked {
    float bound;
    float reached;
    uint32_t name;
  };
  // What reached one name in this query (valid when the name is in
  // reached_bits). 32 bytes, aligned: a record never straddles two cache
  // lines.
  struct alignas(32) Reach {
    float x;             // Sum of factor * weight over reaching units (rank).
    float w;             // Sum of weight over reaching complete units.
    float best;          // Best factor of those; kNoReachBound: not modelled.
    float partner;       // Sum over those units of the heaviest list token met.
    float unit_partner;  // Heaviest list token met by unit `unit`.
    uint32_t unit;       // Last unit that reached the name, plus one.
    uint64_t units;  // Units (the first 64) that reached the name.
  };
  static_assert(sizeof(Reach) == 32);

  std::vector<Reach> reach;
  std::vector<uint64_t> reached_bits;  // Names in `touched`, as a bit set.
  uint32_t qgen = 0;
  bool Reached(uint32_t n) const { return (reached_bits[n >> 6] >> (n & 63)) & 1; }
  void MarkReached(uint32_t n) { reached_bits[n >> 6] |= uint64_t{1} << (n & 63); }
  void ClearReached() {
    for (const uint32_t n : touched) reached_bits[n >> 6] = 0;
  }
  double complete_weight = 0;  // Of the units searched completely.
  double complete_patronymic = 0;  // Of those that are Unit::optional.
  size_t open_tokens = 0;      // Query tokens outside complete units.
  std::vector<uint32_t> touched;
  std::vector<Unit> units;
  std::vector<UnitKey> unit_keys;
  std::vector<uint32_t> order;
  std::vector<uint32_t> scan_buffer;
  FuzzyProbe probe;  // For widening and joins.
  // Probes of the query's tokens (main, then alternative sides), set once
  // per query when first needed.
  std::vector<std::unique_ptr<FuzzyProbe>> probes;
  std::vector<uint32_t> probe_stamp;
  std::vector<BoundToken> skeleton_tokens;  // A list name's skeleton side.

  FuzzyProbe& Probe(size_t index, std::string_view text);
  // PairBound of a query token (by probe number) and a list token (by
  // dictionary number), remembered for this query.
  struct PairMemo {
    uint32_t stamp;
    uint32_t probe;
    uint32_t id;
    float value;
  };
  std::vector<PairMemo> pair_memo;
  size_t pair_memo_used = 0;
  static constexpr size_t kMaxPairMemo = size_t{1} << 18;
  static size_t PairSlot(uint32_t probe_number, uint32_t id, size_t mask) {
    return ((uint64_t{probe_number} << 32 | id) * 0x9E3779B97F4A7C15ULL >> 40) & mask;
  }
  // Where (probe, id) is or would go in pair_memo (which grows when half
  // full), or nullptr when it is full.
  PairMemo* FindPair(uint32_t probe_number, uint32_t id) {
    if (pair_memo.empty()) pair_memo.assign(size_t{1} << 14, PairMemo{0, 0, 0, 0});
    if (2 * pair_memo_used >= pair_memo.size()) {
      if (pair_memo.size() >= kMaxPairMemo) {
        // Full: only look up.
        const size_t mask = pair_memo.size() - 1;
        for (size_t i = PairSlot(probe_number, id, mask);; i = (i + 1) & mask) {
          PairMemo& m = pair_memo[i];
          if (m.stamp != qgen) return nullptr;
          if (m.probe == probe_number && m.id == id) return &m;
        }
      }
      std::vector<PairMemo> old(pair_memo.size() * 2, PairMemo{0, 0, 0, 0});
      old.swap(pair_memo);
      const size_t mask = pair_memo.size() - 1;
      for (const PairMemo& m : old) {
        if (m.stamp != qgen) continue;
        size_t i = PairSlot(m.probe, m.id, mask);
        while (pair_memo[i].stamp == qgen) i = (i + 1) & mask;
        pair_memo[i] = m;
      }
    }
    const size_t mask = pair_memo.size() - 1;
    for (size_t i = PairSlot(probe_number, id, mask);; i = (i + 1) & mask) {
      PairMemo& m = pair_memo[i];
      if (m.stamp != qgen) return &m;
      if (m.probe == probe_number && m.id == id) return &m;
    }
  }
  std::vector<Ranked> ranked;
  std::vector<float> q_best;
  std::vector<float> l_best;
  std::string buf;
  std::string edit;
  std::vector<Neighbour> oov_neighbours;
  std::string cache_key;  // WordNeighbours and Widen: the OOV cache key.

  void Prepare(size_t names) {
    if (reach.size() < names) reach.resize(names, Reach{0, 0, 0, 0, 0, 0, 0});
    if (reached_bits.size() < names / 64 + 1) reached_bits.resize(names / 64 + 1, 0);
    if (++qgen == 0) {
      std::fill(probe_stamp.begin(), probe_stamp.end(), 0);
      for (PairMemo& m : pair_memo) m.stamp = 0;
      qgen = 1;
    }
    touched.clear();
    units.clear();
    unit_keys.clear();
    pair_memo_used = 0;
  }
};

constexpr float kNoReachBound = 2.0f;
constexpr uint16_t kGateAlways = 0x8000;
// Per-name data is prefetched this many names ahead.
constexpr uint32_t kPrefetchAhead = 16;

Scratch& ThreadScratch() {
  thread_local Scratch scratch;
  return scratch;
}

// A scored name that passed the threshold.
struct Scored {
  uint32_t name = 0;
  uint32_t entity = 0;
  double score = 0;  // With the adjustments, as the explanation will say.
  std::vector<Adjustment> adjustments;
};

// What the reach bound needs of each indexed name (kept small: it is read
// for every name a query reaches).
struct NameHot {
  float token_weight = 0;  // Sum of significant token weights.
  float max_weight = 0;    // Heaviest significant token.
  uint16_t compact_length = 0;
  uint8_t legal = 0;
  uint8_t stop = 0;
  uint8_t tokens = 0;  // Significant tokens, at most 255.
  bool other_modes = false;
  bool patronymic = false;  // A significant token a name may leave out.
};

// What the bounds need of each indexed name.
struct NameInfo {
  uint32_t token_begin = 0;  // Into bound_tokens_.
  uint32_t side_begin = 0;   // Into list_sides_: extra keys, then skeleton.
  float token_weight = 0;    // Sum of significant token weights.
  uint16_t tokens = 0;       // Significant tokens.
  uint16_t compact_length = 0;
  uint8_t legal = 0;
  uint8_t stop = 0;
  uint8_t sides = 0;
  bool other_modes = false;
  bool abjad = false;
  uint32_t compact_hash = 0;
  CharProfile compact;
};

// Stable storage for strings the index makes (skeletons).
class TextArena {
 public:
  std::string_view Add(std::string_view text) {
    if (chunks_.empty() || used_ + text.size() > kChunk) {
      chunks_.push_back(std::make_unique<char[]>(std::max(kChunk, text.size())));
      used_ = 0;
    }
    char* at = chunks_.back().get() + used_;
    std::memcpy(at, text.data(), text.size());
    used_ += text.size();
    return std::string_view(at, text.size());
  }

 private:
  static constexpr size_t kChunk = 1 << 16;
  std::vector<std::unique_ptr<char[]>> chunks_;
  size_t used_ = 0;
};

constexpr size_t kMaxAltSides = 8;  // Extra keys per name the bound reads.

// Roles of a key.
constexpr uint8_t kRoleWord = 1;    // Text of a word token or extra-key word.
constexpr uint8_t kRoleJoin = 2;    // Two adjacent word tokens joined.
constexpr uint8_t kRoleAbjad = 8;   // A word of a name written in a script
                                    // without short vowels.
constexpr uint8_t kRoleAbbrev = 4;  // A token the scorer may read as an
                                    // abbreviation of a longer one.

// A remembered token weight (IndexedScreener::TokenWeight).
struct WeightMemo {
  static constexpr size_t kMaxText = 22;
  uint8_t length = 0;  // Text bytes plus one; 0: empty.
  char text[kMaxText] = {};
  double weight = 0;
};
constexpr size_t kWeightMemoSlots = 512;  // A power of two.

uint64_t NextScreenerInstance() {
  static std::atomic<uint64_t> next{0};
  return ++next;
}

class IndexedScreener final : public Screener {
 public:
  explicit IndexedScreener(const refdata::Snapshot& snapshot)
      : snapshot_(snapshot), scan_(PickScan()) {
    weight_fn_ = [this](std::string_view token) { return TokenWeight(token); };
  }

  Status Init(const BuildOptions& options);

  std::vector<Hit> Screen(const Query& query, const ScreenOptions& options) const override;
  std::vector<Hit> ScreenExhaustive(const Query& query,
                                    const ScreenOptions& options) const override;
  TokenWeightFn TokenWeights() const override { return weight_fn_; }
  ScreenerStats stats() const override { return stats_; }
  const refdata::Snapshot& snapshot() const override { return snapshot_; }
  void ClearCaches() const override { oov_cache_.Clear(); }

 private:
  double TokenWeight(std::string_view token) const {
    // Short tokens' weights are remembered per thread, by their text: the
    // scorer asks for the same few (the query's, common list words') for
    // every name it scores.
    struct Memo {
      uint64_t index = 0;  // instance_ of the index that filled it; 0: none.
      std::array<WeightMemo, kWeightMemoSlots> slots{};
    };
    thread_local Memo memo;
    if (token.size() > WeightMemo::kMaxText) return LookUpWeight(token);
    if (memo.index != instance_) {
      memo.slots.fill(WeightMemo{});
      memo.index = instance_;
    }
    const uint64_t h = KeyHash(kNsToken, token);
    WeightMemo& m = memo.slots[(h >> 40) & (kWeightMemoSlots - 1)];
    if (m.length == token.size() + 1 && std::memcmp(m.text, token.data(), token.size()) == 0) {
      return m.weight;
    }
    const double weight = LookUpWeight(token);
    m.length = static_cast<uint8_t>(token.size() + 1);
    std::memcpy(m.text, token.data(), token.size());
    m.weight = weight;
    return weight;
  }
  double LookUpWeight(std::string_view token) const {
    const uint32_t id = keys_.Find(kNsToken, token);
    return id == kNoKey ? 1.0 : key_weight_[id];
  }
  uint64_t PostingCount(uint32_t key) const {
    return key == kNoKey ? 0 : post_off_[key + 1] - post_off_[key];
  }
  text::NameType ScoreTypeFor(const PreparedQuery& q, uint32_t entity) const {
    return q.type != text::NameType::kUnknown
               ? q.type
               : NameTypeFor(static_cast<Schema>(entity_schema_[entity]));
  }

  void CollectNames();
  void IndexKeys();
  void BuildNameInfo();
  void BuildFuzzyTables();
  void BuildIdentifierIndex();

  bool PrepareQuery(const Query& query, PreparedQuery* out) const;
  void BuildUnits(const PreparedQuery& q, Scratch& s) const;
  void Widen(const PreparedQuery& q, Scratch& s, uint32_t unit, double floor) const;
  // Appends to s.unit_keys the index words (and list joins) similar to
  // `text` at `floor` or more.
  // `abjad`: the query is written in a script without short vowels.
  void WordNeighbours(std::string_view text, double floor, bool abjad, Scratch& s) const;
  void SkeletonNeighbours(std::string_view text, double floor, Scratch& s) const;
  void SearchWords(std::string_view text, double search_floor, bool abjad, Scratch& s,
                   std::vector<Neighbour>* out) const;
  template <typename Search>
  const std::vector<Neighbour>& Remembered(char kind, std::string_view text, bool remember,
                                           Scratch& s, Search&& search) const;
  void BuildNeighbourCache();
  // Reads the keys of `unit` with factor ≥ `floor` (or, when `weak`, those
  // below it, for names already reached).
  void ReadUnit(const PreparedQuery& q, Scratch& s, uint32_t unit, double floor, bool weak,
                size_t* keys_read, uint64_t* postings_read) const;
  void Gather(const PreparedQuery& q, const ScreenOptions& options, Scratch& s,
              ScreenTrace* trace) const;
  // Marks the complete token units that need not bring new names (see
  // Gather): the commonest ones whose together pairing with a name cannot
  // lift its reach bound to `keep`. Reads s.complete_weight,
  // s.complete_patronymic and s.open_tokens.
  void MarkInessential(const PreparedQuery& q, Scratch& s, double keep) const;
  // Upper bounds of the name score of `name` for `q`: from what reached it
  // (constant time), and from its tokens (see the file comment).
  // An upper bound of the name's score from what reached it, exact when it
  // is at least `keep`; any value below `keep` otherwise.
  double ReachBound(const PreparedQuery& q, uint32_t name, const Scratch& s, double keep) const;
  double NameBound(const PreparedQuery& q, uint32_t name, Scratch& s) const;
  // Upper bound of the scorer's alignment of one token sequence of each
  // name (query tokens get probes probe_base, probe_base + 1, ...).
  double AlignBound(const BoundToken* q, size_t nq, size_t probe_base, uint8_t q_legal,
                    uint8_t q_stop, const BoundToken* l, size_t nl, uint8_t l_legal, uint8_t l_stop,
                    Scratch& s) const;
  BoundToken MakeBoundToken(const Token& t) const;
  // Debug builds: reports a pruned name that would have been a hit.
  void CheckPruned(const PreparedQuery& q, uint32_t name, double bound, double threshold,
                   const char* where) const;
  // Scores `name` and appends it to `out` when it reaches the threshold.
  void ScoreName(const PreparedQuery& q, uint32_t name, double threshold,
                 std::vector<Scored>* out) const;
  void EntityAdjustments(const PreparedQuery& q, uint32_t entity,
                         std::vector<Adjustment>* out) const;
  std::vector<Hit> Finish(const PreparedQuery& q, std::vector<Scored> scored,
                          const ScreenOptions& options) const;

  const refdata::Snapshot& snapshot_;
  ScanKernels scan_;
  // Tells this index's remembered token weights from another's.
  const uint64_t instance_ = NextScreenerInstance();
  TokenWeightFn weight_fn_;
  ScreenerStats stats_;
  std::vector<std::string> source_paths_;

  // Names (only those with at least one token), grouped by entity.
  std::vector<NormalizedName> names_;
  std::vector<uint32_t> name_entity_;
  std::vector<uint8_t> name_kind_;
  std::vector<uint16_t> name_prop_;  // Index among the entity's names.
  std::vector<NameInfo> name_info_;
  std::vector<NameHot> name_hot_;
  // Per name: its compact length (at most 0x7FFF), or kGateAlways when the
  // reach bound cannot prune it (other modes, more tokens than the scorer
  // aligns).
  std::vector<uint16_t> name_gate_;
  // Per significant token of every name, in name order, followed by the
  // tokens of the name's other sides.
  std::vector<BoundToken> bound_tokens_;
  std::vector<BoundSide> list_sides_;
  TextArena arena_;
  // Token dictionary: every distinct list-side bound token (text, canonical
  // form, kind), numbered; and for each, the number of its consonant
  // skeleton token (itself when it has none), for skeleton bounds.
  KeyTable token_keys_;
  std::vector<BoundToken> token_dict_;
  std::vector<uint32_t> token_skeleton_;
  uint32_t InternToken(BoundToken* b);

  KeyTable keys_;
  std::vector<float> key_weight_;  // Rarity weight as a token (1 if never one).
  std::vector<uint8_t> key_role_;
  std::vector<uint32_t> post_off_;  // keys + 1
  std::vector<uint32_t> post_;

  FuzzyTable fuzzy_words_;      // Word tokens and extra-key words.
  FuzzyTable fuzzy_joins_;      // Joins of two adjacent word tokens.
  FuzzyTable fuzzy_abjad_;      // The words of fuzzy_words_ with kRoleAbjad.
  FuzzyTable fuzzy_skeletons_;  // Consonant skeletons of list words (S keys).
  // Precomputed neighbours of the words of a small index (see
  // kNeighbourCacheEntries): slot by key, then CSR.
  std::vector<uint32_t> neighbour_slot_;
  std::vector<uint32_t> neighbour_off_;
  std::vector<Neighbour> neighbours_;

  // Neighbours (similarity >= kFuzzyFloor) of query words the index does not
  // hold, computed once and shared by every thread: a batch of real records
  // repeats its words, and a search costs microseconds. Each shard is an
  // open-addressing table over two arenas (key bytes, neighbours): a look-up
  // reads a slot and the two arenas. Bounded: a shard that fills up (in
  // entries or neighbours) is emptied, without freeing anything.
  class OovCache {
   public:
    bool Get(std::string_view text, std::vector<Neighbour>* out) const {
      const uint64_t h = HashBytes(text);
      const Shard& shard = shards_[h % kShards];
      std::shared_lock lock(shard.mu);
      const Slot* slot = shard.Find(h, text);
      if (slot == nullptr) return false;
      out->assign(shard.neighbours.begin() + slot->neighbours_begin,
                  shard.neighbours.begin() + slot->neighbours_begin + slot->count);
      return true;
    }
    void Put(std::string_view text, const std::vector<Neighbour>& list) {
      const uint64_t h = HashBytes(text);
      Shard& shard = shards_[h % kShards];
      std::unique_lock lock(shard.mu);
      if (shard.Find(h, text) != nullptr) return;  // Another thread's search.
      if (shard.used >= kEntriesPerShard ||
          shard.neighbours.size() + list.size() > kMaxShardNeighbours) {
        shard.Reset();
      }
      if (2 * (shard.used + 1) > shard.slots.size()) shard.Grow();
      Slot slot;
      slot.hash = h | 1;  // Never 0, which marks a free slot.
      slot.key_begin = static_cast<uint32_t>(shard.keys.size());
      slot.key_length = static_cast<uint32_t>(text.size());
      slot.neighbours_begin = static_cast<uint32_t>(shard.neighbours.size());
      slot.count = static_cast<uint32_t>(list.size());
      shard.keys.append(text);
      shard.neighbours.insert(shard.neighbours.end(), list.begin(), list.end());
      shard.Insert(slot);
      ++shard.used;
    }
    void Clear() {
      for (Shard& shard : shards_) {
        std::unique_lock lock(shard.mu);
        shard.Reset();
      }
    }

   private:
    static constexpr size_t kShards = 64;
    static constexpr size_t kEntriesPerShard = 4096;
    static constexpr size_t kMinSlots = 64;  // Slot arrays are powers of two.
    // 2 MiB of neighbours per shard, 128 MiB in all.
    static constexpr size_t kMaxShardNeighbours = size_t{1} << 17;
    struct Slot {
      uint64_t hash = 0;
      uint32_t key_begin = 0;
      uint32_t key_length = 0;
      uint32_t neighbours_begin = 0;
      uint32_t count = 0;
    };
    struct Shard {
      mutable std::shared_mutex mu;
      std::vector<Slot> slots;
      std::string keys;
      std::vector<Neighbour> neighbours;
      size_t used = 0;

      const Slot* Find(uint64_t h, std::string_view text) const {
        if (slots.empty()) return nullptr;
        const uint64_t tag = h | 1;
        const size_t mask = slots.size() - 1;
        for (size_t i = (h >> 8) & mask;; i = (i + 1) & mask) {
          const Slot& slot = slots[i];
          if (slot.hash == 0) return nullptr;
          if (slot.hash == tag && slot.key_length == text.size() &&
              std::memcmp(keys.data() + slot.key_begin, text.data(), text.size()) == 0) {
            return &slot;
          }
        }
      }
      void Insert(const Slot& slot) {
        const size_t mask = slots.size() - 1;
        for (size_t i = (slot.hash >> 8) & mask;; i = (i + 1) & mask) {
          if (slots[i].hash == 0) {
            slots[i] = slot;
            return;
          }
        }
      }
      // Doubles the slot array (kept at most half full).
      void Grow() {
        std::vector<Slot> old(std::max<size_t>(kMinSlots, 2 * slots.size()), Slot{});
        old.swap(slots);
        for (const Slot& slot : old) {
          if (slot.hash != 0) Insert(slot);
        }
      }
      void Reset() {
        std::fill(slots.begin(), slots.end(), Slot{});
        keys.clear();
        neighbours.clear();
        used = 0;
      }
    };
    std::array<Shard, kShards> shards_;
  };
  mutable OovCache oov_cache_;

  // (identifier hash, entity), sorted.
  std::vector<std::pair<uint64_t, uint32_t>> id_index_;
  // Names of entity e: entity_names_[e] .. entity_names_[e + 1].
  std::vector<uint32_t> entity_names_;
  std::vector<uint8_t> entity_schema_;
};

Status IndexedScreener::Init(const BuildOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  if (snapshot_.entity_count() >= kNoKey) {
    return Status(StatusCode::kResourceExhausted, "snapshot has too many entities");
  }
  for (size_t i = 0; i < snapshot_.source_count(); ++i) {
    source_paths_.push_back(snapshot_.source(i).path);
  }
  CollectNames();
  if (names_.size() >= kNoKey / 2) {
    return Status(StatusCode::kResourceExhausted, "snapshot has too many names");
  }
  IndexKeys();
  if (post_.size() >= kNoKey) {
    return Status(StatusCode::kResourceExhausted, "index postings overflow");
  }
  BuildFuzzyTables();
  if (options.precompute_neighbours) BuildNeighbourCache();
  BuildNameInfo();
  BuildIdentifierIndex();
  stats_.build_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return Status::Ok();
}

void IndexedScreener::CollectNames() {
  struct RawName {
    uint32_t entity;
    uint16_t prop;  // Index among the entity's names.
    uint8_t kind;
    text::NameType type;
    std::string_view value;
  };
  std::vector<RawName> raw;
  const uint32_t n_entities = static_cast<uint32_t>(snapshot_.entity_count());
  raw.reserve(size_t{n_entities} * 2);
  entity_schema_.resize(n_entities);
  for (uint32_t e = 0; e < n_entities; ++e) {
    const EntityView view = snapshot_.entity(e);
    entity_schema_[e] = static_cast<uint8_t>(view.schema());
    const text::NameType type = NameTypeFor(view.schema());
    const std::vector<PropView> props = view.Props(PropKind::kName);
    for (size_t k = 0; k < props.size() && k <= 0xFFFF; ++k) {
      const std::string_view v = props[k].field(0);
      if (v.empty()) continue;
      raw.push_back(RawName{e, static_cast<uint16_t>(k), props[k].sub(), type, v});
    }
  }

  std::vector<NormalizedName> normalized(raw.size());
  tbb::parallel_for(tbb::blocked_range<size_t>(0, raw.size(), 64),
                    [&](const tbb::blocked_range<size_t>& r) {
                      for (size_t i = r.begin(); i != r.end(); ++i) {
                        normalized[i] = text::NormalizeName(raw[i].value, raw[i].type);
                      }
                    });

  // Keep names with tokens; drop repeats within an entity (same tokens,
  // script and keys score identically).
  entity_names_.assign(size_t{n_entities} + 1, 0);
  names_.reserve(raw.size());
  name_entity_.reserve(raw.size());
  name_kind_.reserve(raw.size());
  size_t entity_first = 0;
  uint32_t current = kNoKey;
  for (size_t i = 0; i < raw.size(); ++i) {
    NormalizedName& n = normalized[i];
    if (n.empty()) continue;
    if (raw[i].entity != current) {
      current = raw[i].entity;
      entity_first = names_.size();
    }
    bool repeat = false;
    for (size_t j = entity_first; j < names_.size() && !repeat; ++j) {
      const NormalizedName& o = names_[j];
      repeat = o.latin == n.latin && o.script == n.script && o.compact == n.compact &&
               o.extra_keys == n.extra_keys && o.tokens.size() == n.tokens.size();
      for (size_t t = 0; repeat && t < n.tokens.size(); ++t) {
        const Token& a = o.tokens[t];
        const Token& b = n.tokens[t];
        repeat = a.text == b.text && a.canon == b.canon && a.kind == b.kind &&
                 a.abbreviated == b.abbreviated;
      }
    }
    if (repeat) continue;
    // The scorer does not read `original`; hits take it from the snapshot.
    std::string().swap(n.original);
    names_.push_back(std::move(n));
    name_entity_.push_back(raw[i].entity);
    name_kind_.push_back(raw[i].kind);
    name_prop_.push_back(raw[i].prop);
    entity_names_[raw[i].entity + 1]++;
  }
  for (uint32_t e = 0; e < n_entities; ++e) entity_names_[e + 1] += entity_names_[e];
  names_.shrink_to_fit();
  stats_.names = names_.size();
}

void IndexedScreener::IndexKeys() {
  const size_t n_names = names_.size();
  std::vector<uint32_t> name_key_off(n_names + 1, 0);
  std::vector<uint32_t> name_keys;
  name_keys.reserve(n_names * 8);
  std::vector<uint32_t> token_df;
  std::vector<uint32_t> ids, token_ids;
  std::string buf;

  auto intern = [&](char ns, std::string_view text, uint8_t role) {
    bool added = false;
    const uint32_t id = keys_.Intern(ns, text, &added);
    if (added) {
      token_df.push_back(0);
      key_role_.push_back(0);
    }
    key_role_[id] |= role;
    return id;
  };

  for (size_t n = 0; n < n_names; ++n) {
    const NormalizedName& name = names_[n];
    const uint8_t abjad = WritesNoShortVowels(name.script) ? kRoleAbjad : 0;
    ids.clear();
    token_ids.clear();
    for (const Token& t : name.tokens) {
      if (!IsSignificant(t.kind) || t.text.empty()) continue;
      const bool word = t.kind == TokenKind::kWord;
      const bool abbrev = t.abbreviated || CanonOf(t) != t.text;
      const uint32_t id =
          intern(kNsToken, t.text,
                 static_cast<uint8_t>((word ? kRoleWord | abjad : 0) | (abbrev ? kRoleAbbrev : 0)));
      ids.push_back(id);
      token_ids.push_back(id);
      if (!t.canon.empty() && t.canon != t.text) ids.push_back(intern(kNsCanon, t.canon, 0));
      if (word) {
        const std::string skeleton = SkeletonOf(t.text);
        if (skeleton.size() >= kMinSkeletonLength) ids.push_back(intern(kNsSkeleton, skeleton, 0));
      }
    }
    for (size_t i = 0; i + 1 < name.tokens.size(); ++i) {
      const Token& a = name.tokens[i];
      const size_t next = NextSignificant(name.tokens, i);
      if (next == name.tokens.size()) break;
      const Token& b = name.tokens[next];
      if (a.kind != TokenKind::kWord || b.kind != TokenKind::kWord) continue;
      buf.assign(a.text);
      buf.append(b.text);
      ids.push_back(intern(kNsJoin, buf, kRoleJoin));
    }
    if (!name.compact.empty()) ids.push_back(intern(kNsCompact, name.compact, 0));
    for (const std::string& extra : name.extra_keys) {
      buf.clear();
      size_t pos = 0;
      while (pos < extra.size()) {
        size_t end = extra.find(' ', pos);
        if (end == std::string::npos) end = extra.size();
        if (end > pos) {
          const std::string_view piece(extra.data() + pos, end - pos);
          ids.push_back(intern(kNsPiece, piece, kRoleWord | abjad));
          buf.append(piece);
        }
        pos = end + 1;
      }
      if (!buf.empty()) ids.push_back(intern(kNsExtra, buf, 0));
    }
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    name_keys.insert(name_keys.end(), ids.begin(), ids.end());
    name_key_off[n + 1] = static_cast<uint32_t>(name_keys.size());
    std::sort(token_ids.begin(), token_ids.end());
    token_ids.erase(std::unique(token_ids.begin(), token_ids.end()), token_ids.end());
    for (const uint32_t id : token_ids) token_df[id]++;
  }
  keys_.ShrinkToFit();
  key_role_.shrink_to_fit();

  // Rarity weights: IDF scaled so that a token seen in one name weighs 1.
  const size_t n_keys = keys_.size();
  const double total = static_cast<double>(n_names) + 1.0;
  const double top = std::log(total / 1.5);
  key_weight_.assign(n_keys, 1.0f);
  uint64_t distinct_tokens = 0;
  for (size_t k = 0; k < n_keys; ++k) {
    if (token_df[k] == 0) continue;
    ++distinct_tokens;
    const double w = top > 0 ? std::log(total / (token_df[k] + 0.5)) / top : 1.0;
    key_weight_[k] = static_cast<float>(std::clamp(w, 0.1, 1.0));
  }

  // Postings (CSR), name numbers ascending within each key.
  post_off_.assign(n_keys + 1, 0);
  for (const uint32_t k : name_keys) post_off_[k + 1]++;
  for (size_t k = 0; k < n_keys; ++k) post_off_[k + 1] += post_off_[k];
  post_.resize(name_keys.size());
  {
    std::vector<uint32_t> fill(post_off_.begin(), post_off_.end() - 1);
    for (size_t n = 0; n < n_names; ++n) {
      for (uint32_t i = name_key_off[n]; i < name_key_off[n + 1]; ++i) {
        post_[fill[name_keys[i]]++] = static_cast<uint32_t>(n);
      }
    }
  }
  stats_.tokens = distinct_tokens;
  stats_.postings = post_.size();
}

void IndexedScreener::BuildFuzzyTables() {
  std::vector<FuzzyTable::Entry> words, joins, abjad, skeletons;
  for (uint32_t k = 0; k < keys_.size(); ++k) {
    const std::string_view key = keys_.text(k);
    if (key.size() < kMinFuzzyLength || key.size() > kMaxFuzzyLength) continue;
    if (keys_.key(k)[0] == kNsSkeleton) skeletons.push_back({k, key, 1.0f});
    if ((key_role_[k] & (kRoleWord | kRoleJoin)) == 0) continue;
    const bool token = keys_.key(k)[0] == kNsToken;
    if (key_role_[k] & kRoleWord) words.push_back({k, key, token ? key_weight_[k] : 1.0f});
    if (key_role_[k] & kRoleAbjad) abjad.push_back(words.back());
    if (key_role_[k] & kRoleJoin) joins.push_back({k, key, 2.0f});
  }
  fuzzy_words_.Build(std::move(words));
  fuzzy_abjad_.Build(std::move(abjad));
  fuzzy_joins_.Build(std::move(joins));
  fuzzy_skeletons_.Build(std::move(skeletons));
}

BoundToken IndexedScreener::MakeBoundToken(const Token& t) const {
  return MakeBound(t.text, CanonOf(t), t.kind, static_cast<float>(TokenWeight(t.text)));
}

void IndexedScreener::BuildNameInfo() {
  const size_t n_names = names_.size();
  name_info_.resize(n_names);
  name_hot_.resize(n_names);
  name_gate_.resize(n_names);
  bound_tokens_.reserve(n_names * 4);
  for (size_t n = 0; n < n_names; ++n) {
    NameInfo& info = name_info_[n];
    const NormalizedName& name = names_[n];
    info.token_begin = static_cast<uint32_t>(bound_tokens_.size());
    float sum = 0;
    float heaviest = 0;
    for (size_t i = 0; i < name.tokens.size(); ++i) {
      const Token& t = name.tokens[i];
      if (t.text.empty()) continue;
      if (IsSignificant(t.kind)) {
        bound_tokens_.push_back(MakeBoundToken(t));
        InternToken(&bound_tokens_.back());
        bound_tokens_.back().patronymic |= IsOptionalNameWord(name.tokens, i);
        sum += bound_tokens_.back().weight;
        heaviest = std::max(heaviest, bound_tokens_.back().weight);
      } else if (t.kind == TokenKind::kLegalForm) {
        info.legal = static_cast<uint8_t>(std::min(255, info.legal + 1));
      } else {
        info.stop = static_cast<uint8_t>(std::min(255, info.stop + 1));
      }
    }
    const size_t main_tokens = bound_tokens_.size() - info.token_begin;
    info.tokens = static_cast<uint16_t>(std::min<size_t>(0xFFFF, main_tokens));
    info.token_weight = sum;
    info.other_modes = HasOtherModes(name);
    info.abjad = WritesNoShortVowels(name.script);
    info.compact = ProfileOf(name.compact);
    info.compact_hash = static_cast<uint32_t>(HashBytes(name.compact));
    info.compact_length = static_cast<uint16_t>(std::min<size_t>(0xFFFF, name.compact.size()));

    // Other sides: the words of each extra key, and the skeletons.
    info.side_begin = static_cast<uint32_t>(list_sides_.size());
    std::string squeezed;
    for (size_t j = 0; j < name.extra_keys.size() && j < kMaxAltSides; ++j) {
      const std::string& extra = name.extra_keys[j];
      BoundSide side;
      side.begin = static_cast<uint32_t>(bound_tokens_.size());
      squeezed.clear();
      size_t pos = 0;
      while (pos < extra.size()) {
        size_t end = extra.find(' ', pos);
        if (end == std::string::npos) end = extra.size();
        if (end > pos) {
          const std::string_view piece(extra.data() + pos, end - pos);
          squeezed.append(piece);
          const TokenKind kind = PieceKind(piece);
          if (kind == TokenKind::kLegalForm) {
            side.legal = static_cast<uint8_t>(std::min(255, side.legal + 1));
          } else {
            bound_tokens_.push_back(MakeBound(piece, text::CanonicalForm(piece), kind,
                                              static_cast<float>(TokenWeight(piece))));
            InternToken(&bound_tokens_.back());
          }
        }
        pos = end + 1;
      }
      side.tokens =
          static_cast<uint16_t>(std::min<size_t>(0xFFFF, bound_tokens_.size() - side.begin));
      side.squeezed_hash = static_cast<uint32_t>(HashBytes(squeezed));
      side.squeezed_length = static_cast<uint16_t>(std::min<size_t>(0xFFFF, squeezed.size()));
      list_sides_.push_back(side);
    }
    if (info.abjad) {
      BoundSide side;
      side.begin = static_cast<uint32_t>(bound_tokens_.size());
      side.legal = info.legal;
      side.stop = info.stop;
      side.skeleton = true;
      for (size_t k = 0; k < main_tokens; ++k) {
        BoundToken b = bound_tokens_[info.token_begin + k];
        if (b.kind == TokenKind::kWord) {
          const std::string skeleton = SkeletonOf(b.view());
          if (skeleton.size() >= kMinListSkeletonLength) {
            const std::string_view stored = arena_.Add(skeleton);
            b = MakeBound(stored, stored, TokenKind::kWord, b.weight);
            InternToken(&b);
          }
        }
        bound_tokens_.push_back(b);
      }
      side.tokens = static_cast<uint16_t>(std::min<size_t>(0xFFFF, main_tokens));
      list_sides_.push_back(side);
    }
    info.sides = static_cast<uint8_t>(list_sides_.size() - info.side_begin);

    NameHot& hot = name_hot_[n];
    hot.token_weight = sum;
    hot.max_weight = heaviest;
    hot.compact_length = info.compact_length;
    hot.legal = info.legal;
    hot.stop = info.stop;
    hot.tokens = static_cast<uint8_t>(std::min<size_t>(255, main_tokens));
    hot.other_modes = info.other_modes;
    hot.patronymic = false;
    for (size_t k = 0; k < main_tokens; ++k) {
      hot.patronymic |= bound_tokens_[info.token_begin + k].patronymic;
    }
    name_gate_[n] = info.other_modes || main_tokens > kScorerMaxTokens
                        ? kGateAlways
                        : static_cast<uint16_t>(std::min<size_t>(0x7FFF, name.compact.size()));
  }
  bound_tokens_.shrink_to_fit();
  list_sides_.shrink_to_fit();

  // Skeletons of every dictionary word (a query from a script without short
  // vowels compares them with any list name).
  const size_t dict_size = token_dict_.size();
  token_skeleton_.resize(dict_size);
  for (size_t id = 0; id < dict_size; ++id) {
    token_skeleton_[id] = static_cast<uint32_t>(id);
    const BoundToken& t = token_dict_[id];
    if (t.kind != TokenKind::kWord) continue;
    const std::string skeleton = SkeletonOf(t.view());
    if (skeleton.size() < kMinSkeletonLength) continue;
    const std::string_view stored = arena_.Add(skeleton);
    BoundToken b = MakeBound(stored, stored, TokenKind::kWord, t.weight);
    token_skeleton_[id] = InternToken(&b);
  }
  token_skeleton_.resize(token_dict_.size());
  for (size_t id = dict_size; id < token_dict_.size(); ++id) {
    token_skeleton_[id] = static_cast<uint32_t>(id);
  }
  token_dict_.shrink_to_fit();
  token_keys_.ShrinkToFit();
}

uint32_t IndexedScreener::InternToken(BoundToken* b) {
  // What PairBound reads of a list token: its kind, text and canonical form
  // (by hash).
  std::string key(b->view());
  key.push_back('\x01');
  key.append(reinterpret_cast<const char*>(&b->canon_hash), sizeof(b->canon_hash));
  bool added = false;
  const uint32_t id =
      token_keys_.Intern(static_cast<char>('a' + static_cast<int>(b->kind)), key, &added);
  b->id = id;
  if (added) token_dict_.push_back(*b);
  return id;
}

void IndexedScreener::BuildIdentifierIndex() {
  const uint32_t n_entities = static_cast<uint32_t>(snapshot_.entity_count());
  for (uint32_t e = 0; e < n_entities; ++e) {
    for (const PropView& p : snapshot_.entity(e).Props(PropKind::kIdentifier)) {
      const std::string id = NormalizeIdentifier(p.field(0));
      if (!id.empty()) id_index_.emplace_back(HashBytes(id), e);
    }
  }
  std::sort(id_index_.begin(), id_index_.end());
  id_index_.erase(std::unique(id_index_.begin(), id_index_.end()), id_index_.end());
  id_index_.shrink_to_fit();
}

bool IndexedScreener::PrepareQuery(const Query& query, PreparedQuery* out) const {
  out->name = text::NormalizeName(query.name, query.type);
  out->type = query.type;
  const NormalizedName& name = out->name;
  for (size_t i = 0; i < name.tokens.size(); ++i) {
    const Token& t = name.tokens[i];
    if (t.text.empty()) continue;
    if (IsSignificant(t.kind)) {
      out->tokens.push_back(MakeBoundToken(t));
      out->tokens.back().patronymic |= IsOptionalNameWord(name.tokens, i);
      out->token_weight += out->tokens.back().weight;
    } else if (t.kind == TokenKind::kLegalForm) {
      out->legal = static_cast<uint8_t>(std::min(255, out->legal + 1));
    } else {
      out->stop = static_cast<uint8_t>(std::min(255, out->stop + 1));
    }
  }
  // Legal forms and stop words never make a match on their own.
  if (out->tokens.empty()) return false;
  out->other_modes = HasOtherModes(name);
  out->abjad = WritesNoShortVowels(name.script);
  out->compact_profile = ProfileOf(name.compact);
  out->main_side.tokens = static_cast<uint16_t>(std::min<size_t>(0xFFFF, out->tokens.size()));
  out->main_side.legal = out->legal;
  out->main_side.stop = out->stop;
  out->main_side.squeezed_hash = static_cast<uint32_t>(HashBytes(name.compact));
  out->main_side.squeezed_length =
      static_cast<uint16_t>(std::min<size_t>(0xFFFF, name.compact.size()));

  // Other sides: extra keys' words, and skeletons (over alt_tokens).
  std::string squeezed;
  for (size_t j = 0; j < name.extra_keys.size() && j < kMaxAltSides; ++j) {
    const std::string& extra = name.extra_keys[j];
    BoundSide side;
    side.begin = static_cast<uint32_t>(out->alt_tokens.size());
    squeezed.clear();
    size_t pos = 0;
    while (pos < extra.size()) {
      size_t end = extra.find(' ', pos);
      if (end == std::string::npos) end = extra.size();
      if (end > pos) {
        const std::string_view piece(extra.data() + pos, end - pos);
        squeezed.append(piece);
        const TokenKind kind = PieceKind(piece);
        if (kind == TokenKind::kLegalForm) {
          side.legal = static_cast<uint8_t>(std::min(255, side.legal + 1));
        } else {
          out->alt_tokens.push_back(MakeBound(piece, text::CanonicalForm(piece), kind,
                                              static_cast<float>(TokenWeight(piece))));
        }
      }
      pos = end + 1;
    }
    side.tokens = static_cast<uint16_t>(out->alt_tokens.size() - side.begin);
    side.squeezed_hash = static_cast<uint32_t>(HashBytes(squeezed));
    side.squeezed_length = static_cast<uint16_t>(std::min<size_t>(0xFFFF, squeezed.size()));
    out->extra_sides.push_back(side);
  }
  out->skeletons.reserve(out->tokens.size());
  out->skeleton_side.begin = static_cast<uint32_t>(out->alt_tokens.size());
  out->skeleton_side.legal = out->legal;
  out->skeleton_side.stop = out->stop;
  out->skeleton_side.skeleton = true;
  for (const BoundToken& t : out->tokens) {
    BoundToken b = t;
    if (b.kind == TokenKind::kWord) {
      std::string skeleton = SkeletonOf(b.view());
      if (skeleton.size() >= MinTokenSkeleton(out->abjad)) {
        out->skeletons.push_back(std::move(skeleton));
        b = MakeBound(out->skeletons.back(), out->skeletons.back(), TokenKind::kWord, b.weight);
      }
    }
    out->alt_tokens.push_back(b);
  }
  out->skeleton_side.tokens = static_cast<uint16_t>(out->tokens.size());

  if (!query.country.empty()) {
    out->country = refdata::CountryCode(query.country);
    if (!out->country.empty()) out->max_raise += kCountrySame;
  }
  for (const std::string& raw : query.identifiers) {
    std::string id = NormalizeIdentifier(raw);
    if (id.empty()) continue;
    out->identifiers.push_back(std::move(id));
    out->raw_identifiers.push_back(raw);
  }
  if (!out->identifiers.empty()) out->max_raise += kIdentifierMatch;
  out->birth_year = std::string(YearOf(query.birth_date));
  if (!out->birth_year.empty()) out->max_raise += kBirthYearSame;
  return true;
}

// --- Units -----------------------------------------------------------------------------

// Sorts the keys of the last unit by key, keeps each once with its best
// factor, then orders them best factor first (so the first key that reaches
// a name carries its best similarity).
void FinishUnitKeys(Scratch& s, uint32_t begin) {
  auto first = s.unit_keys.begin() + begin;
  std::sort(first, s.unit_keys.end(), [](const Scratch::UnitKey& a, const Scratch::UnitKey& b) {
    if (a.key != b.key) return a.key < b.key;
    if (a.factor != b.factor) return a.factor > b.factor;
    return a.join > b.join;  // A join flag must survive the merge.
  });
  auto last =
      std::unique(first, s.unit_keys.end(), [](Scratch::UnitKey& a, const Scratch::UnitKey& b) {
        if (a.key != b.key) return false;
        a.partner = std::max(a.partner, b.partner);
        return true;
      });
  s.unit_keys.erase(last, s.unit_keys.end());
  std::stable_sort(
      first, s.unit_keys.end(),
      [](const Scratch::UnitKey& a, const Scratch::UnitKey& b) { return a.factor > b.factor; });
}

void IndexedScreener::BuildUnits(const PreparedQuery& q, Scratch& s) const {
  const NormalizedName& name = q.name;
  auto add_key = [&](uint32_t key, double factor, double partner) {
    if (key != kNoKey && PostingCount(key) > 0) {
      s.unit_keys.push_back({key, static_cast<float>(factor), static_cast<float>(partner), false});
    }
  };
  // A token key stands for a list token of known weight.
  auto add_token_key = [&](uint32_t key, double factor) {
    if (key != kNoKey) add_key(key, factor, key_weight_[key]);
  };
  auto begin_unit = [&](double weight, Scratch::UnitKind kind, int32_t token, std::string_view text,
                        uint32_t count) {
    Scratch::Unit u;
    u.key_begin = u.key_end = static_cast<uint32_t>(s.unit_keys.size());
    u.weight = static_cast<float>(weight);
    u.count = count;
    u.kind = kind;
    u.token = token;
    u.text = text;
    s.units.push_back(u);
  };
  auto end_unit = [&]() {
    Scratch::Unit& u = s.units.back();
    FinishUnitKeys(s, u.key_begin);
    u.key_end = static_cast<uint32_t>(s.unit_keys.size());
    u.postings = 0;
    for (uint32_t i = u.key_begin; i < u.key_end; ++i) {
      u.postings += PostingCount(s.unit_keys[i].key);
    }
  };

  // Token units: list tokens equal to the text or the canonical form, list
  // tokens whose canonical form is the same, a list join equal to it, the
  // token's initial (a list initial pairs with a word of that letter) and
  // list abbreviations of it.
  size_t used = 0;
  for (size_t i = 0; i < name.tokens.size() && used < kMaxQueryTokens; ++i) {
    const Token& t = name.tokens[i];
    if (!IsSignificant(t.kind) || t.text.empty()) continue;
    bool repeat = false;
    uint32_t count = 0;
    for (size_t j = 0; j < name.tokens.size(); ++j) {
      const bool same = IsSignificant(name.tokens[j].kind) && name.tokens[j].text == t.text;
      repeat |= same && j < i;
      count += same ? 1 : 0;
    }
    if (repeat) continue;
    ++used;
    // An initial pairs with every word of its letter, and an abbreviated
    // token with every word it begins: neither can be searched completely.
    const bool loose = t.kind == TokenKind::kInitial || t.abbreviated;
    begin_unit(TokenWeight(t.text) * static_cast<double>(count),
               loose ? Scratch::UnitKind::kLooseToken : Scratch::UnitKind::kToken,
               static_cast<int32_t>(i), t.text, count);
    s.units.back().optional = IsOptionalNameWord(name.tokens, i);
    const std::string_view canon = CanonOf(t);
    add_token_key(keys_.Find(kNsToken, t.text), 1.0);
    add_key(keys_.Find(kNsCanon, canon), 1.0, 1.0);
    if (canon != t.text) add_token_key(keys_.Find(kNsToken, canon), 1.0);
    if (t.kind == TokenKind::kWord) {
      add_key(keys_.Find(kNsJoin, t.text), 1.0, 2.0);
      // The scorer aligns the skeletons of a name in a script without short
      // vowels with any list name's ("qdyr" and "Kweider" share "kdr").
      if (q.abjad) {
        const std::string skeleton = SkeletonOf(t.text);
        if (skeleton.size() >= kMinSkeletonLength) {
          add_key(keys_.Find(kNsSkeleton, skeleton), 1.0, 1.0);
        }
      }
      add_token_key(keys_.Find(kNsToken, std::string_view(t.text).substr(0, 1)), kMaxPairBonus);
      for (size_t len = kMinAbbreviationLength; len < t.text.size(); ++len) {
        const std::string_view prefix = std::string_view(t.text).substr(0, len);
        const uint32_t key = keys_.Find(kNsToken, prefix);
        if (key == kNoKey || (key_role_[key] & kRoleAbbrev) == 0) continue;
        const double fuzzy = len >= kMinFuzzyLength ? FuzzyValue(t.text, prefix) : 0.0;
        add_token_key(key, std::max(kMaxPairBonus, fuzzy));
      }
    }
    end_unit();
  }

  // A list token equal to two adjacent query words joined (the fuzzy ones
  // come with Widen()).
  for (size_t i = 0; i + 1 < name.tokens.size() && i < 2 * kMaxQueryTokens; ++i) {
    const Token& a = name.tokens[i];
    const size_t next = NextSignificant(name.tokens, i);
    if (next == name.tokens.size()) break;
    const Token& b = name.tokens[next];
    if (a.kind != TokenKind::kWord || b.kind != TokenKind::kWord) continue;
    s.buf.assign(a.text);
    s.buf.append(b.text);
    begin_unit(TokenWeight(a.text) + TokenWeight(b.text), Scratch::UnitKind::kOther, -1, {}, 0);
    add_token_key(keys_.Find(kNsToken, s.buf), 1.0);
    end_unit();
  }
  // Compact form, against list compact forms and whole extra keys.
  if (!name.compact.empty()) {
    begin_unit(q.token_weight, Scratch::UnitKind::kOther, -1, {}, 0);
    add_key(keys_.Find(kNsCompact, name.compact), 1.0, 1.0);
    add_key(keys_.Find(kNsExtra, name.compact), 1.0, 1.0);
    end_unit();
  }
  // Extra keys: each word (widened like a token) and the whole key without
  // spaces.
  for (const std::string& extra : name.extra_keys) {
    s.buf.clear();
    size_t pos = 0;
    while (pos < extra.size()) {
      size_t end = extra.find(' ', pos);
      if (end == std::string::npos) end = extra.size();
      if (end > pos) {
        const std::string_view piece(extra.data() + pos, end - pos);
        begin_unit(TokenWeight(piece), Scratch::UnitKind::kExtraWord, -1, piece, 0);
        add_token_key(keys_.Find(kNsToken, piece), 1.0);
        add_key(keys_.Find(kNsPiece, piece), 1.0, 1.0);
        // List tokens of the same canonical form pair with it fully.
        const std::string_view canon = text::CanonicalForm(piece);
        add_key(keys_.Find(kNsCanon, canon), 1.0, 1.0);
        if (canon != piece) add_token_key(keys_.Find(kNsToken, canon), 1.0);
        end_unit();
        s.buf.append(piece);
      }
      pos = end + 1;
    }
    if (!s.buf.empty()) {
      begin_unit(q.token_weight, Scratch::UnitKind::kOther, -1, {}, 0);
      add_key(keys_.Find(kNsExtra, s.buf), 1.0, 1.0);
      add_key(keys_.Find(kNsCompact, s.buf), 1.0, 1.0);
      end_unit();
    }
  }
}

// The neighbours `search` appends to its argument, remembered under `kind`
// and `text` in the cache all threads share when `remember` (searches from
// the scorer's own floor); in s.oov_neighbours.
template <typename Search>
const std::vector<Neighbour>& IndexedScreener::Remembered(char kind, std::string_view text,
                                                          bool remember, Scratch& s,
                                                          Search&& search) const {
  std::string& cache_key = s.cache_key;
  cache_key.assign(1, kind);
  cache_key.append(text);
  std::vector<Neighbour>& found = s.oov_neighbours;
  found.clear();
  if (remember && oov_cache_.Get(cache_key, &found)) return found;
  search(found);
  if (remember) oov_cache_.Put(cache_key, found);
  return found;
}

// Index words (and list joins) whose similarity to `text` reaches
// `search_floor`, by the measures WordNeighbours describes; appended to
// `out`.
void IndexedScreener::SearchWords(std::string_view text, double search_floor, bool abjad,
                                  Scratch& s, std::vector<Neighbour>* out) const {
  auto collect = [&](uint32_t key, double sim, float partner) {
    if (sim >= search_floor) out->push_back({key, static_cast<float>(sim), partner});
  };
  const Measure measure = Measure::kScorer;
  s.probe.Reset(text);
  const bool only_first = fuzzy_words_.size() > kFullScanEntries;
  fuzzy_words_.Scan(scan_, s.probe, measure, only_first, kMinFuzzyLength, kMaxFuzzyLength,
                    search_floor, s.scan_buffer, collect);
  if (!abjad) {
    fuzzy_abjad_.Scan(scan_, s.probe, Measure::kLoose, false, kMinFuzzyLength, kMaxFuzzyLength,
                      search_floor, s.scan_buffer, collect);
  }
  if (only_first) {
    // Edits of the first byte, which the first-byte search cannot see.
    auto try_text = [&](std::string_view candidate) {
      if (candidate.size() < kMinFuzzyLength) return;
      for (const char ns : {kNsToken, kNsPiece}) {
        const uint32_t key = keys_.Find(ns, candidate);
        if (key == kNoKey || (key_role_[key] & kRoleWord) == 0 || PostingCount(key) == 0) continue;
        const double sim = s.probe.AtLeast(
            candidate, CommonBound(s.probe.profile(), ProfileOf(candidate)), search_floor,
            !abjad && (key_role_[key] & kRoleAbjad) != 0 ? Measure::kLoose : measure);
        if (sim > 0) collect(key, sim, ns == kNsToken ? key_weight_[key] : 1.0f);
      }
    };
    std::string& edit = s.edit;
    const std::string_view rest = text.substr(1);
    try_text(rest);
    for (const char c : std::string_view("abcdefghijklmnopqrstuvwxyz0123456789")) {
      if (c != text[0]) {
        edit.assign(1, c);
        edit.append(rest);
        try_text(edit);
      }
      edit.assign(1, c);
      edit.append(text);
      try_text(edit);
    }
    if (text.size() >= 2 && text[0] != text[1]) {
      edit.assign(text);
      std::swap(edit[0], edit[1]);
      try_text(edit);
    }
  }
  // A list join ("nasr" + "isa") against this token ("nassir").
  fuzzy_joins_.Scan(scan_, s.probe, abjad ? Measure::kLoose : measure, true,
                    text.size() > 2 ? text.size() - 2 : 0, text.size() + 2,
                    std::max(search_floor, kJoinedFloor), s.scan_buffer, collect);
}

// Fuzzy neighbours of a query word: index words whose similarity to it
// reaches `floor` by the scorer's measure. Where the scorer may align
// consonant skeletons instead: for a query in a script without short vowels,
// list skeletons near the word's skeleton (SkeletonNeighbours) and list
// joins by the wider Measure::kLoose; for other queries, the words of list
// names in such scripts by Measure::kLoose.
void IndexedScreener::WordNeighbours(std::string_view text, double floor, bool abjad,
                                     Scratch& s) const {
  auto push = [&](uint32_t key, double sim, float partner) {
    if (sim >= floor) s.unit_keys.push_back({key, static_cast<float>(sim), partner, false});
  };
  if (abjad) SkeletonNeighbours(text, floor, s);
  // Precomputed for the index's own words.
  if (!neighbour_slot_.empty()) {
    uint32_t key = keys_.Find(kNsToken, text);
    if (key == kNoKey || neighbour_slot_[key] == kNoKey) key = keys_.Find(kNsPiece, text);
    if (key != kNoKey && neighbour_slot_[key] != kNoKey) {
      const uint32_t slot = neighbour_slot_[key];
      for (uint32_t i = neighbour_off_[slot]; i < neighbour_off_[slot + 1]; ++i) {
        const Neighbour& nb = neighbours_[i];
        // A query from a script without short vowels meets skeletons
        // through SkeletonNeighbours; list joins keep the wider measure.
        const bool loose = (key_role_[nb.key] & (abjad ? kRoleJoin : kRoleAbjad)) != 0;
        const float sim = loose ? nb.loose : nb.sim;
        if (sim > 0) push(nb.key, sim, nb.partner);
      }
      return;
    }
  }
  const double search_floor = std::min(floor, kFuzzyFloor);
  // Remembered apart for both kinds of query.
  const auto& found = Remembered(
      abjad ? 'A' : 'L', text, search_floor == kFuzzyFloor, s,
      [&](std::vector<Neighbour>& out) { SearchWords(text, search_floor, abjad, s, &out); });
  for (const Neighbour& nb : found) push(nb.key, nb.sim, nb.partner);
}

// Skeleton keys whose text the scorer pairs with the skeleton of a query
// word (or with the word itself when its skeleton is too short to be read
// as one) by its own measure: what the scorer's skeleton mode can align
// besides equal skeletons, which BuildUnits looks up.
void IndexedScreener::SkeletonNeighbours(std::string_view text, double floor, Scratch& s) const {
  std::string skeleton = SkeletonOf(text);
  if (skeleton.size() < kMinSkeletonLength) skeleton.assign(text);
  if (skeleton.size() < kMinFuzzyLength || skeleton.size() > kMaxFuzzyLength) return;
  const double search_floor = std::min(floor, kFuzzyFloor);
  const auto& found =
      Remembered('S', skeleton, search_floor == kFuzzyFloor, s, [&](std::vector<Neighbour>& out) {
        s.probe.Reset(skeleton);
        fuzzy_skeletons_.Scan(scan_, s.probe, Measure::kScorer, false, kMinFuzzyLength,
                              kMaxFuzzyLength, search_floor, s.scan_buffer,
                              [&](uint32_t key, double sim, float partner) {
                                out.push_back({key, static_cast<float>(sim), partner});
                              });
      });
  for (const Neighbour& nb : found) {
    if (nb.sim >= floor) s.unit_keys.push_back({nb.key, nb.sim, nb.partner, false});
  }
}

void IndexedScreener::BuildNeighbourCache() {
  if (fuzzy_words_.size() == 0 || fuzzy_words_.size() > kNeighbourCacheEntries) return;
  std::vector<std::pair<uint32_t, std::string_view>> entries;
  entries.reserve(fuzzy_words_.size());
  fuzzy_words_.ForEach(
      [&](uint32_t key, std::string_view text) { entries.emplace_back(key, text); });
  std::vector<std::vector<Neighbour>> lists(entries.size());
  struct Local {
    FuzzyProbe probe;
    std::vector<uint32_t> buffer;
  };
  tbb::enumerable_thread_specific<std::unique_ptr<Local>> locals;
  tbb::parallel_for(
      tbb::blocked_range<size_t>(0, entries.size(), 64), [&](const tbb::blocked_range<size_t>& r) {
        std::unique_ptr<Local>& local = locals.local();
        if (!local) local = std::make_unique<Local>();
        for (size_t i = r.begin(); i != r.end(); ++i) {
          const std::string_view text = entries[i].second;
          local->probe.Reset(text);
          // Found by the wider measure; the scorer's value beside it (0
          // when it does not reach the floor).
          auto push = [&](uint32_t key, double loose, float partner, double floor,
                          std::string_view other) {
            const double sim = local->probe.AtLeast(
                other, CommonBound(local->probe.profile(), ProfileOf(other)), floor);
            lists[i].push_back({key, static_cast<float>(sim), partner, static_cast<float>(loose)});
          };
          fuzzy_words_.Scan(scan_, local->probe, Measure::kLoose, false, kMinFuzzyLength,
                            kMaxFuzzyLength, kFuzzyFloor, local->buffer,
                            [&](uint32_t key, double loose, float partner) {
                              push(key, loose, partner, kFuzzyFloor, keys_.text(key));
                            });
          fuzzy_joins_.Scan(scan_, local->probe, Measure::kLoose, true,
                            text.size() > 2 ? text.size() - 2 : 0, text.size() + 2, kJoinedFloor,
                            local->buffer, [&](uint32_t key, double loose, float partner) {
                              push(key, loose, partner, kJoinedFloor, keys_.text(key));
                            });
        }
      });
  neighbour_slot_.assign(keys_.size(), kNoKey);
  neighbour_off_.assign(1, 0);
  for (size_t i = 0; i < entries.size(); ++i) {
    neighbour_slot_[entries[i].first] = static_cast<uint32_t>(neighbour_off_.size() - 1);
    neighbours_.insert(neighbours_.end(), lists[i].begin(), lists[i].end());
    neighbour_off_.push_back(static_cast<uint32_t>(neighbours_.size()));
  }
  neighbours_.shrink_to_fit();
}

// Adds the fuzzy neighbours (similarity ≥ `floor`) of a token or extra-key
// word unit: similar words, list joins similar to it, and words similar to
// its join with the next query token. The unit's keys are copied to the end
// of unit_keys first so that they stay contiguous.
void IndexedScreener::Widen(const PreparedQuery& q, Scratch& s, uint32_t unit, double floor) const {
  const Scratch::Unit u = s.units[unit];
  const std::string_view text = u.text;
  const uint32_t begin = static_cast<uint32_t>(s.unit_keys.size());
  for (uint32_t i = u.key_begin; i < u.key_end; ++i) {
    if (s.unit_keys[i].factor >= floor) s.unit_keys.push_back(s.unit_keys[i]);
  }
  const bool word =
      u.kind == Scratch::UnitKind::kExtraWord ||
      (u.token >= 0 && q.name.tokens[static_cast<size_t>(u.token)].kind == TokenKind::kWord);
  if (word && text.size() >= kMinFuzzyLength && text.size() <= kMaxFuzzyLength) {
    WordNeighbours(text, floor, q.abjad, s);
  }
  // This token joined with the next ("gala" + "wang") against a list word:
  // the pair covers both query tokens.
  if (u.token >= 0) {
    const size_t i = static_cast<size_t>(u.token);
    const std::vector<Token>& tokens = q.name.tokens;
    const size_t next = NextSignificant(tokens, i);
    if (next < tokens.size() && tokens[i].kind == TokenKind::kWord &&
        tokens[next].kind == TokenKind::kWord) {
      s.buf = tokens[i].text + tokens[next].text;
      if (s.buf.size() >= kMinFuzzyLength && s.buf.size() <= kMaxFuzzyLength) {
        // Remembered like unknown words' neighbours, apart from them.
        const double join_floor = std::max(floor, kJoinedFloor);
        const auto& found = Remembered(
            q.abjad ? 'K' : 'J', s.buf, join_floor == kJoinedFloor, s,
            [&](std::vector<Neighbour>& out) {
              s.probe.Reset(s.buf);
              fuzzy_words_.Scan(scan_, s.probe, q.abjad ? Measure::kLoose : Measure::kScorer, true,
                                s.buf.size() - 2, s.buf.size() + 2, join_floor, s.scan_buffer,
                                [&](uint32_t key, double sim, float partner) {
                                  out.push_back({key, static_cast<float>(sim), partner});
                                });
            });
        for (const Neighbour& nb : found) s.unit_keys.push_back({nb.key, nb.sim, nb.partner, true});
      }
    }
  }
  FinishUnitKeys(s, begin);
  Scratch::Unit& w = s.units[unit];
  w.key_begin = begin;
  w.key_end = static_cast<uint32_t>(s.unit_keys.size());
  w.postings = 0;
  for (uint32_t i = w.key_begin; i < w.key_end; ++i) w.postings += PostingCount(s.unit_keys[i].key);
}

void IndexedScreener::ReadUnit(const PreparedQuery& q, Scratch& s, uint32_t unit, double floor,
                               bool weak, size_t* keys_read, uint64_t* postings_read) const {
  const Scratch::Unit& u = s.units[unit];
  // An inessential unit adds only names whose reach bound it cannot decide:
  // names scored in other modes, met through a join (of query or list
  // tokens), or whose compact form may match the query's.
  const bool no_new = u.inessential;
  const size_t q_compact = q.name.compact.size();
  auto admit = [&](uint32_t n) {
    const uint16_t gate = name_gate_[n];
    if (gate & kGateAlways) return true;
    return q_compact >= kCompactMinLength && gate >= kCompactMinLength &&
           gate <= q_compact + kCompactMaxEdits && gate + kCompactMaxEdits >= q_compact;
  };
  const uint32_t tag = unit + 1;
  const uint64_t bit = unit < 64 ? uint64_t{1} << unit : 0;
  const bool modelled = u.complete && bit != 0;
  const bool open_token = !u.complete && (u.kind == Scratch::UnitKind::kToken ||
                                          u.kind == Scratch::UnitKind::kLooseToken);
  const float weight = u.weight;
  for (uint32_t ki = u.key_begin; ki < u.key_end; ++ki) {
    const Scratch::UnitKey k = s.unit_keys[ki];
    // Keys come best factor first; the first pass reads those at or above
    // the floor, the second those below it.
    if ((k.factor < floor) != weak) {
      if (weak) continue;
      break;
    }
    ++*keys_read;
    *postings_read += post_off_[k.key + 1] - post_off_[k.key];
    const uint32_t p_end = post_off_[k.key + 1];
    for (uint32_t p = post_off_[k.key]; p < p_end; ++p) {
      const uint32_t n = post_[p];
      // The names read a few entries ahead are loaded meanwhile.
      if (p + kPrefetchAhead < p_end) {
        const uint32_t ahead = post_[p + kPrefetchAhead];
        __builtin_prefetch(&s.reach[ahead], 1);
        if (no_new) __builtin_prefetch(&name_gate_[ahead]);
      }
      if (!s.Reached(n)) {
        // Weaker keys only complete what stronger ones reached.
        if (weak || (no_new && !k.join && k.partner <= 1.0f && !admit(n))) continue;
        s.MarkReached(n);
        s.reach[n] = Scratch::Reach{0, 0, 0, 0, 0, 0, 0};
        s.touched.push_back(n);
      }
      Scratch::Reach& r = s.reach[n];
      const bool seen = (r.units & bit) != 0 || (bit == 0 && r.unit == tag);
      if (!seen) {
        // The unit's best key for this name.
        r.units |= bit;
        r.unit = tag;
        r.unit_partner = k.partner;
        if (modelled && !k.join) {
          r.x += k.factor * weight;
          r.w += weight;
          r.best = std::max(r.best, k.factor);
          r.partner += k.partner;
        } else if (k.join || !open_token) {
          r.x += k.factor * weight;
          r.best = kNoReachBound;  // Reached some other way: not modelled.
        }
        // An open token unit (not searched completely) is already counted
        // as pairing fully with something in every name's bound.
        continue;
      }
      if (k.join) r.best = kNoReachBound;
      if (r.unit == tag && k.partner > r.unit_partner) {
        r.partner += k.partner - r.unit_partner;
        r.unit_partner = k.partner;
      } else if (r.unit != tag && modelled) {
        // Met again after another unit: its heaviest partner is unknown
        // here, so count this one in full.
        r.partner += k.partner;
      }
    }
  }
}

void IndexedScreener::MarkInessential(const PreparedQuery& q, Scratch& s, double keep) const {
  // Every name gets the reach bound 1 when the query is scored in other
  // modes.
  if (q.other_modes) return;
  const double complete_weight = s.complete_weight;
  const size_t open_tokens = s.open_tokens;
  const double open_weight = std::max(0.0, q.token_weight - complete_weight);
  // ReachBound of a name that only units of a set N reached, at most: the
  // units pair at similarity 1 with list tokens as heavy as their keys'
  // heaviest partners (a token pairs with one list token, or two through a
  // join key), each open query token with two list tokens of weight 1, no list token
  // is unmatched, and every legal-form / stop-word pair counts with the
  // largest minor weight a list name of at most kScorerMaxTokens tokens
  // (the others are always admitted) allows: (Σq + Σl) / (nq + nl) ≤
  // max(Σq / nq, 1). The ratio grows with each of these terms.
  const size_t nq = std::max<size_t>(1, std::min(q.tokens.size(), kScorerMaxTokens));
  const double minor_weight =
      kMinorWeightShare * std::max(1.0, q.token_weight / static_cast<double>(nq));
  const size_t minors =
      std::min<size_t>(q.legal, kScorerMaxMinor) + std::min<size_t>(q.stop, kScorerMaxMinor);
  const double fixed = open_weight + 2.0 * static_cast<double>(open_tokens) +
                       2.0 * minor_weight * static_cast<double>(minors);
  double x = 0;
  double partner = 0;
  // Commonest first (s.order is by postings, ascending).
  for (auto it = s.order.rbegin(); it != s.order.rend(); ++it) {
    const uint32_t ui = *it;
    Scratch::Unit& u = s.units[ui];
    if (u.kind != Scratch::UnitKind::kToken || !u.complete || ui >= 64) continue;
    // Keys standing for two list tokens (joins) add their names anyway.
    double heaviest = 0;
    for (uint32_t ki = u.key_begin; ki < u.key_end; ++ki) {
      const float key_partner = s.unit_keys[ki].partner;
      if (key_partner <= 1.0f) heaviest = std::max<double>(heaviest, key_partner);
    }
    const double nx = x + u.weight;
    const double np = partner + heaviest;
    const double num = nx + np + fixed;
    const double den = nx + UnmatchedFloor(complete_weight, s.complete_patronymic, nx) + np + fixed;
    if (den <= 0 || num / den >= keep) continue;
    x = nx;
    partner = np;
    u.inessential = true;
  }
}

void IndexedScreener::Gather(const PreparedQuery& q, const ScreenOptions& options, Scratch& s,
                             ScreenTrace* trace) const {
  s.Prepare(names_.size());
  BuildUnits(q, s);

  // Choose the token units to search completely: rarest first, until the
  // others carry at most kUncoveredShare of the query's weight (large
  // indexes only).
  const bool large = fuzzy_words_.size() > kFullScanEntries;
  s.order.clear();
  for (uint32_t i = 0; i < s.units.size(); ++i) s.order.push_back(i);
  std::stable_sort(s.order.begin(), s.order.end(), [&](uint32_t a, uint32_t b) {
    return s.units[a].postings < s.units[b].postings;
  });
  const double total_weight = q.token_weight;
  double uncovered = total_weight;
  for (const uint32_t ui : s.order) {
    Scratch::Unit& u = s.units[ui];
    if (u.kind != Scratch::UnitKind::kToken) continue;
    if (large && uncovered <= kUncoveredShare * total_weight + 1e-9 &&
        u.postings > kAlwaysComplete) {
      continue;
    }
    u.complete = true;
    uncovered -= u.weight;
  }
  // With every token searched, a name reached only through pairs weaker than
  // the threshold cannot reach it (its score is at most a weighted mean of
  // its pair similarities, lifted a little by legal forms and stop words).
  const double threshold = options.threshold - q.max_raise;
  double floor = kFuzzyFloor;
  if (uncovered <= 1e-6 * std::max(1.0, total_weight)) {
    // Unmatched words cost at least kMinUnmatchedShare of their weight, a
    // word a name may leave out kPatronymicShare, which the scorer allows
    // with stop words (never with legal forms): both sides then have some.
    const double share = q.stop > 0 ? kPatronymicShare : kMinUnmatchedShare;
    const double minor_lift = (1.0 - threshold) * (1.0 / share) * kMinorWeightShare * 2.0 *
                              static_cast<double>(q.legal + q.stop) /
                              static_cast<double>(std::min(q.tokens.size(), kScorerMaxTokens) + 1);
    floor = std::max(kFuzzyFloor, threshold - minor_lift - 1e-6);
  }

  size_t keys_read = 0;
  uint64_t postings_read = 0;
  // Widen the units searched completely, then read them rarest first (by
  // their widened postings) within the budget: a misspelt token has no
  // postings of its own but may have common neighbours.
  for (const uint32_t ui : s.order) {
    if (s.units[ui].complete) Widen(q, s, ui, kFuzzyFloor);
  }
  std::stable_sort(s.order.begin(), s.order.end(), [&](uint32_t a, uint32_t b) {
    return s.units[a].postings < s.units[b].postings;
  });
  {
    uint64_t budget = 0;
    bool token_read = false;
    for (const uint32_t ui : s.order) {
      Scratch::Unit& u = s.units[ui];
      if (u.kind != Scratch::UnitKind::kToken || !u.complete) continue;
      if (token_read && budget + u.postings > kPostingBudget) {
        // Too common to read: names it alone reaches are given up.
        u.complete = false;
        continue;
      }
      budget += u.postings;
      token_read = true;
    }
  }
  // The units searched completely are final from here on.
  s.complete_weight = 0;
  s.complete_patronymic = 0;
  size_t complete_tokens = 0;
  for (const Scratch::Unit& u : s.units) {
    if (!u.complete) continue;
    s.complete_weight += u.weight;
    if (u.optional) s.complete_patronymic += u.weight;
    complete_tokens += u.count;
  }
  s.open_tokens = q.tokens.size() - std::min(q.tokens.size(), complete_tokens);
  MarkInessential(q, s, options.threshold - q.max_raise - 1e-9);

  uint64_t extra_budget = 0;
  for (const uint32_t ui : s.order) {
    const Scratch::Unit& u = s.units[ui];
    switch (u.kind) {
      case Scratch::UnitKind::kToken:
        if (u.complete) {
          // Inessential units come last, when every name they may add has
          // been reached by the others.
          if (!u.inessential) ReadUnit(q, s, ui, floor, false, &keys_read, &postings_read);
        } else if (u.postings > 0 && u.postings <= kCheapPostings) {
          ReadUnit(q, s, ui, 0.0, false, &keys_read, &postings_read);
        }
        break;
      case Scratch::UnitKind::kLooseToken:
        if (u.postings > 0 && u.postings <= kPostingBudget / 4) {
          ReadUnit(q, s, ui, 0.0, false, &keys_read, &postings_read);
        }
        break;
      case Scratch::UnitKind::kExtraWord: {
        if (extra_budget >= kExtraBudget) break;
        Widen(q, s, ui, kFuzzyFloor);
        const uint64_t postings = s.units[ui].postings;
        if (extra_budget + postings > kExtraBudget) break;
        ReadUnit(q, s, ui, 0.0, false, &keys_read, &postings_read);
        extra_budget += postings;
        break;
      }
      case Scratch::UnitKind::kOther:
        if (u.postings > 0 && u.postings <= kCheapPostings) {
          ReadUnit(q, s, ui, 0.0, false, &keys_read, &postings_read);
        }
        break;
    }
  }
  for (const uint32_t ui : s.order) {
    if (s.units[ui].inessential) ReadUnit(q, s, ui, floor, false, &keys_read, &postings_read);
  }
  // Pairs weaker than the floor still count in the bounds of the names
  // reached.
  if (floor > kFuzzyFloor) {
    for (const uint32_t ui : s.order) {
      if (s.units[ui].complete) ReadUnit(q, s, ui, floor, true, &keys_read, &postings_read);
    }
  }

  // Entities holding one of the query's identifiers: all their names.
  for (const std::string& id : q.identifiers) {
    const uint64_t h = HashBytes(id);
    auto it = std::lower_bound(id_index_.begin(), id_index_.end(), std::make_pair(h, uint32_t{0}));
    for (; it != id_index_.end() && it->first == h; ++it) {
      const uint32_t e = it->second;
      for (uint32_t n = entity_names_[e]; n < entity_names_[e + 1]; ++n) {
        if (!s.Reached(n)) {
          s.MarkReached(n);
          s.reach[n] = Scratch::Reach{0, 0, 0, 0, 0, 0, 0};
          s.touched.push_back(n);
        }
        Scratch::Reach& r = s.reach[n];
        r.x += kIdentifierBoost;
        r.best = kNoReachBound;
      }
    }
  }
  if (trace != nullptr) {
    trace->keys = keys_read;
    trace->postings = postings_read;
    trace->candidates = s.touched.size();
  }

  // Bound every name reached: first from what reached it, then (for the
  // best few) from its tokens; score the best max_candidates.
  const double keep = options.threshold - q.max_raise - 1e-9;
  s.ranked.clear();
  for (size_t i = 0; i < s.touched.size(); ++i) {
    const uint32_t n = s.touched[i];
    if (i + kPrefetchAhead < s.touched.size()) {
      const uint32_t ahead = s.touched[i + kPrefetchAhead];
      __builtin_prefetch(&name_hot_[ahead]);
      __builtin_prefetch(&name_info_[ahead].compact);
      __builtin_prefetch(&s.reach[ahead]);
    }
    const double bound = ReachBound(q, n, s, keep);
    if (bound >= keep) {
      s.ranked.push_back({static_cast<float>(bound), s.reach[n].x, n});
    } else {
      CheckPruned(q, n, bound, options.threshold, "reach");
    }
  }
  auto better = [](const Scratch::Ranked& a, const Scratch::Ranked& b) {
    if (a.bound != b.bound) return a.bound > b.bound;
    if (a.reached != b.reached) return a.reached > b.reached;
    return a.name < b.name;
  };
  const size_t bounded = options.max_candidates * kBoundedPerCandidate;
  if (s.ranked.size() > bounded) {
    std::nth_element(s.ranked.begin(), s.ranked.begin() + static_cast<std::ptrdiff_t>(bounded),
                     s.ranked.end(), better);
    s.ranked.resize(bounded);
  }
  if (trace != nullptr) trace->bounded = s.ranked.size();

  size_t kept = 0;
  for (size_t i = 0; i < s.ranked.size(); ++i) {
    Scratch::Ranked r = s.ranked[i];
    // The next names' records, then their tokens, are loaded meanwhile
    // (the bound waits for a name's tokens more than it computes).
    if (i + 2 < s.ranked.size()) __builtin_prefetch(&name_info_[s.ranked[i + 2].name]);
    if (i + 1 < s.ranked.size()) {
      const auto* next = reinterpret_cast<const char*>(
          bound_tokens_.data() + name_info_[s.ranked[i + 1].name].token_begin);
      for (int line = 0; line < 4; ++line) __builtin_prefetch(next + 64 * line);
    }
    const double bound = std::min<double>(r.bound, NameBound(q, r.name, s));
    if (bound < keep) {
      CheckPruned(q, r.name, bound, options.threshold, "tokens");
      continue;
    }
    r.bound = static_cast<float>(bound);
    s.ranked[kept++] = r;
  }
  s.ranked.resize(kept);
  if (s.ranked.size() > options.max_candidates) {
    std::nth_element(s.ranked.begin(),
                     s.ranked.begin() + static_cast<std::ptrdiff_t>(options.max_candidates),
                     s.ranked.end(), better);
    s.ranked.resize(options.max_candidates);
  }
  s.ClearReached();
  s.touched.clear();
  for (const Scratch::Ranked& r : s.ranked) s.touched.push_back(r.name);
  if (trace != nullptr) trace->scored = s.touched.size();
}

// --- Score bounds ------------------------------------------------------------------------

// The compact forms as wholes: the scorer gives equal ones 0.97 and allows a
// couple of edits for a little less.
bool CompactMayMatch(size_t a_length, const CharProfile& a_profile, size_t b_length,
                     const CharProfile& b_profile) {
  if (a_length < kCompactMinLength || b_length < kCompactMinLength) return false;
  const size_t longer = std::max(a_length, b_length);
  const size_t shorter = std::min(a_length, b_length);
  if (longer - shorter > kCompactMaxEdits) return false;
  return CommonBound(a_profile, b_profile) + kCompactMaxEdits >= longer;
}

double IndexedScreener::ReachBound(const PreparedQuery& q, uint32_t n, const Scratch& s,
                                   double keep) const {
  const Scratch::Reach& r = s.reach[n];
  if (r.best >= kNoReachBound || q.other_modes) return 1.0;
  const NameHot& hot = name_hot_[n];
  if (hot.other_modes) return 1.0;
  // Query side: complete units that reached the name pair at most at their
  // best similarity, complete units that did not cannot pair, the other
  // tokens may pair fully.
  const double open_weight = std::max(0.0, q.token_weight - s.complete_weight);
  const double num = r.x + open_weight;
  const double den =
      r.w + UnmatchedFloor(s.complete_weight, s.complete_patronymic, r.w) + open_weight;
  // List side: tokens paired with complete units weigh at most r.partner
  // and pair at most at r.best; each open query token pairs with at most
  // two list tokens; the rest is unmatched. The ratio is linear-fractional
  // in the paired weights, so its maximum lies at a corner.
  const double list_weight = hot.token_weight;
  const double list_share = hot.patronymic ? kPatronymicShare : kMinUnmatchedShare;
  const double paired = std::min<double>(list_weight, r.partner);
  const double open_paired =
      std::min(list_weight - paired,
               2.0 * static_cast<double>(s.open_tokens) * static_cast<double>(hot.max_weight));
  const size_t minors = std::min<size_t>({q.legal, hot.legal, kScorerMaxMinor}) +
                        std::min<size_t>({q.stop, hot.stop, kScorerMaxMinor});
  const double minor = minors == 0
                           ? 0.0
                           : 2.0 * static_cast<double>(minors) * kMinorWeightShare *
                                 (q.token_weight + list_weight) /
                                 static_cast<double>(std::max<size_t>(
                                     1, std::min(q.tokens.size(), kScorerMaxTokens) +
                                            std::min<size_t>(hot.tokens, kScorerMaxTokens)));
  // Most names stay below `keep` at every corner: tested without dividing,
  // and divided only when one reaches it.
  double top[4];
  double bottom[4];
  bool reaches = false;
  int c = 0;
  for (const double pr : {0.0, paired}) {
    for (const double po : {0.0, open_paired}) {
      top[c] = num + r.best * pr + po + minor;
      bottom[c] = den + pr + po + list_share * (list_weight - pr - po) + minor;
      reaches |= top[c] >= keep * bottom[c];
      ++c;
    }
  }
  double bound = 0;
  if (reaches) {
    for (c = 0; c < 4; ++c) bound = std::max(bound, top[c] / bottom[c]);
    bound = std::min(1.0, bound);
  }
  if (hot.compact_length >= kCompactMinLength && q.name.compact.size() >= kCompactMinLength &&
      CompactMayMatch(q.name.compact.size(), q.compact_profile, hot.compact_length,
                      name_info_[n].compact)) {
    bound = std::max(bound, kCompactEqual);
  }
  return bound;
}

FuzzyProbe& Scratch::Probe(size_t index, std::string_view text) {
  while (probes.size() <= index) {
    probes.push_back(std::make_unique<FuzzyProbe>());
    probe_stamp.push_back(0);
  }
  if (probe_stamp[index] != qgen) {
    probes[index]->Reset(text);
    probe_stamp[index] = qgen;
  }
  return *probes[index];
}

// Upper bound of the scorer's similarity of two tokens (0 when it cannot
// pair them); `fuzzy(common)` gives FuzzyProbe::AtLeast of the query token's
// probe and `l` at kFuzzyFloor when needed.
template <typename FuzzyFn>
double PairBound(const BoundToken& q, const BoundToken& l, FuzzyFn&& fuzzy) {
  if (q.text_hash == l.text_hash && q.length == l.length) return 1.0;
  // Numbers pair by canonical form too ("29" and "29th").
  if (q.canon_hash == l.canon_hash) return 1.0;
  if (q.kind == TokenKind::kNumber || l.kind == TokenKind::kNumber) return 0.0;
  const bool q_initial = q.kind == TokenKind::kInitial;
  const bool l_initial = l.kind == TokenKind::kInitial;
  if (q_initial || l_initial) {
    if (q_initial && l_initial) return 0.0;
    return q.first == l.first ? kMaxPairBonus : 0.0;
  }
  const size_t shorter = std::min(q.length, l.length);
  const size_t longer = std::max(q.length, l.length);
  const bool may_prefix = shorter >= kMinAbbreviationLength && q.first == l.first;
  const bool may_fuzzy = shorter >= kMinFuzzyLength && longer <= kMaxFuzzyLength;
  if (!may_prefix && !may_fuzzy) return 0.0;
  const uint32_t common = CommonBound(q.profile, l.profile);
  const bool fuzzy_possible =
      may_fuzzy && common >= TokenNeed(q.length, l.length, q.first == l.first);
  if (!may_prefix && !fuzzy_possible) return 0.0;
  double bound = 0.0;
  if (may_prefix) {
    // The shorter is a prefix of the longer: first the four-byte heads.
    const uint32_t mask = shorter >= 4 ? 0xFFFFFFFFu : (1u << (8 * shorter)) - 1;
    if (((q.head ^ l.head) & mask) == 0) {
      const std::string_view a = q.length < l.length ? q.view() : l.view();
      const std::string_view b = q.length < l.length ? l.view() : q.view();
      if (shorter <= 4 || b.substr(4, a.size() - 4) == a.substr(4)) bound = kMaxPairBonus;
    }
  }
  if (fuzzy_possible) bound = std::max(bound, fuzzy(common));
  return bound;
}

// Upper bound of the scorer's similarity of `first`+`second` joined against
// `single` (0 when below the joined floor).
double JoinBound(std::string_view first, std::string_view second, std::string_view single,
                 std::string& buf, FuzzyProbe& probe) {
  const size_t joined = first.size() + second.size();
  if (joined > kMaxFuzzyLength || single.size() + 2 < joined || joined + 2 < single.size()) {
    return 0.0;
  }
  if (first.empty() || single.empty() || first[0] != single[0]) return 0.0;
  buf.assign(first);
  buf.append(second);
  if (buf == single) return 1.0;
  if (std::min(buf.size(), single.size()) < kMinFuzzyLength) return 0.0;
  probe.Reset(buf);
  return probe.AtLeast(single, CommonBound(probe.profile(), ProfileOf(single)), kJoinedFloor);
}

// Whether a join of tokens of lengths `a` + `b` starting with byte `first`
// can pair with a token of length `single` starting with `single_first`.
inline bool JoinPossible(size_t a, size_t b, uint8_t first, size_t single, uint8_t single_first) {
  const size_t joined = a + b;
  return first == single_first && single + 2 >= joined && joined + 2 >= single;
}

double IndexedScreener::AlignBound(const BoundToken* qt, size_t nq, size_t probe_base,
                                   uint8_t q_legal, uint8_t q_stop, const BoundToken* l, size_t nl,
                                   uint8_t l_legal, uint8_t l_stop, Scratch& s) const {
  if (nq == 0 || nl == 0) return 0.0;
  const size_t cq = std::min(nq, kScorerMaxTokens);
  const size_t cl = std::min(nl, kScorerMaxTokens);
  // Tokens past the scorer's limit are left unmatched by it; count them as
  // matched here, which only raises the bound.
  s.q_best.assign(nq, 0.0f);
  s.l_best.assign(nl, 0.0f);
  for (size_t i = cq; i < nq; ++i) s.q_best[i] = 1.0f;
  for (size_t j = cl; j < nl; ++j) s.l_best[j] = 1.0f;
  for (size_t i = 0; i < cq; ++i) {
    auto probe = [&]() -> FuzzyProbe& { return s.Probe(probe_base + i, qt[i].view()); };
    const uint32_t probe_number = static_cast<uint32_t>(probe_base + i);
    for (size_t j = 0; j < cl; ++j) {
      // The measured similarity is remembered (the cheap tests are not).
      auto fuzzy = [&](uint32_t common) -> double {
        Scratch::PairMemo* memo = l[j].id != kNoKey ? s.FindPair(probe_number, l[j].id) : nullptr;
        if (memo != nullptr && memo->stamp == s.qgen) return memo->value;
        const float value = static_cast<float>(probe().AtLeast(l[j].view(), common, kFuzzyFloor));
        if (memo != nullptr) {
          *memo = Scratch::PairMemo{s.qgen, probe_number, l[j].id, value};
          ++s.pair_memo_used;
        }
        return value;
      };
      const float v = static_cast<float>(PairBound(qt[i], l[j], fuzzy));
      s.q_best[i] = std::max(s.q_best[i], v);
      s.l_best[j] = std::max(s.l_best[j], v);
    }
  }
  // Joined pairs, both ways.
  for (size_t i = 0; i + 1 < cq; ++i) {
    const BoundToken& a = qt[i];
    const BoundToken& b = qt[i + 1];
    if (a.kind != TokenKind::kWord || b.kind != TokenKind::kWord) continue;
    for (size_t j = 0; j < cl; ++j) {
      if (l[j].kind != TokenKind::kWord ||
          !JoinPossible(a.length, b.length, a.first, l[j].length, l[j].first)) {
        continue;
      }
      // Remembered under the first token's probe number, marked as a join.
      const uint32_t join_number = static_cast<uint32_t>(probe_base + i) | 0x80000000u;
      Scratch::PairMemo* memo = l[j].id != kNoKey ? s.FindPair(join_number, l[j].id) : nullptr;
      float v;
      if (memo != nullptr && memo->stamp == s.qgen) {
        v = memo->value;
      } else {
        v = static_cast<float>(JoinBound(a.view(), b.view(), l[j].view(), s.buf, s.probe));
        if (memo != nullptr) {
          *memo = Scratch::PairMemo{s.qgen, join_number, l[j].id, v};
          ++s.pair_memo_used;
        }
      }
      if (v <= 0) continue;
      s.q_best[i] = std::max(s.q_best[i], v);
      s.q_best[i + 1] = std::max(s.q_best[i + 1], v);
      s.l_best[j] = std::max(s.l_best[j], v);
    }
  }
  for (size_t j = 0; j + 1 < cl; ++j) {
    if (l[j].kind != TokenKind::kWord || l[j + 1].kind != TokenKind::kWord) continue;
    for (size_t i = 0; i < cq; ++i) {
      const BoundToken& qb = qt[i];
      if (qb.kind != TokenKind::kWord ||
          !JoinPossible(l[j].length, l[j + 1].length, l[j].first, qb.length, qb.first)) {
        continue;
      }
      const float v =
          static_cast<float>(JoinBound(l[j].view(), l[j + 1].view(), qb.view(), s.buf, s.probe));
      if (v <= 0) continue;
      s.q_best[i] = std::max(s.q_best[i], v);
      s.l_best[j] = std::max(s.l_best[j], v);
      s.l_best[j + 1] = std::max(s.l_best[j + 1], v);
    }
  }

  // The scorer's ratio with every pairable token counted as paired at its
  // best similarity, unpairable ones at the smallest discount, and every
  // possible legal-form / stop-word pair counted.
  double num = 0, den = 0, any = 0, q_total = 0, l_total = 0;
  for (size_t i = 0; i < nq; ++i) {
    const double w = qt[i].weight;
    q_total += w;
    num += s.q_best[i] * w;
    den += s.q_best[i] > 0 ? w : (qt[i].patronymic ? kPatronymicShare : kMinUnmatchedShare) * w;
    any += s.q_best[i];
  }
  for (size_t j = 0; j < nl; ++j) {
    const double w = l[j].weight;
    l_total += w;
    num += s.l_best[j] * w;
    den += s.l_best[j] > 0 ? w : (l[j].patronymic ? kPatronymicShare : kMinUnmatchedShare) * w;
  }
  if (any <= 0) return 0.0;
  const double minor_weight =
      kMinorWeightShare * (q_total + l_total) / static_cast<double>(std::max<size_t>(1, cq + cl));
  const size_t minors = std::min<size_t>({q_legal, l_legal, kScorerMaxMinor}) +
                        std::min<size_t>({q_stop, l_stop, kScorerMaxMinor});
  const double minor = 2.0 * minor_weight * static_cast<double>(minors);
  return den + minor > 0 ? std::min(1.0, (num + minor) / (den + minor)) : 0.0;
}

double IndexedScreener::NameBound(const PreparedQuery& q, uint32_t n, Scratch& s) const {
  const NameInfo& info = name_info_[n];
  const BoundToken* l = bound_tokens_.data() + info.token_begin;
  const BoundToken* qa = q.alt_tokens.data();
  const size_t qa_base = q.tokens.size();  // Probe numbers of alt tokens.
  double bound = AlignBound(q.tokens.data(), q.tokens.size(), 0, q.legal, q.stop, l, info.tokens,
                            info.legal, info.stop, s);
  if (info.compact_length >= kCompactMinLength && q.name.compact.size() >= kCompactMinLength &&
      CompactMayMatch(q.name.compact.size(), q.compact_profile, info.compact_length,
                      info.compact)) {
    bound = std::max(bound, kCompactEqual);
  }
  if (bound >= 1.0 || (!q.other_modes && !info.other_modes)) return bound;

  // Other romanisations: every pairing of a name or one of its extra keys
  // with the other's, except name with name; each as a token alignment and
  // as whole strings.
  const BoundSide* l_sides = list_sides_.data() + info.side_begin;
  size_t l_extra = 0;
  while (l_extra < info.sides && !l_sides[l_extra].skeleton) ++l_extra;
  BoundSide l_main;
  l_main.tokens = info.tokens;
  l_main.legal = info.legal;
  l_main.stop = info.stop;
  l_main.squeezed_hash = info.compact_hash;
  l_main.squeezed_length = info.compact_length;
  if (!q.extra_sides.empty() || l_extra > 0) {
    for (size_t i = 0; i <= q.extra_sides.size(); ++i) {
      const BoundSide& qs = i == 0 ? q.main_side : q.extra_sides[i - 1];
      const BoundToken* qt = i == 0 ? q.tokens.data() : qa + qs.begin;
      const size_t probe_base = i == 0 ? 0 : qa_base + qs.begin;
      for (size_t j = 0; j <= l_extra; ++j) {
        if (i == 0 && j == 0) continue;
        const BoundSide& ls = j == 0 ? l_main : l_sides[j - 1];
        const BoundToken* lt = j == 0 ? l : bound_tokens_.data() + ls.begin;
        bound = std::max(bound, AlignBound(qt, qs.tokens, probe_base, qs.legal, qs.stop, lt,
                                           ls.tokens, ls.legal, ls.stop, s));
        if (qs.squeezed_hash == ls.squeezed_hash && qs.squeezed_length == ls.squeezed_length &&
            qs.squeezed_length >= kOtherKeyMinLength) {
          bound = std::max(bound, kOtherKeyEqual);
        }
        if (bound >= 1.0) return 1.0;
      }
    }
  }

  // Consonant skeletons, when either name comes from a script without short
  // vowels.
  if (q.abjad || info.abjad) {
    const BoundToken* lt = nullptr;
    if (info.abjad && !q.abjad) {
      lt = bound_tokens_.data() + l_sides[info.sides - 1].begin;
    } else {
      // A query in such a script pairs shorter skeletons (kMinSkeletonLength,
      // as the dictionary's) than the list name's own skeleton side holds.
      s.skeleton_tokens.assign(l, l + info.tokens);
      for (BoundToken& b : s.skeleton_tokens) {
        const float weight = b.weight;
        const bool optional = b.patronymic;
        b = token_dict_[token_skeleton_[b.id]];
        b.weight = weight;
        b.patronymic |= optional;  // Kept (looser for a word replaced by its skeleton).
      }
      lt = s.skeleton_tokens.data();
    }
    const BoundSide& qs = q.skeleton_side;
    bound = std::max(bound, AlignBound(qa + qs.begin, qs.tokens, qa_base + qs.begin, qs.legal,
                                       qs.stop, lt, info.tokens, info.legal, info.stop, s));
  }
  return std::min(1.0, bound);
}

void IndexedScreener::CheckPruned(const PreparedQuery& q, uint32_t n, double bound,
                                  double threshold, const char* where) const {
#ifndef NDEBUG
  static std::atomic<int> reported{0};
  if (reported.load() >= 20) return;
  std::vector<Scored> out;
  ScoreName(q, n, threshold, &out);
  if (out.empty()) return;
  if (reported.fetch_add(1) >= 20) return;
  std::fprintf(stderr, "screener: %s bound %.4f pruned a hit: '%s' vs '%s' (%.4f)\n", where, bound,
               q.name.original.c_str(), names_[n].latin.c_str(), out[0].score);
#else
  (void)q;
  (void)n;
  (void)bound;
  (void)threshold;
  (void)where;
#endif
}

// --- Scoring and hits ------------------------------------------------------------------

void IndexedScreener::EntityAdjustments(const PreparedQuery& q, uint32_t entity,
                                        std::vector<Adjustment>* out) const {
  const EntityView view = snapshot_.entity(entity);
  const Schema schema = view.schema();

  if (!q.country.empty()) {
    std::vector<std::string> codes;
    for (const PropView& p : view.Props(PropKind::kCountry)) {
      std::string code(p.field(0));
      for (char& c : code) {
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
      }
      if (!code.empty() && std::find(codes.begin(), codes.end(), code) == codes.end()) {
        codes.push_back(std::move(code));
      }
    }
    if (!codes.empty()) {
      if (std::find(codes.begin(), codes.end(), q.country) != codes.end()) {
        out->push_back({"country", kCountrySame, "query " + q.country + " = list " + q.country});
      } else {
        std::string list;
        for (const std::string& c : codes) list += (list.empty() ? "" : ", ") + c;
        out->push_back({"country", kCountryConflict, "query " + q.country + " vs list " + list});
      }
    }
  }

  const bool conflict = (q.type == text::NameType::kPerson && IsOrganisationSchema(schema)) ||
                        (q.type == text::NameType::kOrganization && schema == Schema::kPerson);
  if (conflict) {
    out->push_back({"type", kTypeConflict,
                    std::string("query ") +
                        (q.type == text::NameType::kPerson ? "Person" : "Organization") +
                        " vs list " + std::string(refdata::SchemaName(schema))});
  }

  if (!q.identifiers.empty()) {
    bool matched = false;
    for (const PropView& p : view.Props(PropKind::kIdentifier)) {
      const std::string id = NormalizeIdentifier(p.field(0));
      if (id.empty()) continue;
      for (size_t i = 0; i < q.identifiers.size() && !matched; ++i) {
        if (q.identifiers[i] != id) continue;
        matched = true;
        const std::string kind(refdata::IdKindName(static_cast<refdata::IdKind>(p.sub())));
        const std::string label(p.field(2));
        out->push_back({"identifier", kIdentifierMatch,
                        "query " + std::string(q.raw_identifiers[i]) + " = list " + kind +
                            (label.empty() || label == kind ? "" : " (" + label + ")") + " " +
                            std::string(p.field(0))});
      }
      if (matched) break;
    }
  }

  if (!q.birth_year.empty() && !IsOrganisationSchema(schema) && schema != Schema::kVessel &&
      schema != Schema::kAircraft) {
    std::vector<std::string_view> births;
    for (const PropView& p : view.Props(PropKind::kDate)) {
      if (p.sub() != static_cast<uint8_t>(refdata::DateKind::kBirth)) continue;
      if (!YearOf(p.field(0)).empty()) births.push_back(p.field(0));
    }
    if (!births.empty()) {
      auto same = std::find_if(births.begin(), births.end(),
                               [&](std::string_view d) { return YearOf(d) == q.birth_year; });
      if (same != births.end()) {
        out->push_back({"birth_date", kBirthYearSame,
                        "query " + q.birth_year + " = list " + std::string(*same)});
      } else {
        std::string list;
        for (const std::string_view d : births) list += (list.empty() ? "" : ", ") + std::string(d);
        out->push_back(
            {"birth_date", kBirthYearConflict, "query " + q.birth_year + " vs list " + list});
      }
    }
  }
}

void IndexedScreener::ScoreName(const PreparedQuery& q, uint32_t name, double threshold,
                                std::vector<Scored>* out) const {
  const uint32_t entity = name_entity_[name];
  ScoreOptions score_options;
  score_options.type = ScoreTypeFor(q, entity);
  const double base = ScoreNamesFast(q.name, names_[name], weight_fn_, score_options);
  if (base + q.max_raise < threshold) return;
  std::vector<Adjustment> adjustments;
  EntityAdjustments(q, entity, &adjustments);
  double score = base;  // As ApplyAdjustment computes it.
  for (const Adjustment& a : adjustments) score = std::clamp(score + a.delta, 0.0, 1.0);
  if (score < threshold) return;
  // The explanation is built only for the hits Finish keeps.
  out->push_back(Scored{name, entity, score, std::move(adjustments)});
}

std::vector<Hit> IndexedScreener::Finish(const PreparedQuery& q, std::vector<Scored> scored,
                                         const ScreenOptions& options) const {
  // Best name per entity: higher score, then the stronger name kind, then
  // index order.
  std::sort(scored.begin(), scored.end(), [&](const Scored& a, const Scored& b) {
    if (a.entity != b.entity) return a.entity < b.entity;
    if (a.score != b.score) return a.score > b.score;
    if (name_kind_[a.name] != name_kind_[b.name]) return name_kind_[a.name] < name_kind_[b.name];
    return a.name < b.name;
  });
  scored.erase(std::unique(scored.begin(), scored.end(),
                           [](const Scored& a, const Scored& b) { return a.entity == b.entity; }),
               scored.end());
  std::sort(scored.begin(), scored.end(), [](const Scored& a, const Scored& b) {
    if (a.score != b.score) return a.score > b.score;
    return a.entity < b.entity;
  });
  if (scored.size() > options.top) scored.resize(options.top);

  std::vector<Hit> hits;
  hits.reserve(scored.size());
  for (Scored& s : scored) {
    const EntityView view = snapshot_.entity(s.entity);
    Hit h;
    h.entity_index = s.entity;
    h.entity_id = std::string(view.id());
    h.name = std::string(view.primary_name());
    const std::vector<PropView> props = view.Props(PropKind::kName);
    const uint16_t prop = name_prop_[s.name];
    if (prop < props.size()) h.matched_name = std::string(props[prop].field(0));
    h.matched_kind = static_cast<refdata::NameKind>(name_kind_[s.name]);
    // The explanation, for the hits returned only: the same scorer, so its
    // score is the one the hit was ranked by.
    ScoreOptions score_options;
    score_options.type = ScoreTypeFor(q, s.entity);
    h.explanation = ScoreNames(q.name, names_[s.name], weight_fn_, score_options);
    h.explanation.score = h.explanation.name_score;
    h.explanation.adjustments.clear();
    for (Adjustment& a : s.adjustments) ApplyAdjustment(&h.explanation, std::move(a));
    h.score = h.explanation.score;
    const uint32_t source = view.source_index();
    if (source < source_paths_.size()) h.source = source_paths_[source];
    for (const std::string_view v : view.Values(PropKind::kList)) h.lists.emplace_back(v);
    for (const std::string_view v : view.Values(PropKind::kProgram)) h.programs.emplace_back(v);
    h.source_id = std::string(view.source_id());
    hits.push_back(std::move(h));
  }
  return hits;
}

std::vector<Hit> IndexedScreener::Screen(const Query& query, const ScreenOptions& options) const {
  if (options.trace != nullptr) *options.trace = ScreenTrace();
  PreparedQuery q;
  if (names_.empty() || options.top == 0 || !PrepareQuery(query, &q)) return {};
  Scratch& s = ThreadScratch();
  Gather(q, options, s, options.trace);
  std::vector<Scored> scored;
  for (const uint32_t n : s.touched) ScoreName(q, n, options.threshold, &scored);
  return Finish(q, std::move(scored), options);
}

std::vector<Hit> IndexedScreener::ScreenExhaustive(const Query& query,
                                                   const ScreenOptions& options) const {
  PreparedQuery q;
  if (names_.empty() || options.top == 0 || !PrepareQuery(query, &q)) return {};
  tbb::enumerable_thread_specific<std::vector<Scored>> partial;
  tbb::parallel_for(tbb::blocked_range<size_t>(0, names_.size(), 512),
                    [&](const tbb::blocked_range<size_t>& r) {
                      std::vector<Scored>& out = partial.local();
                      for (size_t n = r.begin(); n != r.end(); ++n) {
                        ScoreName(q, static_cast<uint32_t>(n), options.threshold, &out);
                      }
                    });
  std::vector<Scored> scored;
  for (std::vector<Scored>& p : partial) {
    std::move(p.begin(), p.end(), std::back_inserter(scored));
  }
  return Finish(q, std::move(scored), options);
}

}  // namespace

Result<std::unique_ptr<Screener>> Screener::Build(const refdata::Snapshot& snapshot,
                                                  const BuildOptions& options) {
  auto screener = std::make_unique<IndexedScreener>(snapshot);
  ICTS_RETURN_IF_ERROR(screener->Init(options));
  return std::unique_ptr<Screener>(std::move(screener));
}

}  // namespace icts::match
