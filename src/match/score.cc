#include "match/score.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <utility>
#include <vector>

#include "base/strings.h"
#include "match/similarity.h"

namespace icts::match {
namespace {

using text::NameType;
using text::NormalizedName;
using text::Token;
using text::TokenKind;

// --- Calibration constants ---------------------------------------------------

// Significant tokens per side that take part in the alignment; further ones
// count as unmatched (names this long are rare and already far apart).
constexpr size_t kMaxTokens = 32;
// Candidate pairs kept on the stack; larger names use the heap.
constexpr size_t kStackCandidates = 16 * 16 * 3;
// Legal forms / stop words per side that are compared.
constexpr size_t kMaxMinor = 12;
// Fuzzy token similarities below this are treated as no match at all.
constexpr double kMinTokenSimilarity = 0.75;
// Fuzzy similarity = min(JW, edit similarity + kLevenshteinSlack), then
// 1 - (1 - similarity) * kFuzzyStretch.
constexpr double kLevenshteinSlack = 0.2;
constexpr double kFuzzyStretch = 1.5;
// Shorter tokens than this only match exactly (or as initial/abbreviation):
// edit similarity says little about three letters ("ZTE" vs "ZTC").
constexpr size_t kMinFuzzyLength = 4;
// From this length on Jaro-Winkler is used; shorter tokens use edit
// similarity only (JW rates "IRAN"/"IRAQ" 0.88).
constexpr size_t kMinJaroWinklerLength = 5;
// An abbreviation ("Int." for "International") whose text is a prefix of the
// other token.
constexpr double kAbbreviationSimilarity = 0.9;
constexpr size_t kMinAbbreviationLength = 3;
// Two adjacent tokens joined ("HUA WEI") against one ("HUAWEI"): equal, or
// a fuzzy similarity of at least this before stretching.
constexpr double kMinJoinedSimilarity = 0.88;
// Legal forms and stop words weigh this share of the mean significant token.
constexpr double kMinorWeightShare = 0.1;
// An East Slavic patronymic ("Vitalievich", "Sergeevna") or a link of an
// Arabic genealogical chain ("bin Mohamed") that only one name has counts at
// this share of its weight (IsOptionalNameWord): aliases and queries often
// leave them out ("KURCHENKO, Sergey Vitalievich" / "Sergii Kurchenko").
// Only for names that are not organisations, never for a name's first word
// (a surname such as "Abramovich" comes first in the lists' order), only
// when at least two words are paired otherwise, and only when no legal
// forms count.
constexpr double kPatronymicShare = 0.2;
constexpr size_t kMinPatronymicPairs = 2;
// An unmatched legal form / stop word counts at this share of its weight.
constexpr double kMinorMismatchShare = 0.5;
// Whole-name comparisons of the concatenated significant tokens, for
// different splits ("HANG ZHOU HIK VISION" vs "HANGZHOU HIKVISION"). Equal
// compact forms score kCompactEqualScore. Near-equal ones count only when
// the names have different numbers of tokens (with equal counts the token
// alignment already judged every difference): up to kCompactMaxEdits edits
// (one per kCompactBytesPerEdit bytes), each costing kCompactScorePerEdit.
constexpr double kCompactEqualScore = 0.97;
constexpr size_t kCompactMaxEdits = 2;
constexpr size_t kCompactBytesPerEdit = 10;
constexpr double kCompactScorePerEdit = 0.06;
constexpr size_t kCompactMinLength = 6;
// Alternative keys (other romanisations): the token alignment over a key
// counts at this share; a whole-key match at kOtherKeyEqualScore.
constexpr double kOtherKeyFactor = 0.97;
constexpr double kOtherKeyEqualScore = 0.95;
constexpr size_t kOtherKeyMinLength = 4;
constexpr size_t kMaxOtherKeys = 4;
constexpr size_t kMaxKeyBytes = 256;
// Consonant skeletons, compared when either name is in a script that does
// not write short vowels (Arabic, Hebrew ...): the alignment over skeleton
// tokens counts at this share. Skeletons shorter than MinTokenSkeleton
// are too ambiguous; such tokens keep their Latin text.
constexpr double kSkeletonFactor = 0.95;
// Share of the score kept when the names carry different numbers ("10th" /
// "20th Research Institute", "No. 2" / "No. 3 Factory", "T2" / "T3"): a
// number in a name designates one unit, plant or model among several of the
// same family, so the rest of the names agreeing says little.
constexpr double kNumberConflictFactor = 0.8;
constexpr size_t kSkeletonBufferBytes = 512;

double InitialSimilarity(NameType type) {
  switch (type) {
    case NameType::kPerson:
      return 0.9;
    case NameType::kOrganization:
      return 0.75;
    case NameType::kUnknown:
      break;
  }
  return 0.85;
}

// Flat penalty when the aligned tokens appear in a different order.
double OrderPenalty(NameType type) {
  switch (type) {
    case NameType::kPerson:
      return 0.0;
    case NameType::kOrganization:
      return 0.03;
    case NameType::kUnknown:
      break;
  }
  return 0.015;
}

// --- Tokens, sides, weights ----------------------------------------------------

enum class How : uint8_t {
  kExact,
  kCanonical,
  kAbbreviation,
  kJoined,
  kJaroWinkler,
  kLevenshtein,
  kInitial,
  kUnmatched,
};

const char* HowName(How how) {
  switch (how) {
    case How::kExact:
      return "exact";
    case How::kCanonical:
      return "canonical";
    case How::kAbbreviation:
      return "abbreviation";
    case How::kJoined:
      return "joined";
    case How::kJaroWinkler:
      return "jaro_winkler";
    case How::kLevenshtein:
      return "levenshtein";
    case How::kInitial:
      return "initial";
    case How::kUnmatched:
      break;
  }
  return "unmatched";
}


// A token as the scorer sees it; views into the name (or into a key or a
// skeleton buffer) that outlive the scoring call.
// Trivially default constructible (plain pointers, not string_views), so
// that the token arrays below cost nothing to create.
struct Tok {
  const char* text_data;
  const char* canon_data;
  uint32_t text_size;
  uint32_t canon_size;
  // QuickKey of text and canon: unequal keys prove unequal strings without
  // a memcmp in the all-pairs equality phase.
  uint64_t text_key;
  uint64_t canon_key;
  TokenKind kind;
  bool abbreviated;

