#include "inventory/cyclonedx/json_text.h"

#include <cstdint>
#include <cstring>
#include <system_error>
#include <thread>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace icts::inventory::cyclonedx {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void AppendUtf8(std::string* out, uint32_t cp) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Skips a string starting after its opening quote; returns the offset after
// the closing quote, or npos.
size_t SkipString(std::string_view data, size_t i) {
  while (i < data.size()) {
    char c = data[i];
    if (c == '\\') {
      i += 2;
    } else if (c == '"') {
      return i + 1;
    } else {
      ++i;
    }
  }
  return std::string_view::npos;
}

}  // namespace

std::string JsonStringAt(std::string_view data, size_t offset) {
  std::string out;
  size_t i = offset;
  while (i < data.size() && data[i] != '"') {
    char c = data[i];
    if (c != '\\') {
      out.push_back(c);
      ++i;
      continue;
    }
    if (i + 1 >= data.size()) return "";
    char e = data[i + 1];
    i += 2;
    switch (e) {
      case 'n': out.push_back('\n'); break;
      case 't': out.push_back('\t'); break;
      case 'r': out.push_back('\r'); break;
      case 'b': out.push_back('\b'); break;
      case 'f': out.push_back('\f'); break;
      case 'u': {
        if (i + 4 > data.size()) return "";
        uint32_t cp = 0;
        for (int k = 0; k < 4; ++k) {
          int v = HexValue(data[i + k]);
          if (v < 0) return "";
          cp = cp * 16 + static_cast<uint32_t>(v);
        }
        i += 4;
        if (cp >= 0xD800 && cp < 0xDC00 && i + 6 <= data.size() && data[i] == '\\' &&
            data[i + 1] == 'u') {
          uint32_t lo = 0;
          bool ok = true;
          for (int k = 0; k < 4; ++k) {
            int v = HexValue(data[i + 2 + k]);
            if (v < 0) ok = false;
            lo = lo * 16 + static_cast<uint32_t>(v < 0 ? 0 : v);
          }
          if (ok && lo >= 0xDC00 && lo < 0xE000) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            i += 6;
          }
        }
        AppendUtf8(&out, cp);
        break;
      }
      default: out.push_back(e);
    }
  }
  return out;
}

std::string JsonPointerAt(std::string_view data, size_t offset) {
  struct Level {
    bool array;
    size_t index;
    std::string key;
    bool has_key;  // Object: a key has been read for the current member.
  };
  std::vector<Level> stack;
  size_t i = 0;
  auto pointer = [&]() {
    std::string p;
    for (const Level& l : stack) {
      if (l.array) {
        // Appended in two steps: `"/" + std::to_string(...)` trips a false
        // -Wrestrict in GCC 12 at -O3.
        p += '/';
        p += std::to_string(l.index);
      } else if (l.has_key) {
        p += "/";
        for (char c : l.key) {
          if (c == '~') {
            p += "~0";
          } else if (c == '/') {
            p += "~1";
          } else {
            p.push_back(c);
          }
        }
      }
    }
    return p;
  };
  while (i < data.size() && i < offset) {
    char c = data[i];
    if (c == '"') {
      size_t end = SkipString(data, i + 1);
      if (end == std::string_view::npos || end > offset) return pointer();
      if (!stack.empty() && !stack.back().array && !stack.back().has_key) {
        // A key if a ':' follows.
        size_t j = end;
        while (j < data.size() && (data[j] == ' ' || data[j] == '\n' || data[j] == '\r' ||
                                   data[j] == '\t')) {
          ++j;
        }
        if (j < data.size() && data[j] == ':') {
          stack.back().key = JsonStringAt(data, i + 1);
          stack.back().has_key = true;
        }
      }
      i = end;
      continue;
    }
    if (c == '{') {
      stack.push_back({false, 0, {}, false});
    } else if (c == '[') {
      stack.push_back({true, 0, {}, false});
    } else if (c == '}' || c == ']') {
      if (!stack.empty()) stack.pop_back();
    } else if (c == ',') {
      if (!stack.empty()) {
        if (stack.back().array) {
          ++stack.back().index;
        } else {
          stack.back().has_key = false;
        }
      }
    }
    ++i;
  }
  return pointer();
}

