#include "match/similarity.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

namespace icts::match {
namespace {

// Strings up to this many bytes take the bit-parallel paths (one uint64 mask
// per pattern).
constexpr size_t kWordBits = 64;

// Per-thread table of pattern masks, all zero between calls: a call sets the
// bits of its pattern's bytes and clears exactly those entries again before
// returning, so no call pays for clearing 256 entries.
struct PatternMasks {
  std::array<uint64_t, 256> bits{};

  void Set(std::string_view pattern) {
    for (size_t i = 0; i < pattern.size(); ++i) {
      bits[static_cast<unsigned char>(pattern[i])] |= uint64_t{1} << i;
    }
  }
  void Clear(std::string_view pattern) {
    for (char c : pattern) bits[static_cast<unsigned char>(c)] = 0;
  }
  uint64_t operator[](char c) const { return bits[static_cast<unsigned char>(c)]; }
};

PatternMasks& ThreadMasks() {
  thread_local PatternMasks masks;
  return masks;
}

// Outcome of Jaro's matching step.
struct JaroCounts {
  size_t la = 0;
  size_t lb = 0;
  size_t matches = 0;
  size_t half_transpositions = 0;
};

double JaroValue(const JaroCounts& c) {
  if (c.matches == 0) return 0.0;
  // (m/la + m/lb + (m-t)/m) / 3 over one division.
  const double m = static_cast<double>(c.matches);
  const double a = static_cast<double>(c.la);
  const double b = static_cast<double>(c.lb);
  const double t = static_cast<double>(c.half_transpositions);
  return (m * m * (a + b) + (m - t) * a * b) / (3.0 * a * b * m);
}

// Jaro > 0.7, decided on the integer counts so that a Jaro of exactly 0.7
// never gets the boost through rounding.
bool AboveBoostThreshold(const JaroCounts& c) {
  if (c.matches == 0) return false;
  __extension__ using Wide = unsigned __int128;
  const Wide m = c.matches;
  const Wide a = c.la;
  const Wide b = c.lb;
  const Wide lhs = 10 * (m * m * (a + b) + (m - c.half_transpositions) * a * b);
  return lhs > 21 * a * b * m;
}

// Both strings at most 64 bytes: matched positions are kept as bit masks and
// each match search is one AND with a sliding window mask.
JaroCounts JaroShort(std::string_view a, std::string_view b) {
  const size_t la = a.size();
  const size_t lb = b.size();
  const size_t longer = std::max(la, lb);
  const size_t window = longer / 2 > 0 ? longer / 2 - 1 : 0;

  PatternMasks& pm = ThreadMasks();
  pm.Set(b);
  // Bits [i - window, i + window] of b; bits at or beyond lb never match
  // because the pattern masks have none there.
  uint64_t window_mask =
      window + 1 >= kWordBits ? ~uint64_t{0} : (uint64_t{1} << (window + 1)) - 1;
  uint64_t a_flags = 0;
  uint64_t b_flags = 0;
  size_t matches = 0;
  const size_t grow_until = std::min(window, la);
  size_t i = 0;
  for (; i < grow_until; ++i) {
    const uint64_t candidates = pm[a[i]] & window_mask & ~b_flags;
    const uint64_t lowest = candidates & (~candidates + 1);
    b_flags |= lowest;
    a_flags |= static_cast<uint64_t>(lowest != 0) << i;
    matches += lowest != 0 ? 1 : 0;
    window_mask = (window_mask << 1) | 1;
  }
  for (; i < la; ++i) {
    const uint64_t candidates = pm[a[i]] & window_mask & ~b_flags;
    const uint64_t lowest = candidates & (~candidates + 1);
    b_flags |= lowest;
    a_flags |= static_cast<uint64_t>(lowest != 0) << i;
    matches += lowest != 0 ? 1 : 0;
    window_mask <<= 1;
  }
  pm.Clear(b);
  if (matches == 0) return {la, lb, 0, 0};

  size_t mismatched = 0;
  while (a_flags != 0) {
    const int ai = __builtin_ctzll(a_flags);
    const int bi = __builtin_ctzll(b_flags);
    mismatched += a[static_cast<size_t>(ai)] != b[static_cast<size_t>(bi)] ? 1 : 0;
    a_flags &= a_flags - 1;
    b_flags &= b_flags - 1;
  }
  return {la, lb, matches, mismatched / 2};
}

// Any length: flag arrays on the heap (long strings are rare here).
JaroCounts JaroLong(std::string_view a, std::string_view b) {
  const size_t la = a.size();
  const size_t lb = b.size();
  const size_t longer = std::max(la, lb);
  const size_t window = longer / 2 > 0 ? longer / 2 - 1 : 0;
  std::vector<char> a_flags(la, 0);
  std::vector<char> b_flags(lb, 0);
  size_t matches = 0;
  for (size_t i = 0; i < la; ++i) {
    const size_t lo = i > window ? i - window : 0;
    const size_t hi = std::min(i + window + 1, lb);
    for (size_t j = lo; j < hi; ++j) {
      if (b_flags[j] == 0 && a[i] == b[j]) {
        a_flags[i] = 1;
        b_flags[j] = 1;
        ++matches;
        break;
      }
    }
  }
  if (matches == 0) return {la, lb, 0, 0};
  size_t mismatched = 0;
  size_t j = 0;
  for (size_t i = 0; i < la; ++i) {
    if (a_flags[i] == 0) continue;
    while (b_flags[j] == 0) ++j;
    if (a[i] != b[j]) ++mismatched;
    ++j;
  }
  return {la, lb, matches, mismatched / 2};
}

// Hyyrö's bit-parallel formulation of Myers' algorithm. `pattern` is 1..64
// bytes; returns the distance, or max + 1 as soon as it cannot end <= max.
size_t MyersBounded(std::string_view pattern, std::string_view text, size_t max) {
  const size_t m = pattern.size();
  PatternMasks& pm = ThreadMasks();
  pm.Set(pattern);
  const uint64_t last = uint64_t{1} << (m - 1);
  uint64_t pv = ~uint64_t{0};
  uint64_t mv = 0;
  size_t score = m;
  size_t remaining = text.size();
  for (char c : text) {
    const uint64_t eq = pm[c];
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
    // The score can drop by at most one per remaining text byte.
    if (score > max + remaining) {
      pm.Clear(pattern);
      return max + 1;
    }
  }
  pm.Clear(pattern);
  return score <= max ? score : max + 1;
}

// Ukkonen-banded dynamic programme: cells farther than `max` from the
// diagonal are never filled. Returns the distance or max + 1.
size_t BandedDp(std::string_view a, std::string_view b, size_t max) {
  const size_t la = a.size();
  const size_t lb = b.size();
  const size_t inf = max + 1;
  std::vector<size_t> prev(lb + 2, inf);
  std::vector<size_t> cur(lb + 2, inf);
  for (size_t j = 0; j <= std::min(lb, max); ++j) prev[j] = j;
  for (size_t i = 1; i <= la; ++i) {
    const size_t jlo = i > max ? i - max : 0;
    const size_t jhi = std::min(lb, i + max);
    size_t row_min = inf;
    if (jlo == 0) {
      cur[0] = i;
      row_min = i;
    } else {
      cur[jlo - 1] = inf;
    }
    const char ai = a[i - 1];
    for (size_t j = std::max<size_t>(jlo, 1); j <= jhi; ++j) {
      size_t v = prev[j - 1] + (ai == b[j - 1] ? 0 : 1);
      v = std::min(v, prev[j] + 1);
      v = std::min(v, cur[j - 1] + 1);
      v = std::min(v, inf);
      cur[j] = v;
      row_min = std::min(row_min, v);
    }
    cur[jhi + 1] = inf;
    if (row_min > max) return inf;
    std::swap(prev, cur);
  }
  return std::min(prev[lb], inf);
}

// Drops the common prefix and suffix, which never change the distance.
void TrimCommon(std::string_view& a, std::string_view& b) {
  size_t prefix = 0;
  const size_t shorter = std::min(a.size(), b.size());
  while (prefix < shorter && a[prefix] == b[prefix]) ++prefix;
  a.remove_prefix(prefix);
  b.remove_prefix(prefix);
  size_t suffix = 0;
  const size_t rest = std::min(a.size(), b.size());
  while (suffix < rest && a[a.size() - 1 - suffix] == b[b.size() - 1 - suffix]) ++suffix;
  a.remove_suffix(suffix);
  b.remove_suffix(suffix);
}

size_t BoundedImpl(std::string_view a, std::string_view b, size_t max) {
  TrimCommon(a, b);
  if (a.size() > b.size()) std::swap(a, b);  // a is the shorter one.
  const size_t diff = b.size() - a.size();
  if (diff > max) return max + 1;
  if (a.empty()) return b.size();
  if (a.size() <= kWordBits) return MyersBounded(a, b, max);
  return BandedDp(a, b, max);
}

}  // namespace

namespace {

// Counts for two non-empty, different strings.
JaroCounts Count(std::string_view a, std::string_view b) {
  if (a.size() <= kWordBits && b.size() <= kWordBits) return JaroShort(a, b);
  return JaroLong(a, b);
}

}  // namespace

double Jaro(std::string_view a, std::string_view b) {
  if (a.empty() && b.empty()) return 1.0;
  if (a.empty() || b.empty()) return 0.0;
  if (a == b) return 1.0;
  return JaroValue(Count(a, b));
}

double JaroWinkler(std::string_view a, std::string_view b) {
  if (a.empty() && b.empty()) return 1.0;
  if (a.empty() || b.empty()) return 0.0;
  if (a == b) return 1.0;
  const JaroCounts counts = Count(a, b);
  const double jaro = JaroValue(counts);
  if (!AboveBoostThreshold(counts)) return jaro;
  size_t prefix = 0;
  const size_t limit = std::min<size_t>({4, a.size(), b.size()});
  while (prefix < limit && a[prefix] == b[prefix]) ++prefix;
  return jaro + static_cast<double>(prefix) * 0.1 * (1.0 - jaro);
}

size_t Levenshtein(std::string_view a, std::string_view b) {
  TrimCommon(a, b);
  if (a.size() > b.size()) std::swap(a, b);
  if (a.empty()) return b.size();
  if (a.size() <= kWordBits) return MyersBounded(a, b, b.size());
  // Long on both sides: banded passes with a doubling band; the first band
  // that holds the distance gives the exact answer.
  size_t band = std::max<size_t>(b.size() - a.size(), 16);
  for (;;) {
    const size_t d = BandedDp(a, b, band);
    if (d <= band || band >= b.size()) return std::min(d, b.size());
    band *= 2;
  }
}

size_t LevenshteinBounded(std::string_view a, std::string_view b, size_t max) {
  const size_t d = BoundedImpl(a, b, max);
  return d <= max ? d : max + 1;
}

double LevenshteinSimilarity(std::string_view a, std::string_view b) {
  const size_t longer = std::max(a.size(), b.size());
  if (longer == 0) return 1.0;
  return 1.0 - static_cast<double>(Levenshtein(a, b)) / static_cast<double>(longer);
}

}  // namespace icts::match