  std::string_view text() const { return {text_data, text_size}; }
  std::string_view canon() const { return {canon_data, canon_size}; }
  bool SameText(const Tok& o) const { return text_key == o.text_key && text() == o.text(); }
  bool SameCanon(const Tok& o) const { return canon_key == o.canon_key && canon() == o.canon(); }
};

// Length, first and last byte: cheap, and different for most unequal
// tokens.
uint64_t QuickKey(std::string_view s) {
  if (s.empty()) return 0;
  return s.size() | uint64_t{static_cast<unsigned char>(s.front())} << 32 |
         uint64_t{static_cast<unsigned char>(s.back())} << 40;
}

Tok MakeTok(std::string_view text, std::string_view canon, TokenKind kind, bool abbreviated) {
  const uint64_t text_key = QuickKey(text);
  const uint64_t canon_key = QuickKey(canon);
  return {text.data(),
          canon.data(),
          static_cast<uint32_t>(text.size()),
          static_cast<uint32_t>(canon.size()),
          text_key,
          canon_key,
          kind,
          abbreviated};
}

bool IsSignificant(TokenKind kind) {
  return kind == TokenKind::kWord || kind == TokenKind::kNumber || kind == TokenKind::kInitial;
}

// Bit of a byte in a ByteSet: letters a-z have bits 0-25, digits 26-35,
// all other bytes share bits 36-63.
constexpr std::array<uint8_t, 256> kByteBits = [] {
  std::array<uint8_t, 256> bits{};
  for (unsigned u = 0; u < 256; ++u) {
    if (u >= 'a' && u <= 'z') {
      bits[u] = static_cast<uint8_t>(u - 'a');
    } else if (u >= '0' && u <= '9') {
      bits[u] = static_cast<uint8_t>(26 + (u - '0'));
    } else {
      bits[u] = static_cast<uint8_t>(36 + u % 28);
    }
  }
  return bits;
}();

inline unsigned ByteBit(char c) { return kByteBits[static_cast<unsigned char>(c)]; }

// A superset of the bytes in `s`, one bit per ByteBit.
uint64_t ByteSet(std::string_view s) {
  uint64_t set = 0;
  for (char c : s) set |= uint64_t{1} << ByteBit(c);
  return set;
}

// "ii" ... "xiv": ship and unit names ("BICENTENARIO VIII") are numbered
// with these, and like digits they must match exactly. Single letters stay
// initials.
bool IsRomanNumeral(std::string_view token) {
  if (token.size() < 2 || token.size() > 5) return false;
  return std::all_of(token.begin(), token.end(),
                     [](char c) { return c == 'i' || c == 'v' || c == 'x'; });
}

// ByteSet bits of the digits '0'..'9'.
constexpr uint64_t kDigitBits = uint64_t{0x3FF} << 26;

double SafeWeight(const TokenWeightFn& fn, std::string_view token) {
  if (!fn) return 1.0;
  const double w = fn(token);
  return w > 0 && std::isfinite(w) ? w : 0.0;
}

// One name's tokens split by role. Arrays are left uninitialised beyond the
// counts.
struct Side {
  std::array<Tok, kMaxTokens> sig;
  std::array<double, kMaxTokens> weight;
  std::array<uint64_t, kMaxTokens> bytes;  // ByteSet of each token.
  size_t n_sig = 0;
  // Bit i: sig[i] is a word a name may leave out (IsOptionalNameWord).
  uint32_t optional = 0;
  double overflow_weight = 0;  // Significant tokens beyond kMaxTokens.
  std::array<Tok, kMaxMinor> legal;
  size_t n_legal = 0;
  std::array<Tok, kMaxMinor> stop;
  size_t n_stop = 0;

  void Clear() {
    n_sig = n_legal = n_stop = 0;
    optional = 0;
    overflow_weight = 0;
  }

  // Copies the used part of `other` (the arrays beyond the counts are
  // never read).
  void CopyFrom(const Side& other) {
    n_sig = other.n_sig;
    n_legal = other.n_legal;
    n_stop = other.n_stop;
    optional = other.optional;
    overflow_weight = other.overflow_weight;
    std::copy_n(other.sig.begin(), n_sig, sig.begin());
    std::copy_n(other.weight.begin(), n_sig, weight.begin());
    std::copy_n(other.bytes.begin(), n_sig, bytes.begin());
    std::copy_n(other.legal.begin(), n_legal, legal.begin());
    std::copy_n(other.stop.begin(), n_stop, stop.begin());
  }