namespace {

// Bit masks of one 64-byte block.
struct BlockMasks {
  uint64_t quote, backslash, open, close;
};

BlockMasks MasksScalar(const char* p) {
  BlockMasks m{0, 0, 0, 0};
  for (int k = 0; k < 64; ++k) {
    uint64_t bit = uint64_t{1} << k;
    char c = p[k];
    if (c == '"') m.quote |= bit;
    if (c == '\\') m.backslash |= bit;
    if (c == '{' || c == '[') m.open |= bit;
    if (c == '}' || c == ']') m.close |= bit;
  }
  return m;
}

#if defined(__x86_64__)
__attribute__((target("avx2"))) BlockMasks MasksAvx2(const char* p) {
  auto half = [](const char* q, uint32_t* quote, uint32_t* bs, uint32_t* open,
                 uint32_t* close) __attribute__((target("avx2"))) {
    __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(q));
    __m256i folded = _mm256_or_si256(v, _mm256_set1_epi8(0x20));  // '[' → '{', ']' → '}'
    *quote = static_cast<uint32_t>(
        _mm256_movemask_epi8(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('"'))));
    *bs = static_cast<uint32_t>(
        _mm256_movemask_epi8(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('\\'))));
    *open = static_cast<uint32_t>(
        _mm256_movemask_epi8(_mm256_cmpeq_epi8(folded, _mm256_set1_epi8('{'))));
    *close = static_cast<uint32_t>(
        _mm256_movemask_epi8(_mm256_cmpeq_epi8(folded, _mm256_set1_epi8('}'))));
  };
  uint32_t q0, b0, o0, c0, q1, b1, o1, c1;
  half(p, &q0, &b0, &o0, &c0);
  half(p + 32, &q1, &b1, &o1, &c1);
  return {q0 | (uint64_t{q1} << 32), b0 | (uint64_t{b1} << 32), o0 | (uint64_t{o1} << 32),
          c0 | (uint64_t{c1} << 32)};
}

// The same with AVX-512: one 64-byte load and a mask register per compare.
__attribute__((target("avx512f,avx512bw"))) inline BlockMasks MasksAvx512(const char* p) {
  const __m512i v = _mm512_loadu_si512(p);
  const __m512i folded = _mm512_or_si512(v, _mm512_set1_epi8(0x20));  // '[' → '{', ']' → '}'
  return {_mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('"')),
          _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('\\')),
          _mm512_cmpeq_epi8_mask(folded, _mm512_set1_epi8('{')),
          _mm512_cmpeq_epi8_mask(folded, _mm512_set1_epi8('}'))};
}
#endif

uint64_t PrefixXor(uint64_t x) {
  x ^= x << 1;
  x ^= x << 2;
  x ^= x << 4;
  x ^= x << 8;
  x ^= x << 16;
  x ^= x << 32;
  return x;
}


#if defined(__x86_64__)
// The same by carry-less multiplication with all ones.
__attribute__((target("pclmul,sse2"))) inline uint64_t PrefixXorClmul(uint64_t x) {
  __m128i product = _mm_clmulepi64_si128(_mm_set_epi64x(0, static_cast<int64_t>(x)),
                                         _mm_set1_epi8(static_cast<char>(0xFF)), 0);
  return static_cast<uint64_t>(_mm_cvtsi128_si64(product));
}
#endif

// The 64 bytes at data[base]: in place, or, for the last block before
// `end`, copied into `tail` with spaces after `end`.
inline const char* BlockAt(std::string_view data, size_t base, size_t end, char (&tail)[64]) {
  const char* p = data.data() + base;
  if (end - base >= 64) return p;
  std::memset(tail, ' ', sizeof(tail));
  std::memcpy(tail, p, end - base);
  return tail;
}

// What the scan keeps while it walks the document forward.
struct ScanState {
  int64_t depth = 0;
  bool in_string = false;    // Carried across blocks.
  bool escape_next = false;  // The first byte of the next block is escaped.
  // Offsets of the last depth-1 string (a root member key, or a value).
  size_t last_string_start = 0, last_string_end = 0;
  ArraySplit current;
  bool in_array = false;
  size_t chunk_start = 0;
  size_t last_element_end = 0;
  size_t elements = 0;  // Elements of the current array closed so far.
};