  // `may_leave_out`: a word a name may leave out (IsOptionalNameWord).
  void Add(Tok tok, const TokenWeightFn& fn, bool may_leave_out) {
    if (tok.text().empty()) return;
    if (tok.kind == TokenKind::kWord && IsRomanNumeral(tok.text())) tok.kind = TokenKind::kNumber;
    if (IsSignificant(tok.kind)) {
      const double w = SafeWeight(fn, tok.text());
      if (n_sig < kMaxTokens) {
        if (may_leave_out) optional |= uint32_t{1} << n_sig;
        sig[n_sig] = tok;
        weight[n_sig] = w;
        bytes[n_sig] = ByteSet(tok.text());
        ++n_sig;
      } else {
        overflow_weight += w;
      }
    } else if (tok.kind == TokenKind::kLegalForm) {
      if (n_legal < kMaxMinor) legal[n_legal++] = tok;
    } else if (n_stop < kMaxMinor) {
      stop[n_stop++] = tok;
    }
  }
};

void Classify(const NormalizedName& name, const TokenWeightFn& fn, Side* side) {
  for (size_t i = 0; i < name.tokens.size(); ++i) {
    const Token& t = name.tokens[i];
    side->Add(MakeTok(t.text, t.canon.empty() ? t.text : t.canon, t.kind, t.abbreviated), fn,
              IsOptionalNameWord(name.tokens, i));
  }
}

// Tokens of an extra key (space-separated Latin text).
void ClassifyKey(std::string_view key, const TokenWeightFn& fn, Side* side) {
  size_t pos = 0;
  while (pos < key.size()) {
    const size_t end = std::min(key.find(' ', pos), key.size());
    const std::string_view piece = key.substr(pos, end - pos);
    pos = end + 1;
    if (piece.empty()) continue;
    TokenKind kind = TokenKind::kWord;
    if (std::all_of(piece.begin(), piece.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      kind = TokenKind::kNumber;
    } else if (text::IsLegalFormToken(piece)) {
      kind = TokenKind::kLegalForm;
    } else if (piece.size() == 1) {
      kind = TokenKind::kInitial;
    }
    // A key's words have no particles: only endings mark patronymics.
    side->Add(MakeTok(piece, text::CanonicalForm(piece), kind, false), fn,
              kind == TokenKind::kWord && IsPatronymic(piece));
  }
}

// If every significant token weighs 0, all weigh 1 (on both sides).
void UniformIfWeightless(Side* a, Side* b) {
  double total = a->overflow_weight + b->overflow_weight;
  for (size_t i = 0; i < a->n_sig; ++i) total += a->weight[i];
  for (size_t j = 0; j < b->n_sig; ++j) total += b->weight[j];
  if (total > 0) return;
  std::fill(a->weight.begin(), a->weight.begin() + static_cast<std::ptrdiff_t>(a->n_sig), 1.0);
  std::fill(b->weight.begin(), b->weight.begin() + static_cast<std::ptrdiff_t>(b->n_sig), 1.0);
}

// Side whose significant tokens are the skeletons of `from`'s, index for
// index (so explanations can show the original tokens).
void SkeletonSide(const Side& from, size_t min_skeleton, char* buffer, size_t capacity, Side* to) {
  to->CopyFrom(from);
  size_t used = 0;
  for (size_t i = 0; i < from.n_sig; ++i) {
    const Tok& tok = from.sig[i];
    if (tok.kind != TokenKind::kWord) continue;
    const size_t n = TokenSkeleton(tok.text(), buffer + used, capacity - used);
    if (n < min_skeleton || n > capacity - used) continue;
    const std::string_view skeleton(buffer + used, n);
    used += n;
    to->sig[i] = MakeTok(skeleton, skeleton, TokenKind::kWord, false);
    to->bytes[i] = ByteSet(skeleton);
    to->optional &= ~(uint32_t{1} << i);
  }
}

bool WritesNoShortVowels(std::string_view script) {
  return script == "Arabic" || script == "Hebrew" || script == "Syriac" || script == "Thaana";
}

// --- Token similarity ------------------------------------------------------------

struct Sim {
  double value = 0;
  How how = How::kUnmatched;
};

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.substr(0, prefix.size()) == prefix;
}

size_t CountIn(std::string_view s, uint64_t set) {
  size_t n = 0;
  for (char c : s) n += (set >> ByteBit(c)) & 1;
  return n;
}

// Bit count without relying on a POPCNT instruction (the build does not
// assume one, and the library fallback is a call).
size_t PopCount(uint64_t x) {
  x = x - ((x >> 1) & 0x5555555555555555ULL);
  x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
  x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0FULL;
  return static_cast<size_t>((x * 0x0101010101010101ULL) >> 56);
}

// Upper bound of Jaro-Winkler when at most `m` positions can match.
double JaroWinklerBound(double m, double la, double lb) {
  if (m <= 0) return 0;
  const double jaro = (m / la + m / lb + 1.0) / 3.0;
  return jaro > 0.7 ? jaro + 0.4 * (1.0 - jaro) : jaro;
}

// True when the measure FuzzySimilarity applies (JW when `use_jw`, else
// edit similarity) cannot reach kMinTokenSimilarity. Only positions whose
// byte occurs in the other string can match: each byte value of `a` absent
// from `b` leaves at least one position unmatched (a bound from the sets
// alone), and counting those positions gives the exact count.
bool CannotBeSimilar(std::string_view a, std::string_view b, uint64_t a_set, uint64_t b_set,
                     bool use_jw) {
  const double la = static_cast<double>(a.size());
  const double lb = static_cast<double>(b.size());
  auto rejects = [&](size_t a_unmatched, size_t b_unmatched) {
    if (a_unmatched >= a.size() || b_unmatched >= b.size()) return true;
    if (use_jw) {
      const double m = static_cast<double>(std::min(a.size() - a_unmatched, b.size() - b_unmatched));
      return JaroWinklerBound(m, la, lb) < kMinTokenSimilarity;
    }
    const double distance = static_cast<double>(std::max(a_unmatched, b_unmatched));
    return 1.0 - distance / std::max(la, lb) < kMinTokenSimilarity;
  };
  if (rejects(PopCount(a_set & ~b_set), PopCount(b_set & ~a_set))) {
    return true;
  }
  return rejects(a.size() - CountIn(a, b_set), b.size() - CountIn(b, a_set));
}

// Fuzzy similarity of two spellings, or 0 below kMinTokenSimilarity.
// `a_set`/`b_set` are their ByteSet()s. Jaro-Winkler alone is generous to
// short names sharing a prefix ("SHAHR"/"SEPAH" 0.76, "KHAZAI"/"KHANSA"
// 0.84), so it is capped by edit similarity plus kLevenshteinSlack; the
// result is then stretched (kFuzzyStretch) so that a weak resemblance counts
// for clearly less than a typo.
Sim FuzzySimilarity(std::string_view a, std::string_view b, uint64_t a_set, uint64_t b_set) {
  const size_t shorter = std::min(a.size(), b.size());
  const size_t longer = std::max(a.size(), b.size());
  if (shorter < kMinFuzzyLength) return {};
  if (CannotBeSimilar(a, b, a_set, b_set, shorter >= kMinJaroWinklerLength)) return {};
  const double length = static_cast<double>(longer);
  double jw = 2.0;  // Not used below kMinJaroWinklerLength.
  double min_edit_similarity = kMinTokenSimilarity;
  if (shorter >= kMinJaroWinklerLength) {
    jw = JaroWinkler(a, b);
    if (jw < kMinTokenSimilarity) return {};
    min_edit_similarity = kMinTokenSimilarity - kLevenshteinSlack;
  }
  const auto max_distance =
      static_cast<size_t>(std::floor((1.0 - min_edit_similarity) * length + 1e-9));
  const size_t d = LevenshteinBounded(a, b, max_distance);
  if (d > max_distance) return {};
  const double edit = 1.0 - static_cast<double>(d) / length;
  Sim sim = jw <= edit + kLevenshteinSlack ? Sim{jw, How::kJaroWinkler}
                                           : Sim{edit + kLevenshteinSlack, How::kLevenshtein};
  if (shorter < kMinJaroWinklerLength) sim = {edit, How::kLevenshtein};
  if (sim.value < kMinTokenSimilarity) return {};
  sim.value = 1.0 - (1.0 - sim.value) * kFuzzyStretch;
  return sim;
}

// Similarity of two tokens that are neither equal nor canonically equal
// (Align's first phase takes those).
Sim TokenSimilarity(const Tok& q, const Tok& l, uint64_t q_set, uint64_t l_set, NameType type) {
  if (q.kind == TokenKind::kNumber || l.kind == TokenKind::kNumber) return {};
  // Codes with digits ("YV2994", "B737") match exactly or not at all.
  if (((q_set | l_set) & kDigitBits) != 0) return {};
  const bool q_initial = q.kind == TokenKind::kInitial;
  const bool l_initial = l.kind == TokenKind::kInitial;
  if (q_initial || l_initial) {
    if (q_initial && l_initial) return {};
    if (q.text()[0] == l.text()[0]) return {InitialSimilarity(type), How::kInitial};
    return {};
  }
  const bool q_shorter = q.text().size() < l.text().size();
  const Tok& shorter = q_shorter ? q : l;
  const Tok& longer = q_shorter ? l : q;
  if (shorter.text().size() >= kMinAbbreviationLength && StartsWith(longer.text(), shorter.text()) &&
      (shorter.abbreviated || shorter.text() == longer.canon() || shorter.canon() != shorter.text())) {
    return {kAbbreviationSimilarity, How::kAbbreviation};
  }
  return FuzzySimilarity(q.text(), l.text(), q_set, l_set);
}

// Similarity of two adjacent tokens joined against one token, 0 if below
// kMinJoinedSimilarity.
double JoinedSimilarity(const Tok& first, const Tok& second, const Tok& single,
                        uint64_t joined_set, uint64_t single_set) {
  if (first.kind != TokenKind::kWord || second.kind != TokenKind::kWord ||
      single.kind != TokenKind::kWord) {
    return 0;
  }
  if (((joined_set | single_set) & kDigitBits) != 0) return 0;
  const size_t joined_len = first.text().size() + second.text().size();
  const size_t single_len = single.text().size();
  if (joined_len > 64 || single_len + 2 < joined_len || joined_len + 2 < single_len) return 0;
  if (first.text()[0] != single.text()[0]) return 0;
  char buffer[64];
  std::memcpy(buffer, first.text().data(), first.text().size());
  std::memcpy(buffer + first.text().size(), second.text().data(), second.text().size());
  const std::string_view joined(buffer, joined_len);
  if (joined == single.text()) return 1.0;
  const Sim fuzzy = FuzzySimilarity(joined, single.text(), joined_set, single_set);
  return fuzzy.value >= 1.0 - (1.0 - kMinJoinedSimilarity) * kFuzzyStretch ? fuzzy.value : 0;
}

// --- Alignment -----------------------------------------------------------------------

// Trivial on purpose: the candidate buffer is left uninitialised.
struct Pair {
  float sim;
  float tie;   // Pair weight, a later sort key.
  uint8_t q;   // First query token.
  uint8_t nq;  // 1, or 2 when two query tokens are joined.
  uint8_t l;
  uint8_t nl;
  How how;
};

bool PairBefore(const Pair& a, const Pair& b) {
  if (a.sim != b.sim) return a.sim > b.sim;
  const int a_span = a.nq + a.nl;
  const int b_span = b.nq + b.nl;
  if (a_span != b_span) return a_span < b_span;  // Prefer single pairs.
  if (a.tie != b.tie) return a.tie > b.tie;
  const int a_dist = std::abs(int{a.q} - int{a.l});
  const int b_dist = std::abs(int{b.q} - int{b.l});
  if (a_dist != b_dist) return a_dist < b_dist;
  if (a.q != b.q) return a.q < b.q;
  return a.l < b.l;
}


using MinorPairs = std::array<std::pair<uint8_t, uint8_t>, kMaxMinor>;

// The token alignment of two sides and its score.
struct Alignment {
  double score = 0;  // After the order penalty, clamped to [0, 1].
  std::array<Pair, kMaxTokens> pairs{};
  size_t n_pairs = 0;
  std::array<bool, kMaxTokens> q_used{};
  std::array<bool, kMaxTokens> l_used{};
  double numerator = 0;
  double denominator = 0;
  double minor_weight = 0;
  double list_extra_weight = 1;
  double query_extra_weight = 1;
  // Weight of the unmatched patronymics counted at kPatronymicShare.
  double q_patronymic = 0;
  double l_patronymic = 0;
  // Legal forms / stop words: matched (query, list) index pairs; counted is
  // false when one side has none (then they play no part).
  MinorPairs legal_pairs{};
  size_t n_legal_pairs = 0;
  bool legal_counted = false;
  MinorPairs stop_pairs{};
  size_t n_stop_pairs = 0;
  bool stop_counted = false;

  bool AllAligned(const Side& q, const Side& l) const {
    if (q.n_sig == 0 || l.n_sig == 0 || q.overflow_weight > 0 || l.overflow_weight > 0) {
      return false;
    }
    for (size_t i = 0; i < q.n_sig; ++i) {
      if (!q_used[i]) return false;
    }
    for (size_t j = 0; j < l.n_sig; ++j) {
      if (!l_used[j]) return false;
    }
    return true;
  }
};

// Greedy one-to-one matching of minor tokens by text or canonical equality.
size_t MatchMinor(const std::array<Tok, kMaxMinor>& q, size_t nq,
                  const std::array<Tok, kMaxMinor>& l, size_t nl, MinorPairs* out) {
  std::array<bool, kMaxMinor> used{};
  size_t n = 0;
  for (size_t i = 0; i < nq; ++i) {
    for (size_t j = 0; j < nl; ++j) {
      if (used[j]) continue;
      if (q[i].SameText(l[j]) || q[i].SameCanon(l[j])) {
        used[j] = true;
        (*out)[n++] = {static_cast<uint8_t>(i), static_cast<uint8_t>(j)};
        break;
      }
    }
  }
  return n;
}

// A significant token that designates by number: digits, a roman numeral,
// or a code with digits (`byte_set` is its ByteSet).
bool IsNumbered(const Tok& t, uint64_t byte_set) {
  return t.kind == TokenKind::kNumber || (byte_set & kDigitBits) != 0;
}

void Align(const Side& qs, const Side& ls, const ScoreOptions& options, Alignment* r) {
  const size_t nq = qs.n_sig;
  const size_t nl = ls.n_sig;
  if (nq == 0 || nl == 0) return;
  const std::array<double, kMaxTokens>& wq = qs.weight;
  const std::array<double, kMaxTokens>& wl = ls.weight;

  // Greedy one-to-one assignment over candidates sorted by PairBefore.
  // Phase 1 adds at most nq*nl candidates, phase 2 at most 3*nq*nl.
  std::array<Pair, kStackCandidates> stack_cands;
  std::vector<Pair> heap_cands;
  Pair* cands = stack_cands.data();
  if (3 * nq * nl > kStackCandidates) {
    heap_cands.resize(3 * nq * nl);
    cands = heap_cands.data();
  }
  double numerator = 0;
  auto assign = [&](size_t n_cands) {
    std::sort(cands, cands + n_cands, PairBefore);
    for (size_t c = 0; c < n_cands && r->n_pairs < kMaxTokens; ++c) {
      const Pair& p = cands[c];
      const bool q_free = !r->q_used[p.q] && (p.nq == 1 || !r->q_used[p.q + 1]);
      const bool l_free = !r->l_used[p.l] && (p.nl == 1 || !r->l_used[p.l + 1]);
      if (!q_free || !l_free) continue;
      double w = 0;
      for (size_t k = 0; k < p.nq; ++k) {
        r->q_used[p.q + k] = true;
        w += wq[p.q + k];
      }
      for (size_t k = 0; k < p.nl; ++k) {
        r->l_used[p.l + k] = true;
        w += wl[p.l + k];
      }
      numerator += p.sim * w;
      r->pairs[r->n_pairs++] = p;
    }
  };

  // Phase 1: equal text or canonical form. These (similarity 1, single
  // tokens) come first in the greedy order anyway, so assigning them before
  // computing any fuzzy similarity gives the same alignment, and the fuzzy
  // phase then only looks at what is left.
  size_t n_cands = 0;
  for (size_t i = 0; i < nq; ++i) {
    const Tok& q = qs.sig[i];
    for (size_t j = 0; j < nl; ++j) {
      const Tok& l = ls.sig[j];
      How how;
      if (q.SameText(l)) {
        how = How::kExact;
      } else if (q.SameCanon(l) &&
                 ((q.kind != TokenKind::kNumber && l.kind != TokenKind::kNumber) ||
                  (IsNumbered(q, qs.bytes[i]) && IsNumbered(l, ls.bytes[j])))) {
        // A number matches by canonical form only another number ("29" and
        // "29th").
        how = How::kCanonical;
      } else {
        continue;
      }
      cands[n_cands++] = Pair{1.0F, static_cast<float>(wq[i] + wl[j]), static_cast<uint8_t>(i),
                              1,    static_cast<uint8_t>(j),           1,
                              how};
    }
  }
  assign(n_cands);

  // Phase 2: fuzzy, abbreviation, initial and joined pairs among the tokens
  // still free.
  n_cands = 0;
  for (size_t i = 0; i < nq; ++i) {
    if (r->q_used[i]) continue;
    for (size_t j = 0; j < nl; ++j) {
      if (r->l_used[j]) continue;
      const Sim s = TokenSimilarity(qs.sig[i], ls.sig[j], qs.bytes[i], ls.bytes[j], options.type);
      if (s.value <= 0) continue;
      cands[n_cands++] = Pair{static_cast<float>(s.value), static_cast<float>(wq[i] + wl[j]),
                              static_cast<uint8_t>(i), 1, static_cast<uint8_t>(j), 1, s.how};
    }
  }
  for (size_t i = 0; i + 1 < nq; ++i) {
    if (r->q_used[i] || r->q_used[i + 1]) continue;
    for (size_t j = 0; j < nl; ++j) {
      if (r->l_used[j]) continue;
      const double s = JoinedSimilarity(qs.sig[i], qs.sig[i + 1], ls.sig[j],
                                        qs.bytes[i] | qs.bytes[i + 1], ls.bytes[j]);
      if (s <= 0) continue;
      cands[n_cands++] =
          Pair{static_cast<float>(s), static_cast<float>(wq[i] + wq[i + 1] + wl[j]),
               static_cast<uint8_t>(i), 2, static_cast<uint8_t>(j), 1, How::kJoined};
    }
  }
  for (size_t j = 0; j + 1 < nl; ++j) {
    if (r->l_used[j] || r->l_used[j + 1]) continue;
    for (size_t i = 0; i < nq; ++i) {
      if (r->q_used[i]) continue;
      const double s = JoinedSimilarity(ls.sig[j], ls.sig[j + 1], qs.sig[i],
                                        ls.bytes[j] | ls.bytes[j + 1], qs.bytes[i]);
      if (s <= 0) continue;
      cands[n_cands++] =
          Pair{static_cast<float>(s), static_cast<float>(wq[i] + wl[j] + wl[j + 1]),
               static_cast<uint8_t>(i), 1, static_cast<uint8_t>(j), 2, How::kJoined};
    }
  }
  assign(n_cands);
  // Legal forms and stop words never make a match on their own, nor do
  // initials ("EL M" against any name with an m-word).
  if (r->n_pairs == 0) return;
  bool any_word = false;
  for (size_t p = 0; p < r->n_pairs && !any_word; ++p) any_word = r->pairs[p].how != How::kInitial;
  if (!any_word) {
    r->n_pairs = 0;
    r->q_used = {};
    r->l_used = {};
    return;
  }

  // Denominator: matched tokens fully, unmatched list tokens at
  // list_extra_weight, unmatched query tokens as below.
  double q_total = qs.overflow_weight;
  double l_total = ls.overflow_weight;
  double q_unmatched = qs.overflow_weight;
  double l_unmatched = ls.overflow_weight;
  // Unmatched patronymics (see kPatronymicShare).
  double q_patronymic = 0;
  double l_patronymic = 0;
  // Not when legal forms count (persons' names have none; the screener's
  // bound of their lift assumes every unmatched word costs at least half
  // its weight).
  const bool legal_forms_count = qs.n_legal > 0 && ls.n_legal > 0;
  const bool patronymics = options.type != NameType::kOrganization &&
                           r->n_pairs >= kMinPatronymicPairs && !legal_forms_count;
  for (size_t i = 0; i < nq; ++i) {
    q_total += wq[i];
    if (r->q_used[i]) continue;
    q_unmatched += wq[i];
    if (patronymics && i > 0 && ((qs.optional >> i) & 1) != 0) q_patronymic += wq[i];
  }
  for (size_t j = 0; j < nl; ++j) {
    l_total += wl[j];
    if (r->l_used[j]) continue;
    l_unmatched += wl[j];
    if (patronymics && j > 0 && ((ls.optional >> j) & 1) != 0) l_patronymic += wl[j];
  }
  const double extra = std::clamp(options.list_extra_weight, 0.0, 1.0);
  // Unmatched query tokens: discounted like list tokens for persons, in full
  // for organisations, halfway when the type is unknown.
  const double q_extra = options.type == NameType::kPerson         ? extra
                         : options.type == NameType::kOrganization ? 1.0
                                                                   : (1.0 + extra) / 2;
  // Unmatched weight present on both sides is a substitution ("KIM MUN
  // CHOL" vs "KIM MIN CHOL"), not an omission, and counts in full; only the
  // excess on one side gets that side's discount.
  // The excess left unmatched on one side counts its patronymics last
  // replaced, at kPatronymicShare.
  const double substituted = std::min(q_unmatched, l_unmatched);
  const double q_left = std::min(q_unmatched - substituted, q_patronymic);
  const double l_left = std::min(l_unmatched - substituted, l_patronymic);
  r->q_patronymic = q_left;
  r->l_patronymic = l_left;
  double denominator = (q_total - q_unmatched) + (l_total - l_unmatched) + 2 * substituted +
                       q_extra * (q_unmatched - substituted - q_left) +
                       extra * (l_unmatched - substituted - l_left) +
                       kPatronymicShare * (q_left + l_left);
  r->list_extra_weight = extra;
  r->query_extra_weight = q_extra;

  // Legal forms and stop words: counted only when both sides have some.
  const double mean_weight = (q_total + l_total) / static_cast<double>(nq + nl);
  const double wm = kMinorWeightShare * mean_weight;
  r->minor_weight = wm;
  auto add_minor = [&](size_t n_q_minor, size_t n_l_minor, size_t n_matched) {
    numerator += 2.0 * wm * static_cast<double>(n_matched);
    denominator += 2.0 * wm * static_cast<double>(n_matched) +
                   kMinorMismatchShare * wm *
                       static_cast<double>(n_q_minor + n_l_minor - 2 * n_matched);
  };
  if (qs.n_legal > 0 && ls.n_legal > 0) {
    r->legal_counted = true;
    r->n_legal_pairs = MatchMinor(qs.legal, qs.n_legal, ls.legal, ls.n_legal, &r->legal_pairs);
    add_minor(qs.n_legal, ls.n_legal, r->n_legal_pairs);
  }
  if (qs.n_stop > 0 && ls.n_stop > 0) {
    r->stop_counted = true;
    r->n_stop_pairs = MatchMinor(qs.stop, qs.n_stop, ls.stop, ls.n_stop, &r->stop_pairs);
    add_minor(qs.n_stop, ls.n_stop, r->n_stop_pairs);
  }

  // Order: any inversion among aligned pairs.
  bool inverted = false;
  for (size_t a = 0; a < r->n_pairs && !inverted; ++a) {
    for (size_t b = a + 1; b < r->n_pairs; ++b) {
      if ((r->pairs[a].q < r->pairs[b].q) != (r->pairs[a].l < r->pairs[b].l)) {
        inverted = true;
        break;
      }
    }
  }

  r->numerator = numerator;
  r->denominator = denominator;
  double score = denominator > 0 ? numerator / denominator : 0.0;
  if (score > 1.0 - 1e-9) score = 1.0;
  if (inverted) score -= OrderPenalty(options.type);
  r->score = std::clamp(score, 0.0, 1.0);
}

// --- Whole-name keys -----------------------------------------------------------------

// Copies `key` without spaces into `buffer`; empty if it does not fit.
std::string_view Squeeze(std::string_view key, char (&buffer)[kMaxKeyBytes]) {
  size_t n = 0;
  for (char c : key) {
    if (c == ' ') continue;
    if (n == kMaxKeyBytes) return {};
    buffer[n++] = c;
  }
  return {buffer, n};
}

// Score of two whole-name keys: `equal_score` when equal; otherwise, if
// `max_edits` > 0, edit_score_step less per edit up to max_edits (scaled
// down for short keys); 0 beyond. `insertions_only`: edits that replace a
// byte are not allowed.
double KeyScore(std::string_view a, std::string_view b, double equal_score, size_t max_edits,
                size_t min_length, double* similarity, bool insertions_only = false) {
  if (a.size() < min_length || b.size() < min_length) return 0;
  if (a == b) {
    *similarity = 1.0;
    return equal_score;
  }
  const size_t allowed = std::min(max_edits, std::max(a.size(), b.size()) / kCompactBytesPerEdit);
  if (allowed == 0) return 0;
  const size_t d = LevenshteinBounded(a, b, allowed);
  if (d > allowed) return 0;
  if (insertions_only && d != std::max(a.size(), b.size()) - std::min(a.size(), b.size())) return 0;
  *similarity = LevenshteinSimilarity(a, b);
  return equal_score - kCompactScorePerEdit * static_cast<double>(d);
}

// --- Scoring ---------------------------------------------------------------------------

enum class Mode : uint8_t {
  kTokens,       // Token alignment of the names.
  kOtherKey,     // Token alignment over an extra key of either name.
  kSkeleton,     // Token alignment over consonant skeletons.
  kCompact,      // The names' compact forms as wholes.
  kKeyString,    // Two keys as wholes.
};

// Everything ScoreNames reports. Large members are left uninitialised
// beyond their counts so that a call costs no big memset.
struct Result {
  double score = 0;
  bool number_conflict = false;
  Mode mode = Mode::kTokens;
  // The winning token alignment and the sides it was made over; for
  // kSkeleton the display sides are the names' own (same token indices).
  Alignment alignment;
  Side query;
  Side list;
  bool display_main = true;
  double factor = 1.0;  // Share at which the alignment counts.
  // Whole-key modes.
  std::string_view query_key;
  std::string_view list_key;
  double key_similarity = 0;
  // Storage.
  Side query_main;
  Side list_main;
  std::array<char, kSkeletonBufferBytes> query_skeleton;
  std::array<char, kSkeletonBufferBytes> list_skeleton;
};

// The numbers a name carries: each run of digits in its significant tokens
// ("ab123" and "ab 123" both carry 123, "29th" carries 29) and each roman
// numeral. Words for numbers ("second") are not numbers here, so "2nd" and
// "second" never conflict.
struct Numbers {
  static constexpr size_t kMax = 2 * kMaxTokens;
  std::array<std::string_view, kMax> piece;
  size_t n = 0;