// The steps of the scan at one quote, opening or closing bracket; OnClose
// returns false (with the error set) on an unbalanced closing bracket.
inline void OnQuote(ScanState* st, size_t off, bool opening) {
  // Quotes at depth 1 delimit member keys (and string values).
  if (st->depth != 1) return;
  if (opening) {
    st->last_string_start = off + 1;
  } else {
    st->last_string_end = off;
  }
}

inline void OnOpen(std::string_view data, ScanState* st, size_t off) {
  ++st->depth;
  if (st->depth == 2 && data[off] == '[') {
    st->current = ArraySplit{};
    st->current.key = JsonStringAt(data, st->last_string_start);
    if (st->last_string_end < st->last_string_start) st->current.key.clear();
    st->current.open = off;
    st->in_array = true;
    st->chunk_start = off + 1;
    st->last_element_end = 0;
    st->elements = 0;
  }
}

inline bool OnClose(ScanState* st, size_t off, size_t chunk_bytes, size_t min_array_bytes,
                    ScanResult* result) {
  --st->depth;
  if (st->depth < 0) {
    result->error_offset = off;
    result->error = "unbalanced closing bracket";
    return false;
  }
  if (st->in_array && st->depth == 2) {
    st->last_element_end = off + 1;
    ++st->elements;
    if (st->last_element_end - st->chunk_start >= chunk_bytes) {
      st->current.cuts.push_back(st->last_element_end);
      st->current.elements_before.push_back(st->elements);
      st->chunk_start = st->last_element_end;
    }
  } else if (st->in_array && st->depth == 1) {
    st->current.close = off;
    st->in_array = false;
    if (st->current.close - st->current.open >= min_array_bytes && !st->current.cuts.empty()) {
      result->arrays.push_back(std::move(st->current));
    }
    st->current = ArraySplit{};
  }
  return true;
}

// Scans data[begin, end) forward from `st` (begin is where the previous
// call stopped, or 0); bytes past `end` are read as spaces. False, with
// the error in `result`, on an unbalanced closing bracket.
template <BlockMasks (*masks_fn)(const char*), uint64_t (*prefix_xor)(uint64_t)>
__attribute__((always_inline)) inline bool ScanForward(std::string_view data, size_t begin,
                                                       size_t end, size_t chunk_bytes,
                                                       size_t min_array_bytes, ScanState* st,
                                                       ScanResult* result) {
  char tail[64];
  // The state carried from block to block is kept in locals (registers):
  // through `st`, the depth and the string state went through memory on
  // every block, a store and a reload on the loop's dependency chain.
  int64_t depth = st->depth;
  bool in_string = st->in_string;
  bool escape_next = st->escape_next;
  for (size_t base = begin; base < end; base += 64) {
    BlockMasks m = masks_fn(BlockAt(data, base, end, tail));
    uint64_t escaped = 0;
    if (__builtin_expect(m.backslash != 0 || escape_next, 0)) {
      // Backslashes are rare in SBOMs; resolve runs bit by bit.
      uint64_t bs = m.backslash;
      if (escape_next) {
        escaped |= 1;
        bs &= ~uint64_t{1};
      }
      escape_next = false;
      while (bs != 0) {
        int k = __builtin_ctzll(bs);
        if (k == 63) {
          escape_next = true;
          break;
        }
        escaped |= uint64_t{1} << (k + 1);
        bs &= ~((uint64_t{2} << k) | (uint64_t{1} << k));  // The next byte is consumed.
      }
    }
    uint64_t quotes = m.quote & ~escaped;
    // All ones when a string is open at the start of the block: flipped
    // without a branch (whether a string crosses the block boundary is
    // close to random, so a branch here was mispredicted often).
    const uint64_t inside = prefix_xor(quotes) ^ (uint64_t{0} - static_cast<uint64_t>(in_string));
    // `inside` covers the opening quote and the string body, not the closing quote.
    in_string = (inside >> 63) & 1;
    uint64_t opens = m.open & ~inside;
    uint64_t closes = m.close & ~inside;
    uint64_t events = opens | closes;
    // Quotes matter only at depth 1 (member keys of the root object); depth
    // can fall by at most the number of closing brackets in this block.
    const int64_t low = depth - static_cast<int64_t>(__builtin_popcountll(closes));
    bool keys_possible = low <= 1;
    if (!keys_possible && low > 2) {
      // Deep inside an element: only the net depth change matters.
      depth += __builtin_popcountll(opens) - __builtin_popcountll(closes);
    } else if (keys_possible || events != 0) {
      st->depth = depth;
      uint64_t all = events | (keys_possible ? quotes : 0);
      while (all != 0) {
        int k = __builtin_ctzll(all);
        all &= all - 1;
        size_t off = base + static_cast<size_t>(k);
        uint64_t bit = uint64_t{1} << k;
        if (quotes & bit) {
          OnQuote(st, off, (inside & bit) != 0);
        } else if (opens & bit) {
          OnOpen(data, st, off);
        } else if (!OnClose(st, off, chunk_bytes, min_array_bytes, result)) {
          st->in_string = in_string;
          st->escape_next = escape_next;
          return false;
        }
      }
      depth = st->depth;
    }
  }
  st->depth = depth;
  st->in_string = in_string;
  st->escape_next = escape_next;
  return true;
}