  explicit Numbers(const Side& side) {
    for (size_t i = 0; i < side.n_sig && n < kMax; ++i) {
      const Tok& t = side.sig[i];
      const std::string_view text = t.text();
      bool digits = false;
      for (size_t k = 0; k < text.size() && n < kMax;) {
        if (text[k] < '0' || text[k] > '9') {
          ++k;
          continue;
        }
        size_t end = k;
        while (end < text.size() && text[end] >= '0' && text[end] <= '9') ++end;
        piece[n++] = text.substr(k, end - k);
        digits = true;
        k = end;
      }
      if (!digits && t.kind == TokenKind::kNumber && n < kMax) piece[n++] = text;
    }
  }

  // Marks the pieces of this name that `other` lacks (as multisets);
  // returns how many.
  size_t Missing(const Numbers& other, std::array<bool, kMax>* missing) const {
    std::array<bool, kMax> used{};
    size_t count = 0;
    for (size_t i = 0; i < n; ++i) {
      bool found = false;
      for (size_t j = 0; j < other.n && !found; ++j) {
        if (!used[j] && other.piece[j] == piece[i]) {
          used[j] = true;
          found = true;
        }
      }
      (*missing)[i] = !found;
      count += found ? 0 : 1;
    }
    return count;
  }

  bool Lacks(const Numbers& other) const {
    std::array<bool, kMax> missing{};
    return Missing(other, &missing) > 0;
  }

  // The pieces `other` lacks, joined by spaces.
  std::string Lacking(const Numbers& other) const {
    std::array<bool, kMax> missing{};
    Missing(other, &missing);
    std::string out;
    for (size_t i = 0; i < n; ++i) {
      if (!missing[i]) continue;
      if (!out.empty()) out += ' ';
      out += piece[i];
    }
    return out;
  }
};

// Both names carry a number the other lacks.
bool NumbersConflict(const Side& q, const Side& l) {
  const Numbers qn(q);
  if (qn.n == 0) return false;
  const Numbers ln(l);
  return ln.n > 0 && qn.Lacks(ln) && ln.Lacks(qn);
}

bool HasInitial(const Side& side) {
  for (size_t i = 0; i < side.n_sig; ++i) {
    if (side.sig[i].kind == TokenKind::kInitial) return true;
  }
  return false;
}

void ScoreModes(const NormalizedName& query, const NormalizedName& candidate,
                const TokenWeightFn& fn, const ScoreOptions& options, Result* r);

void Score(const NormalizedName& query, const NormalizedName& candidate, const TokenWeightFn& fn,
           const ScoreOptions& options, Result* r) {
  ScoreModes(query, candidate, fn, options, r);
  r->number_conflict = NumbersConflict(r->query_main, r->list_main);
  if (r->number_conflict) r->score *= kNumberConflictFactor;
}

void ScoreModes(const NormalizedName& query, const NormalizedName& candidate,
                const TokenWeightFn& fn, const ScoreOptions& options, Result* r) {
  Side& qm = r->query_main;
  Side& lm = r->list_main;
  Classify(query, fn, &qm);
  Classify(candidate, fn, &lm);
  UniformIfWeightless(&qm, &lm);
  Align(qm, lm, options, &r->alignment);
  r->score = r->alignment.score;
  r->mode = Mode::kTokens;
  // Names longer than kMaxTokens significant tokens leave the rest
  // unaligned; identical token sequences still score 1.
  if (r->score < 1.0 && r->alignment.n_pairs > 0 &&
      (qm.overflow_weight > 0 || lm.overflow_weight > 0) && query.latin == candidate.latin) {
    r->score = 1.0;
  }
  if (r->score >= 1.0) return;
  const bool all_aligned = r->alignment.AllAligned(qm, lm);

  // Alternative token sequences; `alt` is scored, kept when it wins.
  Side q_alt;
  Side l_alt;
  Alignment alt;
  auto consider = [&](Mode mode, double factor, bool display_main) {
    const double s = alt.score * factor;
    if (s <= r->score) return;
    r->score = s;
    r->mode = mode;
    r->factor = factor;
    r->alignment = alt;
    r->query.CopyFrom(q_alt);
    r->list.CopyFrom(l_alt);
    r->display_main = display_main;
  };

  // Other romanisations: every pairing of the names and their extra keys
  // except name with name.
  if (!query.extra_keys.empty() || !candidate.extra_keys.empty()) {
    const size_t nq = std::min(query.extra_keys.size(), kMaxOtherKeys) + 1;
    const size_t nl = std::min(candidate.extra_keys.size(), kMaxOtherKeys) + 1;
    char q_buffer[kMaxKeyBytes];
    char l_buffer[kMaxKeyBytes];
    for (size_t i = 0; i < nq; ++i) {
      for (size_t j = 0; j < nl; ++j) {
        if (i == 0 && j == 0) continue;
        q_alt.Clear();
        l_alt.Clear();
        if (i == 0) {
          q_alt.CopyFrom(qm);
        } else {
          ClassifyKey(query.extra_keys[i - 1], fn, &q_alt);
        }
        if (j == 0) {
          l_alt.CopyFrom(lm);
        } else {
          ClassifyKey(candidate.extra_keys[j - 1], fn, &l_alt);
        }
        UniformIfWeightless(&q_alt, &l_alt);
        alt = Alignment();
        Align(q_alt, l_alt, options, &alt);
        consider(Mode::kOtherKey, kOtherKeyFactor, false);

        // The same pair of keys as wholes, for splits the joins miss.
        const std::string_view q_key = i == 0 ? std::string_view(query.compact)
                                              : std::string_view(query.extra_keys[i - 1]);
        const std::string_view l_key = j == 0 ? std::string_view(candidate.compact)
                                              : std::string_view(candidate.extra_keys[j - 1]);
        double key_sim = 0;
        const double s = KeyScore(Squeeze(q_key, q_buffer), Squeeze(l_key, l_buffer),
                                  kOtherKeyEqualScore, 0, kOtherKeyMinLength, &key_sim);
        if (s > r->score) {
          r->score = s;
          r->mode = Mode::kKeyString;
          r->query_key = q_key;
          r->list_key = l_key;
          r->key_similarity = key_sim;
        }
      }
    }
  }

  // Consonant skeletons when a name comes from a script without short
  // vowels.
  if (WritesNoShortVowels(query.script) || WritesNoShortVowels(candidate.script)) {
    const size_t min_skeleton = MinTokenSkeleton(WritesNoShortVowels(query.script));
    SkeletonSide(qm, min_skeleton, r->query_skeleton.data(), r->query_skeleton.size(), &q_alt);
    SkeletonSide(lm, min_skeleton, r->list_skeleton.data(), r->list_skeleton.size(), &l_alt);
    alt = Alignment();
    Align(q_alt, l_alt, options, &alt);
    consider(Mode::kSkeleton, kSkeletonFactor, true);
  }

  // The concatenated significant tokens, for splits the pairwise joins miss;
  // not needed when every significant token is already aligned.
  if (!all_aligned) {
    double sim = 0;
    const size_t max_edits = qm.n_sig != lm.n_sig ? kCompactMaxEdits : 0;
    // A letter of an initial is a whole word: compact forms of names with
    // initials may differ by letters added or left out ("SLUTSKY LEONID" /
    // "SLUTSKY LEONID E"), not by letters replaced ("IPC INTERNATIONAL" /
    // "N P C INTERNATIONAL" are other companies).
    const bool insertions_only = HasInitial(qm) || HasInitial(lm);
    const double compact = KeyScore(query.compact, candidate.compact, kCompactEqualScore, max_edits,
                                    kCompactMinLength, &sim, insertions_only);
    if (compact > r->score) {
      r->score = compact;
      r->mode = Mode::kCompact;
      r->query_key = query.compact;
      r->list_key = candidate.compact;
      r->key_similarity = sim;
    }
  }
}

std::string JoinedText(const std::array<Tok, kMaxTokens>& tokens, size_t first, size_t count) {
  std::string out(tokens[first].text());
  for (size_t k = 1; k < count; ++k) {
    out += ' ';
    out += tokens[first + k].text();
  }
  return out;
}

ScoreExplanation Explain(const NormalizedName& query, const NormalizedName& candidate,
                         const TokenWeightFn& fn, const ScoreOptions& options) {
  Result r;
  Score(query, candidate, fn, options, &r);
  ScoreExplanation e;
  e.name_score = r.score;
  e.score = r.score;
  if (r.number_conflict) {
    // The numbers each name carries that the other lacks; the penalty is
    // spread over the contributions like the order penalty.
    TokenAlignment a;
    const Numbers qn(r.query_main);
    const Numbers ln(r.list_main);
    a.query_token = qn.Lacking(ln);
    a.list_token = ln.Lacking(qn);
    a.how = "number_conflict";
    e.alignment.push_back(std::move(a));
  }
  if (r.mode == Mode::kCompact || r.mode == Mode::kKeyString) {
    TokenAlignment a;
    a.query_token = std::string(r.query_key);
    a.list_token = std::string(r.list_key);
    a.similarity = r.key_similarity;
    a.weight = 1;
    a.contribution = r.score;
    a.how = r.mode == Mode::kCompact ? "joined" : "other_key";
    e.alignment.push_back(std::move(a));
    return e;
  }
  if (r.mode == Mode::kTokens) {
    r.query.CopyFrom(r.query_main);
    r.list.CopyFrom(r.list_main);
  }
  const Alignment& al = r.alignment;
  // Scores are computed over `r.query`/`r.list`; tokens are shown from the
  // names themselves where indices correspond.
  const Side& qs = r.query;
  const Side& ls = r.list;
  const Side& q_show = r.display_main ? r.query_main : r.query;
  const Side& l_show = r.display_main ? r.list_main : r.list;
  const bool alternative = r.mode != Mode::kTokens;

  if (al.n_pairs == 0) {
    for (size_t i = 0; i < qs.n_sig; ++i) {
      e.alignment.push_back({std::string(q_show.sig[i].text()), "", 0, qs.weight[i], 0, "unmatched"});
    }
    for (size_t j = 0; j < ls.n_sig; ++j) {
      e.alignment.push_back({"", std::string(l_show.sig[j].text()), 0, ls.weight[j], 0, "unmatched"});
    }
    return e;
  }
  // Contributions are raw shares of numerator/denominator, scaled so they
  // sum to the name score (order penalty and key factor spread over them).
  const double raw = al.denominator > 0 ? al.numerator / al.denominator : 0;
  const double scale = raw > 0 ? r.score / raw : 0;
  const double den = al.denominator > 0 ? al.denominator : 1;
  for (size_t p = 0; p < al.n_pairs; ++p) {
    const Pair& pair = al.pairs[p];
    double wq = 0;
    double wl = 0;
    for (size_t k = 0; k < pair.nq; ++k) wq += qs.weight[pair.q + k];
    for (size_t k = 0; k < pair.nl; ++k) wl += ls.weight[pair.l + k];
    TokenAlignment a;
    a.query_token = JoinedText(q_show.sig, pair.q, pair.nq);
    a.list_token = JoinedText(l_show.sig, pair.l, pair.nl);
    a.similarity = pair.sim * (alternative ? r.factor : 1.0);
    a.weight = (wq + wl) / 2;
    a.contribution = pair.sim * (wq + wl) / den * scale;
    a.how = alternative ? "other_key" : HowName(pair.how);
    e.alignment.push_back(std::move(a));
  }
  auto add_minor = [&](const std::array<Tok, kMaxMinor>& q_tokens, size_t nq,
                       const std::array<Tok, kMaxMinor>& l_tokens, size_t nl,
                       const MinorPairs& pairs, size_t n_pairs, const char* matched_how,
                       const char* unmatched_how) {
    std::array<bool, kMaxMinor> q_matched{};
    std::array<bool, kMaxMinor> l_matched{};
    for (size_t p = 0; p < n_pairs; ++p) {
      q_matched[pairs[p].first] = true;
      l_matched[pairs[p].second] = true;
      e.alignment.push_back({std::string(q_tokens[pairs[p].first].text()),
                             std::string(l_tokens[pairs[p].second].text()), 1.0, al.minor_weight,
                             2 * al.minor_weight / den * scale, matched_how});
    }
    for (size_t i = 0; i < nq; ++i) {
      if (!q_matched[i]) {
        e.alignment.push_back(
            {std::string(q_tokens[i].text()), "", 0, al.minor_weight, 0, unmatched_how});
      }
    }
    for (size_t j = 0; j < nl; ++j) {
      if (!l_matched[j]) {
        e.alignment.push_back(
            {"", std::string(l_tokens[j].text()), 0, al.minor_weight, 0, unmatched_how});
      }
    }
  };
  if (al.legal_counted) {
    add_minor(qs.legal, qs.n_legal, ls.legal, ls.n_legal, al.legal_pairs, al.n_legal_pairs,
              "legal_form", "legal_form");
  }
  if (al.stop_counted) {
    // Stop words weigh a tenth of a word: named as such, so that an
    // unpaired "of" or "al" does not read as a miss.
    add_minor(qs.stop, qs.n_stop, ls.stop, ls.n_stop, al.stop_pairs, al.n_stop_pairs, "stop_word",
              "stop_word");
  }
  // Unmatched patronymics counted at kPatronymicShare are named as such.
  double q_patronymic = al.q_patronymic;
  double l_patronymic = al.l_patronymic;
  auto patronymic = [](const Side& side, size_t i, double* left) {
    if (*left <= 0 || i == 0 || ((side.optional >> i) & 1) == 0) return false;
    *left -= side.weight[i];
    return true;
  };
  for (size_t i = 0; i < qs.n_sig; ++i) {
    if (al.q_used[i]) continue;
    const bool p = patronymic(qs, i, &q_patronymic);
    e.alignment.push_back({std::string(q_show.sig[i].text()), "", 0,
                           qs.weight[i] * (p ? kPatronymicShare : al.query_extra_weight), 0,
                           p ? "patronymic" : "unmatched"});
  }
  for (size_t j = 0; j < ls.n_sig; ++j) {
    if (al.l_used[j]) continue;
    const bool p = patronymic(ls, j, &l_patronymic);
    e.alignment.push_back({"", std::string(l_show.sig[j].text()), 0,
                           ls.weight[j] * (p ? kPatronymicShare : al.list_extra_weight), 0,
                           p ? "patronymic" : "unmatched"});
  }
  return e;
}

}  // namespace

ScoreExplanation ScoreNames(const text::NormalizedName& query,
                            const text::NormalizedName& candidate, const TokenWeightFn& weight) {
  return Explain(query, candidate, weight, ScoreOptions());
}

ScoreExplanation ScoreNames(const text::NormalizedName& query,
                            const text::NormalizedName& candidate, const TokenWeightFn& weight,
                            const ScoreOptions& options) {
  return Explain(query, candidate, weight, options);
}

double ScoreNamesFast(const text::NormalizedName& query, const text::NormalizedName& candidate,
                      const TokenWeightFn& weight, const ScoreOptions& options) {
  Result r;
  Score(query, candidate, weight, options, &r);
  return r.score;
}

void ApplyAdjustment(ScoreExplanation* explanation, Adjustment adjustment) {
  explanation->score = std::clamp(explanation->score + adjustment.delta, 0.0, 1.0);
  explanation->adjustments.push_back(std::move(adjustment));
}

size_t TokenSkeleton(std::string_view token, char* out, size_t capacity) {
  size_t n = 0;
  for (size_t i = 0; i < token.size(); ++i) {
    char c = token[i];
    switch (c) {
      case 'a':
      case 'e':
      case 'i':
      case 'o':
      case 'u':
      case 'y':
        continue;
      case 'h':
        if (i + 1 == token.size()) continue;
        break;
      case 'w':
        if (i != 0) continue;
        c = 'f';
        break;
      case 'v':
        c = 'f';
        break;
      case 'p':
        c = 'b';
        break;
      case 'c':
      case 'q':
        c = 'k';
        break;
      default:
        break;
    }
    if (n > 0 && out[n - 1] == c) continue;
    if (n == capacity) return capacity + 1;
    out[n++] = c;
  }
  return n;
}

// Romanised: "-ovich", "-evna", Ukrainian "-ovych", "-ivna", Belarusian
// "-avich", "-auna", "-awna". South Slavic surnames ("-ovic") are not
// patronymics.
bool IsPatronymic(std::string_view token) {
  static constexpr std::string_view kEndings[] = {"ovich", "evich", "ovych", "evych", "avich",
                                                  "ovna",  "evna",  "ivna",  "ichna", "owna",
                                                  "awna",  "ewna",  "auna"};
  if (token.size() < 7 || (token.back() != 'h' && token.back() != 'a')) return false;
  return std::any_of(std::begin(kEndings), std::end(kEndings),
                     [token](std::string_view e) { return EndsWith(token, e); });
}

bool IsOptionalNameWord(const std::vector<text::Token>& tokens, size_t i) {
  const text::Token& t = tokens[i];
  if (t.kind != TokenKind::kWord) return false;
  if (IsPatronymic(t.text)) return true;
  if (i == 0) return false;
  const text::Token& before = tokens[i - 1];
  return before.kind == TokenKind::kStopWord && (before.text == "bin" || before.text == "ibn" ||
                                                 before.text == "bint" || before.text == "binti");
}

ScoreExplanation CompareNames(std::string_view a, std::string_view b) {
  return CompareNames(a, b, TokenWeightFn());
}

ScoreExplanation CompareNames(std::string_view a, std::string_view b, const TokenWeightFn& weight,
                              text::NameType type) {
  const text::NormalizedName na = text::NormalizeName(a, type);
  const text::NormalizedName nb = text::NormalizeName(b, type);
  ScoreOptions options;
  options.type = type;
  return ScoreNames(na, nb, weight, options);
}

}  // namespace icts::match