// The second part of a scan split in two, read backward from the end of the
// document on another thread. At the end of a valid document the depth is 0
// and no string is open, so walking back from there gives the depth and the
// inside-a-string state at every byte without the first part. What it
// finds is checked against the forward scan of the first part where they
// meet (see ScanTopLevelArrays), which reads the second part itself when the
// two disagree.
struct BackwardScan {
  // The brackets and quotes of [begin, end) where the forward scan does more
  // than count depth, last first: each is the offset << 8 | the depth
  // before it << 3 | kind << 1 | (quote) opening.
  std::vector<uint64_t> events;
  int64_t depth_at_begin = 0;  // Depth before data[begin].
  bool ok = false;             // False: the forward scan must read [begin, end).
  enum Kind : uint64_t { kQuote = 0, kOpen = 1, kClose = 2 };
  static uint64_t Pack(size_t off, int64_t depth_before, Kind kind, bool opening) {
    return (static_cast<uint64_t>(off) << 8) | (static_cast<uint64_t>(depth_before) << 3) |
           (static_cast<uint64_t>(kind) << 1) | (opening ? 1 : 0);
  }
};

template <BlockMasks (*masks_fn)(const char*), uint64_t (*prefix_xor)(uint64_t)>
__attribute__((always_inline)) inline void ScanBackward(std::string_view data, size_t begin,
                                                        BackwardScan* out) {
  const size_t end = data.size();
  int64_t depth = 0;    // Depth after the current position.
  bool carry = false;   // Odd number of quotes after the current block.
  char tail[64];
  const size_t blocks = (end - begin + 63) / 64;
  for (size_t j = blocks; j-- > 0;) {
    const size_t base = begin + 64 * j;
    BlockMasks m = masks_fn(BlockAt(data, base, end, tail));
    uint64_t quotes = m.quote;
    // A quote is escaped when an odd run of backslashes comes before it
    // (backslashes are rare: only quotes right after one are looked at).
    uint64_t after_backslash = m.backslash << 1;
    if (base > begin && data[base - 1] == '\\') after_backslash |= 1;
    for (uint64_t q = quotes & after_backslash; q != 0; q &= q - 1) {
      const int k = __builtin_ctzll(q);
      size_t at = base + static_cast<size_t>(k);
      size_t run = 0;
      while (at > begin && data[at - 1] == '\\') {
        --at;
        ++run;
      }
      if (run & 1) quotes &= ~(uint64_t{1} << k);
    }
    // Inside a string at bit k: an odd number of quotes after it.
    const uint64_t prefix = prefix_xor(quotes);
    const bool total = __builtin_popcountll(quotes) & 1;
    carry = carry != total;
    const uint64_t inside = prefix ^ (uint64_t{0} - static_cast<uint64_t>(carry));
    const uint64_t opens = m.open & ~inside;
    const uint64_t closes = m.close & ~inside;
    // Going back, depth falls by one at each opening bracket.
    const int64_t low = depth - static_cast<int64_t>(__builtin_popcountll(opens));
    if (low > 2) {
      depth += __builtin_popcountll(closes) - __builtin_popcountll(opens);
      continue;
    }
    uint64_t all = opens | closes | quotes;
    while (all != 0) {
      const int k = 63 - __builtin_clzll(all);
      const uint64_t bit = uint64_t{1} << k;
      all &= ~bit;
      const size_t off = base + static_cast<size_t>(k);
      if (closes & bit) {
        if (depth <= 2) {
          out->events.push_back(BackwardScan::Pack(off, depth + 1, BackwardScan::kClose, false));
        }
        ++depth;
      } else if (opens & bit) {
        if (depth == 0) return;  // More opened than closed: not the end of a document.
        if (depth <= 2) {
          out->events.push_back(BackwardScan::Pack(off, depth - 1, BackwardScan::kOpen, false));
        }
        --depth;
      } else if (depth == 1) {
        out->events.push_back(
            BackwardScan::Pack(off, 1, BackwardScan::kQuote, (inside & bit) != 0));
      }
    }
  }
  if (carry) return;  // [begin, end) would start inside a string.
  out->depth_at_begin = depth;
  out->ok = true;
}

using BackwardFn = void (*)(std::string_view data, size_t begin, BackwardScan* out);

template <BlockMasks (*masks_fn)(const char*), uint64_t (*prefix_xor)(uint64_t),
          BackwardFn backward_fn>
__attribute__((always_inline)) inline ScanResult ScanImpl(std::string_view data,
                                                          size_t chunk_bytes,
                                                          size_t min_array_bytes,
                                                          unsigned threads,
                                                          size_t two_part_bytes) {
  ScanResult result;
  ScanState st;
  const size_t n = data.size();
  // The second part starts after a line break near the middle: a raw line
  // break is never inside a JSON string, so a valid document is outside any
  // string there (and the first part's scan confirms it).
  size_t split = n;
  if (threads > 1 && n >= two_part_bytes && n >= 4) {
    const void* nl = std::memchr(data.data() + n / 2, '\n', n / 4);
    if (nl != nullptr) split = static_cast<size_t>(static_cast<const char*>(nl) - data.data()) + 1;
  }
  BackwardScan backward;
  std::thread helper;
  if (split < n) {
    try {
      helper = std::thread(backward_fn, data, split, &backward);
    } catch (const std::system_error&) {
      split = n;
    }
  }
  const bool forward_ok =
      ScanForward<masks_fn, prefix_xor>(data, 0, split, chunk_bytes, min_array_bytes, &st, &result);
  if (helper.joinable()) helper.join();
  if (!forward_ok) return result;
  if (split < n) {
    if (backward.ok && !st.in_string && !st.escape_next && st.depth == backward.depth_at_begin) {
      // The same steps the forward scan would take, in document order.
      for (size_t i = backward.events.size(); i-- > 0;) {
        const uint64_t e = backward.events[i];
        const size_t off = static_cast<size_t>(e >> 8);
        st.depth = static_cast<int64_t>((e >> 3) & 31);
        switch ((e >> 1) & 3) {
          case BackwardScan::kQuote: OnQuote(&st, off, e & 1); break;
          case BackwardScan::kOpen: OnOpen(data, &st, off); break;
          default:
            if (!OnClose(&st, off, chunk_bytes, min_array_bytes, &result)) return result;
        }
      }
      st.depth = 0;
    } else if (!ScanForward<masks_fn, prefix_xor>(data, split, n, chunk_bytes, min_array_bytes,
                                                  &st, &result)) {
      return result;
    }
  }
  if (st.in_string) {
    result.error_offset = n;
    result.error = "unterminated string at end of input";
    return result;
  }
  if (st.depth != 0) {
    result.error_offset = n;
    result.error = "truncated input: unclosed object or array";
    return result;
  }
  result.ok = true;
  return result;
}

void BackwardGeneric(std::string_view data, size_t begin, BackwardScan* out) {
  ScanBackward<MasksScalar, PrefixXor>(data, begin, out);
}

ScanResult ScanGeneric(std::string_view data, size_t chunk_bytes, size_t min_array_bytes,
                       unsigned threads, size_t two_part_bytes) {
  return ScanImpl<MasksScalar, PrefixXor, BackwardGeneric>(data, chunk_bytes, min_array_bytes,
                                                           threads, two_part_bytes);
}

#if defined(__x86_64__)
// The same loops compiled for AVX2 with hardware popcount. `flatten`: the
// block masks are computed at three places (two forward, one backward) and
// cost a call per 64 bytes when not inlined (a third of the scan's time).
__attribute__((target("avx2,popcnt,bmi,lzcnt,pclmul"), flatten)) void BackwardAvx2(
    std::string_view data, size_t begin, BackwardScan* out) {
  ScanBackward<MasksAvx2, PrefixXorClmul>(data, begin, out);
}

__attribute__((target("avx2,popcnt,bmi,pclmul"), flatten)) ScanResult ScanAvx2(
    std::string_view data, size_t chunk_bytes, size_t min_array_bytes, unsigned threads,
    size_t two_part_bytes) {
  return ScanImpl<MasksAvx2, PrefixXorClmul, BackwardAvx2>(data, chunk_bytes, min_array_bytes,
                                                           threads, two_part_bytes);
}

__attribute__((target("avx512f,avx512bw,popcnt,bmi,lzcnt,pclmul"), flatten)) void BackwardAvx512(
    std::string_view data, size_t begin, BackwardScan* out) {
  ScanBackward<MasksAvx512, PrefixXorClmul>(data, begin, out);
}

__attribute__((target("avx512f,avx512bw,popcnt,bmi,pclmul"), flatten)) ScanResult ScanAvx512(
    std::string_view data, size_t chunk_bytes, size_t min_array_bytes, unsigned threads,
    size_t two_part_bytes) {
  return ScanImpl<MasksAvx512, PrefixXorClmul, BackwardAvx512>(data, chunk_bytes, min_array_bytes,
                                                               threads, two_part_bytes);
}
#endif

bool HasAvx2() {
#if defined(__x86_64__)
  static const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("popcnt") &&
                           __builtin_cpu_supports("bmi") && __builtin_cpu_supports("lzcnt") &&
                           __builtin_cpu_supports("pclmul");
  return avx2;
#else
  return false;
#endif
}

bool HasAvx512() {
#if defined(__x86_64__)
  static const bool avx512 =
      HasAvx2() && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw");
  return avx512;
#else
  return false;
#endif
}

}  // namespace

bool ScanKernelAvailable(ScanKernel kernel) {
  switch (kernel) {
    case ScanKernel::kAvx2:
      return HasAvx2();
    case ScanKernel::kAvx512:
      return HasAvx512();
    default:
      return true;
  }
}

ScanResult ScanTopLevelArraysWith(ScanKernel kernel, std::string_view data, size_t chunk_bytes,
                                  size_t min_array_bytes, unsigned threads, size_t two_part_bytes) {
  if (kernel == ScanKernel::kAuto) {
    kernel = HasAvx512() ? ScanKernel::kAvx512
             : HasAvx2() ? ScanKernel::kAvx2
                         : ScanKernel::kScalar;
  }
#if defined(__x86_64__)
  if (kernel == ScanKernel::kAvx512 && HasAvx512()) {
    return ScanAvx512(data, chunk_bytes, min_array_bytes, threads, two_part_bytes);
  }
  if (kernel == ScanKernel::kAvx2 && HasAvx2()) {
    return ScanAvx2(data, chunk_bytes, min_array_bytes, threads, two_part_bytes);
  }
#endif
  return ScanGeneric(data, chunk_bytes, min_array_bytes, threads, two_part_bytes);
}

ScanResult ScanTopLevelArrays(std::string_view data, size_t chunk_bytes, size_t min_array_bytes,
                              unsigned threads, size_t two_part_bytes) {
  return ScanTopLevelArraysWith(ScanKernel::kAuto, data, chunk_bytes, min_array_bytes, threads,
                                two_part_bytes);
}

}  // namespace icts::inventory::cyclonedx
